package sql

import (
	"regexp"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/quorumdb/quorumdb/sql/catalog"
	"github.com/quorumdb/quorumdb/sql/exec"
)

// oidPgAttrdefTable is pg_attrdef's pg_class oid (classid of a default).
const oidPgAttrdefTable = 2604

// nextvalSequence finds the sequence a nextval default draws from.
var nextvalSequence = regexp.MustCompile(`nextval\('((?:[^']|'')+)'(?:::regclass)?\)`)

// objectDependencyRows are the dependencies pg_dump orders its output by:
// a column default on the sequence its nextval names (so a serial's
// default is set after CREATE SEQUENCE), a view on the relations and
// columns its query reads (recorded at CREATE VIEW; so it is created after
// them), and a plain index on its table's columns.
func objectDependencyRows(s *pgSnapshot) []exec.Row {
	byName := map[string]*catalog.Table{}
	for _, t := range s.rels {
		byName[t.Schema+"."+t.Name] = t
	}
	// resolve finds a relation the way a session with the default
	// search_path would: schema-qualified, or in public.
	resolve := func(schema, name, fallback string) *catalog.Table {
		if schema != "" {
			return byName[schema+"."+name]
		}
		if t := byName[fallback+"."+name]; t != nil {
			return t
		}
		return byName["public."+name]
	}
	var out []exec.Row
	for _, t := range s.rels {
		switch t.Kind {
		case catalog.KindTable:
			out = append(out, indexDependencyRows(t)...)
			for i, c := range visibleColumns(t) {
				m := nextvalSequence.FindStringSubmatch(c.Default)
				if m == nil {
					continue
				}
				name := strings.ReplaceAll(m[1], "''", "'")
				schema, rel, qualified := cutLast(name, ".")
				if !qualified {
					schema, rel = "", name
				}
				seq := resolve(unquoteIdent(schema), unquoteIdent(rel), t.Schema)
				if seq == nil || seq.Kind != catalog.KindSequence {
					continue
				}
				out = append(out, exec.Row{int64(oidPgAttrdefTable), derivedOID(derivedDefault, t.ID, i+1), int64(0),
					int64(oidPgClassTable), int64(seq.ID), int64(0), "n"})
			}
		case catalog.KindView:
			if t.ViewRefs != nil {
				out = append(out, viewDependencyRows(t, s)...)
				continue
			}
			res, err := pg_query.Parse(t.ViewQuery)
			if err != nil {
				continue
			}
			seen := map[uint32]bool{}
			for _, st := range res.Stmts {
				walkNode(st.Stmt, func(n *pg_query.Node) bool {
					rv := n.GetRangeVar()
					if rv == nil {
						return true
					}
					ref := resolve(rv.Schemaname, rv.Relname, t.Schema)
					if ref != nil && ref.ID != t.ID && !seen[ref.ID] {
						seen[ref.ID] = true
						out = append(out, exec.Row{int64(oidPgClassTable), int64(t.ID), int64(0),
							int64(oidPgClassTable), int64(ref.ID), int64(0), "n"})
					}
					return true
				})
			}
		}
	}
	return out
}

func unquoteIdent(s string) string {
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		return strings.ReplaceAll(s[1:len(s)-1], `""`, `"`)
	}
	return lowerASCII(s)
}

// viewDependencyRows are the dependencies recorded at CREATE VIEW: one row
// per column the view reads (refobjsubid its attnum), or one on the
// relation as a whole when it reads no column of it.
func viewDependencyRows(v *catalog.Table, s *pgSnapshot) []exec.Row {
	byID := map[uint32]*catalog.Table{}
	for _, t := range s.rels {
		byID[t.ID] = t
	}
	var out []exec.Row
	for _, d := range v.ViewDeps {
		ref := byID[d.RelID]
		if ref == nil {
			continue
		}
		if len(d.Columns) == 0 {
			out = append(out, exec.Row{int64(oidPgClassTable), int64(v.ID), int64(0), int64(oidPgClassTable), int64(ref.ID), int64(0), "n"})
			continue
		}
		nums := attnums(ref)
		for _, c := range d.Columns {
			if n, ok := nums[c]; ok {
				out = append(out, exec.Row{int64(oidPgClassTable), int64(v.ID), int64(0), int64(oidPgClassTable), int64(ref.ID), n, "n"})
			}
		}
	}
	return out
}

// indexDependencyRows are the automatic ('a') dependencies of a plain
// index on its table's key columns (on the table as a whole when its keys
// are all expressions), so that the index goes with the table. A
// constraint's index depends on the constraint in PostgreSQL, which is
// left out: here they share one oid.
func indexDependencyRows(t *catalog.Table) []exec.Row {
	nums := attnums(t)
	var out []exec.Row
	for _, idx := range visibleIndexes(t) {
		if isConstraintIndex(idx) {
			continue
		}
		n := len(out)
		for _, id := range idx.ColumnIDs {
			if a, ok := nums[id]; ok && id != 0 {
				out = append(out, exec.Row{int64(oidPgClassTable), int64(idx.OID), int64(0), int64(oidPgClassTable), int64(t.ID), a, "a"})
			}
		}
		if len(out) == n {
			out = append(out, exec.Row{int64(oidPgClassTable), int64(idx.OID), int64(0), int64(oidPgClassTable), int64(t.ID), int64(0), "a"})
		}
	}
	return out
}
