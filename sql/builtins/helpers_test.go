package builtins

import (
	"errors"
	"strings"
	"testing"

	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// The tests write values the way psql does: "5::int4", "'a b'::text",
// "NULL::int4"; a quoted value without a cast is an unknown literal and
// NULL alone an unknown NULL. Results are printed with FormatText, and
// errors as "ERROR <SQLSTATE>: <message>", to compare with psql output.

var typeNames = map[string]types.T{
	"int2": types.Int2, "int4": types.Int4, "int8": types.Int8, "numeric": types.Numeric,
	"float4": types.Float4, "float8": types.Float8, "text": types.Text, "varchar": types.Varchar,
	"bpchar": types.BPChar, "name": types.Name, "bool": types.Bool, "date": types.Date,
	"timestamp": types.Timestamp, "timestamptz": types.TimestampTZ, "interval": types.IntervalT,
	"time": types.Time, "jsonb": types.JSONB, "json": types.JSONT, "bytea": types.Bytea, "uuid": types.UUIDT,
	"text[]": types.ArrayOf(types.Text), "int4[]": types.ArrayOf(types.Int4), "int8[]": types.ArrayOf(types.Int8),
}

type val struct {
	t types.T
	d types.Datum
}

func parseVal(tb testing.TB, s string) val {
	tb.Helper()
	if s == "NULL" {
		return val{types.Unknown, nil}
	}
	i := strings.LastIndex(s, "::")
	if i < 0 {
		return val{types.Unknown, strings.Trim(s, "'")}
	}
	t, ok := typeNames[s[i+2:]]
	if !ok {
		tb.Fatalf("unknown type in %q", s)
	}
	body := s[:i]
	if body == "NULL" {
		return val{t, nil}
	}
	body = strings.TrimSuffix(strings.TrimPrefix(body, "'"), "'")
	d, err := types.ParseText(t, body, testSettings())
	if err != nil {
		tb.Fatalf("parse %q: %v", s, err)
	}
	return val{t, d}
}

func testSettings() *types.Settings { return types.DefaultSettings() }

func testCtx() *Context { return &Context{Settings: testSettings()} }

// errText renders an error as psql's verbose first line does.
func errText(err error) string {
	var pe *pgerror.Error
	if errors.As(err, &pe) {
		return "ERROR " + pe.Code + ": " + pe.Message
	}
	return "ERROR ?: " + err.Error()
}

// apply casts the arguments as the planner would and calls the overload.
func apply(tb testing.TB, o *Overload, casts []types.T, vals []val) string {
	tb.Helper()
	args := make([]types.Datum, len(vals))
	ts := make([]types.T, len(vals))
	for i, v := range vals {
		to := casts[i]
		if to.Family == types.AnyFamily {
			to = v.t
			if to.Family == types.UnknownFamily {
				to = types.Text
			}
		}
		d, err := types.Cast(v.d, v.t, to, false, testSettings())
		if err != nil {
			return errText(err)
		}
		args[i], ts[i] = d, to
		if d == nil && !o.CalledOnNull {
			return "NULL"
		}
	}
	ret := o.Return
	if o.ReturnFn != nil {
		ret = o.ReturnFn(ts)
	}
	d, err := o.Fn(testCtx(), args)
	if err != nil {
		return errText(err)
	}
	if d == nil {
		return "NULL"
	}
	return types.FormatText(ret, d, testSettings())
}

// call evaluates name(args...).
func call(tb testing.TB, name string, args ...string) string {
	tb.Helper()
	vals := make([]val, len(args))
	ts := make([]types.T, len(args))
	for i, a := range args {
		vals[i] = parseVal(tb, a)
		ts[i] = vals[i].t
	}
	o, casts, err := Resolve(name, ts)
	if err != nil {
		return errText(err)
	}
	return apply(tb, o, casts, vals)
}

// binop evaluates l op r.
func binop(tb testing.TB, l, op, r string) string {
	tb.Helper()
	lv, rv := parseVal(tb, l), parseVal(tb, r)
	o, casts, err := ResolveBinaryOp(op, lv.t, rv.t)
	if err != nil {
		return errText(err)
	}
	return apply(tb, o, casts, []val{lv, rv})
}

// evalCase is one row of a table test: an expression and psql's answer.
type evalCase struct {
	got  string
	want string
}

func check(t *testing.T, cases []evalCase) {
	t.Helper()
	for i, c := range cases {
		if c.got != c.want {
			t.Errorf("case %d: got %q, want %q", i, c.got, c.want)
		}
	}
}
