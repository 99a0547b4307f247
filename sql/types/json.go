package types

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/quorumdb/quorumdb/sql/pgerror"
)

// jsonValue is a parsed JSON document, kept only long enough to print
// it in jsonb's canonical form.
type jsonValue struct {
	kind byte // 'o' object, 'a' array, 's' string, 'n' number, 't', 'f', 'z' (null)
	s    string
	arr  []jsonValue
	keys []string
	vals []jsonValue
}

// parseJSON validates JSON text. json keeps the text as written (as
// PostgreSQL's json type does); jsonb is reprinted canonically.
func parseJSON(s string, jsonb bool, set *Settings) (JSON, error) {
	if err := checkJSONInput(s, jsonb, set); err != nil {
		return "", err
	}
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	v, err := decodeJSON(dec, 0)
	if errors.Is(err, errJSONTooDeep) {
		return "", jsonTooDeep(set)
	}
	if err == nil {
		if _, err2 := dec.Token(); err2 != io.EOF {
			err = errors.New("trailing data after the JSON value")
		}
	}
	if err != nil {
		e := pgerror.New(pgerror.InvalidTextRepresentation, "invalid input syntax for type json")
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			e = e.WithDetail("The input string ended unexpectedly.")
		}
		return "", e
	}
	if !jsonb {
		return JSON(s), nil
	}
	if hasNUL(v) {
		return "", pgerror.New(pgerror.UntranslatableCharacter, "unsupported Unicode escape sequence").
			WithDetail("\\u0000 cannot be converted to text.")
	}
	var b strings.Builder
	if err := writeJSONB(&b, v); err != nil {
		return "", err
	}
	return JSON(b.String()), nil
}

// max_stack_depth's default and largest value in kB: PostgreSQL's on
// Linux with the usual 8 MB "ulimit -s" (it keeps 512 kB in reserve).
const (
	DefaultStackDepthKB = 2048
	MaxStackDepthKB     = 7680
)

// jsonStackPerLevel is about what PostgreSQL 15's JSON parser takes of
// the stack per level of nesting, in bytes (measured on x86-64: 144 for
// arrays, 160 for objects), so that max_stack_depth refuses json input
// near the depth PostgreSQL does (about 14,000 levels with 2048kB, 680
// with 100kB).
const jsonStackPerLevel = 150

// maxJSONDepth bounds the nesting of any json or jsonb value: the limit
// of the largest max_stack_depth. Everything that walks a document
// (decoding, printing, ordering, containment) recurses once per level,
// so a document of millions of levels would exhaust the goroutine's
// stack and end the process; input is refused before that at the
// session's limit (jsonDepthLimit), with PostgreSQL's 54001.
const maxJSONDepth = MaxStackDepthKB * 1024 / jsonStackPerLevel

// stackDepthKB is the session's max_stack_depth.
func stackDepthKB(set *Settings) int {
	if set == nil || set.MaxStackDepthKB == 0 {
		return DefaultStackDepthKB
	}
	return set.MaxStackDepthKB
}

// jsonDepthLimit is how deeply json input may nest under set's
// max_stack_depth.
func jsonDepthLimit(set *Settings) int {
	return stackDepthKB(set) * 1024 / jsonStackPerLevel
}

// errJSONTooDeep is decodeJSON's error for a document past maxJSONDepth.
var errJSONTooDeep = errors.New("json nesting too deep")

func jsonTooDeep(set *Settings) error {
	return pgerror.New(pgerror.StatementTooComplex, "stack depth limit exceeded").
		WithHint("Increase the configuration parameter \"max_stack_depth\" (currently %dkB), after ensuring the platform's stack depth limit is adequate.", stackDepthKB(set))
}

