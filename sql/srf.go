package sql

import (
	"slices"
	"time"

	"github.com/cockroachdb/apd/v3"
	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/quorumdb/quorumdb/sql/builtins"
	"github.com/quorumdb/quorumdb/sql/exec"
	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// srfDef is a set-returning function resolved against its arguments:
// the columns of each row it produces and how to produce them.
type srfDef struct {
	name string
	cols []exec.Column
	args []exec.Expr
	gen  func(ec *exec.Ctx, vals []types.Datum) ([]exec.Row, error)
	// stream, when set, produces the rows one at a time: a function in
	// FROM whose rows may be far more than fit in memory
	// (generate_series) hands them on as they are made, as PostgreSQL
	// does. gen is then derived from it, for the callers that need all
	// rows at once (a select-list call).
	stream func(ec *exec.Ctx, vals []types.Datum) (exec.Iter, error)
	// outNamed: the single column is named by the function's OUT
	// parameter (json_array_elements' value), which a table alias does
	// not rename, as in PostgreSQL.
	outNamed bool
	// calledOnNull: gen also sees NULL arguments (the others are strict:
	// a NULL argument yields no rows).
	calledOnNull bool
}

// rows evaluates the arguments on r and produces the function's rows.
// Every supported function is strict: a NULL argument yields no rows.
func (d *srfDef) rows(ec *exec.Ctx, r exec.Row) ([]exec.Row, error) {
	vals := make([]types.Datum, len(d.args))
	for i, a := range d.args {
		v, err := a.Eval(ec, r)
		if err != nil {
			return nil, err
		}
		if v == nil && !d.calledOnNull {
			return nil, nil
		}
		vals[i] = v
	}
	return d.gen(ec, vals)
}

// iter is rows as an iterator: streamed when the function can.
func (d *srfDef) iter(ec *exec.Ctx, r exec.Row) (exec.Iter, error) {
	if d.stream == nil {
		rows, err := d.rows(ec, r)
		if err != nil {
			return nil, err
		}
		return &exec.SliceIter{Rows: rows}, nil
	}
	vals := make([]types.Datum, len(d.args))
	for i, a := range d.args {
		v, err := a.Eval(ec, r)
		if err != nil {
			return nil, err
		}
		if v == nil && !d.calledOnNull {
			return &exec.SliceIter{}, nil
		}
		vals[i] = v
	}
	return d.stream(ec, vals)
}

// resultType is the type of one produced row seen as a single value: the
// column's type, or a record of the named columns.
func (d *srfDef) resultType() types.T {
	if len(d.cols) == 1 {
		return d.cols[0].T
	}
	names := make([]string, len(d.cols))
	ts := make([]types.T, len(d.cols))
	for i, c := range d.cols {
		names[i], ts[i] = c.Name, c.T
	}
	return types.RecordOf(names, ts)
}

// setReturningFuncs are the functions resolveSRF knows; a call to one of
// them anywhere but FROM or a select list is an error.
var setReturningFuncs = map[string]bool{
	"generate_series": true, "unnest": true, "generate_subscripts": true, "regexp_split_to_table": true, "regexp_matches": true,
	"pg_partition_ancestors": true, "_pg_expandarray": true, "pg_options_to_table": true,
	"json_array_elements": true, "json_array_elements_text": true, "jsonb_array_elements": true, "jsonb_array_elements_text": true,
	"json_each": true, "json_each_text": true, "jsonb_each": true, "jsonb_each_text": true,
	"json_object_keys": true, "jsonb_object_keys": true,
	"json_populate_recordset": true, "jsonb_populate_recordset": true,
}

// buildRangeFunction plans a set-returning function in FROM.
func (b *builder) buildRangeFunction(rf *pg_query.RangeFunction, parent *scope) (fromItem, error) {
	if rf.IsRowsfrom || len(rf.Functions) != 1 {
		return fromItem{}, unsupported("this form of function in FROM")
	}
	fc := rf.Functions[0].GetList().GetItems()[0].GetFuncCall()
	if fc == nil {
		return fromItem{}, unsupported("this function in FROM")
	}
	schema, name := funcName(fc.Funcname)
	if !setReturningFuncs[name] {
		if it, found, err := b.buildUserRangeFunction(rf, fc, parent); found || err != nil {
			return it, err
		}
	}

	s := &scope{parent: parent}
	args := make([]exec.Expr, len(fc.Args))
	for i, a := range fc.Args {
		e, err := b.buildExpr(a, s)
		if err != nil {
			return fromItem{}, err
		}
		args[i] = e
	}
	if schema != "" && schema != "pg_catalog" && schema != "information_schema" {
		// Only user functions live outside the system schemas.
		ts := make([]types.T, len(args))
		for i, a := range args {
			ts[i] = a.Typ()
		}
		return fromItem{}, pgerror.New(pgerror.UndefinedFunction, "function %s does not exist", signature(schema+"."+name, ts)).
			WithHint("No function matches the given name and argument types. You might need to add explicit type casts.").
			WithPosition(int(fc.Location) + 1)
	}
	if jsonpathFuncs[name] {
		return fromItem{}, errJSONPath("function " + name).WithPosition(int(fc.Location) + 1)
	}
	if jsonToRecordFuncs[name] {
		return b.jsonToRecordFunction(rf, fc, name, args)
	}
	if jsonPopulateFuncs[name] {
		return b.jsonPopulateFunction(rf, fc, name, args)
	}
	if !setReturningFuncs[name] {
		return b.scalarRangeFunction(rf, fc, name, args)
	}
	def, err := b.resolveSRF(name, args)
	if err != nil {
		return fromItem{}, err
	}
	return srfFromItem(rf, name, def, false), nil
}

// scalarRangeFunction is a builtin scalar function in FROM
// (FROM repeat('x', 3) s): one row holding its value, in a column named
// by the function or the alias. The functions that return records or
// need a column definition list (json_to_record) are not supported.
func (b *builder) scalarRangeFunction(rf *pg_query.RangeFunction, fc *pg_query.FuncCall, name string, args []exec.Expr) (fromItem, error) {
	if len(rf.Coldeflist) > 0 || fc.AggStar || len(fc.AggOrder) > 0 || fc.AggFilter != nil || fc.FuncVariadic || builtins.IsAggregate(name) {
		return fromItem{}, pgerror.New(pgerror.FeatureNotSupported, "function %s in FROM is not supported", name)
	}
	e, err := b.callBuiltin(name, args)
	if err != nil {
		if pe, ok := pgerror.As(err); ok && pe.Position == 0 {
			pe.Position = int(fc.Location) + 1
		}
		return fromItem{}, err
	}
	if e.Typ().Family == types.RecordFamily {
		return fromItem{}, pgerror.New(pgerror.FeatureNotSupported, "function %s in FROM is not supported", name)
	}
	def := &srfDef{name: name, args: []exec.Expr{e}, cols: []exec.Column{{Name: name, T: e.Typ()}},
		gen: func(_ *exec.Ctx, v []types.Datum) ([]exec.Row, error) { return []exec.Row{{v[0]}}, nil }}
	// A NULL value is the one row's NULL, not an empty result.
	return srfFromItem(rf, name, def, true), nil
}

// srfFromItem is the FROM item of a set-returning call: def's rows, with
// WITH ORDINALITY's counter, under the call's alias (a single column
// takes the alias as its name). oneRowOnNull gives a scalar function in
// FROM its one NULL row when def produced none (a NULL argument).
func srfFromItem(rf *pg_query.RangeFunction, name string, def *srfDef, oneRowOnNull bool) fromItem {
	cols := append([]exec.Column(nil), def.cols...)
	if rf.Ordinality {
		cols = append(cols, exec.Column{Name: "ordinality", T: types.Int8})
	}
	if def.stream != nil && !oneRowOnNull {
		p := &rowsNode{cols: cols, args: def.args, iter: func(ec *execCtx) (exec.Iter, error) {
			it, err := def.iter(ec.Ctx, nil)
			if err != nil || !rf.Ordinality {
				return it, err
			}
			n := int64(0)
			return &exec.FuncIter{Fn: func() (exec.Row, error) {
				r, err := it.Next()
				if r == nil || err != nil {
					return r, err
				}
				n++
				return append(r, n), nil
			}, CloseFn: it.Close}, nil
		}}
		return srfAlias(rf, name, def, p)
	}
	p := &rowsNode{cols: cols, args: def.args, gen: func(ec *execCtx) ([]exec.Row, error) {
		rows, err := def.rows(ec.Ctx, nil)
		if err != nil {
			return nil, err
		}
		if rows == nil && oneRowOnNull {
			rows = []exec.Row{make(exec.Row, len(def.cols))}
		}
		if rf.Ordinality {
			for i := range rows {
				rows[i] = append(rows[i], int64(i+1))
			}
		}
		return rows, nil
	}}
	return srfAlias(rf, name, def, p)
}

// srfAlias names a function-in-FROM item by its alias.
func srfAlias(rf *pg_query.RangeFunction, name string, def *srfDef, p *rowsNode) fromItem {
	alias := name
	var colNames []*pg_query.Node
	if rf.Alias != nil {
		alias, colNames = rf.Alias.Aliasname, rf.Alias.Colnames
		if len(colNames) == 0 && len(def.cols) == 1 && !def.outNamed {
			p.cols[0].Name = alias
		}
	}
	return aliasItem(fromItem{plan: p, cols: p.cols}, alias, colNames)
}

// resolveSRF types a set-returning function's arguments and picks its
// row generator.
func (b *builder) resolveSRF(name string, args []exec.Expr) (*srfDef, error) {
	def := &srfDef{name: name, args: args}
	switch name {
	case "generate_series":
		if len(args) < 2 || len(args) > 3 {
			return nil, pgerror.New(pgerror.UndefinedFunction, "function generate_series with %d arguments does not exist", len(args))
		}
		ts := []types.T{args[0].Typ(), args[1].Typ()}
		t, err := commonType(ts, "generate_series")
		if err != nil {
			return nil, err
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
				return nil, err
			}
		}
		if len(args) == 3 {
			st := t
			if t.Family == types.TimestampFamily || t.Family == types.TimestampTZFamily {
				st = types.IntervalT
			}
			if args[2], err = b.coerce(args[2], st, name); err != nil {
				return nil, err
			}
		}
		def.cols = []exec.Column{{Name: "generate_series", T: t}}
		def.gen = func(ec *exec.Ctx, v []types.Datum) ([]exec.Row, error) { return generateSeries(ec, t, v) }
		def.stream = func(ec *exec.Ctx, v []types.Datum) (exec.Iter, error) { return seriesIter(ec, t, v) }
	case "unnest":
		// unnest(a, b, ...) (FROM only, see buildSRFCall) zips its
		// arrays, padding the shorter ones with NULL.
		if len(args) == 0 {
			return nil, builtins.NoFunctionError(name, nil)
		}
		for i, a := range args {
			if c, ok := a.(*exec.ConstExpr); ok && c.T.Family == types.UnknownFamily {
				return nil, pgerror.New(pgerror.AmbiguousFunction, "function unnest(unknown) is not unique").
					WithHint("Could not choose a best candidate function. You might need to add explicit type casts.")
			}
			at := a.Typ()
			if at.Family != types.ArrayFamily || at.Elem == nil {
				return nil, builtins.NoFunctionError(name, argTypesOf(args))
			}
			def.cols = append(def.cols, exec.Column{Name: "unnest", T: *at.Elem})
			_ = i
		}
		def.gen = func(ec *exec.Ctx, v []types.Datum) ([]exec.Row, error) {
			n := 0
			for _, a := range v {
				n = max(n, len(a.(*types.Array).Elems))
			}
			out := make([]exec.Row, n)
			for i := range out {
				r := make(exec.Row, len(v))
				for j, a := range v {
					if elems := a.(*types.Array).Elems; i < len(elems) {
						r[j] = elems[i]
					}
				}
				out[i] = r
			}
			return out, nil
		}
	case "generate_subscripts":
		// generate_subscripts(array, dim [, reverse]): the subscripts of
		// the array's dimension dim; int2vector and oidvector count from
		// 0, as in PostgreSQL (SQLAlchemy's key reflection).
		if len(args) < 2 || len(args) > 3 || args[0].Typ().Family != types.ArrayFamily {
			return nil, builtins.NoFunctionError(name, argTypesOf(args))
		}
		var err error
		if args[1], err = b.coerce(args[1], types.Int4, name); err != nil {
			return nil, err
		}
		if len(args) == 3 {
			if args[2], err = b.coerce(args[2], types.Bool, name); err != nil {
				return nil, err
			}
		}
		lower := int64(1)
		if oid := args[0].Typ().Oid; oid == types.OidInt2Vector || oid == types.OidOidVector {
			lower = 0
		}
		def.cols = []exec.Column{{Name: "generate_subscripts", T: types.Int4}}
		def.gen = func(ec *exec.Ctx, v []types.Datum) ([]exec.Row, error) {
			n := int64(len(v[0].(*types.Array).Elems))
			if v[1].(int64) != 1 || n == 0 {
				return nil, nil
			}
			out := make([]exec.Row, n)
			for i := range out {
				out[i] = exec.Row{lower + int64(i)}
			}
			if len(v) == 3 && v[2] == true {
				slices.Reverse(out)
			}
			return out, nil
		}
	case "_pg_expandarray":
		// information_schema._pg_expandarray(anyarray): each element with
		// its 1-based position, as PgJDBC's key-column queries use it.
		if len(args) != 1 || args[0].Typ().Family != types.ArrayFamily || args[0].Typ().Elem == nil {
			return nil, pgerror.New(pgerror.UndefinedFunction, "function _pg_expandarray does not exist").
				WithHint("No function matches the given name and argument types. You might need to add explicit type casts.")
		}
		def.cols = []exec.Column{{Name: "x", T: *args[0].Typ().Elem}, {Name: "n", T: types.Int4}}
		def.gen = func(ec *exec.Ctx, v []types.Datum) ([]exec.Row, error) {
			elems := v[0].(*types.Array).Elems
			out := make([]exec.Row, len(elems))
			for i, e := range elems {
				out[i] = exec.Row{e, int64(i + 1)}
			}
			return out, nil
		}
	case "regexp_split_to_table", "regexp_matches":
		if len(args) < 2 || len(args) > 3 {
			return nil, pgerror.New(pgerror.UndefinedFunction, "function %s with %d arguments does not exist", name, len(args))
		}
		for i := range args {
			var err error
			if args[i], err = b.coerce(args[i], types.Text, name); err != nil {
				return nil, err
			}
		}
		def.gen = regexpRows(name)
		def.cols = []exec.Column{{Name: name, T: types.Text}}
		if name == "regexp_matches" {
			def.cols[0].T = types.ArrayOf(types.Text)
		}
	case "pg_options_to_table":
		if err := b.resolveOptionsToTable(def); err != nil {
			return nil, err
		}
	case "pg_partition_ancestors":
		// Tables are never partitioned: a relation is its own only
		// ancestor (psql's \d asks this when listing foreign keys).
		if len(args) != 1 {
			return nil, pgerror.New(pgerror.UndefinedFunction, "function pg_partition_ancestors does not exist")
		}
		var err error
		if args[0], err = b.regclassExpr(args[0]); err != nil {
			return nil, err
		}
		def.cols = []exec.Column{{Name: "relid", T: types.Regclass}}
		def.gen = func(ec *exec.Ctx, v []types.Datum) ([]exec.Row, error) { return []exec.Row{{v[0]}}, nil }
	default:
		if err := b.resolveJSONSRF(def); err != nil {
			return nil, err
		}
	}
	return def, nil
}

