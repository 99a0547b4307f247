package difftest

import (
	"context"
	"strings"
)

// TLPCase is a ternary logic partitioning check: for a predicate p the
// rows (or groups) of a query are those WHERE p, WHERE NOT p and WHERE
// p IS NULL together (SQLancer's TLP). Root's two children are the
// query without the predicate and the predicate.
type TLPCase struct {
	// Mode is "where", "distinct", "having", or "agg:<combine>" (the
	// aggregate of the partitions' aggregates: sum for count and sum,
	// min, max).
	Mode string
	Root *Node
}

// GenTLP generates TLP check i of the schema's seed.
func GenTLP(s *Schema, opt Options, i int) *TLPCase {
	g := &gen{r: rng(s.Seed, uint64(i)|1<<40), opt: opt, s: s}
	from := g.from()
	var items []*Node
	for range 1 + g.r.IntN(3) {
		items = append(items, g.expr(g.pick(g.types()), 2))
	}
	c := &TLPCase{}
	var base, pred *Node
	switch x := g.r.IntN(100); {
	case x < 45:
		c.Mode = "where"
		base = mk(KText, "SELECT ", list(", ", 1, items...), " FROM ", from)
		pred = g.pred(g.opt.MaxDepth)
	case x < 60:
		c.Mode = "distinct"
		base = mk(KText, "SELECT DISTINCT ", list(", ", 1, items...), " FROM ", from)
		pred = g.pred(g.opt.MaxDepth)
	case x < 80 && opt.Aggregates:
		c.Mode = "having"
		t := g.pick(g.types())
		key := g.expr(t, 1)
		base = mk(KText, "SELECT ", key, ", count(*) FROM ", from, " GROUP BY ", key)
		g.grouped, g.aggOK = []leaf{{sql: key.Render(), t: t}}, true
		pred = g.pred(2)
		g.grouped, g.aggOK = nil, false
	default:
		var aggNode *Node
		switch g.r.IntN(4) {
		case 0:
			c.Mode, aggNode = "agg:sum", txt("count(*)")
		case 1:
			c.Mode, aggNode = "agg:sum", expr(Int8, "count(", g.expr(g.pick(g.types()), 2), ")")
		case 2:
			t := g.pick([]Type{Int4, Int8, Numeric, Text, Date, Timestamp, Float8})
			f := []string{"min", "max"}[g.r.IntN(2)]
			c.Mode, aggNode = "agg:"+f, expr(t, f+"(", g.expr(t, 2), ")")
		default:
			c.Mode, aggNode = "agg:sum", expr(Numeric, "sum(", g.expr(Int4, 2), ")")
		}
		base = mk(KText, "SELECT ", aggNode, " AS x FROM ", from)
		pred = g.pred(g.opt.MaxDepth)
	}
	c.Root = mk(KText, base, " -- TLP "+c.Mode+" on: ", pred)
	return c
}

// queries returns the check's statements: the whole, then the parts
// (for agg, one statement combining the parts).
func (c *TLPCase) queries(root *Node) (whole string, parts []string) {
	base, pred := root.Parts[0].(*Node).Render(), root.Parts[2].(*Node).Render()
	kw := " WHERE "
	if c.Mode == "having" {
		kw = " HAVING "
	}
	ps := []string{"(" + pred + ")", "(NOT (" + pred + "))", "((" + pred + ") IS NULL)"}
	if f, ok := strings.CutPrefix(c.Mode, "agg:"); ok {
		var u []string
		for _, p := range ps {
			u = append(u, base+kw+p)
		}
		return base, []string{"SELECT " + f + "(x) FROM (" + strings.Join(u, " UNION ALL ") + ") AS tlp"}
	}
	for _, p := range ps {
		parts = append(parts, base+kw+p)
	}
	return base, parts
}

// TLPOutcome is the result of one TLP check on one server.
type TLPOutcome struct {
	// Skipped: a statement failed (an error in the predicate is not a
	// partition).
	Skipped bool
	// Holds says the parts make up the whole.
	Holds bool
	// Whole and Parts are the answers.
	Whole *Result
	Parts []*Result
}

// Check runs a TLP check (with root as its tree) on db.
func (c *TLPCase) Check(ctx context.Context, db DB, root *Node) TLPOutcome {
	whole, parts := c.queries(root)
	out := TLPOutcome{Whole: db.Exec(ctx, whole)}
	if out.Whole.Failed() {
		out.Skipped = true
		return out
	}
	var union [][]string
	for _, p := range parts {
		r := db.Exec(ctx, p)
		out.Parts = append(out.Parts, r)
		if r.Failed() {
			out.Skipped = true
			return out
		}
		union = append(union, r.Rows...)
	}
	w := out.Whole.Rows
	if c.Mode == "distinct" {
		w, union = dedupe(w), dedupe(union)
	}
	if strings.HasPrefix(c.Mode, "agg:") {
		out.Holds = multisetEqual(aggNorm(w), aggNorm(union), nil)
		return out
	}
	out.Holds = multisetEqual(w, union, nil)
	return out
}

// aggNorm prints numbers without trailing zeros: the sum of the parts'
// counts is numeric.
func aggNorm(rows [][]string) [][]string {
	out := make([][]string, len(rows))
	for i, r := range rows {
		out[i] = make([]string, len(r))
		for j, v := range r {
			out[i][j] = normNum(v)
		}
	}
	return out
}

func dedupe(rows [][]string) [][]string {
	seen := map[string]bool{}
	var out [][]string
	for _, r := range rows {
		k := strings.Join(r, "\x01")
		if !seen[k] {
			seen[k] = true
			out = append(out, r)
		}
	}
	return out
}
