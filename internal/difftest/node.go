package difftest

import "strings"

// Kind says what a Node is, which decides how the shrinker may change it.
type Kind uint8

const (
	// KText is fixed text: keywords, operators, names.
	KText Kind = iota
	// KExpr is an expression of type T: the shrinker may replace it by a
	// descendant expression of the same type or by a literal.
	KExpr
	// KClause is an optional clause (WHERE, ORDER BY, LIMIT, DISTINCT,
	// FILTER, ...): the shrinker may drop it.
	KClause
	// KList is a list whose items (its Parts, all *Node) are joined by
	// Sep; the shrinker may remove items down to Min.
	KList
	// KQuery is a SELECT (or set operation) used as a query or subquery.
	KQuery
)

// Node is a piece of a generated statement. A query is a tree of nodes,
// kept so that the shrinker can remove and replace parts of it; Render
// gives its SQL text.
type Node struct {
	// Parts are the text (string) and children (*Node) in order.
	Parts []any
	Kind  Kind
	// T is an expression's type.
	T Type
	// Sep joins the items of a KList; Min is how many must stay.
	Sep string
	Min int
	// Err lists the SQLSTATEs evaluating this node itself may raise.
	Err []string
	// Cond says the node's subtree is evaluated only for some rows or
	// not at all as PostgreSQL chooses: WHERE, ON, HAVING, CASE, AND/OR,
	// COALESCE, FILTER, subqueries, FROM subqueries and CTEs, select
	// lists under LIMIT.
	Cond bool
	// FloatAgg marks an aggregate or window aggregate over floats, whose
	// last digits depend on the order rows are summed in.
	FloatAgg bool
	// OrderPos, for an item of the top-level ORDER BY, is the 0-based
	// output column it sorts by; -1 for an expression that is not an
	// output column.
	OrderPos int
	// CTE, on a WITH item, is the WITH query's name: its subtree is
	// conditional only if the statement reads it.
	CTE string
	// TopOrder marks the top-level ORDER BY list and TopLimit the
	// top-level LIMIT/OFFSET clause (their order decides the comparison).
	TopOrder, TopLimit bool
}

// Render returns the node's SQL text.
func (n *Node) Render() string {
	var b strings.Builder
	n.render(&b)
	return b.String()
}

func (n *Node) render(b *strings.Builder) {
	if n == nil {
		return
	}
	if n.Kind == KList {
		first := true
		for _, p := range n.Parts {
			c := p.(*Node)
			if first {
				first = false
			} else {
				b.WriteString(n.Sep)
			}
			c.render(b)
		}
		return
	}
	for _, p := range n.Parts {
		switch p := p.(type) {
		case string:
			b.WriteString(p)
		case *Node:
			p.render(b)
		}
	}
}

// kids returns the node's children.
func (n *Node) kids() []*Node {
	var out []*Node
	for _, p := range n.Parts {
		if c, ok := p.(*Node); ok {
			out = append(out, c)
		}
	}
	return out
}

// walk calls f on every node of the tree in pre-order with whether it
// is in a conditionally evaluated subtree; f returning false skips the
// node's children.
func (n *Node) walk(cond bool, f func(*Node, bool) bool) {
	if n == nil {
		return
	}
	cond = cond || n.Cond
	if !f(n, cond) {
		return
	}
	for _, c := range n.kids() {
		c.walk(cond, f)
	}
}

// walkFrom walks n's subtree like walk, ignoring n's own Cond.
func (n *Node) walkFrom(cond bool, f func(*Node, bool) bool) {
	if !f(n, cond) {
		return
	}
	for _, c := range n.kids() {
		c.walk(cond, f)
	}
}

// Walk calls f on every node of the tree in pre-order.
func (n *Node) Walk(f func(*Node)) {
	n.walk(false, func(m *Node, _ bool) bool { f(m); return true })
}

// clone copies the tree, replacing the node at pre-order index at by
// with (which is used as is); it returns the copy and the number of
// nodes visited.
func (n *Node) clone(at int, with *Node, i *int) *Node {
	if *i == at {
		*i++
		// Skip the replaced subtree's indexes.
		*i += n.size() - 1
		return with
	}
	*i++
	c := *n
	c.Parts = make([]any, len(n.Parts))
	for j, p := range n.Parts {
		if k, ok := p.(*Node); ok {
			c.Parts[j] = k.clone(at, with, i)
		} else {
			c.Parts[j] = p
		}
	}
	return &c
}

// Replace returns a copy of the tree with the node at pre-order index
// at replaced by with.
func (n *Node) Replace(at int, with *Node) *Node {
	i := 0
	return n.clone(at, with, &i)
}

// size is the number of nodes in the tree.
func (n *Node) size() int {
	s := 1
	for _, c := range n.kids() {
		s += c.size()
	}
	return s
}

// Nodes returns the tree's nodes in pre-order (the indexes Replace
// takes).
func (n *Node) Nodes() []*Node {
	var out []*Node
	n.Walk(func(m *Node) { out = append(out, m) })
	return out
}

// txt is a text node.
func txt(s string) *Node { return &Node{Parts: []any{s}} }

// mk builds a node of kind k from strings and nodes.
func mk(k Kind, parts ...any) *Node {
	n := &Node{Kind: k, OrderPos: -1}
	for _, p := range parts {
		switch p := p.(type) {
		case string:
			if p != "" {
				n.Parts = append(n.Parts, p)
			}
		case *Node:
			if p != nil {
				n.Parts = append(n.Parts, p)
			}
		default:
			panic("difftest: bad node part")
		}
	}
	return n
}

// expr builds an expression node of type t.
func expr(t Type, parts ...any) *Node {
	n := mk(KExpr, parts...)
	n.T = t
	return n
}

// list builds a list node.
func list(sep string, min int, items ...*Node) *Node {
	n := &Node{Kind: KList, Sep: sep, Min: min, OrderPos: -1}
	for _, it := range items {
		n.Parts = append(n.Parts, it)
	}
	return n
}

// clause builds an optional clause.
func clause(parts ...any) *Node { return mk(KClause, parts...) }
