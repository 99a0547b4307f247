package difftest

import (
	"fmt"
	"strconv"
	"strings"
)

// widen lists the types whose values an expression of type t may use
// as they are (PostgreSQL's implicit casts).
var widen = map[Type][]Type{
	Int4:    {Int2},
	Int8:    {Int2, Int4},
	Numeric: {Int2, Int4, Int8},
	Float8:  {Float4, Int4},
	Text:    {Varchar, Bpchar},
}

// expr generates an expression of type t nested at most d deep.
func (g *gen) expr(t Type, d int) *Node {
	if t == Bool && d > 0 && g.pct(70) {
		return g.pred(d)
	}
	if d <= 0 || g.pct(30) {
		return g.leaf(t)
	}
	switch x := g.r.IntN(100); {
	case x < 62:
		if n := g.call(t, d); n != nil {
			return n
		}
	case x < 72:
		n := expr(t, "CASE WHEN ", g.pred(d-1), " THEN ", g.expr(t, d-1))
		if g.pct(70) {
			n.Parts = append(n.Parts, " ELSE ", g.expr(t, d-1))
		}
		n.Parts = append(n.Parts, " END")
		n.Cond = true
		return n
	case x < 78:
		n := expr(t, "COALESCE(", g.expr(t, d-1), ", ", g.expr(t, d-1), ")")
		n.Cond = true
		return n
	case x < 82:
		return expr(t, "NULLIF(", g.expr(t, d-1), ", ", g.expr(t, d-1), ")")
	case x < 87:
		if hasMinMax(t) || t == Bool || t == JSONB || t == UUID || t == Bytea {
			f := []string{"GREATEST(", "LEAST("}[g.r.IntN(2)]
			return expr(t, f, g.expr(t, d-1), ", ", g.expr(t, d-1), ")")
		}
	case x < 90:
		if g.opt.Subqueries && g.subDepth < 2 {
			return g.scalarSub(t)
		}
	}
	return g.leaf(t)
}

// call generates an operator or function call returning t.
func (g *gen) call(t Type, d int) *Node {
	cands := ops[t]
	for range 8 {
		if len(cands) == 0 {
			return nil
		}
		o := cands[g.r.IntN(len(cands))]
		if o.agg && (!g.aggOK || g.grouped == nil) || !g.opt.allowed(o) {
			continue
		}
		return g.apply(o, d)
	}
	return nil
}

// apply renders the call o with generated arguments.
func (g *gen) apply(o op, d int) *Node {
	args := make([]*Node, len(o.args))
	if o.agg {
		// Aggregate arguments are row expressions of this level (an
		// aggregate of outer columns only belongs to the outer query).
		saved, savedOK, savedOuter := g.grouped, g.aggOK, g.outer
		g.grouped, g.aggOK, g.outer = nil, false, nil
		defer func() { g.grouped, g.aggOK, g.outer = saved, savedOK, savedOuter }()
	}
	for i, at := range o.args {
		args[i] = g.arg(at, d-1)
	}
	n := expr(o.ret)
	rest := o.tmpl
	for rest != "" {
		j := strings.IndexByte(rest, '$')
		if j < 0 {
			n.Parts = append(n.Parts, rest)
			break
		}
		if j > 0 {
			n.Parts = append(n.Parts, rest[:j])
		}
		k, _ := strconv.Atoi(rest[j+1 : j+2])
		n.Parts = append(n.Parts, args[k-1])
		rest = rest[j+2:]
	}
	if o.err {
		n.Err = errData
	}
	n.FloatAgg = o.floatAgg
	if o.agg {
		g.decorateAgg(n)
	}
	return n
}

// decorateAgg may add a FILTER clause to an aggregate call.
func (g *gen) decorateAgg(n *Node) {
	if g.pct(20) {
		saved, savedOK := g.grouped, g.aggOK
		g.grouped, g.aggOK = nil, false
		f := clause(" FILTER (WHERE ", g.pred(2), ")")
		g.grouped, g.aggOK = saved, savedOK
		f.Cond = true
		n.Parts = append(n.Parts, f)
	}
}

// arg generates an argument of (pseudo-)type at.
func (g *gen) arg(at Type, d int) *Node {
	switch at {
	case argSmall:
		return txt(fmt.Sprint(g.r.IntN(4)))
	case argScale:
		return txt(fmt.Sprint(g.r.IntN(5) - 1))
	case argShift:
		return txt(fmt.Sprint(g.r.IntN(16)))
	case argUnit:
		return txt(units[g.r.IntN(len(units))])
	case argPat:
		return txt(pats[g.r.IntN(len(pats))])
	case argRe:
		return txt(regexes[g.r.IntN(len(regexes))])
	case argKey:
		return txt(keys[g.r.IntN(len(keys))])
	case argAny:
		return g.expr(g.pick(g.types()), d)
	}
	return g.expr(at, d)
}

