package sql

import (
	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/quorumdb/quorumdb/sql/exec"
)

// Whole-row references: a FROM item's name used as a value (SELECT
// row_to_json(t) FROM t, json_agg(q)) is a record of its visible
// columns, named as they are; t.* inside ROW(…) stands for those
// columns one by one. A column of that name wins, as in PostgreSQL.

// tableColumns returns references to the visible columns of the FROM
// item named table, from the innermost query level that has it.
func (s *scope) tableColumns(table string) (refs []exec.Expr, names []string) {
	level := 0
	for sc := s; sc != nil; sc = sc.parent {
		for i, c := range sc.cols {
			if c.Table == table && !c.Hidden {
				refs = append(refs, &exec.ColRef{Idx: i, Level: level, T: c.T, Name: c.Name})
				names = append(names, c.Name)
			}
		}
		if len(refs) > 0 {
			return refs, names
		}
		level++
	}
	return nil, nil
}

// wholeRow is the record value of the FROM item named table; ok is false
// when no FROM item has that name.
func (s *scope) wholeRow(table string) (e exec.Expr, ok bool) {
	refs, names := s.tableColumns(table)
	if refs == nil {
		return nil, false
	}
	return &exec.RowExpr{Fields: refs, Names: names}, true
}

// rowStarTable returns t when n is t.* (a ROW constructor's argument
// that expands to t's columns).
func rowStarTable(n *pg_query.Node) (string, bool) {
	cr := n.GetColumnRef()
	if cr == nil || len(cr.Fields) != 2 || cr.Fields[1].GetAStar() == nil {
		return "", false
	}
	t := cr.Fields[0].GetString_()
	if t == nil {
		return "", false
	}
	return t.Sval, true
}
