package builtins

import (
	"testing"

	"github.com/quorumdb/quorumdb/sql/types"
)

func TestResolveBinaryOp(t *testing.T) {
	for _, c := range []struct {
		l, op, r string
		want     string // result type, or the error
	}{
		{"1::int4", "+", "2.5::numeric", "numeric"},
		{"'1'", "+", "1::int4", "integer"},
		{"1::int4", "+", "1::int8", "bigint"},
		{"1::int2", "+", "1::int4", "integer"},
		{"1::int4", "+", "1.5::float8", "double precision"},
		{"1::float4", "*", "1::float4", "real"},
		{"1::numeric", "+", "1::float4", "double precision"},
		{"'a'", "||", "1::int4", "text"},
		{"1::int4", "||", "'a'", "text"},
		{"'a'", "||", "'b'", "text"},
		{"'a'::varchar", "||", "'b'", "text"},
		{"'a'", "||", "'\\x01'::bytea", "bytea"},
		{"'2024-01-01'::date", "-", "'2023-01-01'::date", "integer"},
		{"'2024-01-01'::date", "+", "1::int4", "date"},
		{"'2024-01-01'::date", "+", "'1 day'::interval", "timestamp without time zone"},
		{"'2024-01-01'::timestamptz", "-", "'1 day'", "interval"}, // the literal is read as timestamptz
		{"'2024-01-01'::timestamp", "-", "'2024-01-01'::timestamp", "interval"},
		{"'{\"a\":1}'::jsonb", "->", "'a'", "jsonb"},
		{"'{\"a\":1}'::jsonb", "->>", "0::int4", "text"},
		{"'a'::varchar", "=", "'b'::varchar", "boolean"},
		{"1::int4", "=", "1::numeric", "boolean"},
		{"'a'", "~~", "'b'", "boolean"},
		{"1::int4", "+", "true::bool", "ERROR 42883: operator does not exist: integer + boolean"},
		{"'1'", "+", "'1'", "ERROR 42725: operator is not unique: unknown + unknown"},
		{"'a'::text", "-", "1::int4", "ERROR 42883: operator does not exist: text - integer"},
	} {
		lv, rv := parseVal(t, c.l), parseVal(t, c.r)
		o, _, err := ResolveBinaryOp(c.op, lv.t, rv.t)
		got := ""
		if err != nil {
			got = errText(err)
		} else {
			rt := o.Return
			if o.ReturnFn != nil {
				rt = o.ReturnFn([]types.T{lv.t, rv.t})
			}
			got = types.TypeName(rt)
		}
		if got != c.want {
			t.Errorf("%s %s %s: got %q, want %q", c.l, c.op, c.r, got, c.want)
		}
	}
}

func TestResolveFunc(t *testing.T) {
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"length", []string{"'x'::varchar"}, "integer"},
		{"length", []string{"'x'"}, "integer"},
		{"pg_catalog.lower", []string{"'X'"}, "text"},
		{"round", []string{"1::int4"}, "double precision"},
		{"round", []string{"1.5::numeric", "1::int4"}, "numeric"},
		{"sign", []string{"1::int4"}, "double precision"},
		{"abs", []string{"1::int2"}, "smallint"},
		{"sqrt", []string{"'4'"}, "double precision"},
		{"date_trunc", []string{"'day'", "'2024-01-01'::date"}, "timestamp with time zone"},
		{"date_trunc", []string{"'day'", "'2024-01-01'::timestamp"}, "timestamp without time zone"},
		{"concat", []string{"'a'", "1::int4"}, "text"},
		{"foo", []string{"1::int4"}, "ERROR 42883: function foo(integer) does not exist"},
		{"length", []string{"1::int4"}, "ERROR 42883: function length(integer) does not exist"},
		{"concat", nil, "ERROR 42883: function concat() does not exist"},
	} {
		ts := make([]types.T, len(c.args))
		for i, a := range c.args {
			ts[i] = parseVal(t, a).t
		}
		o, _, err := Resolve(c.name, ts)
		got := ""
		if err != nil {
			got = errText(err)
		} else {
			got = types.TypeName(o.Return)
		}
		if got != c.want {
			t.Errorf("%s%v: got %q, want %q", c.name, c.args, got, c.want)
		}
	}
	if _, _, err := Resolve("foo", []types.T{types.Int4}); err == nil || err.(interface{ Error() string }) == nil {
		t.Fatal("want error")
	}
}

func TestExists(t *testing.T) {
	if !Exists("lower") || !Exists("pg_catalog.upper") || !Exists("count") || Exists("nope") {
		t.Error("Exists")
	}
	if !IsAggregate("sum") || IsAggregate("lower") {
		t.Error("IsAggregate")
	}
}
