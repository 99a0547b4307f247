package sql

import (
	"context"
	"fmt"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/quorumdb/quorumdb/kv"
	"github.com/quorumdb/quorumdb/sql/catalog"
	"github.com/quorumdb/quorumdb/sql/exec"
	"github.com/quorumdb/quorumdb/sql/kverror"
	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// Deferrable constraints and SET CONSTRAINTS (PostgreSQL's deferred
// triggers, as far as constraints go).
//
// A FOREIGN KEY, UNIQUE or PRIMARY KEY constraint may be DEFERRABLE
// [INITIALLY DEFERRED]; SET CONSTRAINTS ALL | name, ... DEFERRED |
// IMMEDIATE changes the mode of deferrable ones for the rest of the
// transaction. While a foreign key is deferred, the checks its rows need
// are queued instead of run: a new or changed child row (is its parent
// there?) by the row's primary key, and a deleted or re-keyed parent row
// under NO ACTION (is it still referenced?) by its old values. A
// deferrable unique constraint's new entries are always queued, and
// checked at the end of the statement while the constraint is IMMEDIATE
// (so UPDATE t SET u = u + 1 passes, as in PostgreSQL). Queued checks
// run, against the rows as they are then, when the constraint becomes
// IMMEDIATE (SET CONSTRAINTS ... IMMEDIATE) and at COMMIT, inside the
// committing transaction: the reads are part of its read set, so in a
// cluster a concurrent change that would break the constraint makes the
// commit fail with 40001 rather than slip by. A failing check fails the
// statement or the COMMIT (the transaction is rolled back) with
// PostgreSQL's 23503 / 23505. RESTRICT is never deferred, CASCADE and SET
// NULL act at once, and a PRIMARY KEY is checked row by row even when
// deferrable (the row's key is where the row is stored): differences
// from PostgreSQL recorded in docs/compatibility.md.

// constraintMode is the session's SET CONSTRAINTS state and queued
// checks for the current transaction; it is reset when one begins and
// restored by ROLLBACK TO SAVEPOINT.
type constraintMode struct {
	// all is SET CONSTRAINTS ALL: 1 deferred, -1 immediate, 0 not set.
	all int8
	// byName overrides all for the named constraints ("schema.name"):
	// true deferred, false immediate.
	byName map[string]bool
	// pending are the queued checks, in order; queued dedupes them.
	pending []pendingCheck
	queued  map[string]bool
}

// constraintMark is what a savepoint restores.
type constraintMark struct {
	all     int8
	byName  map[string]bool
	pending int
}

func (m *constraintMode) reset() { *m = constraintMode{} }

func (m *constraintMode) mark() constraintMark {
	c := constraintMark{all: m.all, pending: len(m.pending)}
	if m.byName != nil {
		c.byName = make(map[string]bool, len(m.byName))
		for k, v := range m.byName {
			c.byName[k] = v
		}
	}
	return c
}

func (m *constraintMode) restore(c constraintMark) {
	m.all, m.byName = c.all, c.byName
	if c.pending < len(m.pending) {
		for _, p := range m.pending[c.pending:] {
			delete(m.queued, p.id)
		}
		m.pending = m.pending[:c.pending]
	}
}

// deferred reports whether the constraint schema.name, deferrable or
// not, is in deferred mode now.
func (m *constraintMode) deferred(schema, name string, deferrable, initially bool) bool {
	if !deferrable {
		return false
	}
	if d, ok := m.byName[schema+"."+name]; ok {
		return d
	}
	if m.all != 0 {
		return m.all > 0
	}
	return initially
}

// pendingCheck is one queued constraint check.
type pendingCheck struct {
	id   string // dedupe key
	kind checkKind
	// table is the child (checkChild, checkParent) or the indexed table
	// (checkUnique); name the constraint; schema its namespace.
	table  uint32
	schema string
	name   string
	// parent is the referenced table of checkParent.
	parent uint32
	// key is the child row's primary key (checkChild).
	key []byte
	// r is the parent's old row (checkParent) or the new row
	// (checkUnique).
	r exec.Row
}

type checkKind int8

const (
	checkChild  checkKind = iota // the child row's parent must exist
	checkParent                  // the old parent key must not be referenced
	checkUnique                  // at most one entry with the row's key
)

func (m *constraintMode) queue(p pendingCheck) {
	if m.queued[p.id] {
		return
	}
	if m.queued == nil {
		m.queued = map[string]bool{}
	}
	m.queued[p.id] = true
	m.pending = append(m.pending, p)
}

// fkDeferred reports whether foreign key fk of child waits.
func (ec *execCtx) fkDeferred(child *catalog.Table, fk *catalog.ForeignKey) bool {
	return ec.sess != nil && fk.Deferrable && ec.sess.cons.deferred(child.Schema, fk.Name, fk.Deferrable, fk.InitiallyDeferred)
}

// deferChildCheck queues the check of child row r against fk.
func (ec *execCtx) deferChildCheck(child *catalog.Table, fk *catalog.ForeignKey, r exec.Row) error {
	if _, ok := fkValues(child, fk.ColumnIDs, r); !ok {
		return nil // a NULL in the key references nothing
	}
	key, err := primaryKey(child, r)
	if err != nil {
		return err
	}
	ec.sess.cons.queue(pendingCheck{id: fmt.Sprintf("c/%d/%s/%x", child.ID, fk.Name, key), kind: checkChild,
		table: child.ID, schema: child.Schema, name: fk.Name, key: key})
	return nil
}

// deferParentCheck queues the NO ACTION check of parent row old, deleted
// or re-keyed, against child's fk.
func (ec *execCtx) deferParentCheck(parent, child *catalog.Table, fk *catalog.ForeignKey, old exec.Row) error {
	vals := make(exec.Row, len(fk.RefColumnIDs))
	for i, id := range fk.RefColumnIDs {
		vals[i] = old[parent.ColumnIndexByID(id)]
	}
	var kb []byte
	for i, id := range fk.RefColumnIDs {
		kb = exec.DatumKey(kb, parent.Columns[parent.ColumnIndexByID(id)].Type, vals[i])
	}
	ec.sess.cons.queue(pendingCheck{id: fmt.Sprintf("p/%d/%s/%x", child.ID, fk.Name, kb), kind: checkParent,
		table: child.ID, schema: child.Schema, name: fk.Name, parent: parent.ID, r: append(exec.Row(nil), old...)})
	return nil
}

// deferUniqueCheck queues the check of a deferrable unique index for
// row r, which has just been given an entry in it.
func (ec *execCtx) deferUniqueCheck(t *catalog.Table, idx *catalog.Index, r exec.Row) error {
	prefix, err := encodeIndexKey(ec, kv.IndexPrefix(t.ID, idx.ID), t, idx, r)
	if err != nil {
		return err
	}
	ec.sess.cons.queue(pendingCheck{id: fmt.Sprintf("u/%x", prefix), kind: checkUnique,
		table: t.ID, schema: t.Schema, name: idx.Name, r: append(exec.Row(nil), r...)})
	return nil
}

// uniqueDeferrable reports whether unique index idx's checks are queued.
func (ec *execCtx) uniqueDeferrable(idx *catalog.Index) bool {
	return ec.sess != nil && idx.Deferrable && !idx.Primary
}

// runPendingChecks runs the queued checks whose constraint is immediate
// now (all of them when all is set, at COMMIT), removing them from the
// queue; the first failure is returned.
func (ec *execCtx) runPendingChecks(all bool) error {
	m := &ec.sess.cons
	if len(m.pending) == 0 {
		return nil
	}
	var keep []pendingCheck
	queue := m.pending
	m.pending = nil
	for i, p := range queue {
		if !all && m.byNameDeferred(ec, p) {
			keep = append(keep, p)
			continue
		}
		if err := ec.runCheck(p); err != nil {
			m.pending = append(keep, queue[i+1:]...)
			return err
		}
		delete(m.queued, p.id)
	}
	m.pending = append(keep, m.pending...)
	return nil
}

// byNameDeferred reports whether p's constraint is still deferred.
func (m *constraintMode) byNameDeferred(ec *execCtx, p pendingCheck) bool {
	t, err := ec.Catalog.TableByID(ec.Context, p.table)
	if err != nil || t == nil {
		return false
	}
	if p.kind == checkUnique {
		for i := range t.Indexes {
			if idx := &t.Indexes[i]; idx.Name == p.name {
				return m.deferred(t.Schema, idx.Name, idx.Deferrable, idx.InitiallyDeferred)
			}
		}
		return false
	}
	for i := range t.ForeignKeys {
		if fk := &t.ForeignKeys[i]; fk.Name == p.name {
			return m.deferred(t.Schema, fk.Name, fk.Deferrable, fk.InitiallyDeferred)
		}
	}
	return false
}

// runCheck runs one queued check against the current rows; a constraint
// or table dropped since is no longer checked.
func (ec *execCtx) runCheck(p pendingCheck) error {
	t, err := ec.Catalog.TableByID(ec.Context, p.table)
	if err != nil || t == nil {
		return err
	}
	if p.kind == checkUnique {
		for i := range t.Indexes {
			idx := &t.Indexes[i]
			if idx.Name != p.name || !idx.Unique {
				continue
			}
			dup, err := uniqueDuplicate(ec, t, idx, p.r)
			if err != nil {
				return err
			}
			if dup {
				return uniqueViolation(ec, t, idx, p.r)
			}
		}
		return nil
	}
	var fk *catalog.ForeignKey
	for i := range t.ForeignKeys {
		if t.ForeignKeys[i].Name == p.name {
			fk = &t.ForeignKeys[i]
		}
	}
	if fk == nil {
		return nil
	}
	parent := t
	if fk.RefTable != t.ID {
		if parent, err = ec.Catalog.TableByID(ec.Context, fk.RefTable); err != nil || parent == nil {
			return err
		}
	}
	switch p.kind {
	case checkChild:
		v, ok, err := ec.Txn.Get(ec.Context, p.key)
		if err != nil || !ok {
			return kverror.AsSQL(err) // the row is gone: nothing to check
		}
		r, err := exec.DecodeRowValue(t, v)
		if err != nil {
			return err
		}
		return checkReference(ec, t, fk, parent, r)
	case checkParent:
		// A row with the old key may be there again.
		idx := parentIndex(parent, fk.RefColumnIDs)
		if idx != nil {
			found, err := fetchByIndex(ec, parent, idx, p.r)
			if err != nil {
				return err
			}
			if found != nil {
				return nil
			}
		}
		children, err := referencingRows(ec, t, fk, parent, p.r)
		if err != nil || len(children) == 0 {
			return err
		}
		return pgerror.New(pgerror.ForeignKeyViolation, "update or delete on table %q violates foreign key constraint %q on table %q", parent.Name, fk.Name, t.Name).
			WithDetail("Key %s is still referenced from table %q.", fkKeyText(ec, parent, fk.RefColumnIDs, p.r), t.Name).
			WithConstraint(t.Schema, t.Name, fk.Name)
	}
	return nil
}

// uniqueDuplicate reports whether unique index idx holds more than one
// entry with r's key.
func uniqueDuplicate(ec *execCtx, t *catalog.Table, idx *catalog.Index, r exec.Row) (bool, error) {
	kvs, err := uniqueKeyEntries(ec, t, idx, r)
	return len(kvs) > 1, err
}

// commitChecks runs every queued check in txn before it commits.
func (s *Session) commitChecks(ctx context.Context, txn kv.Txn) error {
	if len(s.cons.pending) == 0 {
		return nil
	}
	b := s.newBuilder(ctx, txn, nil)
	ec := newExecCtx(ctx, s, txn, b.cat)
	return ec.runPendingChecks(true)
}

// planSetConstraints runs SET CONSTRAINTS { ALL | name [, ...] }
// { DEFERRED | IMMEDIATE }.
func (b *builder) planSetConstraints(cs *pg_query.ConstraintsSetStmt) (*stmtPlan, error) {
	return tagOnly("SET CONSTRAINTS", func(ec *execCtx) error {
		m := &b.sess.cons
		if b.sess.state != txnOpen {
			// Outside a block the setting would end with the statement.
			ec.Notices = append(ec.Notices, &pgerror.Error{Severity: "WARNING", Code: pgerror.NoActiveSQLTransaction,
				Message: "SET CONSTRAINTS can only be used in transaction blocks"})
		}
		if len(cs.Constraints) == 0 {
			m.all = -1
			if cs.Deferred {
				m.all = 1
			}
			m.byName = nil
		} else {
			names, err := b.resolveConstraintNames(cs.Constraints)
			if err != nil {
				return err
			}
			if m.byName == nil {
				m.byName = map[string]bool{}
			}
			for _, n := range names {
				m.byName[n] = cs.Deferred
			}
		}
		if cs.Deferred {
			return nil
		}
		return ec.runPendingChecks(false)
	}), nil
}

// resolveConstraintNames finds the deferrable constraints SET
// CONSTRAINTS names, as "schema.name": an unqualified name is looked up
// in every schema of the search path. 42704 for a name no constraint
// has, 42809 for one that is not deferrable.
func (b *builder) resolveConstraintNames(list []*pg_query.Node) ([]string, error) {
	all, err := b.cat.Tables(b.ctx, b.sess.dbID)
	if err != nil {
		return nil, err
	}
	path := searchPathSchemas(b.sess.vars.get("search_path"), b.sess.user)
	if own := b.sess.ownTempSchema(); own != "" {
		path[own] = true
	}
	var out []string
	for _, n := range list {
		rv := n.GetRangeVar()
		if rv == nil {
			continue
		}
		found, deferrable := false, true
		for _, t := range all {
			if rv.Schemaname != "" && t.Schema != rv.Schemaname || rv.Schemaname == "" && !path[t.Schema] || t.Kind != catalog.KindTable {
				continue
			}
			check := func(name string, d bool) {
				if name == rv.Relname {
					found = true
					deferrable = deferrable && d
				}
			}
			for _, fk := range t.ForeignKeys {
				check(fk.Name, fk.Deferrable)
			}
			for _, idx := range t.Indexes {
				if idx.Constraint || idx.Primary {
					check(idx.Name, idx.Deferrable)
				}
			}
			for _, c := range t.Checks {
				check(c.Name, false)
			}
			if found {
				out = append(out, t.Schema+"."+rv.Relname)
			}
		}
		if !found {
			return nil, pgerror.New(pgerror.UndefinedObject, "constraint %q does not exist", rv.Relname)
		}
		if !deferrable {
			return nil, pgerror.New(pgerror.WrongObjectType, "constraint %q is not deferrable", rv.Relname)
		}
	}
	return out, nil
}

// setDeferrability records a constraint's DEFERRABLE and INITIALLY
// DEFERRED on its index.
func setDeferrability(idx *catalog.Index, c *pg_query.Constraint) {
	idx.Deferrable = c.Deferrable || c.Initdeferred
	idx.InitiallyDeferred = c.Initdeferred
}

// foldConstraintAttrs applies a column definition's DEFERRABLE, NOT
// DEFERRABLE, INITIALLY DEFERRED and INITIALLY IMMEDIATE to the
// constraint before them (transformConstraintAttrs), with PostgreSQL's
// errors, and returns the other constraints.
func foldConstraintAttrs(list []*pg_query.Node) ([]*pg_query.Constraint, error) {
	var out []*pg_query.Constraint
	var last *pg_query.Constraint
	sawDeferrability, sawInitially := false, false
	misplaced := func(c *pg_query.Constraint, what string) error {
		return pgerror.New(pgerror.SyntaxError, "misplaced %s clause", what).WithPosition(int(c.Location) + 1)
	}
	canDefer := func(c *pg_query.Constraint) bool {
		if c == nil {
			return false
		}
		switch c.Contype {
		case pg_query.ConstrType_CONSTR_PRIMARY, pg_query.ConstrType_CONSTR_UNIQUE, pg_query.ConstrType_CONSTR_EXCLUSION, pg_query.ConstrType_CONSTR_FOREIGN:
			return true
		}
		return false
	}
	for _, n := range list {
		c := n.GetConstraint()
		if c == nil {
			continue
		}
		switch c.Contype {
		case pg_query.ConstrType_CONSTR_ATTR_DEFERRABLE, pg_query.ConstrType_CONSTR_ATTR_NOT_DEFERRABLE:
			what := "DEFERRABLE"
			if c.Contype == pg_query.ConstrType_CONSTR_ATTR_NOT_DEFERRABLE {
				what = "NOT DEFERRABLE"
			}
			if !canDefer(last) {
				return nil, misplaced(c, what)
			}
			if sawDeferrability {
				return nil, pgerror.New(pgerror.SyntaxError, "multiple DEFERRABLE/NOT DEFERRABLE clauses not allowed").WithPosition(int(c.Location) + 1)
			}
			sawDeferrability = true
			last.Deferrable = c.Contype == pg_query.ConstrType_CONSTR_ATTR_DEFERRABLE
			if !last.Deferrable && last.Initdeferred {
				return nil, pgerror.New(pgerror.SyntaxError, "constraint declared INITIALLY DEFERRED must be DEFERRABLE").WithPosition(int(c.Location) + 1)
			}
		case pg_query.ConstrType_CONSTR_ATTR_DEFERRED, pg_query.ConstrType_CONSTR_ATTR_IMMEDIATE:
			what := "INITIALLY DEFERRED"
			if c.Contype == pg_query.ConstrType_CONSTR_ATTR_IMMEDIATE {
				what = "INITIALLY IMMEDIATE"
			}
			if !canDefer(last) {
				return nil, misplaced(c, what)
			}
			if sawInitially {
				return nil, pgerror.New(pgerror.SyntaxError, "multiple INITIALLY IMMEDIATE/DEFERRED clauses not allowed").WithPosition(int(c.Location) + 1)
			}
			sawInitially = true
			last.Initdeferred = c.Contype == pg_query.ConstrType_CONSTR_ATTR_DEFERRED
			if last.Initdeferred {
				if !sawDeferrability {
					last.Deferrable = true // INITIALLY DEFERRED implies DEFERRABLE
				} else if !last.Deferrable {
					return nil, pgerror.New(pgerror.SyntaxError, "constraint declared INITIALLY DEFERRED must be DEFERRABLE").WithPosition(int(c.Location) + 1)
				}
			}
		default:
			last, sawDeferrability, sawInitially = c, false, false
			out = append(out, c)
		}
	}
	return out, nil
}

// deferrabilitySuffix is what pg_get_constraintdef appends for a
// deferrable constraint.
func deferrabilitySuffix(deferrable, initially bool) string {
	switch {
	case initially:
		return " DEFERRABLE INITIALLY DEFERRED"
	case deferrable:
		return " DEFERRABLE"
	}
	return ""
}

// yesNo is information_schema's yes_or_no.
func yesNo(b bool) string {
	if b {
		return "YES"
	}
	return "NO"
}

var _ = strings.Join
var _ = types.Text
