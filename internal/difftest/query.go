package difftest

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// leaf is a column (or, in a grouped query, a grouping expression) an
// expression may use.
type leaf struct {
	sql string
	t   Type
}

// scope is what a query level's expressions may reference.
type scope struct {
	cols []leaf
	// keys are the unique, non-null key columns of the FROM items; a
	// window ORDER BY ending in them is a total order.
	keys []string
	// keyed says every FROM item has a key.
	keyed bool
}

// gen generates one query.
type gen struct {
	r   *rand.Rand
	opt Options
	s   *Schema
	sc  *scope
	// outer are the columns of enclosing query levels (correlation).
	outer []leaf
	// grouped, when not nil, are the grouping expressions a grouped
	// query's expressions may use; aggOK says aggregates may appear.
	grouped []leaf
	aggOK   bool
	alias   int
	// ctes are the WITH queries in scope: name and column types.
	ctes []cte
	// subDepth bounds nested subqueries.
	subDepth int
	// forceAgg makes the next selectQ an aggregate without GROUP BY.
	forceAgg bool
	// plain says the last selectQ was neither grouped nor DISTINCT (an
	// ORDER BY may use any expression of its scope).
	plain bool
}

type cte struct {
	name  string
	types []Type
}

// Query is a generated query: its tree and the seed and index it came
// from.
type Query struct {
	Seed  uint64
	Index int
	Root  *Node
}

// SQL returns the query's text.
func (q *Query) SQL() string { return q.Root.Render() }

// GenQuery generates query i of the schema's seed.
func GenQuery(s *Schema, opt Options, i int) *Query {
	g := &gen{r: rng(s.Seed, uint64(i)), opt: opt, s: s}
	return &Query{Seed: s.Seed, Index: i, Root: g.top()}
}

func (g *gen) pct(p int) bool { return g.r.IntN(100) < p }

func (g *gen) pick(ts []Type) Type { return ts[g.r.IntN(len(ts))] }

func (g *gen) newAlias(prefix string) string {
	g.alias++
	return fmt.Sprintf("%s%d", prefix, g.alias)
}

// top generates a top-level statement with its ORDER BY and LIMIT.
func (g *gen) top() *Node {
	var with *Node
	if g.opt.CTEs && g.pct(12) {
		with = g.with()
	}
	var body *Node
	var types []Type
	setop := g.opt.SetOps && g.pct(12)
	if setop {
		body, types = g.setOp()
	} else {
		body, types = g.selectQ(nil, true)
	}
	root := mk(KQuery, with, body)
	// ORDER BY and LIMIT of the statement.
	switch x := g.r.IntN(100); {
	case x < 45:
	case x < 75:
		// Some output columns: compared run by run.
		var items []*Node
		for _, p := range g.r.Perm(len(types))[:1+g.r.IntN(len(types))] {
			items = append(items, g.orderItem(p))
		}
		ob := list(", ", 1, items...)
		ob.TopOrder = true
		root.Parts = append(root.Parts, clause(" ORDER BY ", ob))
	case x < 85 && !setop && g.plain && with == nil:
		// An expression: the rows are compared as a multiset.
		ob := list(", ", 1, mk(KText, g.expr(g.pick(g.types()), 1), g.dir()))
		ob.TopOrder = true
		root.Parts = append(root.Parts, clause(" ORDER BY ", ob))
	default:
		// Every output column, then LIMIT/OFFSET.
		var items []*Node
		for _, p := range g.r.Perm(len(types)) {
			items = append(items, g.orderItem(p))
		}
		ob := list(", ", 1, items...)
		ob.TopOrder = true
		root.Parts = append(root.Parts, clause(" ORDER BY ", ob))
		lim := clause(fmt.Sprintf(" LIMIT %d", g.r.IntN(6)))
		if g.pct(40) {
			lim.Parts = append(lim.Parts, fmt.Sprintf(" OFFSET %d", g.r.IntN(4)))
		}
		lim.TopLimit = true
		root.Parts = append(root.Parts, lim)
	}
	return root
}

