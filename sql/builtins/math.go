package builtins

import (
	"math"

	"github.com/cockroachdb/apd/v3"
	"github.com/quorumdb/quorumdb/sql/types"
)

func f8(fn func(float64) (types.Datum, error)) Fn {
	return func(_ *Context, a []types.Datum) (types.Datum, error) { return fn(a[0].(float64)) }
}

func f8plain(fn func(float64) float64) Fn {
	return func(_ *Context, a []types.Datum) (types.Datum, error) {
		x := a[0].(float64)
		r := fn(x)
		if math.IsInf(r, 0) && !math.IsInf(x, 0) {
			return nil, fresh(errOverflow)
		}
		return r, nil
	}
}

// floatExp is float8 exp as PostgreSQL's dexp: ±infinity give infinity
// and 0, a finite argument whose result does not fit is an overflow or,
// when it rounds to zero, an underflow (exp(-1004.3) is an error there,
// not 0).
func floatExp(_ *Context, a []types.Datum) (types.Datum, error) {
	x := a[0].(float64)
	switch {
	case math.IsNaN(x), math.IsInf(x, 1):
		return x, nil
	case math.IsInf(x, -1):
		return 0.0, nil
	}
	r := libm.Exp(x)
	if math.IsInf(r, 0) {
		return nil, fresh(errOverflow)
	}
	if r == 0 {
		return nil, fresh(errUnderflow)
	}
	return r, nil
}

func num(fn func(*apd.Decimal) (types.Datum, error)) Fn {
	return func(_ *Context, a []types.Datum) (types.Datum, error) { return fn(a[0].(*apd.Decimal)) }
}

func floatSqrt(x float64) (types.Datum, error) {
	if x < 0 {
		return nil, newErr(codeInvalidArgumentForPower, "cannot take square root of a negative number")
	}
	return math.Sqrt(x), nil
}

func floatLog(fn func(float64) float64) Fn {
	return f8(func(x float64) (types.Datum, error) {
		if x == 0 {
			return nil, newErr(codeInvalidArgumentForLog, "cannot take logarithm of zero")
		}
		if x < 0 {
			return nil, newErr(codeInvalidArgumentForLog, "cannot take logarithm of a negative number")
		}
		return fn(x), nil
	})
}

// roundDec rounds half away from zero (or truncates) to s digits; a
// negative s rounds left of the point but the result keeps scale 0, as
// PostgreSQL prints. As numeric_round and numeric_trunc do, s is clamped to
// the scales a numeric can have: [-(NUMERIC_WEIGHT_MAX+1)*DEC_DIGITS-1,
// NUMERIC_DSCALE_MAX].
func roundDec(d *apd.Decimal, s int64, trunc bool) (types.Datum, error) {
	if d.Form != apd.Finite {
		return d, nil
	}
	s = min(max(s, -(numericWeightMax+1)*4-1), numericDscaleMax)
	if s < 0 && -s > weight10(d)+1 {
		// Less than a tenth of the rounding unit: 0 (also beyond the
		// exponents apd can hold).
		return apd.New(0, 0), nil
	}
	c := *exact
	// Enough precision for every digit the result keeps.
	c.Precision = uint32(max(int64(c.Precision), weight10(d)+2+max(s, 0)))
	if trunc {
		c.Rounding = apd.RoundDown
	}
	out := new(apd.Decimal)
	if _, err := quantize(&c, out, d, int32(-s)); err != nil {
		return nil, fresh(errNumericOverflow)
	}
	if s < 0 {
		if _, err := c.Quantize(out, out, 0); err != nil {
			return nil, fresh(errNumericOverflow)
		}
	}
	if out.Coeff.Sign() == 0 {
		out.Negative = false
	}
	return out, nil
}

// integral rounds a numeric to an integer with the given rounding mode.
func integral(d *apd.Decimal, mode apd.Rounder) (types.Datum, error) {
	if d.Form != apd.Finite {
		return d, nil
	}
	c := *exact
	c.Rounding = mode
	out := new(apd.Decimal)
	if _, err := quantize(&c, out, d, 0); err != nil {
		return nil, fresh(errNumericOverflow)
	}
	if out.Coeff.Sign() == 0 {
		out.Negative = false
	}
	return out, nil
}

