package builtins

import "math"

// Used without cgo (libm_nocgo.go). Go's math.Sinh and math.Cosh build on Exp and can be an ulp away from
// the correctly rounded result that PostgreSQL (through the C library)
// prints, e.g. sinh(1.5). Below 22, where e^-|x| still matters, these
// compute from t = expm1(|x|) instead, which keeps the small terms
// exact: sinh = (t + t/(1+t))/2 and cosh = 1 + t²/(2(1+t)). Beyond it
// the Go functions are exact enough and overflow to ±Infinity as
// PostgreSQL's do.

// hyperbolicExpm1Limit is where e^-|x| stops affecting a float64 result.
const hyperbolicExpm1Limit = 22

func accurateSinh(x float64) float64 {
	a := math.Abs(x)
	if a >= hyperbolicExpm1Limit || math.IsNaN(x) {
		return math.Sinh(x)
	}
	half := 0.5
	if x < 0 {
		half = -0.5
	}
	t := math.Expm1(a)
	if a < 1 {
		// 2t - t²/(1+t) loses less to cancellation than t + t/(1+t) here.
		return half * (2*t - t*t/(t+1))
	}
	return half * (t + t/(t+1))
}

func accurateCosh(x float64) float64 {
	a := math.Abs(x)
	if a >= hyperbolicExpm1Limit || math.IsNaN(x) {
		return math.Cosh(x)
	}
	t := math.Expm1(a)
	w := 1 + t
	return 1 + (t*t)/(w+w)
}
