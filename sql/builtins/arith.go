package builtins

import (
	"math"
	"math/bits"

	"github.com/cockroachdb/apd/v3"
	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// intTypes are the integer types in widening order.
var intTypes = []types.T{types.Int2, types.Int4, types.Int8}

// intRangeErr returns the overflow error of integer type t.
func intRangeErr(t types.T) error {
	switch t.Oid {
	case types.OidInt2:
		return fresh(errInt2Range)
	case types.OidInt4:
		return fresh(errInt4Range)
	}
	return fresh(errInt8Range)
}

// checkInt range-checks an int64 result for integer type t.
func checkInt(t types.T, v int64) (types.Datum, error) {
	switch t.Oid {
	case types.OidInt2:
		if v < math.MinInt16 || v > math.MaxInt16 {
			return nil, intRangeErr(t)
		}
	case types.OidInt4:
		if v < math.MinInt32 || v > math.MaxInt32 {
			return nil, intRangeErr(t)
		}
	}
	return v, nil
}

// wider returns the wider of two integer types.
func wider(a, b types.T) types.T {
	if a.Oid == types.OidInt8 || b.Oid == types.OidInt8 {
		return types.Int8
	}
	if a.Oid == types.OidInt4 || b.Oid == types.OidInt4 {
		return types.Int4
	}
	return types.Int2
}

// intArith computes a op b for the result type t with overflow checks.
func intArith(op string, t types.T, a, b int64) (types.Datum, error) {
	switch op {
	case "+":
		r := a + b
		if (a >= 0) == (b >= 0) && (r >= 0) != (a >= 0) {
			return nil, intRangeErr(t)
		}
		return checkInt(t, r)
	case "-":
		r := a - b
		if (a >= 0) != (b >= 0) && (r >= 0) != (a >= 0) {
			return nil, intRangeErr(t)
		}
		return checkInt(t, r)
	case "*":
		hi, lo := bits.Mul64(uint64(absU(a)), uint64(absU(b)))
		neg := (a < 0) != (b < 0)
		if hi != 0 || lo > math.MaxInt64 && !(neg && lo == 1<<63) {
			return nil, intRangeErr(t)
		}
		r := int64(lo)
		if neg {
			r = -r
		}
		return checkInt(t, r)
	case "/":
		if b == 0 {
			return nil, fresh(errDivByZero)
		}
		if b == -1 {
			// MinInt / -1 overflows; checkInt catches the smaller types.
			if a == math.MinInt64 {
				return nil, intRangeErr(t)
			}
			return checkInt(t, -a)
		}
		return checkInt(t, a/b)
	case "%":
		if b == 0 {
			return nil, fresh(errDivByZero)
		}
		if b == -1 {
			return int64(0), nil
		}
		return a % b, nil
	case "&":
		return a & b, nil
	case "|":
		return a | b, nil
	case "#":
		return a ^ b, nil
	}
	return nil, newErr(pgerror.InternalError, "unknown integer operator %s", op)
}

func absU(v int64) uint64 {
	if v < 0 {
		return uint64(-v)
	}
	return uint64(v)
}

// floatResult applies float8/float4 overflow and underflow checks:
// an infinite result from finite inputs is an overflow, a zero result
// from non-zero inputs (where the operator cannot legitimately give
// zero) an underflow.
func floatResult(t types.T, r float64, infOK bool, zeroOK bool) (types.Datum, error) {
	if t.Oid == types.OidFloat4 {
		r = float64(float32(r))
	}
	if math.IsInf(r, 0) && !infOK {
		return nil, fresh(errOverflow)
	}
	if r == 0 && !zeroOK {
		return nil, fresh(errUnderflow)
	}
	return r, nil
}

func floatArith(op string, t types.T, a, b float64) (types.Datum, error) {
	inf := math.IsInf(a, 0) || math.IsInf(b, 0)
	switch op {
	case "+":
		return floatResult(t, a+b, inf, true)
	case "-":
		return floatResult(t, a-b, inf, true)
	case "*":
		return floatResult(t, a*b, inf, a == 0 || b == 0)
	case "/":
		if b == 0 && !math.IsNaN(a) {
			return nil, fresh(errDivByZero)
		}
		return floatResult(t, a/b, inf, a == 0 || math.IsInf(b, 0))
	case "^":
		return floatPow(t, a, b)
	}
	return nil, newErr(pgerror.InternalError, "unknown float operator %s", op)
}

// floatPow is dpow: POSIX's NaN and infinity cases handled explicitly,
// its domain errors (2201F), and overflow and underflow errors only for
// finite inputs whose power is infinite or zero (0.5 ^ 2000 is 22003).
func floatPow(t types.T, a, b float64) (types.Datum, error) {
	if math.IsNaN(a) {
		if math.IsNaN(b) || b != 0 {
			return math.NaN(), nil
		}
		return 1.0, nil
	}
	if math.IsNaN(b) {
		if a != 1 {
			return math.NaN(), nil
		}
		return 1.0, nil
	}
	if a == 0 && b < 0 {
		return nil, newErr(codeInvalidArgumentForPower, "zero raised to a negative power is undefined")
	}
	if a < 0 && math.Floor(b) != b {
		return nil, newErr(codeInvalidArgumentForPower, "a negative number raised to a non-integer power yields a complex result")
	}
	var r float64
	switch {
	case math.IsInf(b, 0):
		absx := math.Abs(a)
		switch {
		case absx == 1:
			r = 1
		case b > 0 && absx > 1, b < 0 && absx < 1:
			r = math.Inf(1)
		default:
			r = 0
		}
	case math.IsInf(a, 0):
		switch {
		case b == 0:
			r = 1
		case a > 0 && b > 0:
			r = a
		case a > 0:
			r = 0
		default:
			odd := math.Floor(b/2) != b/2
			switch {
			case b > 0 && odd:
				r = a
			case b > 0:
				r = -a
			case odd:
				r = math.Copysign(0, -1)
			default:
				r = 0
			}
		}
	default:
		r = libm.Pow(a, b)
		if math.IsInf(r, 0) {
			return nil, fresh(errOverflow)
		}
		if r == 0 && a != 0 {
			return nil, fresh(errUnderflow)
		}
	}
	if t.Oid == types.OidFloat4 {
		r = float64(float32(r))
	}
	return r, nil
}

func numArith(op string, a, b *apd.Decimal) (types.Datum, error) {
	switch op {
	case "+":
		return numAdd(a, b)
	case "-":
		return numSub(a, b)
	case "*":
		return numMul(a, b)
	case "/":
		return numDiv(a, b)
	case "%":
		return numMod(a, b)
	case "^":
		return numPow(a, b)
	}
	return nil, newErr(pgerror.InternalError, "unknown numeric operator %s", op)
}

func registerArithmetic() {
	for _, op := range []string{"+", "-", "*", "/"} {
		op := op
		for _, l := range intTypes {
			for _, r := range intTypes {
				t := wider(l, r)
				registerBin(op, ov(t, func(_ *Context, a []types.Datum) (types.Datum, error) {
					return intArith(op, t, a[0].(int64), a[1].(int64))
				}, l, r))
			}
		}
	}
	for _, op := range []string{"%", "&", "|", "#"} {
		op := op
		for _, t := range intTypes {
			t := t
			registerBin(op, ov(t, func(_ *Context, a []types.Datum) (types.Datum, error) {
				return intArith(op, t, a[0].(int64), a[1].(int64))
			}, t, t))
		}
	}
	for _, op := range []string{"<<", ">>"} {
		op := op
		for _, t := range intTypes {
			t := t
			registerBin(op, ov(t, func(_ *Context, a []types.Datum) (types.Datum, error) {
				return shift(op, t, a[0].(int64), a[1].(int64)), nil
			}, t, types.Int4))
		}
	}
	floats := []types.T{types.Float4, types.Float8}
	for _, op := range []string{"+", "-", "*", "/"} {
		op := op
		for _, l := range floats {
			for _, r := range floats {
				t := types.Float4
				if l.Oid == types.OidFloat8 || r.Oid == types.OidFloat8 {
					t = types.Float8
				}
				registerBin(op, ov(t, func(_ *Context, a []types.Datum) (types.Datum, error) {
					return floatArith(op, t, a[0].(float64), a[1].(float64))
				}, l, r))
			}
		}
	}
	registerBin("^", ov(types.Float8, func(_ *Context, a []types.Datum) (types.Datum, error) {
		return floatPow(types.Float8, a[0].(float64), a[1].(float64))
	}, types.Float8, types.Float8))
	for _, op := range []string{"+", "-", "*", "/", "%", "^"} {
		op := op
		registerBin(op, ov(types.Numeric, func(_ *Context, a []types.Datum) (types.Datum, error) {
			return numArith(op, a[0].(*apd.Decimal), a[1].(*apd.Decimal))
		}, types.Numeric, types.Numeric))
	}

	// Prefix operators.
	for _, t := range intTypes {
		t := t
		registerUn("-", ov(t, func(_ *Context, a []types.Datum) (types.Datum, error) {
			v := a[0].(int64)
			if v == math.MinInt64 {
				return nil, intRangeErr(t)
			}
			return checkInt(t, -v)
		}, t))
		registerUn("~", ov(t, func(_ *Context, a []types.Datum) (types.Datum, error) { return ^a[0].(int64), nil }, t))
		registerUn("@", ov(t, func(_ *Context, a []types.Datum) (types.Datum, error) { return intAbs(t, a[0].(int64)) }, t))
	}
	for _, t := range floats {
		t := t
		registerUn("-", ov(t, func(_ *Context, a []types.Datum) (types.Datum, error) { return -a[0].(float64), nil }, t))
		registerUn("@", ov(t, func(_ *Context, a []types.Datum) (types.Datum, error) { return math.Abs(a[0].(float64)), nil }, t))
	}
	registerUn("-", ov(types.Numeric, func(_ *Context, a []types.Datum) (types.Datum, error) {
		d := a[0].(*apd.Decimal)
		out := new(apd.Decimal).Neg(d)
		if out.Form == apd.Finite && out.Coeff.Sign() == 0 || isNaN(out) {
			out.Negative = false
		}
		return out, nil
	}, types.Numeric))
	registerUn("@", ov(types.Numeric, func(_ *Context, a []types.Datum) (types.Datum, error) {
		return new(apd.Decimal).Abs(a[0].(*apd.Decimal)), nil
	}, types.Numeric))
	for _, t := range []types.T{types.Int2, types.Int4, types.Int8, types.Float4, types.Float8, types.Numeric, types.IntervalT} {
		registerUn("+", ov(t, func(_ *Context, a []types.Datum) (types.Datum, error) { return a[0], nil }, t))
	}
	registerUn("|/", ov(types.Float8, func(_ *Context, a []types.Datum) (types.Datum, error) { return floatSqrt(a[0].(float64)) }, types.Float8))
	registerUn("||/", ov(types.Float8, func(_ *Context, a []types.Datum) (types.Datum, error) { return libm.Cbrt(a[0].(float64)), nil }, types.Float8))
}

// shift is << and >> on integers: the count is taken modulo the type's
// width, as the C shift on PostgreSQL's platforms does.
func shift(op string, t types.T, v, n int64) types.Datum {
	width := int64(64)
	switch t.Oid {
	case types.OidInt2, types.OidInt4:
		width = 32
	}
	n = n & (width - 1)
	var r int64
	if op == "<<" {
		r = v << uint(n)
	} else {
		r = v >> uint(n)
	}
	switch t.Oid {
	case types.OidInt2:
		return int64(int16(r))
	case types.OidInt4:
		return int64(int32(r))
	}
	return r
}

func intAbs(t types.T, v int64) (types.Datum, error) {
	if v >= 0 {
		return v, nil
	}
	if v == math.MinInt64 {
		return nil, intRangeErr(t)
	}
	return checkInt(t, -v)
}