// numSqrt is numeric sqrt with PostgreSQL's result scale.
func numSqrt(d *apd.Decimal) (types.Datum, error) {
	if isNaN(d) {
		return d, nil
	}
	if d.Negative && !(d.Form == apd.Finite && d.Coeff.Sign() == 0) {
		return nil, newErr(codeInvalidArgumentForPower, "cannot take square root of a negative number")
	}
	if d.Form == apd.Infinite {
		return d, nil
	}
	var w int64
	if d.Coeff.Sign() != 0 {
		w, _ = nbaseWeight(d)
	}
	sweight := (w+1)*4/2 - 1
	s := clampScale(minSigDigits-sweight, dscale(d))
	out := new(apd.Decimal)
	if _, err := withPrec(uint32(max(weight10(d), 0)/2+int64(s)+10)).Sqrt(out, d); err != nil {
		return nil, fresh(errNumericOverflow)
	}
	return roundTo(out, s)
}

// lnDweight is estimate_ln_dweight: the decimal weight of ln(d).
func lnDweight(d *apd.Decimal) int64 {
	f := decFloat(d)
	if f >= 0.9 && f <= 1.1 {
		x := new(apd.Decimal)
		_, _ = exact.Sub(x, d, apd.New(1, 0))
		if x.Coeff.Sign() == 0 {
			return 0
		}
		return weight10(x)
	}
	// Else from the first two base-10000 digits, as PostgreSQL does:
	// ln(d) ~ ln(digits) + dweight * ln(10).
	w, first := nbaseWeight(d)
	digits, dweight := float64(first), w*4
	if second, ok := nbaseSecond(d); ok {
		digits = digits*10000 + float64(second)
		dweight -= 4
	}
	l := math.Log(digits) + float64(dweight)*2.302585092994046
	return int64(math.Log10(math.Abs(l)))
}

func checkLogArg(d *apd.Decimal) error {
	if d.Form == apd.Finite && d.Coeff.Sign() == 0 {
		return newErr(codeInvalidArgumentForLog, "cannot take logarithm of zero")
	}
	if d.Negative {
		return newErr(codeInvalidArgumentForLog, "cannot take logarithm of a negative number")
	}
	return nil
}

// numLn is ln(numeric).
func numLn(d *apd.Decimal) (types.Datum, error) {
	if isNaN(d) {
		return d, nil
	}
	if err := checkLogArg(d); err != nil {
		return nil, err
	}
	if d.Form == apd.Infinite {
		return d, nil
	}
	s := clampScale(minSigDigits-lnDweight(d), dscale(d))
	out := new(apd.Decimal)
	if _, err := withPrec(uint32(int64(s)+24)).Ln(out, d); err != nil {
		return nil, fresh(errNumericOverflow)
	}
	return roundTo(out, s)
}

// numLog is log(base, x) on numerics.
func numLog(b, x *apd.Decimal) (types.Datum, error) {
	if isNaN(b) || isNaN(x) {
		return nanDec(), nil
	}
	if err := checkLogArg(b); err != nil {
		return nil, err
	}
	if err := checkLogArg(x); err != nil {
		return nil, err
	}
	s := clampScale(minSigDigits-(lnDweight(x)-lnDweight(b)), dscale(b), dscale(x))
	c := withPrec(uint32(int64(s) + 40))
	lb, lx := new(apd.Decimal), new(apd.Decimal)
	if _, err := c.Ln(lb, b); err != nil {
		return nil, fresh(errNumericOverflow)
	}
	if _, err := c.Ln(lx, x); err != nil {
		return nil, fresh(errNumericOverflow)
	}
	if lb.Coeff.Sign() == 0 {
		return nil, fresh(errDivByZero)
	}
	out := new(apd.Decimal)
	if _, err := c.Quo(out, lx, lb); err != nil {
		return nil, fresh(errNumericOverflow)
	}
	return roundTo(out, s)
}

// numExp is exp(numeric).
func numExp(d *apd.Decimal) (types.Datum, error) {
	if d.Form != apd.Finite {
		if d.Form == apd.Infinite && d.Negative {
			return apd.New(0, 0), nil
		}
		return d, nil
	}
	val := decFloat(d) * 0.434294481903252
	val = min(max(val, -2000), 2000)
	s := clampScale(minSigDigits-int64(val), dscale(d))
	out := new(apd.Decimal)
	if _, err := withPrec(uint32(max(int64(val), 0)+int64(s)+10)).Exp(out, d); err != nil {
		return nil, fresh(errNumericOverflow)
	}
	return roundTo(out, s)
}

