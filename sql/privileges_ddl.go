package sql

import (
	pg_query "github.com/pganalyze/pg_query_go/v5"
	"github.com/quorumdb/quorumdb/sql/acl"
	"github.com/quorumdb/quorumdb/sql/catalog"
)

// Where statements check privileges beyond the FROM items' SELECT
// (checked in buildRangeVar): the writes' targets, views' queries, and
// the DDL that only an object's owner may run.

// ownedRelation is the relation a DDL statement changes, which only its
// owner (or a superuser) may: lookupTable and lookupSequence check it
// when they resolve exactly this RangeVar, so the other relations such a
// statement names (a foreign key's referenced table) are not mistaken
// for it. ALTER ... OWNER TO has rules of its own (ddl_alter_owner.go).
func ownedRelation(n *pg_query.Node) *pg_query.RangeVar {
	switch v := n.Node.(type) {
	case *pg_query.Node_AlterTableStmt:
		if onlyChangesOwner(v.AlterTableStmt) {
			return nil
		}
		return v.AlterTableStmt.Relation
	case *pg_query.Node_RenameStmt:
		return v.RenameStmt.Relation
	case *pg_query.Node_IndexStmt:
		return v.IndexStmt.Relation
	case *pg_query.Node_AlterSeqStmt:
		return v.AlterSeqStmt.Sequence
	}
	return nil
}

// viewItemAs plans a view's query checking its relations with the view
// owner's privileges, as PostgreSQL does: a view is how an owner shares
// chosen rows of its tables.
func (b *builder) viewItemAs(v *catalog.Table, alias string, colNames []*pg_query.Node) (fromItem, error) {
	saved := b.privRole
	b.privRole = v.Owner
	defer func() { b.privRole = saved }()
	return b.viewItem(v, alias, colNames)
}

// checkDropOwner is DROP TABLE/SEQUENCE/INDEX's check: the owner of the
// relation (of an index: its table's) may drop it.
func (b *builder) checkDropOwner(t *catalog.Table, kind pg_query.ObjectType, name string) error {
	if kind != pg_query.ObjectType_OBJECT_INDEX || t.Name == name {
		return b.checkOwner(t)
	}
	if err := b.checkOwner(t); err != nil {
		return mustBeOwner(acl.Index, name)
	}
	return nil
}

// insertWants is what an INSERT needs on its target: INSERT, SELECT to
// read rows back (RETURNING, the ON CONFLICT arbiter) and UPDATE for ON
// CONFLICT DO UPDATE.
func insertWants(ins *pg_query.InsertStmt) acl.Mode {
	want := acl.Insert
	if len(ins.ReturningList) > 0 {
		want |= acl.Select
	}
	if oc := ins.OnConflictClause; oc != nil {
		if oc.Infer != nil && len(oc.Infer.IndexElems) > 0 {
			want |= acl.Select
		}
		if oc.Action == pg_query.OnConflictAction_ONCONFLICT_UPDATE {
			want |= acl.Update | acl.Select
		}
	}
	return want
}

// updateWants is UPDATE's: UPDATE, and SELECT when the statement reads
// the table's columns (WHERE, RETURNING, a SET value naming a column).
func updateWants(up *pg_query.UpdateStmt) acl.Mode {
	want := acl.Update
	if up.WhereClause != nil || len(up.ReturningList) > 0 {
		return want | acl.Select
	}
	for _, t := range up.TargetList {
		if mentionsColumn(t.GetResTarget().GetVal()) {
			return want | acl.Select
		}
	}
	return want
}

// deleteWants is DELETE's: DELETE, and SELECT when rows are chosen or
// returned by their values.
func deleteWants(del *pg_query.DeleteStmt) acl.Mode {
	if del.WhereClause != nil || len(del.ReturningList) > 0 || len(del.UsingClause) > 0 {
		return acl.Delete | acl.Select
	}
	return acl.Delete
}

func mentionsColumn(n *pg_query.Node) bool {
	found := false
	walkNode(n, func(x *pg_query.Node) bool {
		if x.GetColumnRef() != nil {
			found = true
		}
		return !found
	})
	return found
}

// checkAlterOwner is ALTER ... OWNER TO's rule (ATExecChangeOwner): a
// superuser may give any relation to anyone; others must own it, be
// able to act as the new owner, and the new owner must be able to create
// in the relation's schema.
func (b *builder) checkAlterOwner(t *catalog.Table, newOwner string) error {
	if t.Owner == newOwner || t.Temporary() {
		return nil
	}
	if su, err := b.roleGraph().superuser(b.sess.user); err != nil || su {
		return err
	}
	if err := b.checkOwner(t); err != nil {
		return err
	}
	if err := b.checkMemberOf(newOwner); err != nil {
		return err
	}
	return b.checkSchemaPrivsAs(newOwner, t.Schema, acl.Create)
}
