package sql

import (
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/quorumdb/quorumdb/sql/builtins"
	"github.com/quorumdb/quorumdb/sql/exec"
	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// jsonToRecordFuncs are the JSON functions in FROM whose columns come
// from the call's column definition list.
var jsonToRecordFuncs = map[string]bool{
	"json_to_record": true, "jsonb_to_record": true, "json_to_recordset": true, "jsonb_to_recordset": true,
}

// jsonToRecordFunction plans json(b)_to_record(set) in FROM: the
// columns are the definition list's (AS x(a int, b text)), filled from
// the object's members of those names. A NULL argument is one row of
// NULLs for _to_record and no rows for _to_recordset, as in PostgreSQL.
func (b *builder) jsonToRecordFunction(rf *pg_query.RangeFunction, fc *pg_query.FuncCall, name string, args []exec.Expr) (fromItem, error) {
	if len(rf.Coldeflist) == 0 {
		return fromItem{}, pgerror.New(pgerror.SyntaxError, "a column definition list is required for functions returning \"record\"").
			WithPosition(int(fc.Location) + 1)
	}
	jt := types.JSONT
	if strings.HasPrefix(name, "jsonb") {
		jt = types.JSONB
	}
	if len(args) != 1 {
		return fromItem{}, builtins.NoFunctionError(name, argTypesOf(args))
	}
	arg, err := b.coerce(args[0], jt, name)
	if err != nil {
		return fromItem{}, err
	}
	def := &srfDef{name: name, args: []exec.Expr{arg}, outNamed: true}
	names, ts, err := b.columnDefinitionList(rf)
	if err != nil {
		return fromItem{}, err
	}
	for i, n := range names {
		def.cols = append(def.cols, exec.Column{Name: n, T: ts[i]})
	}
	set := strings.HasSuffix(name, "recordset")
	def.gen = func(ec *exec.Ctx, v []types.Datum) ([]exec.Row, error) {
		doc := string(v[0].(types.JSON))
		objs := []string{doc}
		if set {
			var err error
			if objs, err = builtins.JSONRecordObjects(doc, name); err != nil {
				return nil, err
			}
		}
		rows := make([]exec.Row, len(objs))
		for i, o := range objs {
			vals, err := builtins.JSONRecordValues(ec.BuiltinCtx(), o, names, ts, nil)
			if err != nil {
				return nil, err
			}
			rows[i] = vals
		}
		return rows, nil
	}
	return srfFromItem(rf, name, def, !set), nil
}

// jsonPopulateFuncs are json(b)_populate_record(set), planned in FROM
// by jsonPopulateFunction.
var jsonPopulateFuncs = map[string]bool{
	"json_populate_record": true, "jsonb_populate_record": true,
	"json_populate_recordset": true, "jsonb_populate_recordset": true,
}

// populateArgs coerces json(b)_populate_record(set)'s arguments: a
// record (its row type says the members' names and types) and the
// document.
func (b *builder) populateArgs(name string, args []exec.Expr) ([]exec.Expr, error) {
	if len(args) != 2 {
		return nil, builtins.NoFunctionError(name, argTypesOf(args))
	}
	if t := args[0].Typ(); t.Family != types.RecordFamily {
		return nil, pgerror.New(pgerror.DatatypeMismatch, "first argument of %s must be a row type", name)
	}
	jt := types.JSONT
	if strings.HasPrefix(name, "jsonb") {
		jt = types.JSONB
	}
	doc, err := b.coerce(args[1], jt, name)
	if err != nil {
		return nil, err
	}
	return []exec.Expr{args[0], doc}, nil
}

// populateRows fills one record per object of the document (one for
// _record, each element for _recordset), starting from base's values.
func populateRows(ec *exec.Ctx, name string, doc types.Datum, names []string, ts []types.T, base types.Datum) ([][]any, error) {
	set := strings.HasSuffix(name, "recordset")
	if doc == nil {
		if set {
			return nil, nil
		}
		if base == nil {
			return [][]any{make([]any, len(names))}, nil
		}
		return [][]any{base.([]any)}, nil
	}
	objs := []string{string(doc.(types.JSON))}
	if set {
		var err error
		if objs, err = builtins.JSONRecordObjects(objs[0], name); err != nil {
			return nil, err
		}
	}
	var b []any
	if base != nil {
		b = base.([]any)
	}
	out := make([][]any, len(objs))
	for i, o := range objs {
		vals, err := builtins.JSONRecordValues(ec.BuiltinCtx(), o, names, ts, b)
		if err != nil {
			return nil, err
		}
		out[i] = vals
	}
	return out, nil
}

// populateRecordsetSRF is json(b)_populate_recordset in a select list:
// one record of the base's row type per element.
func (b *builder) populateRecordsetSRF(def *srfDef) error {
	args, err := b.populateArgs(def.name, def.args)
	if err != nil {
		return err
	}
	rt := args[0].Typ()
	if rt.Fields == nil {
		return builtins.ErrRowTypeUnknown(def.name)
	}
	def.args, def.calledOnNull = args, true
	def.cols = []exec.Column{{Name: def.name, T: rt}}
	def.gen = func(ec *exec.Ctx, v []types.Datum) ([]exec.Row, error) {
		recs, err := populateRows(ec, def.name, v[1], rt.Fields.Names, rt.Fields.Types, v[0])
		rows := make([]exec.Row, len(recs))
		for i, r := range recs {
			rows[i] = exec.Row{r}
		}
		return rows, err
	}
	return nil
}

// jsonPopulateFunction plans json(b)_populate_record(set) in FROM. The
// columns are the definition list's (the base is an anonymous record);
// members are matched by the base's column names when it has a row type
// (which must then agree with the list), by the list's otherwise.
func (b *builder) jsonPopulateFunction(rf *pg_query.RangeFunction, fc *pg_query.FuncCall, name string, args []exec.Expr) (fromItem, error) {
	if len(rf.Coldeflist) == 0 {
		return fromItem{}, pgerror.New(pgerror.SyntaxError, "a column definition list is required for functions returning \"record\"").
			WithPosition(int(fc.Location) + 1)
	}
	args, err := b.populateArgs(name, args)
	if err != nil {
		return fromItem{}, err
	}
	def := &srfDef{name: name, args: args, outNamed: true, calledOnNull: true}
	names, ts, err := b.columnDefinitionList(rf)
	if err != nil {
		return fromItem{}, err
	}
	for i, n := range names {
		def.cols = append(def.cols, exec.Column{Name: n, T: ts[i]})
	}
	keys := names
	if rt := args[0].Typ(); rt.Fields != nil {
		if err := matchRowType(rt, ts); err != nil {
			return fromItem{}, err
		}
		keys = rt.Fields.Names
	}
	def.gen = func(ec *exec.Ctx, v []types.Datum) ([]exec.Row, error) {
		recs, err := populateRows(ec, name, v[1], keys, ts, v[0])
		rows := make([]exec.Row, len(recs))
		for i, r := range recs {
			rows[i] = r
		}
		return rows, err
	}
	return srfFromItem(rf, name, def, false), nil
}

// columnDefinitionList resolves a FROM function's column definition list
// (AS t(a int, b text)): the columns' names and types.
func (b *builder) columnDefinitionList(rf *pg_query.RangeFunction) ([]string, []types.T, error) {
	names := make([]string, len(rf.Coldeflist))
	ts := make([]types.T, len(rf.Coldeflist))
	for i, n := range rf.Coldeflist {
		cd := n.GetColumnDef()
		if cd == nil || cd.TypeName == nil {
			return nil, nil, unsupported("this column definition list")
		}
		t, err := b.resolveTypeName(cd.TypeName)
		if err != nil {
			return nil, nil, err
		}
		names[i], ts[i] = cd.Colname, t
	}
	return names, ts, nil
}

// matchRowType is PostgreSQL's check that a function's record agrees with
// the query's column definition list.
func matchRowType(rt types.T, ts []types.T) error {
	mismatch := func() *pgerror.Error {
		return pgerror.New(pgerror.DatatypeMismatch, "function return row and query-specified return row do not match")
	}
	if n := len(rt.Fields.Types); n != len(ts) {
		attrs := "attributes"
		if n == 1 {
			attrs = "attribute"
		}
		return mismatch().WithDetail("Returned row contains %d %s, but query expects %d.", n, attrs, len(ts))
	}
	for i, t := range rt.Fields.Types {
		if t.Oid != ts[i].Oid {
			return mismatch().WithDetail("Returned type %s at ordinal position %d, but query expects %s.", types.TypeName(t), i+1, types.TypeName(ts[i]))
		}
	}
	return nil
}