// numPow is numeric ^ numeric.
func numPow(b, e *apd.Decimal) (types.Datum, error) {
	if isNaN(b) || isNaN(e) {
		// 1 ^ NaN and NaN ^ 0 are 1, as in PostgreSQL.
		if !isNaN(b) && b.Cmp(apd.New(1, 0)) == 0 || !isNaN(e) && e.Form == apd.Finite && e.Coeff.Sign() == 0 {
			return apd.New(1, 0), nil
		}
		return nanDec(), nil
	}
	bz := b.Form == apd.Finite && b.Coeff.Sign() == 0
	if bz && e.Negative {
		return nil, newErr(codeInvalidArgumentForPower, "zero raised to a negative power is undefined")
	}
	n, isInt := decInt(e)
	if b.Negative && !isInt {
		return nil, newErr(codeInvalidArgumentForPower, "a negative number raised to a non-integer power yields a complex result")
	}
	if b.Form != apd.Finite || e.Form != apd.Finite {
		return floatToNum(math.Pow(decFloat(b), decFloat(e)))
	}
	var s int32
	if isInt && n >= math.MinInt32 && n <= math.MaxInt32 {
		s = clampScale(minSigDigits, dscale(b))
	} else {
		var val float64
		if !bz {
			val = decFloat(e) * math.Log10(math.Abs(decFloat(b)))
		}
		s = clampScale(minSigDigits-int64(val), dscale(b), dscale(e))
	}
	var est float64
	if !bz {
		est = decFloat(e) * math.Log10(math.Abs(decFloat(b)))
	}
	if est > 131072 {
		return nil, fresh(errNumericOverflow)
	}
	out := new(apd.Decimal)
	if _, err := withPrec(uint32(max(int64(est), 0)+int64(s)+20)).Pow(out, b, e); err != nil {
		return nil, fresh(errNumericOverflow)
	}
	return roundTo(out, s)
}

func floatToNum(f float64) (types.Datum, error) {
	switch {
	case math.IsNaN(f):
		return nanDec(), nil
	case math.IsInf(f, 0):
		return &apd.Decimal{Form: apd.Infinite, Negative: f < 0}, nil
	}
	return toDec(f), nil
}

func gcd64(a, b int64) (int64, bool) {
	for b != 0 {
		if b == -1 {
			// a % -1 is 0, but a / -1 may overflow; the gcd is 1.
			return 1, true
		}
		a, b = b, a%b
	}
	if a == math.MinInt64 {
		return 0, false
	}
	if a < 0 {
		a = -a
	}
	return a, true
}

