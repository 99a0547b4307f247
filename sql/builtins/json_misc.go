package builtins

import (
	"strings"

	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// json(b)_strip_nulls, json(b)_object, jsonb_pretty and
// json(b)_object_agg.

// jsonStripNulls is json_strip_nulls: object fields whose value is null
// are dropped at every level (array nulls stay). As PostgreSQL's, the
// output is rebuilt without whitespace, strings re-escaped and other
// scalars kept as written.
func jsonStripNulls(b *strings.Builder, s string) {
	switch jsonKind(s) {
	case 'o':
		keys, vals := jsonMembers(s)
		b.WriteByte('{')
		first := true
		for i, v := range vals {
			if jsonKind(v) == 'z' {
				continue
			}
			if !first {
				b.WriteByte(',')
			}
			first = false
			quoteJSON(b, keys[i])
			b.WriteByte(':')
			jsonStripNulls(b, v)
		}
		b.WriteByte('}')
	case 'a':
		_, vals := jsonMembers(s)
		b.WriteByte('[')
		for i, v := range vals {
			if i > 0 {
				b.WriteByte(',')
			}
			jsonStripNulls(b, v)
		}
		b.WriteByte(']')
	case 's':
		quoteJSON(b, unquoteJSON(strings.TrimSpace(s)))
	default:
		b.WriteString(strings.TrimSpace(s))
	}
}

// stripNullsTree is jsonb_strip_nulls on a decoded document.
func stripNullsTree(v any) any {
	switch x := v.(type) {
	case jsonObject:
		for k, e := range x {
			if e == nil {
				delete(x, k)
			} else {
				x[k] = stripNullsTree(e)
			}
		}
	case []any:
		for i, e := range x {
			x[i] = stripNullsTree(e)
		}
	}
	return v
}

// jsonbPretty is jsonb_pretty: one member per line, four spaces per
// level, an empty container's brackets on two lines (as PostgreSQL's
// JsonbToCStringIndent). s is canonical jsonb text, so members come in
// jsonb's order.
func jsonbPretty(b *strings.Builder, s string, level int) {
	indent := func(l int) {
		b.WriteByte('\n')
		b.WriteString(strings.Repeat("    ", l))
	}
	kind := jsonKind(s)
	if kind != 'o' && kind != 'a' {
		b.WriteString(s)
		return
	}
	keys, vals := jsonMembers(s)
	open, closing := byte('['), byte(']')
	if kind == 'o' {
		open, closing = '{', '}'
	}
	b.WriteByte(open)
	for i, v := range vals {
		if i > 0 {
			b.WriteByte(',')
		}
		indent(level + 1)
		if kind == 'o' {
			quoteJSON(b, keys[i])
			b.WriteString(": ")
		}
		jsonbPretty(b, v, level+1)
	}
	indent(level)
	b.WriteByte(closing)
}

// jsonObjectFromArrays is json(b)_object: keys and values from one
// array of alternating keys and values, or from two arrays. Values are
// text (NULL as null); a NULL key is refused. Arrays here have one
// dimension (two-dimensional input is refused where arrays are read).
func jsonObjectFromArrays(keys, vals []types.Datum, jsonb bool) (types.Datum, error) {
	var b strings.Builder
	b.WriteByte('{')
	for i, k := range keys {
		if k == nil {
			return nil, newErr(pgerror.NullValueNotAllowed, "null value not allowed for object key")
		}
		if i > 0 {
			b.WriteString(", ")
		}
		quoteJSON(&b, k.(string))
		b.WriteString(" : ")
		if vals[i] == nil {
			b.WriteString("null")
		} else {
			quoteJSON(&b, vals[i].(string))
		}
	}
	b.WriteByte('}')
	if jsonb {
		return canonical(b.String())
	}
	return types.JSON(b.String()), nil
}

// jsonObjectAgg is json_object_agg/jsonb_object_agg: one member per row,
// a NULL value as null; a NULL key is refused.
type jsonObjectAgg struct {
	kt, vt types.T
	jsonb  bool
	b      strings.Builder
	seen   bool
}

func (a *jsonObjectAgg) Add(c *Context, args []types.Datum) error {
	if args[0] == nil {
		return newErr(pgerror.InvalidParameterValue, "field name must not be null")
	}
	switch a.kt.Family {
	case types.ArrayFamily, types.RecordFamily, types.JSONFamily:
		return newErr(pgerror.InvalidParameterValue, "key value must be scalar, not array, composite, or json")
	}
	if a.seen {
		a.b.WriteString(", ")
	} else {
		a.b.WriteString("{ ")
	}
	a.seen = true
	quoteJSON(&a.b, textOf(c, a.kt, args[0]))
	a.b.WriteString(" : ")
	toJSON(c, &a.b, a.vt, args[1])
	return nil
}

func (a *jsonObjectAgg) Result(*Context) (types.Datum, error) {
	if !a.seen {
		return nil, nil
	}
	s := a.b.String() + " }"
	if a.jsonb {
		return canonical(s)
	}
	return types.JSON(s), nil
}

// prettySep is array_to_json's and row_to_json's separator of the top
// level's members: a line feed when pretty is asked for.
func prettySep(a []types.Datum) string {
	if len(a) > 1 && a[1].(bool) {
		return ",\n "
	}
	return ","
}

func registerJSONMisc() {
	TA := types.ArrayOf(types.Text)
	arrayToJSONFn := func(ts []types.T) Fn {
		return func(c *Context, a []types.Datum) (types.Datum, error) {
			var b strings.Builder
			arrayToJSON(c, &b, a[0].(*types.Array), prettySep(a))
			return types.JSON(b.String()), nil
		}
	}
	register("array_to_json",
		&Overload{Args: []types.T{anyArray}, Return: types.JSONT, Bind: arrayToJSONFn},
		&Overload{Args: []types.T{anyArray, types.Bool}, Return: types.JSONT, Bind: arrayToJSONFn})
	rowToJSONFn := func(ts []types.T) Fn {
		return func(c *Context, a []types.Datum) (types.Datum, error) {
			var b strings.Builder
			recordToJSON(c, &b, ts[0], a[0].([]any), prettySep(a))
			return types.JSON(b.String()), nil
		}
	}
	register("row_to_json",
		&Overload{Args: []types.T{types.Record}, Return: types.JSONT, Bind: rowToJSONFn},
		&Overload{Args: []types.T{types.Record, types.Bool}, Return: types.JSONT, Bind: rowToJSONFn})
	register("json_strip_nulls", ov(types.JSONT, func(_ *Context, a []types.Datum) (types.Datum, error) {
		var b strings.Builder
		jsonStripNulls(&b, string(a[0].(types.JSON)))
		return types.JSON(b.String()), nil
	}, types.JSONT))
	register("jsonb_strip_nulls", ov(types.JSONB, func(_ *Context, a []types.Datum) (types.Datum, error) {
		return encodeJSONB(stripNullsTree(decodeJSONB(a[0])))
	}, types.JSONB))
	register("jsonb_pretty", ov(types.Text, func(_ *Context, a []types.Datum) (types.Datum, error) {
		var b strings.Builder
		jsonbPretty(&b, string(a[0].(types.JSON)), 0)
		return b.String(), nil
	}, types.JSONB))
	for _, jt := range []types.T{types.JSONT, types.JSONB} {
		jsonb := jt.Oid == types.OidJSONB
		name := "json_object"
		if jsonb {
			name = "jsonb_object"
		}
		register(name, ov(jt, func(_ *Context, a []types.Datum) (types.Datum, error) {
			e := textArrayElems(a[0])
			if len(e)%2 != 0 {
				return nil, newErr(pgerror.ArraySubscriptError, "array must have even number of elements")
			}
			var keys, vals []types.Datum
			for i := 0; i < len(e); i += 2 {
				keys, vals = append(keys, e[i]), append(vals, e[i+1])
			}
			return jsonObjectFromArrays(keys, vals, jsonb)
		}, TA), ov(jt, func(_ *Context, a []types.Datum) (types.Datum, error) {
			keys, vals := textArrayElems(a[0]), textArrayElems(a[1])
			if len(keys) != len(vals) {
				return nil, newErr(pgerror.ArraySubscriptError, "mismatched array dimensions")
			}
			return jsonObjectFromArrays(keys, vals, jsonb)
		}, TA, TA))
		registerAgg(name+"_agg", &Aggregate{Args: []types.T{types.Any, types.Any}, Return: jt, CountsNulls: true,
			Bind: func(ts []types.T) func() Accumulator {
				return func() Accumulator { return &jsonObjectAgg{kt: ts[0], vt: ts[1], jsonb: jsonb} }
			}})
	}
}
