package sql

import "github.com/quorumdb/quorumdb/sql/types"

// Errors of constant folding are raised as PostgreSQL's planner raises
// them. PostgreSQL folds constant subexpressions while planning
// (eval_const_expressions), so SELECT 1/0 FROM t fails even when t is
// empty; but it simplifies CASE, COALESCE, AND and OR first, and never
// folds what they make unreachable: CASE WHEN true THEN 1 ELSE 1/0 END is
// 1, COALESCE(1, 1/0) is 1, false AND 1/0 = 1 is false.
//
// The builder folds bottom-up as it builds, so inside those constructs
// (and inside every SELECT, whose unused subquery outputs PostgreSQL
// never evaluates either) a failed fold becomes an errorConst instead of
// an error. The construct drops the branches PostgreSQL would not reach
// (kill), and when the outermost such scope ends, the first failure that
// is still reachable is returned (endDefer). Outside any scope a failed
// fold is an error at once, as before.

// foldFailure is one constant subexpression whose evaluation failed while
// planning. dead is set when the expression holding it was dropped.
type foldFailure struct {
	err  error
	dead bool
}

// errorConst stands for a constant whose folding failed; it evaluates to
// its error. Several errorConsts (of different types) share one failure
// when a failure propagates up through folding.
type errorConst struct {
	f *foldFailure
	t types.T
}

func (e *errorConst) typ() types.T                            { return e.t }
func (e *errorConst) eval(*execCtx, row) (types.Datum, error) { return nil, e.f.err }

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
		if !f.dead {
			return f.err
		}
	}
	return nil
}

// deferFailure records a failed fold of e: an errorConst inside a
// deferral scope, the error itself outside one.
func (b *builder) deferFailure(e expr, err error) (expr, error) {
	b.foldFailed = true
	if b.deferDepth == 0 && !b.describing {
		return nil, err
	}
	f := &foldFailure{err: err}
	b.deferred = append(b.deferred, f)
	return &errorConst{f: f, t: e.typ()}, nil
}

// kill marks the failures inside e as unreachable: e was dropped.
func (b *builder) kill(es ...expr) {
	for _, e := range es {
		visitExpr(e, func(x expr) {
			switch v := x.(type) {
			case *errorConst:
				v.f.dead = true
			case *subqueryExpr:
				for _, f := range v.deferred {
					f.dead = true
				}
			}
		})
	}
}

// failing reports whether e holds a failure that is still reachable:
// PostgreSQL would raise it while simplifying e.
func failing(e expr) bool {
	found := false
	visitExpr(e, func(x expr) {
		switch v := x.(type) {
		case *errorConst:
			found = found || !v.f.dead
		case *subqueryExpr:
			for _, f := range v.deferred {
				found = found || !f.dead
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
func (b *builder) pruneBool(args []expr, and bool) expr {
	var kept []expr
	haveNull := false
	for i, a := range args {
		if failing(a) {
			kept = append(kept, args[i:]...)
			break
		}
		if c, ok := a.(*constExpr); ok {
			switch {
			case c.d == nil:
				haveNull = true
				continue
			case c.d == !and:
				b.kill(args...)
				return &constExpr{d: !and, t: types.Bool}
			}
			continue
		}
		kept = append(kept, a)
	}
	if haveNull {
		kept = append(kept, &constExpr{t: types.Bool})
	}
	if len(kept) == 0 {
		return &constExpr{d: and, t: types.Bool}
	}
	e := kept[0]
	for _, a := range kept[1:] {
		if and {
			e = &andExpr{l: e, r: a}
		} else {
			e = &orExpr{l: e, r: a}
		}
	}
	return e
}

// pruneCoalesce simplifies COALESCE as eval_const_expressions does: NULL
// constants are dropped, and a non-NULL constant ends the list (it is the
// result if it comes first).
func (b *builder) pruneCoalesce(args []expr, t types.T) expr {
	var kept []expr
	for i, a := range args {
		if failing(a) {
			kept = append(kept, args[i:]...)
			break
		}
		if c, ok := a.(*constExpr); ok {
			if c.d == nil {
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
		return &constExpr{t: t}
	}
	return &coalesceExpr{args: kept, t: t}
}
