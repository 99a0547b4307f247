package sql

import (
	"fmt"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// addIdentity turns an existing NOT NULL column into an identity column
// backed by a new sequence, as pg_dump writes identity columns:
// ALTER TABLE t ALTER COLUMN id ADD GENERATED ... AS IDENTITY
// (SEQUENCE NAME s START WITH 1 ...). Like identity columns made by
// CREATE TABLE, the column draws its values through a nextval default;
// GENERATED ALWAYS does not reject explicit values.
func (b *builder) addIdentity(ec *execCtx, t *tableDesc, cmd *pg_query.AlterTableCmd) error {
	_, col := t.columnByName(cmd.Name)
	if col == nil || col.Hidden {
		return pgerror.New(pgerror.UndefinedColumn, "column %q of relation %q does not exist", cmd.Name, t.Name)
	}
	if col.Type.Oid != types.OidInt2 && col.Type.Oid != types.OidInt4 && col.Type.Oid != types.OidInt8 {
		return pgerror.New(pgerror.InvalidParameterValue, "identity column type must be smallint, integer, or bigint")
	}
	if !col.NotNull {
		return pgerror.New(pgerror.ObjectNotInPrerequisiteState, "column %q of relation %q must be declared NOT NULL before identity can be added", col.Name, t.Name)
	}
	if col.Default != "" {
		return pgerror.New(pgerror.ObjectNotInPrerequisiteState, "column %q of relation %q already has a default value", col.Name, t.Name)
	}
	c := cmd.Def.GetConstraint()
	spec, err := b.parseSeqOptions(c.GetOptions())
	if err != nil {
		return err
	}
	opts, err := spec.newSeqOptions(col.Type)
	if err != nil {
		return err
	}
	schema, name := t.Schema, fmt.Sprintf("%s_%s_seq", t.Name, col.Name)
	switch n := len(spec.sequenceName); {
	case n == 1:
		name = spec.sequenceName[0]
	case n >= 2:
		schema, name = spec.sequenceName[n-2], spec.sequenceName[n-1]
		if schema != t.Schema {
			return pgerror.New(pgerror.ObjectNotInPrerequisiteState, "sequence must be in same schema as table it is linked to")
		}
	}
	seq, err := b.createSequence(ec, schema, name, opts)
	if err != nil {
		return err
	}
	seq.OwnedBy = t.Name + "." + col.Name
	if err := b.cat.writeTable(b.ctx, seq); err != nil {
		return err
	}
	col.Default = fmt.Sprintf("nextval('%s'::regclass)", strings.ReplaceAll(qualifiedSeqName(schema, name), "'", "''"))
	return nil
}

// qualifiedSeqName is how a nextval default names its sequence: bare in
// public, as serial columns do, and schema-qualified elsewhere, so the
// default works whatever the search_path.
func qualifiedSeqName(schema, name string) string {
	if schema == "public" {
		return quoteIdent(name)
	}
	return quoteIdent(schema) + "." + quoteIdent(name)
}
