package builtins

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/cockroachdb/apd/v3"
	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// JSON values arrive as text (types.JSON): jsonb already canonical, json
// as written. The functions here walk that text directly, slicing out
// members without building a tree, so -> and ->> on jsonb return
// sub-slices that are canonical themselves.

func skipWS(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
		i++
	}
	return i
}

// skipValue returns the index just past the JSON value starting at i.
func skipValue(s string, i int) int {
	i = skipWS(s, i)
	if i >= len(s) {
		return i
	}
	switch s[i] {
	case '"':
		for i++; i < len(s); i++ {
			if s[i] == '\\' {
				i++
			} else if s[i] == '"' {
				return i + 1
			}
		}
		return i
	case '{', '[':
		depth := 0
		for ; i < len(s); i++ {
			switch s[i] {
			case '"':
				i = skipValue(s, i) - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
		}
		return i
	}
	for i < len(s) && !strings.ContainsRune(",}] \t\n\r:", rune(s[i])) {
		i++
	}
	return i
}

// jsonKind returns 'o' object, 'a' array, 's' string, 'n' number,
// 'b' boolean or 'z' null.
func jsonKind(s string) byte {
	s = strings.TrimSpace(s)
	if s == "" {
		return 'z'
	}
	switch s[0] {
	case '{':
		return 'o'
	case '[':
		return 'a'
	case '"':
		return 's'
	case 't', 'f':
		return 'b'
	case 'n':
		return 'z'
	}
	return 'n'
}

// jsonMembers splits an object into keys (unquoted) and raw values, or
// an array into raw elements (keys nil).
func jsonMembers(s string) (keys, vals []string) {
	s = strings.TrimSpace(s)
	obj := jsonKind(s) == 'o'
	i := skipWS(s, 1)
	for i < len(s) && s[i] != '}' && s[i] != ']' {
		if obj {
			e := skipValue(s, i)
			keys = append(keys, unquoteJSON(s[i:e]))
			i = skipWS(s, e)
			i = skipWS(s, i+1) // ':'
		}
		e := skipValue(s, i)
		vals = append(vals, strings.TrimSpace(s[i:e]))
		i = skipWS(s, e)
		if i < len(s) && s[i] == ',' {
			i = skipWS(s, i+1)
		}
	}
	return keys, vals
}

func unquoteJSON(s string) string {
	var out string
	if err := json.Unmarshal([]byte(s), &out); err != nil {
		return strings.Trim(s, `"`)
	}
	return out
}

// quoteJSON writes s as a JSON string the way PostgreSQL escapes it.
func quoteJSON(b *strings.Builder, s string) { types.WriteJSONString(b, s) }

// jsonField is -> on an object key or array index; ok false means NULL.
func jsonField(s string, key string, idx int64, byIndex bool) (string, bool) {
	keys, vals := jsonMembers(s)
	switch k := jsonKind(s); {
	case byIndex && k == 'a':
		if idx < 0 {
			idx += int64(len(vals))
		}
		if idx < 0 || idx >= int64(len(vals)) {
			return "", false
		}
		return vals[idx], true
	case !byIndex && k == 'o':
		// The last duplicate wins in json, as in PostgreSQL; jsonb has none.
		for i := len(keys) - 1; i >= 0; i-- {
			if keys[i] == key {
				return vals[i], true
			}
		}
	}
	return "", false
}

// jsonText is ->>: strings unquoted, null as SQL NULL, others as text.
func jsonText(v string) types.Datum {
	switch jsonKind(v) {
	case 's':
		return unquoteJSON(v)
	case 'z':
		return nil
	}
	return v
}

// jsonPath follows #> path elements (keys, or indexes into arrays).
func jsonPath(s string, path *types.Array) (string, bool) {
	cur := s
	for _, e := range path.Elems {
		if e == nil {
			return "", false
		}
		p := e.(string)
		var ok bool
		if jsonKind(cur) == 'a' {
			n, err := strconv.ParseInt(p, 10, 64)
			if err != nil {
				return "", false
			}
			cur, ok = jsonField(cur, "", n, true)
		} else {
			cur, ok = jsonField(cur, p, 0, false)
		}
		if !ok {
			return "", false
		}
	}
	return cur, true
}

// toJSON renders a datum of type t as JSON text (to_json's rules):
// arrays and records without spaces, at any depth (PostgreSQL's
// datum_to_json; only array_to_json and row_to_json's pretty form
// separate the top level's members by lines, see jsonContainer).
func toJSON(c *Context, b *strings.Builder, t types.T, d types.Datum) {
	switch v := d.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(v))
	case int64:
		if t.Family == types.OidFamily {
			// oid and the reg* types are not numbers to JSON but their
			// text: "1259", "pg_class" (PostgreSQL's JSONTYPE_OTHER).
			quoteJSON(b, c.oidText(t, v))
			return
		}
		b.WriteString(strconv.FormatInt(v, 10))
	case float64:
		s := types.FormatText(t, v, c.settings())
		if math.IsNaN(v) || math.IsInf(v, 0) {
			quoteJSON(b, s)
		} else {
			b.WriteString(s)
		}
	case *apd.Decimal:
		s := types.FormatText(types.Numeric, v, nil)
		if v.Form != apd.Finite {
			quoteJSON(b, s)
		} else {
			b.WriteString(s)
		}
	case string:
		quoteJSON(b, v)
	case types.JSON:
		b.WriteString(string(v))
	case time.Time:
		s := types.FormatText(t, v, c.settings())
		if t.Family != types.DateFamily && types.IsInfinite(v) == 0 {
			s = strings.Replace(s, " ", "T", 1)
			if t.Family == types.TimestampTZFamily && len(s) >= 3 && (s[len(s)-3] == '+' || s[len(s)-3] == '-') {
				s += ":00"
			}
		}
		quoteJSON(b, s)
	case *types.Array:
		arrayToJSON(c, b, v, ",")
	case []any:
		recordToJSON(c, b, t, v, ",")
	default:
		quoteJSON(b, types.FormatText(t, d, c.settings()))
	}
}

