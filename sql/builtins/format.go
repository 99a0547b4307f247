package builtins

import (
	"strconv"
	"strings"

	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// castText prints d as its cast to text does: like textOf except that
// booleans spell out true/false (booltext), which || relies on.
func castText(c *Context, t types.T, d types.Datum) string {
	if b, ok := d.(bool); ok {
		return strconv.FormatBool(b)
	}
	return textOf(c, t, d)
}

// textOf prints a non-NULL datum of type t with its output function, as
// concat(), format() and text || anynonarray do.
func textOf(c *Context, t types.T, d types.Datum) string {
	if s, ok := d.(string); ok {
		return s
	}
	if v, ok := d.(int64); ok && t.Family == types.OidFamily {
		return c.oidText(t, v) // regclass by name, as its output function
	}
	return types.FormatText(t, d, c.settings())
}

// keywords are the SQL keywords quote_ident quotes (all but the
// unreserved ones, as PostgreSQL's quote_identifier does).
var keywords = map[string]bool{}

func loadKeywords() {
	for _, k := range strings.Fields(`all analyse analyze and any array as asc asymmetric authorization
		between bigint binary bit boolean both case cast char character check coalesce collate collation
		column concurrently constraint create cross current_catalog current_date current_role current_schema
		current_time current_timestamp current_user dec decimal default deferrable desc distinct do else end
		except exists extract false fetch float for foreign freeze from full grant greatest group grouping
		having ilike in initially inner inout int integer intersect interval into is isnull join json
		json_array json_arrayagg json_object json_objectagg lateral leading least left like limit localtime
		localtimestamp national natural nchar none normalize not notnull null nullif numeric offset on only
		or order out outer overlaps overlay placing position precision primary real references returning
		right row select session_user setof similar smallint some substring symmetric system_user table
		tablesample then time timestamp to trailing treat trim true union unique user using values varchar
		variadic verbose when where window with xmlattributes xmlconcat xmlelement xmlexists xmlforest
		xmlnamespaces xmlparse xmlpi xmlroot xmlserialize xmltable`) {
		keywords[k] = true
	}
}

// quoteIdent double-quotes an identifier unless it is a lower-case
// non-keyword identifier.
func quoteIdent(s string) string {
	safe := s != "" && !keywords[s]
	for i, r := range s {
		if !(r >= 'a' && r <= 'z' || r == '_' || r >= '0' && r <= '9' && i > 0) {
			safe = false
			break
		}
	}
	if safe {
		return s
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// quoteLiteral single-quotes a string, doubling quotes; a string with
// backslashes gets the E” form with them doubled.
func quoteLiteral(s string) string {
	q := "'" + strings.ReplaceAll(s, "'", "''") + "'"
	if strings.Contains(s, `\`) {
		return "E" + strings.ReplaceAll(q, `\`, `\\`)
	}
	return q
}

// format implements format(fmt, args...): %s, %I, %L and %%, with
// optional n$ positions and -/width.
func format(c *Context, ts []types.T, f string, args []types.Datum) (types.Datum, error) {
	var b strings.Builder
	next := 0
	for i := 0; i < len(f); i++ {
		if f[i] != '%' {
			b.WriteByte(f[i])
			continue
		}
		i++
		if i >= len(f) {
			return nil, newErr(pgerror.InvalidParameterValue, "unterminated format() type specifier").(*pgerror.Error).WithHint("For a single \"%%\" use \"%%%%\".")
		}
		if f[i] == '%' {
			b.WriteByte('%')
			continue
		}
		// Optional argument position n$.
		j := i
		for j < len(f) && f[j] >= '0' && f[j] <= '9' {
			j++
		}
		argIdx := next
		if j < len(f) && f[j] == '$' && j > i {
			n, _ := strconv.Atoi(f[i:j])
			if n == 0 {
				return nil, newErr(pgerror.InvalidParameterValue, "format specifies argument 0, but arguments are numbered from 1")
			}
			argIdx = n - 1
			i = j + 1
		}
		left := false
		if i < len(f) && f[i] == '-' {
			left = true
			i++
		}
		width := 0
		for i < len(f) && f[i] >= '0' && f[i] <= '9' {
			width = width*10 + int(f[i]-'0')
			i++
		}
		if i >= len(f) {
			return nil, newErr(pgerror.InvalidParameterValue, "unterminated format() type specifier").(*pgerror.Error).WithHint("For a single \"%%\" use \"%%%%\".")
		}
		conv := f[i]
		if conv != 's' && conv != 'I' && conv != 'L' {
			return nil, newErr(pgerror.InvalidParameterValue, "unrecognized format() type specifier \"%c\"", conv).(*pgerror.Error).WithHint("For a single \"%%\" use \"%%%%\".")
		}
		if argIdx >= len(args) {
			return nil, newErr(pgerror.InvalidParameterValue, "too few arguments for format()")
		}
		next = argIdx + 1
		d := args[argIdx]
		var s string
		switch conv {
		case 's':
			if d != nil {
				s = textOf(c, ts[argIdx+1], d)
			}
		case 'I':
			if d == nil {
				return nil, newErr(pgerror.NullValueNotAllowed, "null values cannot be formatted as an SQL identifier")
			}
			s = quoteIdent(textOf(c, ts[argIdx+1], d))
		case 'L':
			if d == nil {
				s = "NULL"
			} else {
				s = quoteLiteral(textOf(c, ts[argIdx+1], d))
			}
		}
		if n := width - len([]rune(s)); n > 0 {
			if left {
				s += strings.Repeat(" ", n)
			} else {
				s = strings.Repeat(" ", n) + s
			}
		}
		b.WriteString(s)
	}
	return b.String(), nil
}

func registerQuoting() {
	T := types.Text
	register("quote_ident", ov(T, txt(func(s string) types.Datum { return quoteIdent(s) }), T))
	register("quote_literal", ov(T, txt(func(s string) types.Datum { return quoteLiteral(s) }), T),
		&Overload{Args: []types.T{anyElement}, Return: T, Bind: func(ts []types.T) Fn {
			return func(c *Context, a []types.Datum) (types.Datum, error) {
				return quoteLiteral(textOf(c, ts[0], a[0])), nil
			}
		}})
	register("quote_nullable", &Overload{Args: []types.T{anyElement}, Return: T, CalledOnNull: true, Bind: func(ts []types.T) Fn {
		return func(c *Context, a []types.Datum) (types.Datum, error) {
			if a[0] == nil {
				return "NULL", nil
			}
			return quoteLiteral(textOf(c, ts[0], a[0])), nil
		}
	}})
	register("format",
		&Overload{Args: []types.T{T}, Return: T, Fn: func(c *Context, a []types.Datum) (types.Datum, error) {
			return format(c, []types.T{T}, a[0].(string), nil)
		}},
		&Overload{Args: []types.T{T, types.Any}, Variadic: true, Return: T, CalledOnNull: true, Bind: func(ts []types.T) Fn {
			return func(c *Context, a []types.Datum) (types.Datum, error) {
				if a[0] == nil {
					return nil, nil
				}
				return format(c, ts, a[0].(string), a[1:])
			}
		}})
	register("concat", &Overload{Args: []types.T{types.Any}, Variadic: true, Return: T, CalledOnNull: true, Bind: func(ts []types.T) Fn {
		return func(c *Context, a []types.Datum) (types.Datum, error) {
			var b strings.Builder
			for i, d := range a {
				if d != nil {
					b.WriteString(textOf(c, ts[i], d))
				}
			}
			return b.String(), nil
		}
	}})
	register("concat_ws", &Overload{Args: []types.T{T, types.Any}, Variadic: true, Return: T, CalledOnNull: true, Bind: func(ts []types.T) Fn {
		return func(c *Context, a []types.Datum) (types.Datum, error) {
			if a[0] == nil {
				return nil, nil
			}
			var parts []string
			for i, d := range a[1:] {
				if d != nil {
					parts = append(parts, textOf(c, ts[i+1], d))
				}
			}
			return strings.Join(parts, a[0].(string)), nil
		}
	}})
	// || on strings; a non-string operand is printed with its output
	// function (textanycat, anytextcat).
	registerBin("||", ov(T, func(_ *Context, a []types.Datum) (types.Datum, error) {
		return a[0].(string) + a[1].(string), nil
	}, T, T))
	registerBin("||", &Overload{Args: []types.T{T, anyNonArray}, Return: T, Bind: func(ts []types.T) Fn {
		return func(c *Context, a []types.Datum) (types.Datum, error) {
			return a[0].(string) + castText(c, ts[1], a[1]), nil
		}
	}})
	registerBin("||", &Overload{Args: []types.T{anyNonArray, T}, Return: T, Bind: func(ts []types.T) Fn {
		return func(c *Context, a []types.Datum) (types.Datum, error) {
			return castText(c, ts[0], a[0]) + a[1].(string), nil
		}
	}})
	registerBin("||", ov(types.Bytea, func(_ *Context, a []types.Datum) (types.Datum, error) {
		x, y := a[0].([]byte), a[1].([]byte)
		return append(append(make([]byte, 0, len(x)+len(y)), x...), y...), nil
	}, types.Bytea, types.Bytea))
}
