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
	names := make([]string, len(rf.Coldeflist))
	ts := make([]types.T, len(rf.Coldeflist))
	for i, n := range rf.Coldeflist {
		cd := n.GetColumnDef()
		if cd == nil || cd.TypeName == nil {
			return fromItem{}, unsupported("this column definition list")
		}
		t, err := b.resolveTypeName(cd.TypeName)
		if err != nil {
			return fromItem{}, err
		}
		names[i], ts[i] = cd.Colname, t
		def.cols = append(def.cols, exec.Column{Name: cd.Colname, T: t})
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
			vals, err := builtins.JSONRecordValues(ec.BuiltinCtx(), o, names, ts)
			if err != nil {
				return nil, err
			}
			rows[i] = vals
		}
		return rows, nil
	}
	return srfFromItem(rf, name, def, !set), nil
}