// regexpRows generates regexp_split_to_table's pieces or
// regexp_matches's arrays.
func regexpRows(name string) func(ec *exec.Ctx, v []types.Datum) ([]exec.Row, error) {
	return func(ec *exec.Ctx, v []types.Datum) ([]exec.Row, error) {
		flags := ""
		if len(v) == 3 {
			flags = v[2].(string)
		}
		var out []exec.Row
		if name == "regexp_matches" {
			ms, err := builtins.RegexpMatches(v[0].(string), v[1].(string), flags)
			for _, m := range ms {
				out = append(out, exec.Row{m})
			}
			return out, err
		}
		parts, err := builtins.RegexpSplit(v[0].(string), v[1].(string), flags)
		for _, p := range parts {
			out = append(out, exec.Row{p})
		}
		return out, err
	}
}

// maxSeriesRows bounds generate_series in a select list, whose rows are
// gathered before they are used, so a typo cannot exhaust memory. In FROM
// the rows stream and nothing bounds them but statement_timeout.
const maxSeriesRows = 50_000_000

// generateSeries gathers a series (a select-list call).
func generateSeries(ec *exec.Ctx, t types.T, v []types.Datum) ([]exec.Row, error) {
	it, err := seriesIter(ec, t, v)
	if err != nil {
		return nil, err
	}
	var out []exec.Row
	for {
		r, err := it.Next()
		if r == nil || err != nil {
			return out, err
		}
		if len(out) >= maxSeriesRows {
			return nil, pgerror.New(pgerror.ProgramLimitExceeded, "generate_series would return more than %d rows", maxSeriesRows)
		}
		out = append(out, r)
	}
}