func (g *gen) dir() string {
	return []string{"", " DESC", " ASC NULLS FIRST", " DESC NULLS LAST"}[g.r.IntN(4)]
}

func (g *gen) orderItem(pos int) *Node {
	n := mk(KText, fmt.Sprintf("%d%s", pos+1, g.dir()))
	n.OrderPos = pos
	return n
}

// types are the expression types the options allow.
func (g *gen) types() []Type { return g.opt.types() }

// with generates a WITH clause of one or two queries.
func (g *gen) with() *Node {
	var items []*Node
	for range 1 + g.r.IntN(2) {
		name := g.newAlias("w")
		sel, types := g.sub(func() (*Node, []Type) { return g.selectQ(nil, false) })
		var cols []string
		for i := range types {
			cols = append(cols, fmt.Sprintf("c%d", i))
		}
		mat := ""
		if g.pct(30) {
			mat = []string{"MATERIALIZED ", "NOT MATERIALIZED "}[g.r.IntN(2)]
		}
		item := mk(KText, fmt.Sprintf("%s(%s) AS %s(", name, strings.Join(cols, ", "), mat), sel, ")")
		item.Cond = true
		item.CTE = name
		items = append(items, item)
		g.ctes = append(g.ctes, cte{name: name, types: types})
	}
	return mk(KText, "WITH ", list(", ", 1, items...), " ")
}

// setOp generates two selects of the same column types joined by
// UNION, INTERSECT or EXCEPT.
func (g *gen) setOp() (*Node, []Type) {
	n := 1 + g.r.IntN(3)
	var want []Type
	for range n {
		want = append(want, g.pick(g.types()))
	}
	a, _ := g.sub(func() (*Node, []Type) { return g.selectQ(want, false) })
	b, _ := g.sub(func() (*Node, []Type) { return g.selectQ(want, false) })
	op := []string{" UNION ", " UNION ALL ", " INTERSECT ", " INTERSECT ALL ", " EXCEPT ", " EXCEPT ALL "}[g.r.IntN(6)]
	return mk(KQuery, "(", a, ")", op, "(", b, ")"), want
}

// sub runs f as a new query level: its own scope, the current one
// visible as outer columns (correlation), no grouping context.
func (g *gen) sub(f func() (*Node, []Type)) (*Node, []Type) {
	saved := *g
	switch {
	case g.grouped != nil:
		g.outer = append(append([]leaf(nil), g.outer...), g.grouped...)
	case g.sc != nil:
		g.outer = append(append([]leaf(nil), g.outer...), g.sc.cols...)
	}
	g.sc, g.grouped, g.aggOK = nil, nil, false
	g.subDepth++
	n, ts := f()
	alias, ctes := g.alias, g.ctes
	*g = saved
	g.alias, g.ctes = alias, ctes
	return n, ts
}

