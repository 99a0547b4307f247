package sql

import (
	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/quorumdb/quorumdb/sql/builtins"
	"github.com/quorumdb/quorumdb/sql/exec"
)

// A subquery's output column that the enclosing query never reads is
// never computed, as in PostgreSQL, where such columns vanish when the
// subquery is pulled up, or are replaced by NULL
// (remove_unused_subquery_outputs): SELECT a FROM (SELECT x AS a, 1/x AS
// b FROM t) s does not divide. This applies to subqueries in FROM, views
// and WITH queries referenced once and not MATERIALIZED (PostgreSQL
// inlines those); a WITH query referenced nowhere is never evaluated.
// Kept, as PostgreSQL keeps them: every column of a plain DISTINCT or of
// a set operation other than UNION ALL, ORDER BY and DISTINCT ON keys, and
// columns with volatile functions or subqueries.
//
// Uses are found in the parse tree of the enclosing SELECT, by name and
// conservatively: any column reference with a field of that name, any *,
// a whole-row reference to the item or a NATURAL join counts as a use.

// subqueryOutputs locates the projection computing a SELECT's outputs.
type subqueryOutputs struct {
	proj     *exec.ProjectNode // nil for UNION ALL: see branches
	n        int               // output columns
	keep     map[int]bool      // ORDER BY and DISTINCT ON columns
	branches []*subqueryOutputs
}

// pruneCandidate is a FROM item whose unused outputs may be dropped.
type pruneCandidate struct {
	node  *pg_query.Node // the item in the parse tree, not searched for uses
	alias string
	names []string
	out   *subqueryOutputs
}

// candidate registers FROM item n (built as plan p, with the columns the
// enclosing query sees) for pruning when p is a SELECT whose outputs are
// known.
func (b *builder) candidate(n *pg_query.Node, p exec.Node, cols []exec.Column) {
	out := b.outputs[p]
	if out == nil || len(b.pruneFrames) == 0 {
		return
	}
	c := &pruneCandidate{node: n, out: out}
	for _, col := range cols {
		c.names = append(c.names, col.Name)
		c.alias = col.Table
	}
	top := len(b.pruneFrames) - 1
	b.pruneFrames[top] = append(b.pruneFrames[top], c)
}

// pruneUnused drops the outputs of the candidates of the SELECT sel that
// sel does not read.
func (b *builder) pruneUnused(sel *pg_query.SelectStmt, cands []*pruneCandidate) {
	if len(cands) == 0 {
		return
	}
	root := &pg_query.Node{Node: &pg_query.Node_SelectStmt{SelectStmt: sel}}
	for _, c := range cands {
		used := map[string]bool{}
		all := false
		walkNode(root, func(n *pg_query.Node) bool {
			if n == c.node {
				return false
			}
			switch v := n.Node.(type) {
			case *pg_query.Node_ColumnRef:
				fields := v.ColumnRef.Fields
				if len(fields) == 1 && fields[0].GetString_().GetSval() == c.alias {
					all = true // a whole-row reference
				}
				for _, f := range fields {
					if f.GetAStar() != nil {
						all = true
					}
					used[f.GetString_().GetSval()] = true
				}
			case *pg_query.Node_JoinExpr:
				if v.JoinExpr.IsNatural {
					all = true
				}
				for _, u := range v.JoinExpr.UsingClause {
					used[u.GetString_().GetSval()] = true
				}
			}
			return true
		})
		if all {
			continue
		}
		for i, name := range c.names {
			if !used[name] {
				b.dropOutput(c.out, i)
			}
		}
	}
}

// dropOutput replaces output column i of out by NULL unless it must stay.
func (b *builder) dropOutput(out *subqueryOutputs, i int) {
	if out.keep[i] || i >= out.n {
		return
	}
	for _, br := range out.branches {
		b.dropOutput(br, i)
	}
	if out.proj == nil {
		return
	}
	e := out.proj.Exprs[i]
	switch e.(type) {
	case *exec.ColRef, *exec.ConstExpr:
		return // nothing to save
	}
	if hasSideEffects(e) {
		return
	}
	b.kill(e)
	out.proj.Exprs[i] = &exec.ConstExpr{T: e.Typ()}
}

// hasSideEffects reports whether e may be volatile (PostgreSQL keeps such
// outputs for their side effects) or holds a subquery.
func hasSideEffects(e exec.Expr) bool {
	found := false
	visitExpr(e, func(x exec.Expr) {
		switch v := x.(type) {
		case *exec.FuncExpr:
			found = found || v.Ov.Volatile
		case *goFuncExpr, *exec.SubqueryExpr:
			found = true
		case *userFuncCall:
			found = found || v.f.Volatility == "v"
		}
	})
	return found
}

// queryMaybeVolatile reports whether a query's text calls a function that
// may be volatile; PostgreSQL does not inline such a WITH query.
func queryMaybeVolatile(sel *pg_query.SelectStmt) bool {
	found := false
	walkNode(&pg_query.Node{Node: &pg_query.Node_SelectStmt{SelectStmt: sel}}, func(n *pg_query.Node) bool {
		if fc := n.GetFuncCall(); fc != nil {
			if _, name := funcName(fc.Funcname); builtins.MaybeVolatile(name) {
				found = true
			}
		}
		return !found
	})
	return found
}

// countRelRefs counts the unqualified references to relation name in
// statement stmt.
func countRelRefs(stmt *pg_query.Node, name string) int {
	n := 0
	walkNode(stmt, func(x *pg_query.Node) bool {
		if rv := x.GetRangeVar(); rv != nil && rv.Schemaname == "" && rv.Relname == name {
			n++
		}
		return true
	})
	return n
}