// seriesIter produces generate_series' rows one at a time, checking for
// cancellation and statement_timeout every few thousand rows.
func seriesIter(ec *exec.Ctx, t types.T, v []types.Datum) (exec.Iter, error) {
	var next func() (types.Datum, bool, error)
	switch t.Family {
	case types.IntFamily:
		start, stop, step := v[0].(int64), v[1].(int64), int64(1)
		if len(v) == 3 {
			step = v[2].(int64)
		}
		if step == 0 {
			return nil, pgerror.New(pgerror.InvalidParameterValue, "step size cannot equal zero")
		}
		cur, done := start, (step > 0 && start > stop) || (step < 0 && start < stop)
		next = func() (types.Datum, bool, error) {
			if done {
				return nil, false, nil
			}
			v := cur
			// Stop before the addition could overflow.
			done = (step > 0 && cur > stop-step) || (step < 0 && cur < stop-step)
			cur += step
			return v, true, nil
		}
	case types.DecimalFamily:
		start, stop := v[0].(*apd.Decimal), v[1].(*apd.Decimal)
		step := apd.New(1, 0)
		if len(v) == 3 {
			step = v[2].(*apd.Decimal)
		}
		// numeric.c's generate_series_step_numeric checks, in its order.
		for _, c := range []struct {
			d    *apd.Decimal
			what string
		}{{start, "start value"}, {stop, "stop value"}, {step, "step size"}} {
			switch c.d.Form {
			case apd.NaN, apd.NaNSignaling:
				return nil, pgerror.New(pgerror.InvalidParameterValue, "%s cannot be NaN", c.what)
			case apd.Infinite:
				return nil, pgerror.New(pgerror.InvalidParameterValue, "%s cannot be infinity", c.what)
			}
		}
		if step.IsZero() {
			return nil, pgerror.New(pgerror.InvalidParameterValue, "step size cannot equal zero")
		}
		cur := new(apd.Decimal).Set(start)
		next = func() (types.Datum, bool, error) {
			if (step.Sign() > 0 && cur.Cmp(stop) > 0) || (step.Sign() < 0 && cur.Cmp(stop) < 0) {
				return nil, false, nil
			}
			v := cur
			cur = new(apd.Decimal)
			if _, err := apd.BaseContext.Add(cur, v, step); err != nil {
				return nil, false, err
			}
			return v, true, nil
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
		cur := start
		next = func() (types.Datum, bool, error) {
			if (forward && cur.After(stop)) || (!forward && cur.Before(stop)) {
				return nil, false, nil
			}
			v := cur
			cur = cur.AddDate(0, int(step.Months), int(step.Days)).Add(time.Duration(step.Micros) * time.Microsecond)
			return v, true, nil
		}
	}
	n := 0
	return &exec.FuncIter{Fn: func() (exec.Row, error) {
		if n++; n%4096 == 0 {
			if err := ec.Context.Err(); err != nil {
				return nil, err
			}
		}
		v, ok, err := next()
		if !ok || err != nil {
			return nil, err
		}
		return exec.Row{v}, nil
	}}, nil
}

// argTypesOf lists the types of args.
func argTypesOf(args []exec.Expr) []types.T {
	ts := make([]types.T, len(args))
	for i, a := range args {
		ts[i] = a.Typ()
	}
	return ts
}