func registerMath() {
	intsF := []types.T{types.Int2, types.Int4, types.Int8}
	for _, t := range intsF {
		t := t
		register("abs", ov(t, func(_ *Context, a []types.Datum) (types.Datum, error) { return intAbs(t, a[0].(int64)) }, t))
	}
	register("abs",
		ov(types.Float4, f8plain(math.Abs), types.Float4),
		ov(types.Float8, f8plain(math.Abs), types.Float8),
		ov(types.Numeric, num(func(d *apd.Decimal) (types.Datum, error) { return new(apd.Decimal).Abs(d), nil }), types.Numeric))
	register("ceil ceiling",
		ov(types.Float8, f8plain(math.Ceil), types.Float8),
		ov(types.Numeric, num(func(d *apd.Decimal) (types.Datum, error) { return integral(d, apd.RoundCeiling) }), types.Numeric))
	register("floor",
		ov(types.Float8, f8plain(math.Floor), types.Float8),
		ov(types.Numeric, num(func(d *apd.Decimal) (types.Datum, error) { return integral(d, apd.RoundFloor) }), types.Numeric))
	register("round",
		// float8 round is rint(): half to even.
		ov(types.Float8, f8plain(math.RoundToEven), types.Float8),
		ov(types.Numeric, num(func(d *apd.Decimal) (types.Datum, error) { return roundDec(d, 0, false) }), types.Numeric),
		ov(types.Numeric, func(_ *Context, a []types.Datum) (types.Datum, error) {
			return roundDec(a[0].(*apd.Decimal), a[1].(int64), false)
		}, types.Numeric, types.Int4))
	register("trunc",
		ov(types.Float8, f8plain(math.Trunc), types.Float8),
		ov(types.Numeric, num(func(d *apd.Decimal) (types.Datum, error) { return roundDec(d, 0, true) }), types.Numeric),
		ov(types.Numeric, func(_ *Context, a []types.Datum) (types.Datum, error) {
			return roundDec(a[0].(*apd.Decimal), a[1].(int64), true)
		}, types.Numeric, types.Int4))
	register("sign",
		ov(types.Float8, f8plain(func(x float64) float64 {
			switch {
			case x > 0:
				return 1
			case x < 0:
				return -1
			}
			return 0 // -0 and NaN too, as in float8_sign
		}), types.Float8),
		ov(types.Numeric, num(func(d *apd.Decimal) (types.Datum, error) {
			if isNaN(d) {
				return d, nil
			}
			if d.Form == apd.Finite && d.Coeff.Sign() == 0 {
				return apd.New(0, 0), nil
			}
			if d.Negative {
				return apd.New(-1, 0), nil
			}
			return apd.New(1, 0), nil
		}), types.Numeric))
	for _, t := range intsF {
		t := t
		register("mod", ov(t, func(_ *Context, a []types.Datum) (types.Datum, error) {
			return intArith("%", t, a[0].(int64), a[1].(int64))
		}, t, t))
	}
	register("mod", ov(types.Numeric, func(_ *Context, a []types.Datum) (types.Datum, error) {
		return numMod(a[0].(*apd.Decimal), a[1].(*apd.Decimal))
	}, types.Numeric, types.Numeric))
	register("div", ov(types.Numeric, func(_ *Context, a []types.Datum) (types.Datum, error) {
		return numTruncDiv(a[0].(*apd.Decimal), a[1].(*apd.Decimal))
	}, types.Numeric, types.Numeric))
	register("power pow",
		ov(types.Float8, func(_ *Context, a []types.Datum) (types.Datum, error) {
			return floatPow(types.Float8, a[0].(float64), a[1].(float64))
		}, types.Float8, types.Float8),
		ov(types.Numeric, func(_ *Context, a []types.Datum) (types.Datum, error) {
			return numPow(a[0].(*apd.Decimal), a[1].(*apd.Decimal))
		}, types.Numeric, types.Numeric))
	register("sqrt", ov(types.Float8, f8(floatSqrt), types.Float8), ov(types.Numeric, num(numSqrt), types.Numeric))
	register("cbrt", ov(types.Float8, f8plain(libm.Cbrt), types.Float8))
	register("exp", ov(types.Float8, floatExp, types.Float8), ov(types.Numeric, num(numExp), types.Numeric))
	register("ln", ov(types.Float8, floatLog(libm.Log), types.Float8), ov(types.Numeric, num(numLn), types.Numeric))
	register("log log10", ov(types.Float8, floatLog(libm.Log10), types.Float8),
		ov(types.Numeric, num(func(d *apd.Decimal) (types.Datum, error) { return numLog(apd.New(10, 0), d) }), types.Numeric))
	register("log", ov(types.Numeric, func(_ *Context, a []types.Datum) (types.Datum, error) {
		return numLog(a[0].(*apd.Decimal), a[1].(*apd.Decimal))
	}, types.Numeric, types.Numeric))
	register("pi", ov(types.Float8, func(*Context, []types.Datum) (types.Datum, error) { return math.Pi, nil }))
	// degrees and radians divide and multiply by RADIANS_PER_DEGREE, as
	// float.c does (x * (180/π) differs in the last digit), with
	// float8_div's and float8_mul's overflow and underflow checks.
	const radiansPerDegree = 0.0174532925199432957692
	scaled := func(fn func(float64) float64) Fn {
		return func(_ *Context, a []types.Datum) (types.Datum, error) {
			x := a[0].(float64)
			r := fn(x)
			switch {
			case math.IsInf(r, 0) && !math.IsInf(x, 0):
				return nil, fresh(errOverflow)
			case r == 0 && x != 0:
				return nil, fresh(errUnderflow)
			}
			return r, nil
		}
	}
	register("degrees", ov(types.Float8, scaled(func(x float64) float64 { return x / radiansPerDegree }), types.Float8))
	register("radians", ov(types.Float8, scaled(func(x float64) float64 { return x * radiansPerDegree }), types.Float8))
	trig := func(name string, fn func(float64) float64, domain func(float64) bool) {
		register(name, ov(types.Float8, f8(func(x float64) (types.Datum, error) {
			if math.IsNaN(x) {
				return x, nil
			}
			if !domain(x) {
				return nil, newErr("22003", "input is out of range")
			}
			return fn(x), nil
		}), types.Float8))
	}
	finite := func(x float64) bool { return !math.IsInf(x, 0) }
	unit := func(x float64) bool { return x >= -1 && x <= 1 }
	all := func(float64) bool { return true }
	trig("sin", libm.Sin, finite)
	trig("cos", libm.Cos, finite)
	trig("tan", libm.Tan, finite)
	trig("cot", func(x float64) float64 { return 1 / libm.Tan(x) }, finite)
	trig("asin", libm.Asin, unit)
	trig("acos", libm.Acos, unit)
	trig("atan", libm.Atan, all)
	// Hyperbolic functions. sinh and cosh overflow to ±Infinity, as in
	// PostgreSQL; the inverses reject arguments outside their domain.
	trig("sinh", libm.Sinh, all)
	trig("cosh", libm.Cosh, all)
	trig("tanh", libm.Tanh, all)
	trig("asinh", libm.Asinh, all)
	trig("acosh", libm.Acosh, func(x float64) bool { return x >= 1 })
	trig("atanh", libm.Atanh, unit)
	register("atan2", ov(types.Float8, func(_ *Context, a []types.Datum) (types.Datum, error) {
		return libm.Atan2(a[0].(float64), a[1].(float64)), nil
	}, types.Float8, types.Float8))
	for _, t := range []types.T{types.Int4, types.Int8} {
		t := t
		register("gcd", ov(t, func(_ *Context, a []types.Datum) (types.Datum, error) {
			g, ok := gcd64(a[0].(int64), a[1].(int64))
			if !ok {
				return nil, intRangeErr(t)
			}
			return checkInt(t, g)
		}, t, t))
		register("lcm", ov(t, func(_ *Context, a []types.Datum) (types.Datum, error) {
			x, y := a[0].(int64), a[1].(int64)
			if x == 0 || y == 0 {
				return int64(0), nil
			}
			g, ok := gcd64(x, y)
			if !ok {
				return nil, intRangeErr(t)
			}
			r, err := intArith("*", t, x/g, y)
			if err != nil {
				return nil, err
			}
			return intAbs(t, r.(int64))
		}, t, t))
	}
	register("random", &Overload{Return: types.Float8, Volatile: true, Fn: func(c *Context, _ []types.Datum) (types.Datum, error) {
		if c != nil && c.Rand != nil {
			return c.Rand.Float64(), nil
		}
		return globalRand(), nil
	}})
	register("width_bucket", ov(types.Int4, func(_ *Context, a []types.Datum) (types.Datum, error) {
		return widthBucket(a[0].(float64), a[1].(float64), a[2].(float64), a[3].(int64))
	}, types.Float8, types.Float8, types.Float8, types.Int4))
}

// widthBucket is width_bucket(float8, float8, float8, int4).
func widthBucket(x, lo, hi float64, n int64) (types.Datum, error) {
	if n <= 0 {
		return nil, newErr(codeInvalidArgumentForWidth, "count must be greater than zero")
	}
	if math.IsNaN(x) || math.IsNaN(lo) || math.IsNaN(hi) {
		return nil, newErr(codeInvalidArgumentForWidth, "operand, lower bound, and upper bound cannot be NaN")
	}
	if math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		return nil, newErr(codeInvalidArgumentForWidth, "lower and upper bounds must be finite")
	}
	if lo == hi {
		return nil, newErr(codeInvalidArgumentForWidth, "lower bound cannot equal upper bound")
	}
	var r int64
	if lo < hi {
		switch {
		case x < lo:
			r = 0
		case x >= hi:
			r = n + 1
		default:
			r = int64(float64(n)*((x-lo)/(hi-lo))) + 1
		}
	} else {
		switch {
		case x > lo:
			r = 0
		case x <= hi:
			r = n + 1
		default:
			r = int64(float64(n)*((lo-x)/(lo-hi))) + 1
		}
	}
	return checkInt(types.Int4, r)
}
