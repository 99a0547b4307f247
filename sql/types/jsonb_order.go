package types

import (
	"cmp"
	"encoding/json"
	"errors"
	"strings"

	"github.com/cockroachdb/apd/v3"
)

// jsonb's btree order (compareJsonbContainers). A value is read as the
// token stream PostgreSQL's iterator produces: a scalar at the top level
// is a one-element "raw scalar" array; an array opens with its element
// count, an object with its pair count and then its keys in storage order
// (shorter first, then bytewise); scalars are compared by type (null <
// string < number < boolean < array < object) and then by value (strings
// bytewise under the C collation, numbers numerically: 1.0 = 1); two
// arrays by their count, a raw scalar before a real array of the same
// count (so [] sorts before null, as in PostgreSQL); two objects by their
// count. The first difference decides.

// JSONBToken kinds, in jsonb's type order.
const (
	JSONBNull byte = iota + 1
	JSONBString
	JSONBNumber
	JSONBBool
	JSONBArray  // opens an array: Count elements, Raw for a top-level scalar
	JSONBObject // opens an object: Count pairs; keys are JSONBString tokens
)

// JSONBToken is one token of a jsonb value in comparison order.
type JSONBToken struct {
	Kind  byte
	Str   string       // JSONBString
	Num   *apd.Decimal // JSONBNumber
	Bool  bool         // JSONBBool
	Count int          // JSONBArray, JSONBObject
	Raw   bool         // JSONBArray: the wrapper of a top-level scalar
}

// JSONBTokens reads j (jsonb text in canonical form) as its token stream.
func JSONBTokens(j JSON) ([]JSONBToken, error) {
	dec := json.NewDecoder(strings.NewReader(string(j)))
	dec.UseNumber()
	v, err := decodeJSON(dec, 0)
	if errors.Is(err, errJSONTooDeep) {
		return nil, jsonTooDeep(nil)
	}
	if err != nil {
		return nil, err
	}
	var out []JSONBToken
	if v.kind != 'o' && v.kind != 'a' {
		out = append(out, JSONBToken{Kind: JSONBArray, Count: 1, Raw: true})
	}
	return appendJSONBTokens(out, v)
}

func appendJSONBTokens(out []JSONBToken, v jsonValue) ([]JSONBToken, error) {
	switch v.kind {
	case 'o':
		keys := sortedUniqueKeys(v)
		out = append(out, JSONBToken{Kind: JSONBObject, Count: len(keys)})
		for _, i := range keys {
			out = append(out, JSONBToken{Kind: JSONBString, Str: v.keys[i]})
			var err error
			if out, err = appendJSONBTokens(out, v.vals[i]); err != nil {
				return nil, err
			}
		}
	case 'a':
		out = append(out, JSONBToken{Kind: JSONBArray, Count: len(v.arr)})
		for _, e := range v.arr {
			var err error
			if out, err = appendJSONBTokens(out, e); err != nil {
				return nil, err
			}
		}
	case 's':
		out = append(out, JSONBToken{Kind: JSONBString, Str: v.s})
	case 'n':
		d, err := parseNumeric(v.s)
		if err != nil {
			return nil, err
		}
		out = append(out, JSONBToken{Kind: JSONBNumber, Num: d})
	case 't', 'f':
		out = append(out, JSONBToken{Kind: JSONBBool, Bool: v.kind == 't'})
	default:
		out = append(out, JSONBToken{Kind: JSONBNull})
	}
	return out, nil
}

// sortedUniqueKeys returns the indexes of an object's pairs in jsonb's
// storage order, the last of duplicate keys kept.
func sortedUniqueKeys(v jsonValue) []int {
	last := map[string]int{}
	for i, k := range v.keys {
		last[k] = i
	}
	idx := make([]int, 0, len(last))
	for _, i := range last {
		idx = append(idx, i)
	}
	for a := 1; a < len(idx); a++ {
		for b := a; b > 0 && jsonbKeyLess(v.keys[idx[b]], v.keys[idx[b-1]]); b-- {
			idx[b], idx[b-1] = idx[b-1], idx[b]
		}
	}
	return idx
}

func jsonbKeyLess(a, b string) bool {
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}

// CompareJSONB orders two jsonb values as compareJsonbContainers does.
func CompareJSONB(a, b JSON) int {
	ta, errA := JSONBTokens(a)
	tb, errB := JSONBTokens(b)
	if errA != nil || errB != nil {
		return strings.Compare(string(a), string(b))
	}
	for i := 0; i < len(ta) && i < len(tb); i++ {
		if c := compareJSONBToken(ta[i], tb[i]); c != 0 {
			return c
		}
	}
	return cmp.Compare(len(ta), len(tb))
}

func compareJSONBToken(x, y JSONBToken) int {
	if x.Kind != y.Kind {
		return cmp.Compare(x.Kind, y.Kind)
	}
	switch x.Kind {
	case JSONBString:
		return strings.Compare(x.Str, y.Str)
	case JSONBNumber:
		return compareDecimal(x.Num, y.Num)
	case JSONBBool:
		switch {
		case x.Bool == y.Bool:
			return 0
		case !x.Bool:
			return -1
		}
		return 1
	case JSONBArray:
		if x.Count != y.Count {
			return cmp.Compare(x.Count, y.Count)
		}
		switch {
		case x.Raw == y.Raw:
			return 0
		case x.Raw:
			return -1
		}
		return 1
	case JSONBObject:
		return cmp.Compare(x.Count, y.Count)
	}
	return 0
}
