package sql

import (
	"strconv"
	"strings"

	"github.com/quorumdb/quorumdb/sql/exec"
	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// regnamespaceExpr reads regnamespace input, a schema's oid or its name
// ('pg_catalog'::regnamespace in pg_dump's queries), when the plan runs,
// as the schema's oid.
func (b *builder) regnamespaceExpr(arg exec.Expr) (exec.Expr, error) {
	text, err := b.coerce(arg, types.Text, "regnamespace")
	if err != nil {
		return nil, err
	}
	return &goFuncExpr{name: "regnamespacein", args: []exec.Expr{text}, t: types.Regnamespace, fn: func(ec *execCtx, args []types.Datum) (types.Datum, error) {
		in := strings.TrimSpace(args[0].(string))
		if oid, err := strconv.ParseInt(in, 10, 64); err == nil {
			return oid, nil
		}
		name := lowerIdent(in)
		if name == "quorumdb" {
			return int64(oidQuorumdbSchema), nil
		}
		schemas, err := ec.Catalog.Schemas(ec.Context, ec.sess.dbID)
		if err != nil {
			return nil, err
		}
		oid, ok := schemas[name]
		if !ok {
			return nil, pgerror.New(pgerror.InvalidSchemaName, "schema %q does not exist", name)
		}
		return int64(oid), nil
	}}, nil
}