// leaf returns a column, grouping expression, aggregate or literal of
// type t.
func (g *gen) leaf(t Type) *Node {
	var cands []leaf
	ok := func(l leaf) bool {
		if l.t == t {
			return true
		}
		for _, w := range widen[t] {
			if l.t == w {
				return true
			}
		}
		return false
	}
	switch {
	case g.grouped != nil:
		for _, l := range g.grouped {
			if ok(l) {
				cands = append(cands, l)
			}
		}
		if g.aggOK && (len(cands) == 0 || g.pct(50)) && g.pct(80) {
			var aggs []op
			for _, o := range ops[t] {
				if o.agg && g.opt.allowed(o) {
					aggs = append(aggs, o)
				}
			}
			if len(aggs) > 0 {
				return g.apply(aggs[g.r.IntN(len(aggs))], 2)
			}
		}
	case g.sc != nil:
		for _, l := range g.sc.cols {
			if ok(l) {
				cands = append(cands, l)
			}
		}
		if g.pct(15) {
			for _, l := range g.outer {
				if ok(l) {
					cands = append(cands, l)
				}
			}
		}
	}
	if len(cands) == 0 || g.pct(20) {
		return expr(t, literal(g.r, t, 10))
	}
	return expr(t, cands[g.r.IntN(len(cands))].sql)
}

// cmpType picks the type of a comparison's operands.
func (g *gen) cmpType() Type { return g.pick(g.types()) }

// sameFamily returns a type comparable with t.
func (g *gen) sameFamily(t Type) Type {
	var c []Type
	for _, u := range g.types() {
		if family(u) == family(t) {
			c = append(c, u)
		}
	}
	return c[g.r.IntN(len(c))]
}

// pred generates a boolean predicate.
func (g *gen) pred(d int) *Node {
	if d <= 0 {
		switch g.r.IntN(3) {
		case 0:
			return g.leaf(Bool)
		default:
			t := g.cmpType()
			return expr(Bool, "(", g.leaf(t), " ", cmpOps[g.r.IntN(len(cmpOps))], " ", g.leaf(g.sameFamily(t)), ")")
		}
	}
	switch x := g.r.IntN(100); {
	case x < 30:
		t := g.cmpType()
		return expr(Bool, "(", g.expr(t, d-1), " ", cmpOps[g.r.IntN(len(cmpOps))], " ", g.expr(g.sameFamily(t), d-1), ")")
	case x < 45:
		op := []string{" AND ", " OR "}[g.r.IntN(2)]
		n := expr(Bool, "(", g.pred(d-1), op, g.pred(d-1), ")")
		n.Cond = true
		return n
	case x < 50:
		return expr(Bool, "(NOT ", g.pred(d-1), ")")
	case x < 56:
		t := g.pick(g.types())
		return expr(Bool, "(", g.expr(t, d-1), []string{" IS NULL)", " IS NOT NULL)"}[g.r.IntN(2)])
	case x < 60:
		return expr(Bool, "(", g.pred(d-1), []string{" IS TRUE)", " IS NOT FALSE)", " IS UNKNOWN)", " IS NOT TRUE)"}[g.r.IntN(4)])
	case x < 65:
		t := g.cmpType()
		sym := []string{" BETWEEN ", " NOT BETWEEN ", " BETWEEN SYMMETRIC "}[g.r.IntN(3)]
		return expr(Bool, "(", g.expr(t, d-1), sym, g.expr(g.sameFamily(t), d-1), " AND ", g.expr(g.sameFamily(t), d-1), ")")
	case x < 71:
		t := g.cmpType()
		var items []*Node
		for range 1 + g.r.IntN(3) {
			items = append(items, g.expr(g.sameFamily(t), d-1))
		}
		in := []string{" IN (", " NOT IN ("}[g.r.IntN(2)]
		return expr(Bool, "(", g.expr(t, d-1), in, list(", ", 1, items...), "))")
	case x < 78 && g.opt.Subqueries && g.subDepth < 2:
		return g.subPred(d)
	case x < 92:
		if n := g.call(Bool, d); n != nil {
			return n
		}
	}
	return g.leaf(Bool)
}

var cmpOps = []string{"=", "<>", "<", "<=", ">", ">=", "IS DISTINCT FROM", "IS NOT DISTINCT FROM"}

// subPred generates EXISTS, IN or a quantified comparison over a
// (maybe correlated) subquery.
func (g *gen) subPred(d int) *Node {
	t := g.cmpType()
	var n *Node
	switch g.r.IntN(4) {
	case 0:
		sel, _ := g.sub(func() (*Node, []Type) { return g.selectQ([]Type{g.pick(g.types())}, false) })
		n = expr(Bool, []string{"(EXISTS (", "(NOT EXISTS ("}[g.r.IntN(2)], sel, "))")
	case 1:
		sel, _ := g.sub(func() (*Node, []Type) { return g.selectQ([]Type{t}, false) })
		n = expr(Bool, "(", g.expr(t, d-1), []string{" IN (", " NOT IN ("}[g.r.IntN(2)], sel, "))")
	default:
		sel, _ := g.sub(func() (*Node, []Type) { return g.selectQ([]Type{t}, false) })
		q := []string{" ANY (", " ALL ("}[g.r.IntN(2)]
		n = expr(Bool, "(", g.expr(t, d-1), " ", cmpOps[g.r.IntN(6)], q, sel, "))")
	}
	n.Cond = true
	return n
}