// selectQ generates a SELECT with output columns of the types want (any
// types when nil).
func (g *gen) selectQ(want []Type, top bool) (*Node, []Type) {
	from := g.from()
	var where, groupBy, having *Node
	if g.pct(55) {
		where = clause(" WHERE ", g.pred(g.opt.MaxDepth))
		where.Cond = true
	}
	if want == nil {
		for range 1 + g.r.IntN(4) {
			want = append(want, g.pick(g.types()))
		}
	}
	var items []*Node
	distinct := ""
	forceAgg := g.forceAgg
	g.forceAgg = false
	g.plain = false
	switch {
	case forceAgg || g.opt.Aggregates && g.pct(30):
		// A grouped query: its keys are columns or expressions of one.
		var keys []*Node
		var gl []leaf
		for range g.r.IntN(3) {
			if forceAgg || len(g.sc.cols) == 0 {
				break
			}
			c := g.sc.cols[g.r.IntN(len(g.sc.cols))]
			e := expr(c.t, c.sql)
			if g.pct(30) {
				if n := g.call(c.t, 1); n != nil && strings.Contains(n.Render(), ".") {
					e = n
				}
			}
			keys = append(keys, e)
			gl = append(gl, leaf{sql: e.Render(), t: e.T})
		}
		if len(keys) > 0 {
			groupBy = mk(KText, " GROUP BY ", list(", ", 1, keys...))
		}
		g.grouped, g.aggOK = gl, true
		if g.grouped == nil {
			g.grouped = []leaf{}
		}
		for _, t := range want {
			items = append(items, g.expr(t, g.opt.MaxDepth))
		}
		if g.pct(35) {
			having = clause(" HAVING ", g.pred(2))
			having.Cond = true
		}
		g.grouped, g.aggOK = nil, false
	case g.opt.Windows && g.sc.keyed && g.pct(25):
		for _, t := range want {
			if g.pct(50) {
				if w := g.window(t); w != nil {
					items = append(items, w)
					continue
				}
			}
			items = append(items, g.expr(t, g.opt.MaxDepth))
		}
	default:
		g.plain = true
		if g.pct(15) {
			distinct = "DISTINCT "
			g.plain = false
		}
		for _, t := range want {
			items = append(items, g.expr(t, g.opt.MaxDepth))
		}
	}
	for i, it := range items {
		items[i] = mk(KText, it, fmt.Sprintf(" AS c%d", i))
	}
	sel := mk(KQuery, "SELECT ", distinct, list(", ", 1, items...), " FROM ", from, where, groupBy, having)
	if !top && g.pct(10) {
		// A LIMIT inside a subquery needs a total order to be determinate.
		var ob []string
		for i := range want {
			ob = append(ob, fmt.Sprint(i+1))
		}
		sel.Parts = append(sel.Parts, fmt.Sprintf(" ORDER BY %s LIMIT %d", strings.Join(ob, ", "), 1+g.r.IntN(4)))
	}
	return sel, want
}

// from generates a FROM list and makes it the current scope.
func (g *gen) from() *Node {
	g.sc = &scope{keyed: true}
	n := g.fromItem()
	if !g.opt.Joins {
		return n
	}
	// base is where the columns an ON condition may use start: a JOIN
	// after a comma sees only the items after the comma.
	base := 0
	joins := []int{0, 0, 0, 0, 1, 1, 1, 1, 2, 2}[g.r.IntN(10)]
	for range joins {
		left := *g.sc
		left.cols = left.cols[base:]
		right := g.fromItem()
		switch x := g.r.IntN(100); {
		case x < 12:
			n = mk(KText, n, ", ", right)
			base = len(left.cols) + base
		case x < 20:
			n = mk(KText, n, " CROSS JOIN ", right)
		case x < 30 && g.opt.FullJoins:
			if eq := g.equiCond(left.cols, g.sc.cols[base+len(left.cols):]); eq != "" {
				n = mk(KText, n, " FULL JOIN ", right, " ON ", eq)
				break
			}
			fallthrough
		case x < 40:
			if u := g.usingCol(left.cols, g.sc.cols[base+len(left.cols):]); u != "" {
				kind := []string{" JOIN ", " LEFT JOIN ", " RIGHT JOIN "}[g.r.IntN(3)]
				n = mk(KText, n, kind, right, " USING ("+u+")")
				break
			}
			fallthrough
		default:
			kind := []string{" JOIN ", " LEFT JOIN ", " RIGHT JOIN ", " INNER JOIN "}[g.r.IntN(4)]
			all := g.sc.cols
			g.sc.cols = all[base:]
			on := mk(KText, g.pred(2))
			g.sc.cols = all
			on.Cond = true
			n = mk(KText, n, kind, right, " ON ", on)
		}
	}
	if g.opt.Lateral && g.opt.Subqueries && g.subDepth < 2 && g.pct(8) {
		name := g.newAlias("l")
		t := g.pick(g.types())
		all := g.sc.cols
		g.sc.cols = all[base:]
		sel, _ := g.sub(func() (*Node, []Type) { return g.selectQ([]Type{t}, false) })
		g.sc.cols = all
		sel.Cond = true
		n = mk(KText, n, " LEFT JOIN LATERAL (", sel, ") AS "+name+"(c0) ON true")
		g.sc.cols = append(g.sc.cols, leaf{sql: name + ".c0", t: t})
		g.sc.keyed = false
	}
	return n
}

