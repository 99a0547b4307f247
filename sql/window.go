package sql

import (
	"sort"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/quorumdb/quorumdb/sql/builtins"
	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// Window functions (f(...) OVER (PARTITION BY ... ORDER BY ...)) with
// PostgreSQL's default frame: the whole partition without ORDER BY, else
// from the partition's start to the current row's last peer.

// frameDefault is PostgreSQL's FRAMEOPTION_DEFAULTS (RANGE BETWEEN
// UNBOUNDED PRECEDING AND CURRENT ROW); 0 also means the default.
const frameDefault = 1058

// windowOrder is one ORDER BY term of a window.
type windowOrder struct {
	e          expr
	desc       bool
	nullsFirst bool
}

// windowCall is one window function call of a query level.
type windowCall struct {
	name      string
	agg       *builtins.Aggregate
	args      []expr
	partition []expr
	order     []windowOrder
	t         types.T
}

// windowInfo collects a query level's window calls; their results are
// appended to the input row at base (known once the input is planned).
type windowInfo struct {
	calls []*windowCall
	base  int
}

// windowRef reads a window function's result from the row.
type windowRef struct {
	info *windowInfo
	k    int
	t    types.T
}

func (e *windowRef) typ() types.T { return e.t }
func (e *windowRef) eval(_ *execCtx, r row) (types.Datum, error) {
	return r[e.info.base+e.k], nil
}

var rankingFuncs = map[string]bool{"row_number": true, "rank": true, "dense_rank": true, "lag": true, "lead": true, "first_value": true, "last_value": true}

func (b *builder) buildWindowCall(f *pg_query.FuncCall, name string, s *scope) (expr, error) {
	var win *windowInfo
	for sc := s; sc != nil && win == nil; sc = sc.parent {
		win = sc.win
		break
	}
	if win == nil {
		return nil, pgerror.New(pgerror.WindowingError, "window functions are not allowed here").WithPosition(int(f.Location) + 1)
	}
	w := f.Over
	if w.Refname != "" || w.Name != "" {
		return nil, unsupported("named windows")
	}
	if w.FrameOptions != frameDefault && w.FrameOptions != 0 {
		return nil, unsupported("window frame clauses")
	}
	call := &windowCall{name: name}
	for _, a := range f.Args {
		e, err := b.buildExpr(a, s)
		if err != nil {
			return nil, err
		}
		call.args = append(call.args, e)
	}
	for _, p := range w.PartitionClause {
		e, err := b.buildExpr(p, s)
		if err != nil {
			return nil, err
		}
		call.partition = append(call.partition, e)
	}
	for _, o := range w.OrderClause {
		sb := o.GetSortBy()
		e, err := b.buildExpr(sb.Node, s)
		if err != nil {
			return nil, err
		}
		wo := windowOrder{e: e, desc: sb.SortbyDir == pg_query.SortByDir_SORTBY_DESC}
		wo.nullsFirst = wo.desc
		switch sb.SortbyNulls {
		case pg_query.SortByNulls_SORTBY_NULLS_FIRST:
			wo.nullsFirst = true
		case pg_query.SortByNulls_SORTBY_NULLS_LAST:
			wo.nullsFirst = false
		}
		call.order = append(call.order, wo)
	}
	switch {
	case rankingFuncs[name]:
		switch name {
		case "row_number", "rank", "dense_rank":
			if len(call.args) != 0 {
				return nil, pgerror.New(pgerror.UndefinedFunction, "function %s with arguments does not exist", name)
			}
			call.t = types.Int8
		case "lag", "lead":
			if len(call.args) < 1 || len(call.args) > 3 {
				return nil, pgerror.New(pgerror.UndefinedFunction, "function %s does not exist", name)
			}
			if len(call.args) >= 2 {
				var err error
				if call.args[1], err = b.coerce(call.args[1], types.Int8, name); err != nil {
					return nil, err
				}
			}
			call.t = call.args[0].typ()
			if len(call.args) == 3 {
				var err error
				if call.args[2], err = b.coerce(call.args[2], call.t, name); err != nil {
					return nil, err
				}
			}
		default:
			if len(call.args) != 1 {
				return nil, pgerror.New(pgerror.UndefinedFunction, "function %s does not exist", name)
			}
			call.t = call.args[0].typ()
		}
	case builtins.IsAggregate(name):
		ts := make([]types.T, len(call.args))
		for i, a := range call.args {
			ts[i] = a.typ()
		}
		if f.AggStar {
			call.args, ts = nil, nil
		}
		ag, casts, err := builtins.ResolveAggregate(name, ts)
		if err != nil {
			return nil, err
		}
		for i := range call.args {
			if i < len(casts) && casts[i].Family != types.AnyFamily && casts[i].Family != types.UnknownFamily {
				if call.args[i], err = b.coerce(call.args[i], casts[i], name); err != nil {
					return nil, err
				}
			}
			ts[i] = call.args[i].typ()
		}
		call.agg, call.t = ag, ag.Return
		if ag.ReturnFn != nil {
			call.t = ag.ReturnFn(ts)
		}
	default:
		return nil, pgerror.New(pgerror.WrongObjectType, "OVER specified, but %s is not a window function nor an aggregate function", name)
	}
	if call.t.Family == types.UnknownFamily {
		call.t = types.Text
	}
	win.calls = append(win.calls, call)
	return &windowRef{info: win, k: len(win.calls) - 1, t: call.t}, nil
}

// windowNode computes its input's window functions and appends their
// results to each row.
type windowNode struct {
	input planNode
	info  *windowInfo
	cols  []resultCol
}

func (n *windowNode) columns() []resultCol { return n.cols }

func (n *windowNode) exec(ec *execCtx) (rowIter, error) {
	rows, err := collect(ec, n.input)
	if err != nil {
		return nil, err
	}
	out := make([]row, len(rows))
	for i, r := range rows {
		out[i] = append(append(row(nil), r...), make(row, len(n.info.calls))...)
	}
	for k, call := range n.info.calls {
		if err := computeWindow(ec, call, rows, out, n.info.base+k); err != nil {
			return nil, err
		}
	}
	return &sliceIter{rows: out}, nil
}

func computeWindow(ec *execCtx, call *windowCall, rows, out []row, col int) error {
	type entry struct {
		idx   int
		part  string
		order row
	}
	entries := make([]entry, len(rows))
	for i, r := range rows {
		var pk []byte
		for _, p := range call.partition {
			d, err := p.eval(ec, r)
			if err != nil {
				return err
			}
			pk = datumKey(pk, p.typ(), d)
		}
		ord := make(row, len(call.order))
		for j, o := range call.order {
			d, err := o.e.eval(ec, r)
			if err != nil {
				return err
			}
			ord[j] = d
		}
		entries[i] = entry{idx: i, part: string(pk), order: ord}
	}
	cmpOrder := func(a, b row) int {
		for j, o := range call.order {
			x, y := a[j], b[j]
			var c int
			switch {
			case x == nil && y == nil:
			case x == nil:
				c = 1
				if o.nullsFirst {
					c = -1
				}
				if o.desc {
					c = -c
				}
			case y == nil:
				c = -1
				if o.nullsFirst {
					c = 1
				}
				if o.desc {
					c = -c
				}
			default:
				c = types.Compare(o.e.typ(), x, y)
			}
			if c != 0 {
				if o.desc {
					return -c
				}
				return c
			}
		}
		return 0
	}
	sort.SliceStable(entries, func(i, j int) bool {
		if entries[i].part != entries[j].part {
			return entries[i].part < entries[j].part
		}
		return cmpOrder(entries[i].order, entries[j].order) < 0
	})
	bctx := ec.builtinCtx()
	for start := 0; start < len(entries); {
		end := start
		for end < len(entries) && entries[end].part == entries[start].part {
			end++
		}
		part := entries[start:end]
		// Peer groups: rows equal on the window's ORDER BY (all rows are
		// peers without ORDER BY).
		peerEnd := make([]int, len(part))
		for i := len(part) - 1; i >= 0; i-- {
			if i+1 < len(part) && cmpOrder(part[i].order, part[i+1].order) == 0 {
				peerEnd[i] = peerEnd[i+1]
			} else {
				peerEnd[i] = i + 1
			}
		}
		var acc builtins.Accumulator
		if call.agg != nil {
			acc = call.agg.New()
		}
		added := 0
		rank, dense := 0, 0
		for i, e := range part {
			var v types.Datum
			switch call.name {
			case "row_number":
				v = int64(i + 1)
			case "rank", "dense_rank":
				if i == 0 || cmpOrder(part[i-1].order, e.order) != 0 {
					rank = i + 1
					dense++
				}
				if call.name == "rank" {
					v = int64(rank)
				} else {
					v = int64(dense)
				}
			case "lag", "lead":
				off := int64(1)
				if len(call.args) >= 2 {
					d, err := call.args[1].eval(ec, rows[e.idx])
					if err != nil {
						return err
					}
					if d == nil {
						break
					}
					off = d.(int64)
				}
				j := int64(i) - off
				if call.name == "lead" {
					j = int64(i) + off
				}
				if j >= 0 && j < int64(len(part)) {
					d, err := call.args[0].eval(ec, rows[part[j].idx])
					if err != nil {
						return err
					}
					v = d
				} else if len(call.args) == 3 {
					d, err := call.args[2].eval(ec, rows[e.idx])
					if err != nil {
						return err
					}
					v = d
				}
			case "first_value", "last_value":
				j := 0
				if call.name == "last_value" {
					j = peerEnd[i] - 1
				}
				d, err := call.args[0].eval(ec, rows[part[j].idx])
				if err != nil {
					return err
				}
				v = d
			default: // aggregate over the frame
				for added < peerEnd[i] {
					r := rows[part[added].idx]
					args := make([]types.Datum, len(call.args))
					skip := false
					for a, x := range call.args {
						d, err := x.eval(ec, r)
						if err != nil {
							return err
						}
						if d == nil && !call.agg.CountsNulls {
							skip = true
						}
						args[a] = d
					}
					if !skip {
						if err := acc.Add(bctx, args); err != nil {
							return err
						}
					}
					added++
				}
				d, err := acc.Result(bctx)
				if err != nil {
					return err
				}
				v = d
			}
			out[e.idx][col] = v
		}
		start = end
	}
	return nil
}
