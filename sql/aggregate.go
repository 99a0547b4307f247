package sql

import (
	"sort"

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
	// order is the order in which the accumulator sees the group's rows
	// (the call's ORDER BY, its WITHIN GROUP, or a DISTINCT's sort); with
	// one the rows are collected and sorted before they are added.
	order []aggOrder
	// direct are an ordered-set aggregate's direct arguments, evaluated
	// once per group on the group's key columns.
	direct []expr
}

// aggOrder is one sort key of an aggregate's input: argument arg, or
// expression e (over the input row) when arg is -1.
type aggOrder struct {
	arg        int
	e          expr
	desc       bool
	nullsFirst bool
}

func (o aggOrder) typ(c *aggCall) types.T {
	if o.arg >= 0 {
		return c.args[o.arg].typ()
	}
	return o.e.typ()
}

// sortedInput is one input row of an ordered aggregate: its arguments and
// its sort keys.
type sortedInput struct {
	args, keys []types.Datum
}

// sortInputs sorts an ordered aggregate's rows by its keys (stable, so
// ties keep their input order).
func (c *aggCall) sortInputs(rows []sortedInput) {
	sort.SliceStable(rows, func(i, j int) bool {
		for k, o := range c.order {
			x, y := rows[i].keys[k], rows[j].keys[k]
			if cmp := compareDatums(o.typ(c), x, y, o.desc, o.nullsFirst); cmp != 0 {
				return cmp < 0
			}
		}
		return false
	})
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
	key    row
	accs   []builtins.Accumulator
	seen   []map[string]bool // per DISTINCT aggregate
	sorted [][]sortedInput   // per ordered aggregate, its rows until the end
	order  int
}

func (n *aggNode) exec(ec *execCtx) (rowIter, error) {
	in, err := n.input.exec(ec)
	if err != nil {
		return nil, err
	}
	defer in.close()
	groups := map[string]*aggGroup{}
	var order []*aggGroup
	// Each group is held until the output is read; its accumulators'
	// own growth (string_agg, array_agg) is not counted.
	var held int64
	fail := func(err error) (rowIter, error) {
		ec.mem.shrink(held)
		return nil, err
	}
	newGroup := func(key row) *aggGroup {
		g := &aggGroup{key: key, accs: make([]builtins.Accumulator, len(n.aggs)), seen: make([]map[string]bool, len(n.aggs)),
			sorted: make([][]sortedInput, len(n.aggs))}
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
			size := int64(len(kb)) + rowBytes(key) + 96 + 64*int64(len(n.aggs))
			if err := ec.mem.grow(size); err != nil {
				return fail(err)
			}
			held += size
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
				if err := ec.mem.grow(int64(len(db)) + 48); err != nil {
					return fail(err)
				}
				held += int64(len(db)) + 48
				g.seen[i][string(db)] = true
			}
			if len(a.order) > 0 {
				in := sortedInput{args: args, keys: make([]types.Datum, len(a.order))}
				for k, o := range a.order {
					if o.arg >= 0 {
						in.keys[k] = args[o.arg]
					} else if in.keys[k], err = o.e.eval(ec, r); err != nil {
						return nil, err
					}
				}
				size := rowBytes(in.args) + rowBytes(in.keys)
				if err := ec.mem.grow(size); err != nil {
					return fail(err)
				}
				held += size
				g.sorted[i] = append(g.sorted[i], in)
				continue
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
		for i, acc := range g.accs {
			d, err := n.aggs[i].result(ec, g, acc, g.sorted[i])
			if err != nil {
				return nil, err
			}
			r = append(r, d)
		}
		out = append(out, r)
	}
	return &heldIter{rows: out, mem: ec.mem, held: held}, nil
}

// result feeds an ordered aggregate its sorted rows and returns the
// aggregate's value for group g; an ordered-set aggregate gets its
// direct arguments, evaluated on the group's key.
func (c *aggCall) result(ec *execCtx, g *aggGroup, acc builtins.Accumulator, rows []sortedInput) (types.Datum, error) {
	bctx := ec.builtinCtx()
	if len(c.order) > 0 {
		c.sortInputs(rows)
		for _, in := range rows {
			if err := acc.Add(bctx, in.args); err != nil {
				return nil, err
			}
		}
	}
	if !c.agg.IsOrderedSet() {
		return acc.Result(bctx)
	}
	direct := make([]types.Datum, len(c.direct))
	for i, e := range c.direct {
		var err error
		if direct[i], err = e.eval(ec, g.key); err != nil {
			return nil, err
		}
	}
	return acc.(builtins.OrderedSet).Final(bctx, direct)
}