// arrayToJSON writes an array's elements, separated by sep.
func arrayToJSON(c *Context, b *strings.Builder, a *types.Array, sep string) {
	b.WriteByte('[')
	for i, e := range a.Elems {
		if i > 0 {
			b.WriteString(sep)
		}
		toJSON(c, b, a.Elem, e)
	}
	b.WriteByte(']')
}

// recordToJSON writes a record of type t as an object of its columns,
// separated by sep. A record whose columns are not known by name has
// them as f1, f2, …, PostgreSQL's names for an anonymous ROW().
func recordToJSON(c *Context, b *strings.Builder, t types.T, v []any, sep string) {
	b.WriteByte('{')
	for i, f := range v {
		if i > 0 {
			b.WriteString(sep)
		}
		name, ft := "f"+strconv.Itoa(i+1), types.Unknown
		if t.Fields != nil && i < len(t.Fields.Names) {
			name, ft = t.Fields.Names[i], t.Fields.Types[i]
		}
		quoteJSON(b, name)
		b.WriteByte(':')
		toJSON(c, b, ft, f)
	}
	b.WriteByte('}')
}

// canonical turns JSON text into a jsonb value.
func canonical(s string) (types.Datum, error) {
	return types.ParseText(types.JSONB, s, nil)
}

// buildObject is json(b)_build_object.
func buildObject(c *Context, ts []types.T, a []types.Datum, fn string, jsonb bool) (types.Datum, error) {
	if len(a)%2 != 0 {
		return nil, newErr(pgerror.InvalidParameterValue, "argument list must have even number of elements").(*pgerror.Error).WithHint("The arguments of %s() must consist of alternating keys and values.", fn)
	}
	var b strings.Builder
	b.WriteByte('{')
	for i := 0; i < len(a); i += 2 {
		if a[i] == nil {
			// json_build_object and jsonb_build_object word it apart.
			if !jsonb {
				return nil, newErr(pgerror.InvalidParameterValue, "argument %d cannot be null", i+1).(*pgerror.Error).WithHint("Object keys should be text.")
			}
			return nil, newErr(pgerror.InvalidParameterValue, "argument %d: key must not be null", i+1)
		}
		switch ts[i].Family {
		case types.ArrayFamily, types.RecordFamily, types.JSONFamily:
			// Such a key would print as its JSON text, an object key no
			// reader expects (PostgreSQL's add_json refuses it).
			return nil, newErr(pgerror.InvalidParameterValue, "key value must be scalar, not array, composite, or json")
		}
		if i > 0 {
			b.WriteString(", ")
		}
		quoteJSON(&b, textOf(c, ts[i], a[i]))
		b.WriteString(" : ")
		toJSON(c, &b, ts[i+1], a[i+1])
	}
	b.WriteByte('}')
	if jsonb {
		return canonical(b.String())
	}
	return types.JSON(b.String()), nil
}

func buildArray(c *Context, ts []types.T, a []types.Datum, jsonb bool) (types.Datum, error) {
	var b strings.Builder
	b.WriteByte('[')
	for i, d := range a {
		if i > 0 {
			b.WriteString(", ")
		}
		toJSON(c, &b, ts[i], d)
	}
	b.WriteByte(']')
	if jsonb {
		return canonical(b.String())
	}
	return types.JSON(b.String()), nil
}

