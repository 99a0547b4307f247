package sql

import (
	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/quorumdb/quorumdb/sql/builtins"
	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// Window functions (f(...) OVER (PARTITION BY ... ORDER BY ... frame)):
// planning. Named windows are in window_spec.go, frames in
// window_frame.go, evaluation in window_exec.go.

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
	frame     windowFrame
	filter    expr // FILTER (WHERE ...) of an aggregate, or nil
	t         types.T
	// partKeys and orderKeys identify the PARTITION BY and ORDER BY
	// expressions (their parse trees), for the output order (window_order.go).
	partKeys, orderKeys []string
}

// windowInfo collects a query level's window calls; their results are
// appended to the input row at base (known once the input is planned).
type windowInfo struct {
	calls []*windowCall
	base  int
	defs  map[string]*pg_query.WindowDef // the WINDOW clause
	// specs are the distinct windows in the order PostgreSQL computes
	// them; the rows come out sorted by the last (window_order.go).
	specs []windowSpec
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

// windowOnlyFuncs are the window functions that are not aggregates.
var windowOnlyFuncs = map[string]bool{
	"row_number": true, "rank": true, "dense_rank": true, "percent_rank": true, "cume_dist": true, "ntile": true,
	"lag": true, "lead": true, "first_value": true, "last_value": true, "nth_value": true,
}

func (b *builder) buildWindowCall(f *pg_query.FuncCall, name string, s *scope) (expr, error) {
	var win *windowInfo
	for sc := s; sc != nil && win == nil; sc = sc.parent {
		win = sc.win
		break
	}
	if win == nil {
		return nil, pgerror.New(pgerror.WindowingError, "window functions are not allowed here").WithPosition(int(f.Location) + 1)
	}
	w, err := resolveOver(f.Over, win.defs)
	if err != nil {
		return nil, err
	}
	if f.AggDistinct {
		return nil, pgerror.New(pgerror.FeatureNotSupported, "DISTINCT is not implemented for window functions").WithPosition(int(f.Location) + 1)
	}
	if len(f.AggOrder) > 0 {
		return nil, pgerror.New(pgerror.FeatureNotSupported, "aggregate ORDER BY is not implemented for window functions").WithPosition(int(f.Location) + 1)
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
		call.partKeys = append(call.partKeys, nodeKey(p))
	}
	for _, o := range w.OrderClause {
		sb := o.GetSortBy()
		e, err := b.buildExpr(sb.Node, s)
		if err != nil {
			return nil, err
		}
		call.orderKeys = append(call.orderKeys, nodeKey(sb.Node))
		wo := windowOrder{e: e}
		if wo.desc, wo.nullsFirst, err = sortDirection(sb, e.typ()); err != nil {
			return nil, err
		}
		call.order = append(call.order, wo)
	}
	if call.frame, err = b.buildFrame(w, call.order, s); err != nil {
		return nil, err
	}
	if f.AggFilter != nil {
		if windowOnlyFuncs[name] {
			return nil, pgerror.New(pgerror.FeatureNotSupported, "FILTER is not implemented for non-aggregate window functions").WithPosition(int(f.Location) + 1)
		}
		fe, err := b.buildExpr(f.AggFilter, s)
		if err != nil {
			return nil, err
		}
		if call.filter, err = b.requireBool(fe, "FILTER"); err != nil {
			return nil, err
		}
	}
	switch {
	case windowOnlyFuncs[name]:
		switch name {
		case "row_number", "rank", "dense_rank", "percent_rank", "cume_dist":
			if len(call.args) != 0 {
				return nil, pgerror.New(pgerror.UndefinedFunction, "function %s with arguments does not exist", name)
			}
			call.t = types.Int8
			if name == "percent_rank" || name == "cume_dist" {
				call.t = types.Float8
			}
		case "ntile":
			if len(call.args) != 1 {
				return nil, pgerror.New(pgerror.UndefinedFunction, "function ntile does not exist")
			}
			if call.args[0], err = b.coerce(call.args[0], types.Int4, name); err != nil {
				return nil, err
			}
			call.t = types.Int4
		case "nth_value":
			if len(call.args) != 2 {
				return nil, pgerror.New(pgerror.UndefinedFunction, "function nth_value does not exist")
			}
			if call.args[1], err = b.coerce(call.args[1], types.Int4, name); err != nil {
				return nil, err
			}
			call.t = call.args[0].typ()
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
