package sql

import (
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/quorumdb/quorumdb/sql/catalog"
	"github.com/quorumdb/quorumdb/sql/pgerror"
)

// DO runs an anonymous PL/pgSQL block with the runner of PL/pgSQL
// functions (plpgsql.go), in the DO's transaction. Sequelize creates
// enum types so:
//
//	DO 'BEGIN CREATE TYPE ... AS ENUM (...); EXCEPTION WHEN duplicate_object THEN null; END';
//
// As in PL/pgSQL, a block with an exception handler runs in a
// subtransaction (a kv savepoint), so a caught error undoes the block's
// work before the handler runs.
func (b *builder) planDo(ds *pg_query.DoStmt) (*stmtPlan, error) {
	var body string
	for _, a := range ds.Args {
		de := a.GetDefElem()
		if de == nil {
			continue
		}
		switch de.Defname {
		case "as":
			body = de.Arg.GetString_().GetSval()
		case "language":
			if lang := strings.ToLower(de.Arg.GetString_().GetSval()); lang != "plpgsql" {
				if lang == "sql" {
					return nil, pgerror.New(pgerror.FeatureNotSupported, "language \"sql\" does not support inline code execution")
				}
				return nil, pgerror.New(pgerror.UndefinedObject, "language %q does not exist", lang)
			}
		}
	}
	// PostgreSQL names the block's function inline_code_block in
	// messages.
	pf, err := b.compilePlpgsql(&catalog.Function{Name: "inline_code_block", Body: body})
	if err != nil {
		return nil, err
	}
	pf.display = "inline_code_block"
	return tagOnly("DO", func(ec *execCtx) error { return runPlpgsqlBlock(ec, pf) }), nil
}
