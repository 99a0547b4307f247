package sql

import (
	"fmt"
	"slices"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/quorumdb/quorumdb/sql/catalog"
	"github.com/quorumdb/quorumdb/sql/pgerror"
)

// queryRangeVars lists the relation references of a query in walk order;
// the order is stable across deparse and parse, which is what lets a view
// keep the oid each reference was bound to beside its text.
func queryRangeVars(n *pg_query.Node) []*pg_query.RangeVar {
	var out []*pg_query.RangeVar
	walkNode(n, func(n *pg_query.Node) bool {
		if rv := n.GetRangeVar(); rv != nil {
			out = append(out, rv)
		}
		return true
	})
	return out
}

// recordViewBindings stores on v the oid each relation reference of
// query resolved to while it was planned (b.boundRels), and the
// dependencies they make: PostgreSQL binds a view by oid at CREATE VIEW.
func (b *builder) recordViewBindings(v *catalog.Table, query *pg_query.Node) error {
	names := map[string]bool{}
	star := false
	walkNode(query, func(n *pg_query.Node) bool {
		if cr := n.GetColumnRef(); cr != nil && len(cr.Fields) > 0 {
			last := cr.Fields[len(cr.Fields)-1]
			if last.GetAStar() != nil {
				star = true
			} else {
				names[last.GetString_().GetSval()] = true
			}
		}
		return true
	})
	seen := map[uint32]bool{}
	for _, rv := range queryRangeVars(query) {
		id := b.boundRels[rv]
		v.ViewRefs = append(v.ViewRefs, id)
		if id == 0 || id == v.ID || seen[id] {
			continue
		}
		seen[id] = true
		ref, err := b.cat.TableByID(b.ctx, id)
		if err != nil {
			return err
		}
		if ref == nil {
			continue
		}
		dep := catalog.ViewDep{RelID: id}
		if ref.Kind != catalog.KindSequence {
			for _, c := range ref.Columns {
				if !c.Hidden && (star || names[c.Name]) {
					dep.Columns = append(dep.Columns, c.ID)
				}
			}
		}
		if pk, ok := b.groupDeps[id]; ok {
			dep.Constraint = pk
		}
		v.ViewDeps = append(v.ViewDeps, dep)
	}
	return nil
}

// boundViewQuery parses v's query and points every reference bound at
// CREATE VIEW to that relation's current schema and name, so a rename
// keeps the view working and a same-named temporary table does not
// capture it. display leaves unqualified names unqualified (for
// pg_get_viewdef).
func boundViewQuery(ec *execCtx, v *catalog.Table, display bool) (*pg_query.ParseResult, error) {
	res, err := pg_query.Parse(v.ViewQuery)
	if err != nil || len(res.Stmts) != 1 {
		return nil, fmt.Errorf("sql: view %s has an invalid definition: %v", v.Name, err)
	}
	rvs := queryRangeVars(res.Stmts[0].Stmt)
	if len(rvs) != len(v.ViewRefs) {
		return res, nil // a view stored before bindings were recorded
	}
	for i, rv := range rvs {
		if v.ViewRefs[i] == 0 {
			continue
		}
		t, err := ec.Catalog.TableByID(ec.Context, v.ViewRefs[i])
		if err != nil {
			return nil, err
		}
		if t == nil {
			return nil, pgerror.New(pgerror.UndefinedTable, "relation %q of view %s no longer exists", rv.Relname, v.Name)
		}
		if rv.Relname != t.Name && rv.Alias == nil {
			// Column references qualified by the old name keep working.
			rv.Alias = &pg_query.Alias{Aliasname: rv.Relname}
		}
		if !display || rv.Schemaname != "" {
			rv.Schemaname = t.Schema
		}
		rv.Relname = t.Name
	}
	return res, nil
}

// dependent is an object that must go when the object it depends on does.
type dependent struct {
	desc string // "view v", "default value for column id of table t"
	on   string // what it depends on: "table t", "column a of table t"
	view *catalog.Table
	// table and column name a default that draws from a sequence.
	table  *catalog.Table
	column string
}

func relKindName(t *catalog.Table) string {
	switch t.Kind {
	case catalog.KindView:
		return "view"
	case catalog.KindSequence:
		return "sequence"
	}
	return "table"
}

