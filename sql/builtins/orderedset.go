package builtins

import (
	"math"

	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// OrderedSet is the accumulator of an ordered-set aggregate
// (percentile_cont, percentile_disc, mode: Aggregate.Direct > 0 or
// OrderedSet set). Add receives the WITHIN GROUP values, already sorted
// by the caller, with NULLs left out; Final receives the direct
// arguments, evaluated once per group, in place of Result.
type OrderedSet interface {
	Accumulator
	Final(c *Context, direct []types.Datum) (types.Datum, error)
}

// sortedValues collects the sorted values of an ordered-set aggregate.
type sortedValues struct {
	t    types.T
	vals []types.Datum
	// kind is "cont", "disc" or "mode"; multi is the float8[] form.
	kind  string
	multi bool
}

func (a *sortedValues) Add(_ *Context, args []types.Datum) error {
	a.vals = append(a.vals, args[len(args)-1])
	return nil
}

func (a *sortedValues) Result(c *Context) (types.Datum, error) { return a.Final(c, nil) }

func errPercentile(p float64) error {
	return newErr(pgerror.NumericValueOutOfRange, "percentile value %g is not between 0 and 1", p)
}

func (a *sortedValues) Final(_ *Context, direct []types.Datum) (types.Datum, error) {
	if a.kind == "mode" {
		return a.mode(), nil
	}
	if len(direct) == 0 || direct[0] == nil {
		return nil, nil
	}
	if !a.multi {
		p := direct[0].(float64)
		if p < 0 || p > 1 || math.IsNaN(p) {
			return nil, errPercentile(p)
		}
		if len(a.vals) == 0 {
			return nil, nil
		}
		return a.percentile(p)
	}
	ps := direct[0].(*types.Array)
	for _, p := range ps.Elems {
		if p != nil {
			if f := p.(float64); f < 0 || f > 1 || math.IsNaN(f) {
				return nil, errPercentile(f)
			}
		}
	}
	if len(a.vals) == 0 {
		return nil, nil
	}
	out := &types.Array{Elem: a.t, Elems: make([]types.Datum, len(ps.Elems))}
	for i, p := range ps.Elems {
		if p == nil {
			continue
		}
		v, err := a.percentile(p.(float64))
		if err != nil {
			return nil, err
		}
		out.Elems[i] = v
	}
	return out, nil
}

// percentile is percentile_disc_final or percentile_cont_final_common
// for one fraction p of the sorted values.
func (a *sortedValues) percentile(p float64) (types.Datum, error) {
	n := float64(len(a.vals))
	if a.kind == "disc" {
		row := max(int64(math.Ceil(p*n)), 1)
		return a.vals[row-1], nil
	}
	first := math.Floor(p * (n - 1))
	second := math.Ceil(p * (n - 1))
	lo := a.vals[int64(first)]
	if first == second {
		return lo, nil
	}
	hi := a.vals[int64(second)]
	pct := p*(n-1) - first
	if a.t.Oid == types.OidInterval {
		// interval_lerp: (hi - lo) * pct + lo.
		neg, err := negInterval(lo.(types.Interval))
		if err != nil {
			return nil, err
		}
		diff, err := intervalAdd(hi.(types.Interval), neg)
		if err != nil {
			return nil, err
		}
		mul, err := intervalMulFloat(diff, pct)
		if err != nil {
			return nil, err
		}
		return intervalAdd(mul.(types.Interval), lo.(types.Interval))
	}
	l, h := lo.(float64), hi.(float64)
	return l + pct*(h-l), nil
}

// mode is mode_final: the most frequent value, the first in sort order
// among equally frequent ones.
func (a *sortedValues) mode() types.Datum {
	var best types.Datum
	bestN, runN := 0, 0
	for i, v := range a.vals {
		if i == 0 || types.Compare(a.t, v, a.vals[i-1]) != 0 {
			runN = 0
		}
		runN++
		if runN > bestN {
			best, bestN = a.vals[i-runN+1], runN
		}
	}
	return best
}

func registerOrderedSet() {
	f8a := types.ArrayOf(types.Float8)
	for _, t := range []types.T{types.Float8, types.IntervalT} {
		t := t
		registerAgg("percentile_cont",
			&Aggregate{Args: []types.T{types.Float8, t}, Return: t, Direct: 1,
				New: func() Accumulator { return &sortedValues{t: t, kind: "cont"} }},
			&Aggregate{Args: []types.T{f8a, t}, Return: types.ArrayOf(t), Direct: 1,
				New: func() Accumulator { return &sortedValues{t: t, kind: "cont", multi: true} }})
	}
	registerAgg("percentile_disc",
		&Aggregate{Args: []types.T{types.Float8, anyElement}, Direct: 1,
			ReturnFn: func(ts []types.T) types.T { return ts[1] },
			Bind: func(ts []types.T) func() Accumulator {
				return func() Accumulator { return &sortedValues{t: ts[1], kind: "disc"} }
			}},
		&Aggregate{Args: []types.T{f8a, anyElement}, Direct: 1,
			ReturnFn: func(ts []types.T) types.T { return types.ArrayOf(ts[1]) },
			Bind: func(ts []types.T) func() Accumulator {
				return func() Accumulator { return &sortedValues{t: ts[1], kind: "disc", multi: true} }
			}})
	registerAgg("mode", &Aggregate{Args: []types.T{anyElement}, OrderedSet: true, ReturnFn: firstArg,
		Bind: func(ts []types.T) func() Accumulator {
			return func() Accumulator { return &sortedValues{t: ts[0], kind: "mode"} }
		}})
}
