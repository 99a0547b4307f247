package sql

import (
	"time"

	"github.com/cockroachdb/apd/v3"
	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/quorumdb/quorumdb/sql/builtins"
	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// buildRangeFunction plans a set-returning function in FROM:
// generate_series, unnest, regexp_split_to_table and regexp_matches.
func (b *builder) buildRangeFunction(rf *pg_query.RangeFunction, parent *scope) (fromItem, error) {
	if rf.IsRowsfrom || len(rf.Functions) != 1 {
		return fromItem{}, unsupported("this form of function in FROM")
	}
	fc := rf.Functions[0].GetList().GetItems()[0].GetFuncCall()
	if fc == nil {
		return fromItem{}, unsupported("this function in FROM")
	}
	_, name := funcName(fc.Funcname)
	s := &scope{parent: parent}
	args := make([]expr, len(fc.Args))
	for i, a := range fc.Args {
		e, err := b.buildExpr(a, s)
		if err != nil {
			return fromItem{}, err
		}
		args[i] = e
	}
	var col resultCol
	var gen func(ec *execCtx, vals []types.Datum) ([]row, error)
	switch name {
	case "generate_series":
		if len(args) < 2 || len(args) > 3 {
			return fromItem{}, pgerror.New(pgerror.UndefinedFunction, "function generate_series with %d arguments does not exist", len(args))
		}
		ts := []types.T{args[0].typ(), args[1].typ()}
		t, err := commonType(ts, "generate_series")
		if err != nil {
			return fromItem{}, err
		}
		if t.Family == types.IntFamily && t.Oid == types.OidInt2 {
			t = types.Int4
		}
		switch t.Family {
		case types.IntFamily, types.DecimalFamily:
		case types.TimestampFamily, types.TimestampTZFamily, types.DateFamily:
			if t.Family == types.DateFamily {
				t = types.TimestampTZ
			}
		default:
			t = types.Int4
		}
		for i := 0; i < 2; i++ {
			if args[i], err = b.coerce(args[i], t, name); err != nil {
				return fromItem{}, err
			}
		}
		if len(args) == 3 {
			st := t
			if t.Family == types.TimestampFamily || t.Family == types.TimestampTZFamily {
				st = types.IntervalT
			}
			if args[2], err = b.coerce(args[2], st, name); err != nil {
				return fromItem{}, err
			}
		}
		col = resultCol{name: "generate_series", t: t}
		gen = func(ec *execCtx, v []types.Datum) ([]row, error) { return generateSeries(ec, t, v) }
	case "unnest":
		if len(args) != 1 {
			return fromItem{}, unsupported("unnest with several arrays")
		}
		at := args[0].typ()
		if at.Family != types.ArrayFamily {
			return fromItem{}, pgerror.New(pgerror.UndefinedFunction, "function unnest(%s) does not exist", types.TypeName(at))
		}
		col = resultCol{name: "unnest", t: *at.Elem}
		gen = func(ec *execCtx, v []types.Datum) ([]row, error) {
			var out []row
			for _, e := range v[0].(*types.Array).Elems {
				out = append(out, row{e})
			}
			return out, nil
		}
	case "regexp_split_to_table", "regexp_matches":
		if len(args) < 2 || len(args) > 3 {
			return fromItem{}, pgerror.New(pgerror.UndefinedFunction, "function %s with %d arguments does not exist", name, len(args))
		}
		for i := range args {
			var err error
			if args[i], err = b.coerce(args[i], types.Text, name); err != nil {
				return fromItem{}, err
			}
		}
		gen = regexpRows(name)
		col = resultCol{name: name, t: types.Text}
		if name == "regexp_matches" {
			col.t = types.ArrayOf(types.Text)
		}
	case "pg_partition_ancestors":
		// Tables are never partitioned: a relation is its own only
		// ancestor (psql's \d asks this when listing foreign keys).
		if len(args) != 1 {
			return fromItem{}, pgerror.New(pgerror.UndefinedFunction, "function pg_partition_ancestors does not exist")
		}
		var err error
		if args[0], err = b.regclassExpr(args[0]); err != nil {
			return fromItem{}, err
		}
		col = resultCol{name: "relid", t: types.Regclass}
		gen = func(ec *execCtx, v []types.Datum) ([]row, error) { return []row{{v[0]}}, nil }
	default:
		return fromItem{}, pgerror.New(pgerror.FeatureNotSupported, "function %s in FROM is not supported", name)
	}
	cols := []resultCol{col}
	if rf.Ordinality {
		cols = append(cols, resultCol{name: "ordinality", t: types.Int8})
	}
	p := &rowsNode{cols: cols, args: args, gen: func(ec *execCtx) ([]row, error) {
		vals := make([]types.Datum, len(args))
		for i, a := range args {
			d, err := a.eval(ec, nil)
			if err != nil {
				return nil, err
			}
			if d == nil {
				return nil, nil
			}
			vals[i] = d
		}
		rows, err := gen(ec, vals)
		if err != nil || !rf.Ordinality {
			return rows, err
		}
		for i := range rows {
			rows[i] = append(rows[i], int64(i+1))
		}
		return rows, nil
	}}
	alias := name
	var colNames []*pg_query.Node
	if rf.Alias != nil {
		alias, colNames = rf.Alias.Aliasname, rf.Alias.Colnames
		if len(colNames) == 0 {
			// A function's single column takes the alias as its name.
			p.cols[0].name = alias
		}
	}
	it := aliasItem(fromItem{plan: p, cols: p.cols}, alias, colNames)
	return it, nil
}

// regexpRows generates regexp_split_to_table's pieces or
// regexp_matches's arrays.
func regexpRows(name string) func(ec *execCtx, v []types.Datum) ([]row, error) {
	return func(ec *execCtx, v []types.Datum) ([]row, error) {
		flags := ""
		if len(v) == 3 {
			flags = v[2].(string)
		}
		var out []row
		if name == "regexp_matches" {
			ms, err := builtins.RegexpMatches(v[0].(string), v[1].(string), flags)
			for _, m := range ms {
				out = append(out, row{m})
			}
			return out, err
		}
		parts, err := builtins.RegexpSplit(v[0].(string), v[1].(string), flags)
		for _, p := range parts {
			out = append(out, row{p})
		}
		return out, err
	}
}

// maxSeriesRows bounds generate_series so a typo cannot exhaust memory.
const maxSeriesRows = 50_000_000

func generateSeries(ec *execCtx, t types.T, v []types.Datum) ([]row, error) {
	var out []row
	switch t.Family {
	case types.IntFamily:
		start, stop, step := v[0].(int64), v[1].(int64), int64(1)
		if len(v) == 3 {
			step = v[2].(int64)
		}
		if step == 0 {
			return nil, pgerror.New(pgerror.InvalidParameterValue, "step size cannot equal zero")
		}
		for i := start; (step > 0 && i <= stop) || (step < 0 && i >= stop); i += step {
			if len(out) >= maxSeriesRows {
				return nil, pgerror.New(pgerror.ProgramLimitExceeded, "generate_series would return more than %d rows", maxSeriesRows)
			}
			if len(out)%4096 == 0 && ec.ctx.Err() != nil {
				return nil, ec.ctx.Err()
			}
			out = append(out, row{i})
			if (step > 0 && i > stop-step) || (step < 0 && i < stop-step) {
				break
			}
		}
	case types.DecimalFamily:
		start, stop := v[0].(*apd.Decimal), v[1].(*apd.Decimal)
		step := apd.New(1, 0)
		if len(v) == 3 {
			step = v[2].(*apd.Decimal)
		}
		if step.IsZero() {
			return nil, pgerror.New(pgerror.InvalidParameterValue, "step size cannot equal zero")
		}
		cur := new(apd.Decimal).Set(start)
		for (step.Sign() > 0 && cur.Cmp(stop) <= 0) || (step.Sign() < 0 && cur.Cmp(stop) >= 0) {
			if len(out) >= maxSeriesRows {
				return nil, pgerror.New(pgerror.ProgramLimitExceeded, "generate_series would return more than %d rows", maxSeriesRows)
			}
			out = append(out, row{new(apd.Decimal).Set(cur)})
			next := new(apd.Decimal)
			if _, err := apd.BaseContext.Add(next, cur, step); err != nil {
				return nil, err
			}
			cur = next
		}
	default:
		start, stop := v[0].(time.Time), v[1].(time.Time)
		if len(v) < 3 {
			return nil, pgerror.New(pgerror.UndefinedFunction, "function generate_series(timestamp, timestamp) does not exist")
		}
		step := v[2].(types.Interval)
		if step.Months == 0 && step.Days == 0 && step.Micros == 0 {
			return nil, pgerror.New(pgerror.InvalidParameterValue, "step size cannot equal zero")
		}
		forward := step.Months > 0 || step.Days > 0 || step.Micros > 0
		for cur := start; (forward && !cur.After(stop)) || (!forward && !cur.Before(stop)); {
			if len(out) >= maxSeriesRows {
				return nil, pgerror.New(pgerror.ProgramLimitExceeded, "generate_series would return more than %d rows", maxSeriesRows)
			}
			out = append(out, row{cur})
			cur = cur.AddDate(0, int(step.Months), int(step.Days)).Add(time.Duration(step.Micros) * time.Microsecond)
		}
	}
	return out, nil
}
