package exec

import (
	"sort"

	"github.com/quorumdb/quorumdb/sql/builtins"
	"github.com/quorumdb/quorumdb/sql/types"
)

// AggCall is one aggregate function call of a query.
type AggCall struct {
	Agg      *builtins.Aggregate
	Args     []Expr
	Distinct bool
	Filter   Expr
	T        types.T
	// order is the order in which the accumulator sees the group's rows
	// (the call's ORDER BY, its WITHIN GROUP, or a DISTINCT's sort); with
	// one the rows are collected and sorted before they are added.
	Order []AggOrder
	// direct are an ordered-set aggregate's direct arguments, evaluated
	// once per group on the group's key columns.
	Direct []Expr
}

// AggOrder is one sort key of an aggregate's input: argument arg, or
// expression e (over the input row) when arg is -1.
type AggOrder struct {
	Arg        int
	E          Expr
	Desc       bool
	NullsFirst bool
}

func (o AggOrder) Typ(c *AggCall) types.T {
	if o.Arg >= 0 {
		return c.Args[o.Arg].Typ()
	}
	return o.E.Typ()
}

// sortedInput is one input row of an ordered aggregate: its arguments and
// its sort keys.
type sortedInput struct {
	args, keys []types.Datum
}

// sortInputs sorts an ordered aggregate's rows by its keys (stable, so
// ties keep their input order).
func (c *AggCall) sortInputs(rows []sortedInput) {
	sort.SliceStable(rows, func(i, j int) bool {
		for k, o := range c.Order {
			x, y := rows[i].keys[k], rows[j].keys[k]
			if cmp := compareDatums(o.Typ(c), x, y, o.Desc, o.NullsFirst); cmp != 0 {
				return cmp < 0
			}
		}
		return false
	})
}

// AggNode groups its input by the group expressions and computes the
// aggregates; its output row is the group values followed by the
// aggregate results.
type AggNode struct {
	Input  Node
	Groups []Expr
	Aggs   []*AggCall
	Cols   []Column
	// scalar is true without GROUP BY: exactly one output row, even for
	// empty input.
	Scalar bool
}

func (n *AggNode) Columns() []Column { return n.Cols }

type aggGroup struct {
	key    Row
	accs   []builtins.Accumulator
	seen   []map[string]bool // per DISTINCT aggregate
	sorted [][]sortedInput   // per ordered aggregate, its rows until the end
	order  int
}

func (n *AggNode) Exec(ec *Ctx) (Iter, error) {
	in, err := n.Input.Exec(ec)
	if err != nil {
		return nil, err
	}
	defer in.Close()
	groups := map[string]*aggGroup{}
	var order []*aggGroup
	// Each group is held until the output is read; its accumulators'
	// own growth (string_agg, array_agg) is not counted.
	var held int64
	fail := func(err error) (Iter, error) {
		ec.Mem.Shrink(held)
		return nil, err
	}
	newGroup := func(key Row) *aggGroup {
		g := &aggGroup{key: key, accs: make([]builtins.Accumulator, len(n.Aggs)), seen: make([]map[string]bool, len(n.Aggs)),
			sorted: make([][]sortedInput, len(n.Aggs))}
		for i, a := range n.Aggs {
			g.accs[i] = a.Agg.New()
			if a.Distinct {
				g.seen[i] = map[string]bool{}
			}
		}
		order = append(order, g)
		return g
	}
	if n.Scalar {
		groups[""] = newGroup(nil)
	}
	bctx := ec.BuiltinCtx()
	for {
		if err := ec.Context.Err(); err != nil {
			return nil, err
		}
		r, err := in.Next()
		if err != nil {
			return nil, err
		}
		if r == nil {
			break
		}
		key := make(Row, len(n.Groups))
		var kb []byte
		for i, g := range n.Groups {
			if key[i], err = g.Eval(ec, r); err != nil {
				return nil, err
			}
			kb = DatumKey(kb, g.Typ(), key[i])
		}
		g := groups[string(kb)]
		if g == nil {
			size := int64(len(kb)) + rowBytes(key) + 96 + 64*int64(len(n.Aggs))
			if err := ec.Mem.grow(size); err != nil {
				return fail(err)
			}
			held += size
			g = newGroup(key)
			groups[string(kb)] = g
		}
		for i, a := range n.Aggs {
			if a.Filter != nil {
				ok, err := EvalBool(ec, a.Filter, r)
				if err != nil {
					return nil, err
				}
				if !ok {
					continue
				}
			}
			args := make([]types.Datum, len(a.Args))
			hasNull := false
			for j, e := range a.Args {
				if args[j], err = e.Eval(ec, r); err != nil {
					return nil, err
				}
				if args[j] == nil {
					hasNull = true
				}
			}
			if hasNull && !a.Agg.CountsNulls {
				continue
			}
			if a.Distinct {
				var db []byte
				for j, e := range a.Args {
					db = DatumKey(db, e.Typ(), args[j])
				}
				if g.seen[i][string(db)] {
					continue
				}
				if err := ec.Mem.grow(int64(len(db)) + 48); err != nil {
					return fail(err)
				}
				held += int64(len(db)) + 48
				g.seen[i][string(db)] = true
			}
			if len(a.Order) > 0 {
				in := sortedInput{args: args, keys: make([]types.Datum, len(a.Order))}
				for k, o := range a.Order {
					if o.Arg >= 0 {
						in.keys[k] = args[o.Arg]
					} else if in.keys[k], err = o.E.Eval(ec, r); err != nil {
						return nil, err
					}
				}
				size := rowBytes(in.args) + rowBytes(in.keys)
				if err := ec.Mem.grow(size); err != nil {
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
	out := make([]Row, 0, len(order))
	for _, g := range order {
		r := make(Row, 0, len(n.Groups)+len(n.Aggs))
		r = append(r, g.key...)
		for i, acc := range g.accs {
			d, err := n.Aggs[i].result(ec, g, acc, g.sorted[i])
			if err != nil {
				return nil, err
			}
			r = append(r, d)
		}
		out = append(out, r)
	}
	return &HeldIter{Rows: out, Mem: ec.Mem, Held: held}, nil
}

// result feeds an ordered aggregate its sorted rows and returns the
// aggregate's value for group g; an ordered-set aggregate gets its
// direct arguments, evaluated on the group's key.
func (c *AggCall) result(ec *Ctx, g *aggGroup, acc builtins.Accumulator, rows []sortedInput) (types.Datum, error) {
	bctx := ec.BuiltinCtx()
	if len(c.Order) > 0 {
		c.sortInputs(rows)
		for _, in := range rows {
			if err := acc.Add(bctx, in.args); err != nil {
				return nil, err
			}
		}
	}
	if !c.Agg.IsOrderedSet() {
		return acc.Result(bctx)
	}
	direct := make([]types.Datum, len(c.Direct))
	for i, e := range c.Direct {
		var err error
		if direct[i], err = e.Eval(ec, g.key); err != nil {
			return nil, err
		}
	}
	return acc.(builtins.OrderedSet).Final(bctx, direct)
}
