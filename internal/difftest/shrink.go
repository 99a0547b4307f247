package difftest

import (
	"context"
	"regexp"
	"slices"
)

// Case is a reproduction: the statements that build the tables and
// their rows, and a query tree.
type Case struct {
	Setup []Stmt
	Root  *Node
}

// Oracle says whether a candidate case still fails the way the original
// did. It may be called many times.
type Oracle func(ctx context.Context, c Case) bool

// Shrink reduces a failing case: parts of the query (clauses, list
// items, subexpressions replaced by a smaller one of the same type or
// by NULL), then rows, indexes and tables the query does not name, then
// the query again. It calls fails at most budget times and returns the
// smallest case that still failed.
func Shrink(ctx context.Context, c Case, fails Oracle, budget int) Case {
	s := &shrinker{fails: fails, budget: budget}
	c = s.query(ctx, c)
	c = s.data(ctx, c)
	c = s.query(ctx, c)
	return c
}

type shrinker struct {
	fails  Oracle
	budget int
}

func (s *shrinker) try(ctx context.Context, c Case) bool {
	if s.budget <= 0 || ctx.Err() != nil {
		return false
	}
	s.budget--
	return s.fails(ctx, c)
}

// query shrinks the tree, one accepted change at a time, until no
// candidate fails any more.
func (s *shrinker) query(ctx context.Context, c Case) Case {
	for progress := true; progress && s.budget > 0; {
		progress = false
		nodes := c.Root.Nodes()
		for i := 0; i < len(nodes) && !progress; i++ {
			for _, with := range candidates(nodes[i]) {
				cand := Case{Setup: c.Setup, Root: c.Root.Replace(i, with)}
				if cand.Root.Render() == c.Root.Render() {
					continue
				}
				if s.try(ctx, cand) {
					c, progress = cand, true
					break
				}
			}
		}
	}
	return c
}

// candidates lists smaller replacements for node n.
func candidates(n *Node) []*Node {
	var out []*Node
	switch n.Kind {
	case KClause:
		if len(n.Parts) > 0 {
			out = append(out, &Node{Kind: KClause, OrderPos: -1})
		}
	case KList:
		if len(n.Parts) > n.Min {
			for j := range n.Parts {
				c := *n
				c.Parts = slices.Delete(slices.Clone(n.Parts), j, j+1)
				out = append(out, &c)
			}
		}
	case KExpr:
		if n.size() == 1 {
			break
		}
		// Subexpressions of the same type, nearest first.
		var subs []*Node
		var find func(m *Node)
		find = func(m *Node) {
			for _, k := range m.kids() {
				if k.Kind == KExpr && k.T == n.T {
					subs = append(subs, k)
					continue
				}
				if k.Kind != KQuery {
					find(k)
				}
			}
		}
		find(n)
		out = append(out, subs...)
		out = append(out, expr(n.T, "NULL::"+castName(n.T)))
	}
	return out
}

var tableName = regexp.MustCompile(`\bt[0-9]+\b`)

// data removes statements: tables the query does not name, then rows
// (in halves, quarters, ... as delta debugging does), then indexes.
func (s *shrinker) data(ctx context.Context, c Case) Case {
	named := map[string]bool{}
	for _, m := range tableName.FindAllString(c.Root.Render(), -1) {
		named[m] = true
	}
	var keep []Stmt
	for _, st := range c.Setup {
		if named[st.Table] {
			keep = append(keep, st)
		}
	}
	if len(keep) < len(c.Setup) {
		if cand := (Case{Setup: keep, Root: c.Root}); s.try(ctx, cand) {
			c = cand
		}
	}
	// Rows: delta debugging over the INSERTs.
	for n := 2; s.budget > 0; {
		var rows []int
		for i, st := range c.Setup {
			if st.Insert {
				rows = append(rows, i)
			}
		}
		if len(rows) == 0 {
			break
		}
		n = min(n, len(rows))
		chunk := (len(rows) + n - 1) / n
		removed := false
		for start := 0; start < len(rows); start += chunk {
			drop := map[int]bool{}
			for _, i := range rows[start:min(start+chunk, len(rows))] {
				drop[i] = true
			}
			cand := Case{Root: c.Root}
			for i, st := range c.Setup {
				if !drop[i] {
					cand.Setup = append(cand.Setup, st)
				}
			}
			if s.try(ctx, cand) {
				c, removed = cand, true
				break
			}
		}
		switch {
		case removed:
			n = max(n-1, 2)
		case n >= len(rows):
			n = -1
		default:
			n = min(2*n, len(rows))
		}
		if n < 0 {
			break
		}
	}
	// Indexes and other statements but the CREATE TABLEs, one by one.
	for i := 0; i < len(c.Setup); i++ {
		st := c.Setup[i]
		if st.Insert || isCreateTable(st.SQL) {
			continue
		}
		cand := Case{Root: c.Root, Setup: slices.Delete(slices.Clone(c.Setup), i, i+1)}
		if s.try(ctx, cand) {
			c = cand
			i--
		}
	}
	return c
}

var createTable = regexp.MustCompile(`^CREATE TABLE `)

func isCreateTable(sql string) bool { return createTable.MatchString(sql) }
