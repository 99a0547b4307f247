package sql

import (
	"fmt"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/quorumdb/quorumdb/sql/exec"
	"github.com/quorumdb/quorumdb/sql/pgerror"
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

// postAggWholeRow is a whole-row reference (row, built from n) after
// aggregation: the group's value when the query groups by it, else a
// record of its columns, each of which must be grouped or depend on the
// grouped key (PostgreSQL names the reference t.* when one is not).
func (b *builder) postAggWholeRow(n *pg_query.Node, cr *pg_query.ColumnRef, row *exec.RowExpr, info *aggInfo) (exec.Expr, error) {
	key := nodeKey(n)
	for i, k := range info.groupKeys {
		if k == key {
			return &exec.ColRef{Idx: i, T: row.Typ()}, nil
		}
	}
	fields := make([]exec.Expr, len(row.Fields))
	for fi, f := range row.Fields {
		ref := f.(*exec.ColRef)
		if ref.Level > 0 {
			fields[fi] = ref
			continue
		}
		colKey := fmt.Sprintf("col:0:%d", ref.Idx)
		for i, k := range info.groupKeys {
			if k == colKey {
				fields[fi] = &exec.ColRef{Idx: i, T: ref.T, Name: ref.Name}
			}
		}
		if fields[fi] != nil {
			continue
		}
		dep, err := b.functionallyDependent(info, info.input.cols[ref.Idx])
		if err != nil {
			return nil, err
		}
		if !dep {
			return nil, pgerror.New(pgerror.GroupingError, "column \"%s.*\" must appear in the GROUP BY clause or be used in an aggregate function", info.input.cols[ref.Idx].Table).
				WithPosition(int(cr.Location) + 1)
		}
		fields[fi] = b.dependentColumn(info, ref, colKey)
	}
	return &exec.RowExpr{Fields: fields, Names: row.Names}, nil
}
