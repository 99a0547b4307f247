package builtins

import (
	"math"

	"github.com/quorumdb/quorumdb/sql/types"
)

// regrAccum is PostgreSQL's float8_regr_accum state (N, Sx, Sxx, Sy, Syy,
// Sxy) behind corr, covar_pop/samp and the regr_* aggregates, called as
// f(Y, X): Youngs-Cramer updates, an overflow error when finite inputs
// make a sum infinite, and the dependent sums NaN once an input is
// infinite or NaN. final is the aggregate's final function.
type regrAccum struct {
	n, sx, sxx, sy, syy, sxy float64
	final                    func(a *regrAccum) types.Datum
}

func (a *regrAccum) Add(_ *Context, args []types.Datum) error {
	y, x := args[0].(float64), args[1].(float64)
	n, sx, sy := a.n+1, a.sx+x, a.sy+y
	sxx, syy, sxy := a.sxx, a.syy, a.sxy
	if a.n > 0 {
		tmpX, tmpY := x*n-sx, y*n-sy
		scale := 1.0 / (n * a.n)
		sxx += tmpX * tmpX * scale
		syy += tmpY * tmpY * scale
		sxy += tmpX * tmpY * scale
		inf := math.IsInf
		if inf(sx, 0) || inf(sxx, 0) || inf(sy, 0) || inf(syy, 0) || inf(sxy, 0) {
			if (inf(sx, 0) || inf(sxx, 0)) && !inf(a.sx, 0) && !inf(x, 0) ||
				(inf(sy, 0) || inf(syy, 0)) && !inf(a.sy, 0) && !inf(y, 0) ||
				inf(sxy, 0) && !inf(a.sx, 0) && !inf(x, 0) && !inf(a.sy, 0) && !inf(y, 0) {
				return fresh(errOverflow)
			}
			if inf(sxx, 0) {
				sxx = math.NaN()
			}
			if inf(syy, 0) {
				syy = math.NaN()
			}
			if inf(sxy, 0) {
				sxy = math.NaN()
			}
		}
	} else {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			sxx, sxy = math.NaN(), math.NaN()
		}
		if math.IsNaN(y) || math.IsInf(y, 0) {
			syy, sxy = math.NaN(), math.NaN()
		}
	}
	a.n, a.sx, a.sxx, a.sy, a.syy, a.sxy = n, sx, sxx, sy, syy, sxy
	return nil
}

func (a *regrAccum) Result(*Context) (types.Datum, error) { return a.final(a), nil }

func registerRegression() {
	finals := map[string]func(a *regrAccum) types.Datum{
		"regr_sxx":  func(a *regrAccum) types.Datum { return ifRows(a, 1, a.sxx) },
		"regr_syy":  func(a *regrAccum) types.Datum { return ifRows(a, 1, a.syy) },
		"regr_sxy":  func(a *regrAccum) types.Datum { return ifRows(a, 1, a.sxy) },
		"regr_avgx": func(a *regrAccum) types.Datum { return ifRows(a, 1, a.sx/a.n) },
		"regr_avgy": func(a *regrAccum) types.Datum { return ifRows(a, 1, a.sy/a.n) },
		"covar_pop": func(a *regrAccum) types.Datum { return ifRows(a, 1, a.sxy/a.n) },
		"covar_samp": func(a *regrAccum) types.Datum {
			return ifRows(a, 2, a.sxy/(a.n-1))
		},
		"corr": func(a *regrAccum) types.Datum {
			if a.n < 1 || a.sxx == 0 || a.syy == 0 {
				return nil
			}
			return a.sxy / math.Sqrt(a.sxx*a.syy)
		},
		"regr_r2": func(a *regrAccum) types.Datum {
			switch {
			case a.n < 1 || a.sxx == 0:
				return nil
			case a.syy == 0:
				return 1.0
			}
			return (a.sxy * a.sxy) / (a.sxx * a.syy)
		},
		"regr_slope": func(a *regrAccum) types.Datum {
			if a.n < 1 || a.sxx == 0 {
				return nil
			}
			return a.sxy / a.sxx
		},
		"regr_intercept": func(a *regrAccum) types.Datum {
			if a.n < 1 || a.sxx == 0 {
				return nil
			}
			return (a.sy - a.sx*a.sxy/a.sxx) / a.n
		},
	}
	for name, final := range finals {
		final := final
		registerAgg(name, &Aggregate{Args: []types.T{types.Float8, types.Float8}, Return: types.Float8,
			New: func() Accumulator { return &regrAccum{final: final} }})
	}
	// regr_count counts the rows where both arguments are non-NULL; it is
	// 0, not NULL, without any.
	registerAgg("regr_count", &Aggregate{Args: []types.T{types.Float8, types.Float8}, Return: types.Int8,
		New: func() Accumulator { return &countAcc{} }})
}

// ifRows is v when the aggregate saw at least min rows, else NULL.
func ifRows(a *regrAccum, min float64, v float64) types.Datum {
	if a.n < min {
		return nil
	}
	return v
}