// scalarSub generates a scalar subquery of type t: mostly an
// aggregate, else a single column (which may return more rows: 21000).
func (g *gen) scalarSub(t Type) *Node {
	agg := g.pct(75)
	sel, _ := g.sub(func() (*Node, []Type) {
		g.forceAgg = agg
		return g.selectQ([]Type{t}, false)
	})
	n := expr(t, "(", sel, ")")
	n.Err = errCard
	n.Cond = true
	return n
}

// window generates a window function call of type t, or nil.
func (g *gen) window(t Type) *Node {
	var part *Node
	if g.pct(60) {
		pt := g.pick(g.types())
		part = mk(KText, "PARTITION BY ", g.expr(pt, 1), " ")
	}
	ot := g.pick(g.types())
	orderBy := func(total bool) *Node {
		items := []*Node{mk(KText, g.expr(ot, 1), g.dir())}
		if total {
			for _, k := range g.sc.keys {
				items = append(items, txt(k))
			}
		}
		return mk(KText, "ORDER BY ", list(", ", 1, items...))
	}
	var fn *Node
	var spec *Node
	switch {
	case t == Int8 && g.pct(50):
		f := []string{"row_number()", "rank()", "dense_rank()"}[g.r.IntN(3)]
		spec = mk(KText, part, orderBy(f == "row_number()"))
		fn = txt(f)
	case t == Float8 && g.pct(40):
		fn = txt([]string{"percent_rank()", "cume_dist()"}[g.r.IntN(2)])
		spec = mk(KText, part, orderBy(false))
	case t == Int4 && g.pct(30):
		fn = txt(fmt.Sprintf("ntile(%d)", 1+g.r.IntN(4)))
		spec = mk(KText, part, orderBy(true))
	case g.pct(45):
		f := []string{"lag(", "lead(", "first_value(", "last_value(", "nth_value("}[g.r.IntN(5)]
		x := g.expr(t, 1)
		switch f {
		case "lag(", "lead(":
			if g.pct(50) {
				fn = mk(KText, f, x, fmt.Sprintf(", %d, ", g.r.IntN(3)), g.leaf(t), ")")
			} else {
				fn = mk(KText, f, x, ")")
			}
		case "nth_value(":
			fn = mk(KText, f, x, fmt.Sprintf(", %d)", 1+g.r.IntN(3)))
		default:
			fn = mk(KText, f, x, ")")
		}
		spec = mk(KText, part, orderBy(true), g.frame(true))
	default:
		var aggs []op
		for _, o := range ops[t] {
			// PostgreSQL has no ORDER BY in window aggregates (0A000).
			if o.agg && g.opt.allowed(o) && !strings.Contains(o.tmpl, " ORDER BY ") {
				aggs = append(aggs, o)
			}
		}
		if len(aggs) == 0 {
			return nil
		}
		o := aggs[g.r.IntN(len(aggs))]
		saved, savedOK := g.grouped, g.aggOK
		g.grouped, g.aggOK = []leaf{}, true
		fn = g.apply(o, 2)
		g.grouped, g.aggOK = saved, savedOK
		switch g.r.IntN(3) {
		case 0:
			spec = part
		case 1:
			spec = mk(KText, part, orderBy(false), g.frame(false))
		default:
			spec = mk(KText, part, orderBy(true), g.frame(true))
		}
	}
	n := expr(t, fn, " OVER (", spec, ")")
	n.FloatAgg = fn.FloatAgg
	return n
}

// frame generates a frame clause: ROWS only when the order is total.
func (g *gen) frame(total bool) *Node {
	if g.pct(40) {
		return nil
	}
	kinds := []string{"RANGE", "GROUPS"}
	if total {
		kinds = append(kinds, "ROWS", "ROWS")
	}
	k := kinds[g.r.IntN(len(kinds))]
	// Bounds in order; the start is before the last, the end after the
	// first.
	bounds := []string{"UNBOUNDED PRECEDING", "CURRENT ROW", "UNBOUNDED FOLLOWING"}
	if k != "RANGE" {
		bounds = []string{"UNBOUNDED PRECEDING", "2 PRECEDING", "1 PRECEDING", "CURRENT ROW", "0 FOLLOWING", "1 FOLLOWING", "UNBOUNDED FOLLOWING"}
	}
	a := g.r.IntN(len(bounds) - 1)
	b := a + g.r.IntN(len(bounds)-a)
	if b == 0 {
		b = 1
	}
	excl := ""
	if g.pct(20) {
		excl = []string{" EXCLUDE CURRENT ROW", " EXCLUDE GROUP", " EXCLUDE TIES", " EXCLUDE NO OTHERS"}[g.r.IntN(4)]
	}
	n := clause(fmt.Sprintf(" %s BETWEEN %s AND %s%s", k, bounds[a], bounds[b], excl))
	return n
}
