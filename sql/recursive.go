package sql

import (
	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/quorumdb/quorumdb/sql/exec"
	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// WITH RECURSIVE name AS (anchor UNION [ALL] recursive): the anchor runs
// once; the recursive term then runs repeatedly over the rows the previous
// round produced (the working table) until it produces none.

// maxRecursionRows bounds a recursive query that never terminates.
const maxRecursionRows = 10_000_000

// workTable is the rows of the previous round, read by the recursive term.
type workTable struct {
	cols []exec.Column
	rows []exec.Row
}

// workTableScan reads the current working table.
type workTableScan struct{ wt *workTable }

func (n *workTableScan) Columns() []exec.Column { return n.wt.cols }
func (n *workTableScan) Exec(*exec.Ctx) (exec.Iter, error) {
	return &exec.SliceIter{Rows: n.wt.rows}, nil
}

// recursiveNode evaluates a recursive CTE.
type recursiveNode struct {
	anchor, recursive exec.Node
	wt                *workTable
	all               bool
	cols              []exec.Column
}

func (n *recursiveNode) Columns() []exec.Column { return n.cols }

func (n *recursiveNode) Exec(ec *exec.Ctx) (exec.Iter, error) {
	out, held, err := exec.CollectHeld(ec, n.anchor)
	if err != nil {
		return nil, err
	}
	fail := func(err error) (exec.Iter, error) {
		ec.Mem.Shrink(held)
		return nil, err
	}
	seen := map[string]bool{}
	if !n.all {
		out = dedupe(n.cols, out, seen)
	}
	working := out
	for len(working) > 0 {
		if err := ec.Context.Err(); err != nil {
			return fail(err)
		}
		n.wt.rows = working
		next, nextHeld, err := exec.CollectHeld(ec, n.recursive)
		if err != nil {
			return fail(err)
		}
		held += nextHeld
		if !n.all {
			next = dedupe(n.cols, next, seen)
		}
		out = append(out, next...)
		if len(out) > maxRecursionRows {
			return fail(pgerror.New(pgerror.ProgramLimitExceeded, "recursive query produced more than %d rows", maxRecursionRows))
		}
		working = next
	}
	n.wt.rows = nil
	return &exec.HeldIter{Rows: out, Mem: ec.Mem, Held: held}, nil
}

func dedupe(cols []exec.Column, rows []exec.Row, seen map[string]bool) []exec.Row {
	out := rows[:0:0]
	for _, r := range rows {
		k := exec.RowKey(cols, r, len(cols))
		if !seen[k] {
			seen[k] = true
			out = append(out, r)
		}
	}
	return out
}

// cteReferences reports whether sel mentions the table name.
func cteReferences(sel *pg_query.SelectStmt, name string) bool {
	found := false
	walkNode(&pg_query.Node{Node: &pg_query.Node_SelectStmt{SelectStmt: sel}}, func(n *pg_query.Node) bool {
		if rv := n.GetRangeVar(); rv != nil && rv.Schemaname == "" && rv.Relname == name {
			found = true
		}
		return !found
	})
	return found
}

// checkRecursiveUnion refuses the clauses PostgreSQL does not implement on
// a recursive query's UNION (checkWellFormedRecursion), in its order and
// with its positions. Ignoring them would be a wrong answer and, for
// LIMIT, a recursion the limit was meant to stop running on until the
// statement timeout.
func checkRecursiveUnion(sel *pg_query.SelectStmt) error {
	refuse := func(what string, at *pg_query.Node) error {
		err := pgerror.New(pgerror.FeatureNotSupported, "%s in a recursive query is not implemented", what)
		if at != nil {
			if loc := nodeLocation(at, -1); loc >= 0 {
				err = err.WithPosition(loc + 1)
			}
		}
		return err
	}
	switch {
	case len(sel.SortClause) > 0:
		var at *pg_query.Node
		if sb := sel.SortClause[0].GetSortBy(); sb != nil {
			at = sb.Node
		}
		return refuse("ORDER BY", at)
	case sel.LimitOffset != nil:
		return refuse("OFFSET", sel.LimitOffset)
	case sel.LimitCount != nil:
		return refuse("LIMIT", sel.LimitCount)
	case len(sel.LockingClause) > 0:
		return refuse("FOR UPDATE/SHARE", nil)
	}
	return nil
}

func (b *builder) buildRecursiveCTE(cte *pg_query.CommonTableExpr, sel *pg_query.SelectStmt, parent *scope) (*cteDef, error) {
	if err := checkRecursiveUnion(sel); err != nil {
		return nil, err
	}
	anchor, err := b.buildSelect(sel.Larg, parent)
	if err != nil {
		return nil, err
	}
	cols := append([]exec.Column(nil), anchor.Columns()...)
	for i, a := range cte.Aliascolnames {
		if i < len(cols) {
			cols[i].Name = a.GetString_().GetSval()
		}
	}
	wt := &workTable{cols: cols}
	// While the recursive term is planned, the name means the working table.
	b.ctes[len(b.ctes)-1][cte.Ctename] = &cteDef{plan: &workTableScan{wt: wt}, cols: cols}
	rec, err := b.buildSelect(sel.Rarg, parent)
	if err != nil {
		return nil, err
	}
	rc := rec.Columns()
	if len(rc) != len(cols) {
		return nil, pgerror.New(pgerror.SyntaxError, "each UNION query must have the same number of columns")
	}
	exprs := make([]exec.Expr, len(rc))
	needCast := false
	for i := range rc {
		exprs[i] = &exec.ColRef{Idx: i, T: rc[i].T}
		if !rc[i].T.Equal(cols[i].T) {
			// As in PostgreSQL, the non-recursive term fixes the column's
			// type: the union's common type must be that type (1 then
			// n + 0.5 is an error, not a rounding to integer).
			overall, err := commonType([]types.T{cols[i].T, rc[i].T}, "UNION")
			if err == nil && !overall.Equal(cols[i].T) {
				err = pgerror.New(pgerror.DatatypeMismatch, "recursive query %q column %d has type %s in non-recursive term but type %s overall", cte.Ctename, i+1, types.TypeName(cols[i].T), types.TypeName(overall)).
					WithHint("Cast the output of the non-recursive term to the correct type.")
			}
			if err != nil {
				return nil, err
			}
			needCast = true
			if exprs[i], err = b.coerce(exprs[i], cols[i].T, "recursive query"); err != nil {
				return nil, err
			}
		}
	}
	if needCast {
		rec = &exec.ProjectNode{Input: rec, Exprs: exprs, Cols: cols}
	}
	node := &recursiveNode{anchor: anchor, recursive: rec, wt: wt, all: sel.All, cols: cols}
	return &cteDef{plan: node, cols: cols}, nil
}
