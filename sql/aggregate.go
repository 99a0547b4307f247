package sql

import (
	"github.com/quorumdb/quorumdb/sql/builtins"
	"github.com/quorumdb/quorumdb/sql/types"
)

// aggCall is one aggregate function call of a query.
type aggCall struct {
	agg      *builtins.Aggregate
	args     []expr
	distinct bool
	filter   expr
	t        types.T
}

// aggNode groups its input by the group expressions and computes the
// aggregates; its output row is the group values followed by the
// aggregate results.
type aggNode struct {
	input  planNode
	groups []expr
	aggs   []*aggCall
	cols   []resultCol
	// scalar is true without GROUP BY: exactly one output row, even for
	// empty input.
	scalar bool
}

func (n *aggNode) columns() []resultCol { return n.cols }

type aggGroup struct {
	key   row
	accs  []builtins.Accumulator
	seen  []map[string]bool // per DISTINCT aggregate
	order int
}

func (n *aggNode) exec(ec *execCtx) (rowIter, error) {
	in, err := n.input.exec(ec)
	if err != nil {
		return nil, err
	}
	defer in.close()
	groups := map[string]*aggGroup{}
	var order []*aggGroup
	newGroup := func(key row) *aggGroup {
		g := &aggGroup{key: key, accs: make([]builtins.Accumulator, len(n.aggs)), seen: make([]map[string]bool, len(n.aggs))}
		for i, a := range n.aggs {
			g.accs[i] = a.agg.New()
			if a.distinct {
				g.seen[i] = map[string]bool{}
			}
		}
		order = append(order, g)
		return g
	}
	if n.scalar {
		groups[""] = newGroup(nil)
	}
	bctx := ec.builtinCtx()
	for {
		if err := ec.ctx.Err(); err != nil {
			return nil, err
		}
		r, err := in.next()
		if err != nil {
			return nil, err
		}
		if r == nil {
			break
		}
		key := make(row, len(n.groups))
		var kb []byte
		for i, g := range n.groups {
			if key[i], err = g.eval(ec, r); err != nil {
				return nil, err
			}
			kb = datumKey(kb, g.typ(), key[i])
		}
		g := groups[string(kb)]
		if g == nil {
			g = newGroup(key)
			groups[string(kb)] = g
		}
		for i, a := range n.aggs {
			if a.filter != nil {
				ok, err := evalBool(ec, a.filter, r)
				if err != nil {
					return nil, err
				}
				if !ok {
					continue
				}
			}
			args := make([]types.Datum, len(a.args))
			hasNull := false
			for j, e := range a.args {
				if args[j], err = e.eval(ec, r); err != nil {
					return nil, err
				}
				if args[j] == nil {
					hasNull = true
				}
			}
			if hasNull && !a.agg.CountsNulls {
				continue
			}
			if a.distinct {
				var db []byte
				for j, e := range a.args {
					db = datumKey(db, e.typ(), args[j])
				}
				if g.seen[i][string(db)] {
					continue
				}
				g.seen[i][string(db)] = true
			}
			if err := g.accs[i].Add(bctx, args); err != nil {
				return nil, err
			}
		}
	}
	out := make([]row, 0, len(order))
	for _, g := range order {
		r := make(row, 0, len(n.groups)+len(n.aggs))
		r = append(r, g.key...)
		for _, acc := range g.accs {
			d, err := acc.Result(bctx)
			if err != nil {
				return nil, err
			}
			r = append(r, d)
		}
		out = append(out, r)
	}
	return &sliceIter{rows: out}, nil
}
