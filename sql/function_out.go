package sql

import (
	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/quorumdb/quorumdb/sql/catalog"
	"github.com/quorumdb/quorumdb/sql/exec"
	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// OUT parameters, functions in pg_temp and table row types as parameter
// types: what Sequelize's findOrCreate needs of CREATE FUNCTION
//
//	CREATE FUNCTION pg_temp.testfunc(OUT response "Users", OUT e text) RETURNS RECORD ...
//	SELECT (testfunc.response).*, testfunc.e FROM pg_temp.testfunc()

// functionSchema is the schema CREATE FUNCTION puts a function in:
// pg_temp (or the session's own pg_temp_N) is the session's temporary
// schema, created on first use and dropped with the session's other
// temporary objects.
func (b *builder) functionSchema(schema string) (string, error) {
	own := b.sess.ownTempSchema()
	switch {
	case schema == "pg_temp" || schema != "" && schema == own:
		ts, err := b.sess.ensureTempSchema(b.ctx)
		if err != nil {
			return "", err
		}
		return ts.name, nil
	case catalog.IsTempSchemaName(schema):
		return "", pgerror.New(pgerror.FeatureNotSupported, "cannot create functions in temporary schemas of other sessions")
	}
	return b.schemaFor(schema)
}

// resolveParamType resolves the type of a function parameter or a
// PL/pgSQL variable: besides the types resolveTypeName knows, a table's
// name stands for its row type (a record of its visible columns).
func (b *builder) resolveParamType(tn *pg_query.TypeName) (types.T, error) {
	t, err := b.resolveTypeName(tn)
	if pgerror.CodeOf(err) != pgerror.UndefinedObject || len(tn.ArrayBounds) > 0 || len(tn.Names) > 2 {
		return t, err
	}
	rv := &pg_query.RangeVar{Relname: tn.Names[len(tn.Names)-1].GetString_().GetSval()}
	if len(tn.Names) == 2 {
		rv.Schemaname = tn.Names[0].GetString_().GetSval()
	}
	td, terr := b.lookupTable(rv)
	if terr != nil || td == nil {
		return t, err
	}
	return tableRowType(td), nil
}

// tableRowType is the composite type of a table's rows. quorumdb creates
// no pg_type rows for tables, so it carries the record oid.
func tableRowType(td *catalog.Table) types.T {
	var names []string
	var ts []types.T
	for _, c := range td.Columns {
		if c.Hidden {
			continue
		}
		names, ts = append(names, c.Name), append(ts, c.Type)
	}
	return types.RecordOf(names, ts)
}

// setOutResult derives the result of a function with OUT parameters and
// checks RETURNS against it, as PostgreSQL does: one OUT parameter makes
// its type the result, several make a record of them.
func (b *builder) setOutResult(f *catalog.Function, ret *pg_query.TypeName) error {
	want := f.OutTypes[0]
	if len(f.OutTypes) > 1 {
		want = types.RecordOf(f.OutNames, f.OutTypes)
	}
	if ret != nil {
		rt, err := b.resolveParamType(ret)
		if err != nil {
			return err
		}
		f.RetSet = ret.Setof
		if rt.Oid != want.Oid {
			return pgerror.New(pgerror.InvalidFunctionDefinition, "function result type must be %s because of OUT parameters", types.TypeName(want))
		}
	}
	f.RetType = want
	return nil
}

// outRecord is the value of a call of a function with several OUT
// parameters used as an expression: a record of the result row.
func outRecord(f *catalog.Function, r exec.Row) types.Datum {
	if !f.OutParams || len(f.OutTypes) < 2 {
		return r[0]
	}
	return []any(r)
}

// sameOutRow reports whether two functions' OUT parameters define the
// same row (names and types), which CREATE OR REPLACE may not change.
func sameOutRow(a, b *catalog.Function) bool {
	if len(a.OutNames) != len(b.OutNames) {
		return false
	}
	for i := range a.OutNames {
		if a.OutNames[i] != b.OutNames[i] || a.OutTypes[i].Oid != b.OutTypes[i].Oid {
			return false
		}
	}
	return true
}