func decodeAny(s string) any {
	d := json.NewDecoder(strings.NewReader(s))
	d.UseNumber()
	var v any
	_ = d.Decode(&v)
	return v
}

// jsonConcat is jsonb ||: objects merge (right wins), anything else
// concatenates as arrays.
func jsonConcat(a, b string) (types.Datum, error) {
	ka, kb := jsonKind(a), jsonKind(b)
	if ka == 'o' && kb == 'o' {
		inner := func(s string) string { return strings.TrimSpace(strings.TrimSpace(s)[1 : len(strings.TrimSpace(s))-1]) }
		x, y := inner(a), inner(b)
		switch {
		case x == "":
			return canonical(b)
		case y == "":
			return canonical(a)
		}
		return canonical("{" + x + "," + y + "}")
	}
	elems := func(s string, k byte) []string {
		if k == 'a' {
			_, v := jsonMembers(s)
			return v
		}
		return []string{s}
	}
	all := append(elems(a, ka), elems(b, kb)...)
	return canonical("[" + strings.Join(all, ",") + "]")
}

// jsonElement is json(b) -> int: element i of an array (from the end
// when negative). A jsonb scalar is stored by PostgreSQL as a
// one-element "raw scalar" array, so jsonb_array_element returns it for
// 0 and -1; json's parser-based json_array_element does not.
func jsonElement(s string, i int64, jsonb bool) (string, bool) {
	if jsonb && (i == 0 || i == -1) {
		switch jsonKind(s) {
		case 'a', 'o':
		default:
			return s, true
		}
	}
	return jsonField(s, "", i, true)
}

