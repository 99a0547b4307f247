package sql

import (
	"fmt"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/quorumdb/quorumdb/sql/catalog"
	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// Identity columns (GENERATED ALWAYS|BY DEFAULT AS IDENTITY) draw their
// values from a sequence the column owns, through a nextval default the
// catalogs hide: pg_attribute.attidentity says 'a' or 'd' instead, and
// pg_depend ties the sequence to the column with deptype 'i'. ALWAYS
// refuses user-supplied values (428C9) unless the INSERT says OVERRIDING
// SYSTEM VALUE.

// identityKind maps the constraint's generated_when to attidentity.
func identityKind(c *pg_query.Constraint) string {
	if c.GeneratedWhen == "d" {
		return "d"
	}
	return "a"
}

// makeIdentity makes col of t an identity column as constraint c (from
// CREATE TABLE or ALTER TABLE ADD GENERATED) says, creating its sequence.
func (b *builder) makeIdentity(ec *execCtx, t *catalog.Table, col *catalog.Column, c *pg_query.Constraint) error {
	if err := checkIdentityType(col); err != nil {
		return err
	}
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
	if err := b.cat.WriteTable(b.ctx, seq); err != nil {
		return err
	}
	// Always qualified: the default is hidden, and must work under any
	// search_path (pg_dump's restore sets an empty one).
	col.Default = fmt.Sprintf("nextval('%s'::regclass)", strings.ReplaceAll(quoteIdent(schema)+"."+quoteIdent(name), "'", "''"))
	col.Identity = identityKind(c)
	col.NotNull = true
	return nil
}

// addIdentity turns an existing NOT NULL column into an identity column,
// as pg_dump writes identity columns: ALTER TABLE t ALTER COLUMN id ADD
// GENERATED ... AS IDENTITY (SEQUENCE NAME s START WITH 1 ...).
func (b *builder) addIdentity(ec *execCtx, t *catalog.Table, cmd *pg_query.AlterTableCmd) error {
	col, err := identityTarget(t, cmd.Name)
	if err != nil {
		return err
	}
	if err := checkIdentityType(col); err != nil {
		return err
	}
	if !col.NotNull {
		return pgerror.New(pgerror.ObjectNotInPrerequisiteState, "column %q of relation %q must be declared NOT NULL before identity can be added", col.Name, t.Name)
	}
	if col.Identity != "" {
		return pgerror.New(pgerror.ObjectNotInPrerequisiteState, "column %q of relation %q is already an identity column", col.Name, t.Name)
	}
	if col.Default != "" {
		return pgerror.New(pgerror.ObjectNotInPrerequisiteState, "column %q of relation %q already has a default value", col.Name, t.Name)
	}
	return b.makeIdentity(ec, t, col, cmd.Def.GetConstraint())
}

// setIdentity is ALTER COLUMN ... SET GENERATED ALWAYS|BY DEFAULT (and
// the sequence options that may follow it, such as RESTART).
func (b *builder) setIdentity(t *catalog.Table, cmd *pg_query.AlterTableCmd) error {
	col, err := identityTarget(t, cmd.Name)
	if err != nil {
		return err
	}
	if col.Identity == "" {
		return notIdentityError(col, t)
	}
	var seqOpts []*pg_query.Node
	for _, n := range cmd.Def.GetList().GetItems() {
		d := n.GetDefElem()
		if d.Defname == "generated" {
			switch d.Arg.GetInteger().GetIval() {
			case 'a': // ATTRIBUTE_IDENTITY_ALWAYS
				col.Identity = "a"
			default:
				col.Identity = "d"
			}
			continue
		}
		seqOpts = append(seqOpts, n)
	}
	if len(seqOpts) > 0 {
		return unsupported("ALTER COLUMN ... SET sequence options of an identity column")
	}
	return nil
}

// dropIdentity is ALTER COLUMN ... DROP IDENTITY [IF EXISTS]: the column
// keeps its values and NOT NULL, loses its default and its sequence.
func (b *builder) dropIdentity(ec *execCtx, t *catalog.Table, cmd *pg_query.AlterTableCmd) error {
	col, err := identityTarget(t, cmd.Name)
	if err != nil {
		return err
	}
	if col.Identity == "" {
		if cmd.MissingOk {
			ec.AddNotice(fmt.Sprintf("column %q of relation %q is not an identity column, skipping", col.Name, t.Name))
			return nil
		}
		return notIdentityError(col, t)
	}
	col.Identity, col.Default = "", ""
	objs, err := b.cat.Tables(b.ctx, t.DBID)
	if err != nil {
		return err
	}
	for _, o := range objs {
		if o.Kind == catalog.KindSequence && o.Schema == t.Schema && o.OwnedBy == t.Name+"."+col.Name {
			if err := b.cat.DeleteTable(b.ctx, o); err != nil {
				return fmt.Errorf("dropping identity sequence %s: %w", o.Name, err)
			}
		}
	}
	return nil
}

func checkIdentityType(col *catalog.Column) error {
	if col.Type.Oid != types.OidInt2 && col.Type.Oid != types.OidInt4 && col.Type.Oid != types.OidInt8 {
		return pgerror.New(pgerror.InvalidParameterValue, "identity column type must be smallint, integer, or bigint")
	}
	return nil
}

func identityTarget(t *catalog.Table, name string) (*catalog.Column, error) {
	_, col := t.ColumnByName(name)
	if col == nil || col.Hidden {
		return nil, pgerror.New(pgerror.UndefinedColumn, "column %q of relation %q does not exist", name, t.Name)
	}
	return col, nil
}

func notIdentityError(col *catalog.Column, t *catalog.Table) error {
	return pgerror.New(pgerror.ObjectNotInPrerequisiteState, "column %q of relation %q is not an identity column", col.Name, t.Name)
}

// identityInsertError is INSERT's refusal of a value for an ALWAYS
// identity column.
func identityInsertError(c *catalog.Column) error {
	return pgerror.New(pgerror.GeneratedAlways, "cannot insert a non-DEFAULT value into column %q", c.Name).
		WithDetail("Column %q is an identity column defined as GENERATED ALWAYS.", c.Name).
		WithHint("Use OVERRIDING SYSTEM VALUE to override.")
}

// identityUpdateError is UPDATE's refusal of SET col = value.
func identityUpdateError(c *catalog.Column) error {
	return pgerror.New(pgerror.GeneratedAlways, "column %q can only be updated to DEFAULT", c.Name).
		WithDetail("Column %q is an identity column defined as GENERATED ALWAYS.", c.Name)
}
