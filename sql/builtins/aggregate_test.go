package builtins

import (
	"testing"

	"github.com/quorumdb/quorumdb/sql/types"
)

// agg runs aggregate name over rows (each row one value per argument),
// skipping rows with a NULL argument unless the aggregate counts them,
// as the executor does.
func agg(t *testing.T, name string, rows ...[]string) string {
	t.Helper()
	var ts []types.T
	var data [][]val
	for _, r := range rows {
		var vs []val
		for _, s := range r {
			vs = append(vs, parseVal(t, s))
		}
		data = append(data, vs)
		if ts == nil {
			for _, v := range vs {
				ts = append(ts, v.t)
			}
		}
	}
	a, casts, err := ResolveAggregate(name, ts)
	if err != nil {
		return errText(err)
	}
	final := finalTypes(casts, ts)
	acc := a.New()
	c := testCtx()
	for _, vs := range data {
		args := make([]types.Datum, len(vs))
		null := false
		for i, v := range vs {
			d, err := types.Cast(v.d, v.t, final[i], false, testSettings())
			if err != nil {
				return errText(err)
			}
			args[i] = d
			null = null || d == nil
		}
		if null && !a.CountsNulls {
			continue
		}
		if err := acc.Add(c, args); err != nil {
			return errText(err)
		}
	}
	d, err := acc.Result(c)
	if err != nil {
		return errText(err)
	}
	if d == nil {
		return "NULL"
	}
	rt := a.Return
	if a.ReturnFn != nil {
		rt = a.ReturnFn(final)
	}
	return types.FormatText(rt, d, testSettings())
}

func rows(vals ...string) [][]string {
	out := make([][]string, len(vals))
	for i, v := range vals {
		out[i] = []string{v}
	}
	return out
}

func TestAggregates(t *testing.T) {
	ints := rows("1::int4", "2::int4", "4::int4")
	nums := rows("1.5::numeric", "2.5::numeric", "3::numeric")
	floats := rows("1.5::float8", "2::float8", "4::float8")
	texts := rows("'a'::text", "NULL::text", "'b'::text")
	check(t, []evalCase{
		{agg(t, "sum", ints...), "7"},
		{agg(t, "avg", ints...), "2.3333333333333333"},
		{agg(t, "sum", nums...), "7.0"},
		{agg(t, "avg", nums...), "2.3333333333333333"},
		{agg(t, "variance", ints...), "2.3333333333333333"},
		{agg(t, "var_pop", ints...), "1.5555555555555556"},
		{agg(t, "stddev_pop", nums...), "0.62360956446232356426"},
		{agg(t, "stddev", nums...), "0.76376261582597333443"},
		{agg(t, "variance", nums...), "0.58333333333333333333"},
		{agg(t, "stddev", floats...), "1.3228756555322954"},
		{agg(t, "variance", floats...), "1.75"},
		{agg(t, "avg", floats...), "2.5"},
		{agg(t, "stddev", rows("1::int4", "1::int4")...), "0"},
		{agg(t, "stddev", rows("1::int4")...), "NULL"},
		{agg(t, "sum"), "ERROR 42883: function sum() does not exist"},
		{agg(t, "count"), "0"},
		{agg(t, "count", texts...), "2"},
		{agg(t, "string_agg", [][]string{{"'a'::text", "','"}, {"NULL::text", "','"}, {"'b'::text", "','"}}...), "a,b"},
		{agg(t, "string_agg", [][]string{{"'a'::text", "NULL::text"}, {"'b'::text", "NULL::text"}}...), "ab"},
		{agg(t, "array_agg", texts...), "{a,NULL,b}"},
		{agg(t, "json_agg", rows("1::int4", "NULL::int4")...), "[1, null]"},
		{agg(t, "jsonb_agg", rows("1::int4", "NULL::int4")...), "[1, null]"},
		{agg(t, "max", texts...), "b"},
		{agg(t, "min", ints...), "1"},
		{agg(t, "max", rows("'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid")...), "ERROR 42883: function max(uuid) does not exist"},
		{agg(t, "bool_and", rows("true::bool", "false::bool")...), "f"},
		{agg(t, "bool_or", rows("true::bool", "false::bool")...), "t"},
		{agg(t, "sum", rows("9223372036854775807::int8", "1::int8")...), "9223372036854775808"},
		{agg(t, "sum", rows("1.5::float4", "2::float4")...), "3.5"},
		{agg(t, "sum", rows("'1 day'::interval", "'2 hours'::interval")...), "1 day 02:00:00"},
	})
	// No rows: sum is NULL, count 0.
	a, _, _ := ResolveAggregate("sum", []types.T{types.Int4})
	if d, _ := a.New().Result(testCtx()); d != nil {
		t.Errorf("sum of no rows: %v", d)
	}
}