// fromItem generates a table, derived table, CTE reference, VALUES or
// generate_series, and adds its columns to the scope.
func (g *gen) fromItem() *Node {
	switch x := g.r.IntN(100); {
	case x < 8 && g.opt.Subqueries && g.subDepth < 2:
		name := g.newAlias("s")
		// A derived table sees the enclosing query levels, not its
		// siblings in this FROM.
		sc := g.sc
		g.sc = nil
		sel, types := g.sub(func() (*Node, []Type) { return g.selectQ(nil, false) })
		g.sc = sc
		sel.Cond = true
		for i, t := range types {
			g.sc.cols = append(g.sc.cols, leaf{sql: fmt.Sprintf("%s.c%d", name, i), t: t})
		}
		g.sc.keyed = false
		return mk(KText, "(", sel, ") AS "+name)
	case x < 20 && len(g.ctes) > 0:
		c := g.ctes[g.r.IntN(len(g.ctes))]
		name := g.newAlias("r")
		for i, t := range c.types {
			g.sc.cols = append(g.sc.cols, leaf{sql: fmt.Sprintf("%s.c%d", name, i), t: t})
		}
		g.sc.keyed = false
		return txt(c.name + " AS " + name)
	case x < 24:
		name := g.newAlias("v")
		t := g.pick(g.types())
		var rows []string
		for i := range 1 + g.r.IntN(3) {
			rows = append(rows, fmt.Sprintf("(%d, %s)", i+1, literal(g.r, t, 20)))
		}
		g.sc.cols = append(g.sc.cols, leaf{sql: name + ".k", t: Int4}, leaf{sql: name + ".x", t: t})
		g.sc.keys = append(g.sc.keys, name+".k")
		return txt(fmt.Sprintf("(VALUES %s) AS %s(k, x)", strings.Join(rows, ", "), name))
	case x < 27:
		name := g.newAlias("g")
		g.sc.cols = append(g.sc.cols, leaf{sql: name + ".k", t: Int4})
		g.sc.keys = append(g.sc.keys, name+".k")
		return txt(fmt.Sprintf("generate_series(%d, %d) AS %s(k)", g.r.IntN(2), g.r.IntN(4), name))
	}
	t := g.s.tables[g.r.IntN(len(g.s.tables))]
	name := g.newAlias("a")
	for _, c := range t.cols {
		g.sc.cols = append(g.sc.cols, leaf{sql: name + "." + c.name, t: c.t})
	}
	g.sc.keys = append(g.sc.keys, name+".k")
	return txt(t.name + " AS " + name)
}

// equiCond returns "l = r" for two columns of the same type, one from
// each side, or "" when there are none.
func (g *gen) equiCond(left, right []leaf) string {
	var cands []string
	for _, l := range left {
		for _, r := range right {
			if l.t == r.t && l.t != JSONB {
				cands = append(cands, l.sql+" = "+r.sql)
			}
		}
	}
	if len(cands) == 0 {
		return ""
	}
	return cands[g.r.IntN(len(cands))]
}

// usingCol returns a column name both sides have with the same type.
func (g *gen) usingCol(left, right []leaf) string {
	names := map[string]Type{}
	count := map[string]int{}
	for _, l := range left {
		_, c, _ := strings.Cut(l.sql, ".")
		if t, ok := names[c]; ok && t != l.t {
			names[c] = "" // ambiguous on the left
		} else {
			names[c] = l.t
		}
		count[c]++
	}
	var cands []string
	for _, r := range right {
		_, c, _ := strings.Cut(r.sql, ".")
		if t, ok := names[c]; ok && t == r.t && count[c] == 1 {
			cands = append(cands, c)
		}
	}
	if len(cands) == 0 {
		return ""
	}
	return cands[g.r.IntN(len(cands))]
}
