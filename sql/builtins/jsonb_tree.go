package builtins

import (
	"encoding/json"
	"sort"
	"strings"

	"github.com/quorumdb/quorumdb/sql/types"
)

// The jsonb editing functions (jsonb_set, jsonb_insert, #-, - and the
// like) rebuild a document, which is simpler on a decoded tree than on
// the text: objects decode to jsonObject (jsonb has no duplicate keys,
// so a map loses nothing), arrays to []any, numbers to json.Number (the
// digits as written, reprinted canonically by canonical).

// jsonObject is a decoded jsonb object.
type jsonObject = map[string]any

// decodeJSONB decodes canonical jsonb text.
func decodeJSONB(d types.Datum) any { return decodeAny(string(d.(types.JSON))) }

// encodeJSONB prints a tree as jsonb (keys in jsonb's order).
func encodeJSONB(v any) (types.Datum, error) {
	var b strings.Builder
	writeJSONTree(&b, v)
	return canonical(b.String())
}

// writeJSONTree prints a decoded value as JSON text.
func writeJSONTree(b *strings.Builder, v any) {
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		if x {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
	case json.Number:
		b.WriteString(string(x))
	case string:
		quoteJSON(b, x)
	case []any:
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteString(", ")
			}
			writeJSONTree(b, e)
		}
		b.WriteByte(']')
	case jsonObject:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteString(", ")
			}
			quoteJSON(b, k)
			b.WriteString(": ")
			writeJSONTree(b, x[k])
		}
		b.WriteByte('}')
	}
}

// textArrayElems returns a text[] argument's elements, nil for NULLs.
func textArrayElems(d types.Datum) []types.Datum {
	return d.(*types.Array).Elems
}
