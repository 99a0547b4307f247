package sql

import (
	"github.com/quorumdb/quorumdb/sql/exec"
	"github.com/quorumdb/quorumdb/sql/types"
)

// Errors of constant folding are raised as PostgreSQL's planner raises
// them. PostgreSQL folds constant subexpressions while planning
// (eval_const_expressions), so SELECT 1/0 FROM t fails even when t is
// empty; but it simplifies CASE, COALESCE, AND and OR first, and never
// folds what they make unreachable: CASE WHEN true THEN 1 ELSE 1/0 END is
// 1, COALESCE(1, 1/0) is 1, false AND 1/0 = 1 is false.
//
// The builder folds bottom-up as it builds, so inside those constructs
// (and inside every SELECT, whose unused subquery outputs PostgreSQL
// never evaluates either) a failed fold becomes an exec.ErrorConst instead of
// an error. The construct drops the branches PostgreSQL would not reach
// (kill), and when the outermost such scope ends, the first failure that
// is still reachable is returned (endDefer). Outside any scope a failed
// fold is an error at once, as before.

// beginDefer opens a scope in which failed folds are deferred.
func (b *builder) beginDefer() { b.deferDepth++ }

// endDefer closes a scope opened by beginDefer. err is the scope's own
// result; when the outermost scope closes without one, the first failure
// still reachable is returned.
func (b *builder) endDefer(err error) error {
	b.deferDepth--
	if b.deferDepth > 0 {
		return err
	}
	pending := b.deferred
	b.deferred = nil
	if err != nil || b.describing {
		return err
	}
	for _, f := range pending {
		if !f.Dead {
			return f.Err
		}
	}
	return nil
}

// deferFailure records a failed fold of e: an exec.ErrorConst inside a
// deferral scope, the error itself outside one.
func (b *builder) deferFailure(e exec.Expr, err error) (exec.Expr, error) {
	b.foldFailed = true
	if b.deferDepth == 0 && !b.describing {
		return nil, err
	}
	f := &exec.FoldFailure{Err: err}
	b.deferred = append(b.deferred, f)
	return &exec.ErrorConst{F: f, T: e.Typ()}, nil
}

// kill marks the failures inside e as unreachable: e was dropped.
func (b *builder) kill(es ...exec.Expr) {
	for _, e := range es {
		visitExpr(e, func(x exec.Expr) {
			switch v := x.(type) {
			case *exec.ErrorConst:
				v.F.Dead = true
			case *exec.SubqueryExpr:
				for _, f := range v.Deferred {
					f.Dead = true
				}
			}
		})
	}
}

// failing reports whether e holds a failure that is still reachable:
// PostgreSQL would raise it while simplifying e.
func failing(e exec.Expr) bool {
	found := false
	visitExpr(e, func(x exec.Expr) {
		switch v := x.(type) {
		case *exec.ErrorConst:
			found = found || !v.F.Dead
		case *exec.SubqueryExpr:
			for _, f := range v.Deferred {
				found = found || !f.Dead
			}
		}
	})
	return found
}

// pruneBool is simplify_and_arguments (and, or: simplify_or_arguments):
// constants that do not decide the result are dropped, one that does
// (false for AND, true for OR) is the result and the arguments after it
// are never folded; NULL constants collapse into one. An argument whose
// folding failed stops the simplification, as the failure would.
func (b *builder) pruneBool(args []exec.Expr, and bool) exec.Expr {
	var kept []exec.Expr
	haveNull := false
	for i, a := range args {
		if failing(a) {
			kept = append(kept, args[i:]...)
			break
		}
		if c, ok := a.(*exec.ConstExpr); ok {
			switch {
			case c.Value == nil:
				haveNull = true
				continue
			case c.Value == !and:
				b.kill(args...)
				return &exec.ConstExpr{Value: !and, T: types.Bool}
			}
			continue
		}
		kept = append(kept, a)
	}
	if haveNull {
		kept = append(kept, &exec.ConstExpr{T: types.Bool})
	}
	if len(kept) == 0 {
		return &exec.ConstExpr{Value: and, T: types.Bool}
	}
	e := kept[0]
	for _, a := range kept[1:] {
		if and {
			e = &exec.AndExpr{L: e, R: a}
		} else {
			e = &exec.OrExpr{L: e, R: a}
		}
	}
	return e
}

// pruneCoalesce simplifies COALESCE as eval_const_expressions does: NULL
// constants are dropped, and a non-NULL constant ends the list (it is the
// result if it comes first).
func (b *builder) pruneCoalesce(args []exec.Expr, t types.T) exec.Expr {
	var kept []exec.Expr
	for i, a := range args {
		if failing(a) {
			kept = append(kept, args[i:]...)
			break
		}
		if c, ok := a.(*exec.ConstExpr); ok {
			if c.Value == nil {
				continue
			}
			b.kill(args[i+1:]...)
			if len(kept) == 0 {
				return a
			}
			kept = append(kept, a)
			break
		}
		kept = append(kept, a)
	}
	if len(kept) == 0 {
		return &exec.ConstExpr{T: t}
	}
	return &exec.CoalesceExpr{Args: kept, T: t}
}
