package sql

import "github.com/quorumdb/quorumdb/sql/catalog"

// tableConstraint is one constraint of a table as pg_constraint holds it.
// PostgreSQL defines information_schema's constraint views over
// pg_constraint; here pg_constraint and those views (table_constraints,
// key_column_usage, constraint_column_usage, referential_constraints,
// check_constraints) all list tableConstraints, so they agree on which
// constraints exist, their names, oids and order.
type tableConstraint struct {
	table *catalog.Table
	name  string
	// kind is pg_constraint.contype: 'p' primary key, 'u' unique, 'c'
	// check, 'f' foreign key.
	kind byte
	oid  int64
	// index enforces a primary key or unique constraint.
	index *catalog.Index
	// check is a check constraint, the table's checkOrdinal'th.
	check        *catalog.Check
	checkOrdinal int
	// fk is a foreign key, the table's fkOrdinal'th; parent is the table
	// it references and parentIndex the unique index there that its
	// columns match (either nil while the parent is gone).
	fk          *catalog.ForeignKey
	fkOrdinal   int
	parent      *catalog.Table
	parentIndex *catalog.Index
	// deferrable and initiallyDeferred are condeferrable and
	// condeferred.
	deferrable, initiallyDeferred bool
}

// constraints lists t's constraints in pg_constraint's order of kinds:
// those of its indexes (primary key, unique), its checks, its foreign
// keys, with the foreign keys' parents found in the snapshot.
func (s *pgSnapshot) constraints(t *catalog.Table) []tableConstraint {
	return tableConstraints(t, s.relByID)
}

// tableConstraints lists t's constraints; parentOf finds a foreign key's
// referenced table (nil: none known). Only ordinary tables have any.
func tableConstraints(t *catalog.Table, parentOf func(id uint32) *catalog.Table) []tableConstraint {
	if t.Kind != catalog.KindTable {
		return nil
	}
	var out []tableConstraint
	for _, idx := range visibleIndexes(t) {
		if !isConstraintIndex(idx) {
			continue
		}
		kind := byte('u')
		if idx.Primary {
			kind = 'p'
		}
		out = append(out, tableConstraint{table: t, name: idx.Name, kind: kind, oid: int64(idx.OID), index: idx,
			deferrable: idx.Deferrable, initiallyDeferred: idx.InitiallyDeferred})
	}
	for i := range t.Checks {
		ch := &t.Checks[i]
		out = append(out, tableConstraint{table: t, name: ch.Name, kind: 'c', oid: derivedOID(derivedCheck, t.ID, i),
			check: ch, checkOrdinal: i})
	}
	for i := range t.ForeignKeys {
		fk := &t.ForeignKeys[i]
		c := tableConstraint{table: t, name: fk.Name, kind: 'f', oid: fkOID(t.ID, i), fk: fk, fkOrdinal: i,
			deferrable: fk.Deferrable, initiallyDeferred: fk.InitiallyDeferred}
		if c.parent = parentOf(fk.RefTable); c.parent != nil {
			c.parentIndex = parentIndex(c.parent, fk.RefColumnIDs)
		}
		out = append(out, c)
	}
	return out
}

// infoSchemaType is information_schema's constraint_type of c.
func (c *tableConstraint) infoSchemaType() string {
	switch c.kind {
	case 'p':
		return "PRIMARY KEY"
	case 'u':
		return "UNIQUE"
	case 'f':
		return "FOREIGN KEY"
	}
	return "CHECK"
}