func registerJSON() {
	for _, jt := range []types.T{types.JSONB, types.JSONT} {
		jt := jt
		jsonb := jt.Oid == types.OidJSONB
		out := func(s string) (types.Datum, error) {
			if jsonb {
				return types.JSON(s), nil
			}
			return types.JSON(s), nil
		}
		prefix := "json"
		if jsonb {
			prefix = "jsonb"
		}
		registerBin("->", ov(jt, func(_ *Context, a []types.Datum) (types.Datum, error) {
			v, ok := jsonField(string(a[0].(types.JSON)), a[1].(string), 0, false)
			if !ok {
				return nil, nil
			}
			return out(v)
		}, jt, types.Text))
		registerBin("->", ov(jt, func(_ *Context, a []types.Datum) (types.Datum, error) {
			v, ok := jsonElement(string(a[0].(types.JSON)), a[1].(int64), jsonb)
			if !ok {
				return nil, nil
			}
			return out(v)
		}, jt, types.Int4))
		registerBin("->>", ov(types.Text, func(_ *Context, a []types.Datum) (types.Datum, error) {
			v, ok := jsonField(string(a[0].(types.JSON)), a[1].(string), 0, false)
			if !ok {
				return nil, nil
			}
			return jsonText(v), nil
		}, jt, types.Text))
		registerBin("->>", ov(types.Text, func(_ *Context, a []types.Datum) (types.Datum, error) {
			v, ok := jsonElement(string(a[0].(types.JSON)), a[1].(int64), jsonb)
			if !ok {
				return nil, nil
			}
			return jsonText(v), nil
		}, jt, types.Int4))
		registerBin("#>", ov(jt, func(_ *Context, a []types.Datum) (types.Datum, error) {
			v, ok := jsonPath(string(a[0].(types.JSON)), a[1].(*types.Array))
			if !ok {
				return nil, nil
			}
			return out(v)
		}, jt, types.ArrayOf(types.Text)))
		registerBin("#>>", ov(types.Text, func(_ *Context, a []types.Datum) (types.Datum, error) {
			v, ok := jsonPath(string(a[0].(types.JSON)), a[1].(*types.Array))
			if !ok {
				return nil, nil
			}
			return jsonText(v), nil
		}, jt, types.ArrayOf(types.Text)))
		register(prefix+"_typeof", ov(types.Text, func(_ *Context, a []types.Datum) (types.Datum, error) {
			return map[byte]string{'o': "object", 'a': "array", 's': "string", 'n': "number", 'b': "boolean", 'z': "null"}[jsonKind(string(a[0].(types.JSON)))], nil
		}, jt))
		register(prefix+"_array_length", ov(types.Int4, func(_ *Context, a []types.Datum) (types.Datum, error) {
			s := string(a[0].(types.JSON))
			switch jsonKind(s) {
			case 'a':
				_, v := jsonMembers(s)
				return int64(len(v)), nil
			case 'o':
				return nil, newErr(pgerror.InvalidParameterValue, "cannot get array length of a non-array")
			}
			return nil, newErr(pgerror.InvalidParameterValue, "cannot get array length of a scalar")
		}, jt))
		path := func(text bool) Fn {
			return func(_ *Context, a []types.Datum) (types.Datum, error) {
				if a[0] == nil {
					return nil, nil
				}
				p := &types.Array{Elem: types.Text, Elems: a[1:]}
				v, ok := jsonPath(string(a[0].(types.JSON)), p)
				if !ok {
					return nil, nil
				}
				if text {
					return jsonText(v), nil
				}
				return out(v)
			}
		}
		register(prefix+"_extract_path", &Overload{Args: []types.T{jt, types.Text}, Variadic: true, Return: jt, CalledOnNull: true, Fn: path(false)})
		register(prefix+"_extract_path_text", &Overload{Args: []types.T{jt, types.Text}, Variadic: true, Return: types.Text, CalledOnNull: true, Fn: path(true)})
		fnName := prefix + "_build_object"
		register(fnName, &Overload{Args: []types.T{types.Any}, Variadic: true, Return: jt, CalledOnNull: true, Bind: func(ts []types.T) Fn {
			return func(c *Context, a []types.Datum) (types.Datum, error) { return buildObject(c, ts, a, fnName, jsonb) }
		}}, &Overload{Return: jt, Fn: func(*Context, []types.Datum) (types.Datum, error) { return types.JSON("{}"), nil }})
		register(prefix+"_build_array", &Overload{Args: []types.T{types.Any}, Variadic: true, Return: jt, CalledOnNull: true, Bind: func(ts []types.T) Fn {
			return func(c *Context, a []types.Datum) (types.Datum, error) { return buildArray(c, ts, a, jsonb) }
		}}, &Overload{Return: jt, Fn: func(*Context, []types.Datum) (types.Datum, error) { return types.JSON("[]"), nil }})
		toName := "to_json"
		if jsonb {
			toName = "to_jsonb"
		}
		register(toName, &Overload{Args: []types.T{anyElement}, Return: jt, Bind: func(ts []types.T) Fn {
			return func(c *Context, a []types.Datum) (types.Datum, error) {
				var b strings.Builder
				toJSON(c, &b, ts[0], a[0])
				if jsonb {
					return canonical(b.String())
				}
				return types.JSON(b.String()), nil
			}
		}})
	}
	J := types.JSONB
	registerBin("@>", ov(types.Bool, func(_ *Context, a []types.Datum) (types.Datum, error) {
		return jsonContains(decodeAny(string(a[0].(types.JSON))), decodeAny(string(a[1].(types.JSON)))), nil
	}, J, J))
	registerBin("<@", ov(types.Bool, func(_ *Context, a []types.Datum) (types.Datum, error) {
		return jsonContains(decodeAny(string(a[1].(types.JSON))), decodeAny(string(a[0].(types.JSON)))), nil
	}, J, J))
	registerBin("?", ov(types.Bool, func(_ *Context, a []types.Datum) (types.Datum, error) {
		s, key := string(a[0].(types.JSON)), a[1].(string)
		keys, vals := jsonMembers(s)
		switch jsonKind(s) {
		case 'o':
			for _, k := range keys {
				if k == key {
					return true, nil
				}
			}
		case 'a':
			for _, v := range vals {
				if jsonKind(v) == 's' && unquoteJSON(v) == key {
					return true, nil
				}
			}
		case 's':
			return unquoteJSON(s) == key, nil
		}
		return false, nil
	}, J, types.Text))
	registerBin("||", ov(J, func(_ *Context, a []types.Datum) (types.Datum, error) {
		return jsonConcat(string(a[0].(types.JSON)), string(a[1].(types.JSON)))
	}, J, J))
}

// jsonAgg is json_agg/jsonb_agg: all values, NULLs as null.
type jsonAgg struct {
	t     types.T
	jsonb bool
	b     strings.Builder
	seen  bool
}

func (a *jsonAgg) Add(c *Context, args []types.Datum) error {
	if a.seen {
		a.b.WriteString(", ")
	} else {
		a.b.WriteByte('[')
	}
	// As PostgreSQL's json_agg_transfn, an array or record after the
	// first element starts a new line.
	if a.seen && args[0] != nil && (a.t.Family == types.ArrayFamily || a.t.Family == types.RecordFamily) {
		a.b.WriteString("\n ")
	}
	a.seen = true
	toJSON(c, &a.b, a.t, args[0])
	return nil
}

func (a *jsonAgg) Result(*Context) (types.Datum, error) {
	if !a.seen {
		return nil, nil
	}
	s := a.b.String() + "]"
	if a.jsonb {
		return canonical(s)
	}
	return types.JSON(s), nil
}