// dependentsOf lists, transitively, what depends on rel (on its column
// colID when that is not 0): views reading it and, for a sequence, the
// column defaults calling nextval on it.
func (b *builder) dependentsOf(rel *catalog.Table, colID uint32, colName string) ([]dependent, error) {
	all, err := b.cat.Tables(b.ctx, rel.DBID)
	if err != nil {
		return nil, err
	}
	var out []dependent
	if rel.Kind == catalog.KindSequence {
		for _, t := range all {
			if t.Kind != catalog.KindTable {
				continue
			}
			for _, c := range visibleColumns(t) {
				if defaultUsesSequence(c.Default, t.Schema, rel) {
					out = append(out, dependent{desc: fmt.Sprintf("default value for column %s of table %s", c.Name, t.Name),
						on: "sequence " + rel.Name, table: t, column: c.Name})
				}
			}
		}
	}
	seen := map[uint32]bool{}
	var visit func(r *catalog.Table, colID uint32, on string)
	visit = func(r *catalog.Table, colID uint32, on string) {
		for _, v := range all {
			if v.Kind != catalog.KindView || seen[v.ID] || v.ID == r.ID {
				continue
			}
			uses := false
			for _, d := range v.ViewDeps {
				if d.RelID == r.ID && (colID == 0 || slices.Contains(d.Columns, colID)) {
					uses = true
				}
			}
			if !uses {
				continue
			}
			seen[v.ID] = true
			out = append(out, dependent{desc: "view " + v.Name, on: on, view: v})
			visit(v, 0, "view "+v.Name)
		}
	}
	on := relKindName(rel) + " " + rel.Name
	if colID != 0 {
		on = fmt.Sprintf("column %s of %s", colName, on)
	}
	visit(rel, colID, on)
	return out, nil
}

// defaultUsesSequence reports whether a default expression calls nextval
// on seq, resolving an unqualified name in the table's schema, then public.
func defaultUsesSequence(def, tableSchema string, seq *catalog.Table) bool {
	m := nextvalSequence.FindStringSubmatch(def)
	if m == nil {
		return false
	}
	name := strings.ReplaceAll(m[1], "''", "'")
	schema, rel, qualified := cutLast(name, ".")
	if !qualified {
		return unquoteIdent(name) == seq.Name && (seq.Schema == tableSchema || seq.Schema == "public")
	}
	return unquoteIdent(rel) == seq.Name && unquoteIdent(schema) == seq.Schema
}

// dropDependents refuses (2BP01) to drop what has dependents unless
// cascade is set, in which case it drops them with PostgreSQL's notice.
// what names the object being dropped ("table t", "column a of table t").
func (b *builder) dropDependents(ec *execCtx, what string, rel *catalog.Table, colID uint32, colName string, cascade bool) error {
	deps, err := b.dependentsOf(rel, colID, colName)
	if err != nil {
		return err
	}
	var live []dependent
	for _, d := range deps {
		if d.view != nil && b.dropping[d.view.ID] {
			continue // dropped by the same statement
		}
		live = append(live, d)
	}
	if len(live) == 0 {
		return nil
	}
	lines := make([]string, len(live))
	for i, d := range live {
		if cascade {
			lines[i] = "drop cascades to " + d.desc
		} else {
			lines[i] = d.desc + " depends on " + d.on
		}
	}
	if !cascade {
		return pgerror.New(pgerror.DependentObjectsStillExist, "cannot drop %s because other objects depend on it", what).
			WithDetail("%s", strings.Join(lines, "\n")).
			WithHint("Use DROP ... CASCADE to drop the dependent objects too.")
	}
	if len(lines) == 1 {
		ec.AddNotice(lines[0])
	} else {
		ec.Notices = append(ec.Notices, &pgerror.Error{Severity: "NOTICE", Code: pgerror.SuccessfulCompletion,
			Message: fmt.Sprintf("drop cascades to %d other objects", len(lines)), Detail: strings.Join(lines, "\n")})
	}
	for _, d := range live {
		switch {
		case d.view != nil:
			if err := b.cat.DeleteTable(b.ctx, d.view); err != nil {
				return err
			}
		case d.table != nil:
			t, err := b.cat.TableByID(b.ctx, d.table.ID)
			if err != nil || t == nil {
				return err
			}
			t = t.Clone()
			if _, c := t.ColumnByName(d.column); c != nil {
				c.Default = ""
			}
			if err := b.cat.WriteTable(b.ctx, t); err != nil {
				return err
			}
		}
	}
	return nil
}

// dropOutsideViews drops the views outside the statement's dropped set
// (b.dropping) that depend on rel, for DROP SCHEMA ... CASCADE, which does
// not list what it drops.
func (b *builder) dropOutsideViews(rel *catalog.Table) error {
	deps, err := b.dependentsOf(rel, 0, "")
	if err != nil {
		return err
	}
	for _, d := range deps {
		if d.view == nil || b.dropping[d.view.ID] {
			continue
		}
		b.dropping[d.view.ID] = true
		if err := b.cat.DeleteTable(b.ctx, d.view); err != nil {
			return err
		}
	}
	return nil
}