func decodeJSON(dec *json.Decoder, depth int) (jsonValue, error) {
	if depth > maxJSONDepth {
		return jsonValue{}, errJSONTooDeep
	}
	tok, err := dec.Token()
	if err != nil {
		if err == io.EOF {
			return jsonValue{}, io.ErrUnexpectedEOF
		}
		return jsonValue{}, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			v := jsonValue{kind: 'o'}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return v, err
				}
				k, ok := kt.(string)
				if !ok {
					return v, errors.New("object key must be a string")
				}
				val, err := decodeJSON(dec, depth+1)
				if err != nil {
					return v, err
				}
				v.keys = append(v.keys, k)
				v.vals = append(v.vals, val)
			}
			if _, err := dec.Token(); err != nil {
				return v, err
			}
			return v, nil
		case '[':
			v := jsonValue{kind: 'a'}
			for dec.More() {
				el, err := decodeJSON(dec, depth+1)
				if err != nil {
					return v, err
				}
				v.arr = append(v.arr, el)
			}
			if _, err := dec.Token(); err != nil {
				return v, err
			}
			return v, nil
		}
		return jsonValue{}, errors.New("unexpected delimiter")
	case string:
		return jsonValue{kind: 's', s: t}, nil
	case json.Number:
		return jsonValue{kind: 'n', s: string(t)}, nil
	case bool:
		if t {
			return jsonValue{kind: 't'}, nil
		}
		return jsonValue{kind: 'f'}, nil
	case nil:
		return jsonValue{kind: 'z'}, nil
	}
	return jsonValue{}, fmt.Errorf("unexpected token %v", tok)
}

func hasNUL(v jsonValue) bool {
	switch v.kind {
	case 's':
		return strings.IndexByte(v.s, 0) >= 0
	case 'a':
		for _, e := range v.arr {
			if hasNUL(e) {
				return true
			}
		}
	case 'o':
		for i := range v.keys {
			if strings.IndexByte(v.keys[i], 0) >= 0 || hasNUL(v.vals[i]) {
				return true
			}
		}
	}
	return false
}

// writeJSONB prints v as jsonb_out does: object keys ordered by length
// then bytes with the last duplicate kept, ", " and ": " separators,
// numbers as numeric prints them.
func writeJSONB(b *strings.Builder, v jsonValue) error {
	switch v.kind {
	case 'o':
		idx := make([]int, len(v.keys))
		for i := range idx {
			idx[i] = i
		}
		sort.SliceStable(idx, func(i, j int) bool {
			ki, kj := v.keys[idx[i]], v.keys[idx[j]]
			if len(ki) != len(kj) {
				return len(ki) < len(kj)
			}
			return ki < kj
		})
		b.WriteByte('{')
		first := true
		for n, i := range idx {
			if n+1 < len(idx) && v.keys[idx[n+1]] == v.keys[i] {
				continue // a later duplicate wins
			}
			if !first {
				b.WriteString(", ")
			}
			first = false
			WriteJSONString(b, v.keys[i])
			b.WriteString(": ")
			if err := writeJSONB(b, v.vals[i]); err != nil {
				return err
			}
		}
		b.WriteByte('}')
	case 'a':
		b.WriteByte('[')
		for i, e := range v.arr {
			if i > 0 {
				b.WriteString(", ")
			}
			if err := writeJSONB(b, e); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	case 's':
		WriteJSONString(b, v.s)
	case 'n':
		d, err := parseNumeric(v.s)
		if err != nil {
			return err
		}
		b.WriteString(formatNumeric(d))
	case 't':
		b.WriteString("true")
	case 'f':
		b.WriteString("false")
	case 'z':
		b.WriteString("null")
	}
	return nil
}

// WriteJSONString quotes s as a JSON string the way PostgreSQL's
// escape_json does (no HTML escaping, unlike encoding/json).
func WriteJSONString(b *strings.Builder, s string) {
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			if c < 0x20 {
				fmt.Fprintf(b, `\u%04x`, c)
			} else {
				b.WriteByte(c)
			}
		}
	}
	b.WriteByte('"')
}
