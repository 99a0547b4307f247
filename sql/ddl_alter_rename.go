package sql

import (
	"fmt"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/quorumdb/quorumdb/sql/catalog"
	"github.com/quorumdb/quorumdb/sql/kverror"
	"github.com/quorumdb/quorumdb/sql/pgerror"
)

// renameConstraint runs ALTER TABLE t RENAME CONSTRAINT from TO to. A
// PRIMARY KEY or UNIQUE constraint is its index, so the index is renamed
// too (as in PostgreSQL); a foreign key's name is also recorded in the
// referenced table.
func (b *builder) renameConstraint(t *catalog.Table, from, to string) error {
	if constraintNameTaken(t, to) {
		return pgerror.New(pgerror.DuplicateObject, "constraint %q for relation %q already exists", to, t.Name)
	}
	for i := range t.Checks {
		if t.Checks[i].Name == from {
			t.Checks[i].Name = to
			return b.cat.WriteTable(b.ctx, t)
		}
	}
	for i := range t.ForeignKeys {
		fk := &t.ForeignKeys[i]
		if fk.Name != from {
			continue
		}
		fk.Name = to
		parent := t
		if fk.RefTable != t.ID {
			p, err := b.cat.TableByID(b.ctx, fk.RefTable)
			if err != nil {
				return err
			}
			parent = p.Clone()
		}
		for j := range parent.ReferencedBy {
			if r := &parent.ReferencedBy[j]; r.Table == t.ID && r.Name == from {
				r.Name = to
			}
		}
		if parent != t {
			if err := b.cat.WriteTable(b.ctx, parent); err != nil {
				return err
			}
		}
		return b.cat.WriteTable(b.ctx, t)
	}
	for i := range t.Indexes {
		if idx := &t.Indexes[i]; idx.Constraint && idx.Name == from {
			return b.renameIndex(t, idx, to)
		}
	}
	return pgerror.New(pgerror.UndefinedObject, "constraint %q for table %q does not exist", from, t.Name)
}

// constraintNameTaken reports whether t already has a constraint named
// name.
func constraintNameTaken(t *catalog.Table, name string) bool {
	for _, c := range t.Checks {
		if c.Name == name {
			return true
		}
	}
	for _, fk := range t.ForeignKeys {
		if fk.Name == name {
			return true
		}
	}
	for _, idx := range t.Indexes {
		if idx.Constraint && idx.Name == name {
			return true
		}
	}
	return false
}

// renameIndex renames idx of t (an index name is a relation name of the
// schema) and writes t.
func (b *builder) renameIndex(t *catalog.Table, idx *catalog.Index, to string) error {
	if _, exists, err := b.cat.LookupID(b.ctx, t.DBID, t.Schema, to); err != nil {
		return err
	} else if exists {
		return pgerror.New(pgerror.DuplicateTable, "relation %q already exists", to)
	}
	if err := b.cat.KV.Delete(b.ctx, catalog.NamespaceKey(t.DBID, t.Schema, idx.Name)); err != nil {
		return kverror.AsSQL(err)
	}
	idx.Name = to
	if err := b.cat.KV.Put(b.ctx, catalog.NamespaceKey(t.DBID, t.Schema, to), catalog.EncodeID(t.ID)); err != nil {
		return kverror.AsSQL(err)
	}
	return b.cat.WriteTable(b.ctx, t)
}

// skipMissingRelation turns "relation does not exist" into IF EXISTS's
// notice.
func skipMissingRelation(ec *execCtx, err error, missingOK bool, rv *pg_query.RangeVar) error {
	if err != nil && missingOK && pgerror.CodeOf(err) == pgerror.UndefinedTable {
		ec.AddNotice(fmt.Sprintf("relation %q does not exist, skipping", rv.Relname))
		return nil
	}
	return err
}
