package sql

import (
	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/quorumdb/quorumdb/sql/builtins"
	"github.com/quorumdb/quorumdb/sql/exec"
	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// Window functions (f(...) OVER (PARTITION BY ... ORDER BY ... frame)):
// planning. Named windows are in window_spec.go, frames in
// window_frame.go, evaluation in window_exec.go.

// windowOnlyFuncs are the window functions that are not aggregates.
var windowOnlyFuncs = map[string]bool{
	"row_number": true, "rank": true, "dense_rank": true, "percent_rank": true, "cume_dist": true, "ntile": true,
	"lag": true, "lead": true, "first_value": true, "last_value": true, "nth_value": true,
}

func (b *builder) buildWindowCall(f *pg_query.FuncCall, name string, s *scope) (exec.Expr, error) {
	var win *exec.WindowInfo
	var defs map[string]*pg_query.WindowDef
	for sc := s; sc != nil && win == nil; sc = sc.parent {
		win, defs = sc.win, sc.winDefs
		break
	}
	if win == nil {
		return nil, pgerror.New(pgerror.WindowingError, "window functions are not allowed here").WithPosition(int(f.Location) + 1)
	}
	w, err := resolveOver(f.Over, defs)
	if err != nil {
		return nil, err
	}
	if f.AggDistinct {
		return nil, pgerror.New(pgerror.FeatureNotSupported, "DISTINCT is not implemented for window functions").WithPosition(int(f.Location) + 1)
	}
	if len(f.AggOrder) > 0 {
		return nil, pgerror.New(pgerror.FeatureNotSupported, "aggregate ORDER BY is not implemented for window functions").WithPosition(int(f.Location) + 1)
	}
	call := &exec.WindowCall{Name: name}
	for _, a := range f.Args {
		e, err := b.buildExpr(a, s)
		if err != nil {
			return nil, err
		}
		call.Args = append(call.Args, e)
	}
	for _, p := range w.PartitionClause {
		e, err := b.buildExpr(p, s)
		if err != nil {
			return nil, err
		}
		if lacksOrdering(e.Typ()) {
			return nil, equalityError(e.Typ(), p)
		}
		call.Partition = append(call.Partition, e)
		call.PartKeys = append(call.PartKeys, nodeKey(p))
	}
	for _, o := range w.OrderClause {
		sb := o.GetSortBy()
		e, err := b.buildExpr(sb.Node, s)
		if err != nil {
			return nil, err
		}
		if lacksOrdering(e.Typ()) {
			return nil, orderingError(e.Typ(), sb.Node)
		}
		call.OrderKeys = append(call.OrderKeys, nodeKey(sb.Node))
		wo := exec.WindowOrder{E: e}
		if wo.Desc, wo.NullsFirst, err = sortDirection(sb, e.Typ()); err != nil {
			return nil, err
		}
		call.Order = append(call.Order, wo)
	}
	if call.Frame, err = b.buildFrame(w, call.Order, s); err != nil {
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
		if call.Filter, err = b.requireBool(fe, "FILTER"); err != nil {
			return nil, err
		}
	}
	switch {
	case windowOnlyFuncs[name]:
		switch name {
		case "row_number", "rank", "dense_rank", "percent_rank", "cume_dist":
			if len(call.Args) != 0 {
				return nil, pgerror.New(pgerror.UndefinedFunction, "function %s with arguments does not exist", name)
			}
			call.T = types.Int8
			if name == "percent_rank" || name == "cume_dist" {
				call.T = types.Float8
			}
		case "ntile":
			if len(call.Args) != 1 {
				return nil, pgerror.New(pgerror.UndefinedFunction, "function ntile does not exist")
			}
			if call.Args[0], err = b.coerce(call.Args[0], types.Int4, name); err != nil {
				return nil, err
			}
			call.T = types.Int4
		case "nth_value":
			if len(call.Args) != 2 {
				return nil, pgerror.New(pgerror.UndefinedFunction, "function nth_value does not exist")
			}
			if call.Args[1], err = b.coerce(call.Args[1], types.Int4, name); err != nil {
				return nil, err
			}
			call.T = call.Args[0].Typ()
		case "lag", "lead":
			if len(call.Args) < 1 || len(call.Args) > 3 {
				return nil, pgerror.New(pgerror.UndefinedFunction, "function %s does not exist", name)
			}
			if len(call.Args) >= 2 {
				var err error
				if call.Args[1], err = b.coerce(call.Args[1], types.Int8, name); err != nil {
					return nil, err
				}
			}
			call.T = call.Args[0].Typ()
			if len(call.Args) == 3 {
				var err error
				if call.Args[2], err = b.coerce(call.Args[2], call.T, name); err != nil {
					return nil, err
				}
			}
		default:
			if len(call.Args) != 1 {
				return nil, pgerror.New(pgerror.UndefinedFunction, "function %s does not exist", name)
			}
			call.T = call.Args[0].Typ()
		}
	case builtins.IsAggregate(name):
		ts := make([]types.T, len(call.Args))
		for i, a := range call.Args {
			ts[i] = a.Typ()
		}
		if f.AggStar {
			call.Args, ts = nil, nil
		}
		ag, casts, err := builtins.ResolveAggregate(name, ts)
		if err != nil {
			return nil, err
		}
		for i := range call.Args {
			if i < len(casts) && casts[i].Family != types.AnyFamily && casts[i].Family != types.UnknownFamily {
				if call.Args[i], err = b.coerce(call.Args[i], casts[i], name); err != nil {
					return nil, err
				}
			}
			ts[i] = call.Args[i].Typ()
		}
		call.Agg, call.T = ag, ag.Return
		if ag.ReturnFn != nil {
			call.T = ag.ReturnFn(ts)
		}
	default:
		return nil, pgerror.New(pgerror.WrongObjectType, "OVER specified, but %s is not a window function nor an aggregate function", name)
	}
	if call.T.Family == types.UnknownFamily {
		call.T = types.Text
	}
	win.Calls = append(win.Calls, call)
	return &exec.WindowRef{Info: win, K: len(win.Calls) - 1, T: call.T}, nil
}
