package builtins

import (
	"strconv"
	"strings"

	"github.com/cockroachdb/apd/v3"
	"github.com/quorumdb/quorumdb/sql/types"
)

// PostgreSQL's numeric display-scale limits (numeric.c).
const (
	minSigDigits = 16   // NUMERIC_MIN_SIG_DIGITS
	maxScale     = 1000 // NUMERIC_MAX_DISPLAY_SCALE

	numericDscaleMax = 0x3FFF // NUMERIC_DSCALE_MAX: the largest scale a numeric can have
	numericWeightMax = 0x7FFF // NUMERIC_WEIGHT_MAX: the largest base-10000 weight
)

// exact does numeric arithmetic whose results are exact (add, subtract,
// multiply); its precision is far above any value quorumdb stores.
var exact = func() *apd.Context {
	c := apd.BaseContext.WithPrecision(4000)
	c.Rounding = apd.RoundHalfUp
	c.MaxExponent = 200000
	c.MinExponent = -200000
	return c
}()

// withPrec returns a context of the given precision that truncates, so
// that a later rounding to the display scale rounds only once.
func withPrec(p uint32) *apd.Context {
	c := exact.WithPrecision(p)
	c.Rounding = apd.RoundDown
	return c
}

func isNaN(d *apd.Decimal) bool { return d.Form == apd.NaN || d.Form == apd.NaNSignaling }

func nanDec() *apd.Decimal { return &apd.Decimal{Form: apd.NaN} }

// dscale is the display scale of a numeric: digits after the point.
func dscale(d *apd.Decimal) int32 {
	if d.Form != apd.Finite || d.Exponent >= 0 {
		return 0
	}
	return -d.Exponent
}

// weight10 is the decimal exponent of d's most significant digit.
func weight10(d *apd.Decimal) int64 {
	return int64(d.NumDigits()) + int64(d.Exponent) - 1
}

// nbaseWeight returns PostgreSQL's base-10000 weight of a non-zero d and
// its first base-10000 digit, the inputs of select_div_scale.
func nbaseWeight(d *apd.Decimal) (weight int64, first int64) {
	e := weight10(d)
	w := e / 4
	if e < 0 && e%4 != 0 {
		w--
	}
	n := int(e - 4*w + 1) // decimal digits in the first base-10000 digit
	s := d.Coeff.String()
	for len(s) < n {
		s += "0"
	}
	f, _ := strconv.ParseInt(s[:n], 10, 64)
	return w, f
}

// quantize is c.Quantize(out, d, exp) that also rounds a non-zero value
// smaller than a tenth of the target unit (10^exp): apd sets such a value
// to zero whatever the rounding mode, so ceil(0.05) would be 0
// (PostgreSQL: 1). Every rounding mode treats any value in (0, 0.5) units
// alike, so such a value is replaced by 0.1 units of the same sign, which
// apd rounds properly.
func quantize(c *apd.Context, out, d *apd.Decimal, exp int32) (apd.Condition, error) {
	if d.Form == apd.Finite && d.Coeff.Sign() != 0 && d.NumDigits()+int64(d.Exponent) < int64(exp) {
		tenth := apd.New(1, exp-1)
		tenth.Negative = d.Negative
		d = tenth
	}
	return c.Quantize(out, d, exp)
}

// nbaseSecond returns the second base-10000 digit of a non-zero d, if it
// has one (PostgreSQL's digits[1]; trailing zero digits are stripped).
func nbaseSecond(d *apd.Decimal) (int64, bool) {
	e := weight10(d)
	w := e / 4
	if e < 0 && e%4 != 0 {
		w--
	}
	n := int(e - 4*w + 1) // decimal digits in the first base-10000 digit
	s := d.Coeff.String()
	if len(s) <= n || strings.Trim(s[n:], "0") == "" {
		return 0, false
	}
	rest := s[n:]
	for len(rest) < 4 {
		rest += "0"
	}
	v, _ := strconv.ParseInt(rest[:4], 10, 64)
	return v, true
}

// roundTo rounds d half away from zero to scale s and gives the result a
// non-positive exponent (PostgreSQL's dscale).
func roundTo(d *apd.Decimal, s int32) (*apd.Decimal, error) {
	out := new(apd.Decimal)
	if _, err := quantize(exact, out, d, -s); err != nil {
		return nil, fresh(errNumericOverflow)
	}
	if out.Coeff.Sign() == 0 {
		out.Negative = false
	}
	return out, nil
}

// clampScale applies PostgreSQL's bounds to a computed result scale.
func clampScale(s int64, others ...int32) int32 {
	for _, o := range others {
		s = max(s, int64(o))
	}
	return int32(min(max(s, 0), maxScale))
}

// divScale is select_div_scale: enough digits for 16 significant ones,
// at least the inputs' scales.
func divScale(a, b *apd.Decimal) int32 {
	var wa, fa, wb, fb int64
	if a.Coeff.Sign() != 0 {
		wa, fa = nbaseWeight(a)
	}
	if b.Coeff.Sign() != 0 {
		wb, fb = nbaseWeight(b)
	}
	q := wa - wb
	if fa <= fb {
		q--
	}
	return clampScale(minSigDigits-q*4, dscale(a), dscale(b))
}

// numAdd, numSub and numMul are exact.
func numAdd(a, b *apd.Decimal) (*apd.Decimal, error) { return numOp(exact.Add, a, b) }
func numSub(a, b *apd.Decimal) (*apd.Decimal, error) { return numOp(exact.Sub, a, b) }
func numMul(a, b *apd.Decimal) (*apd.Decimal, error) { return numOp(exact.Mul, a, b) }

func numOp(f func(d, x, y *apd.Decimal) (apd.Condition, error), a, b *apd.Decimal) (*apd.Decimal, error) {
	if isNaN(a) || isNaN(b) {
		return nanDec(), nil
	}
	out := new(apd.Decimal)
	cond, err := f(out, a, b)
	if err != nil || cond.InvalidOperation() {
		// Infinity - Infinity and 0 * Infinity are NaN in PostgreSQL.
		if a.Form == apd.Infinite || b.Form == apd.Infinite {
			return nanDec(), nil
		}
		return nil, fresh(errNumericOverflow)
	}
	if out.Form == apd.Finite && out.Coeff.Sign() == 0 {
		out.Negative = false
	}
	return out, nil
}

// numDivSpecial is numeric_div's and numeric_div_trunc's answer when an
// argument is NaN or infinite: ±Infinity over a non-zero finite value,
// zero for a finite value over ±Infinity, NaN otherwise.
func numDivSpecial(a, b *apd.Decimal) (*apd.Decimal, error) {
	switch {
	case isNaN(a) || isNaN(b):
		return nanDec(), nil
	case a.Form == apd.Infinite:
		if b.Form != apd.Finite {
			return nanDec(), nil
		}
		if b.Coeff.Sign() == 0 {
			return nil, fresh(errDivByZero)
		}
		return &apd.Decimal{Form: apd.Infinite, Negative: a.Negative != b.Negative}, nil
	}
	return apd.New(0, 0), nil
}

// numDiv divides with select_div_scale's result scale.
func numDiv(a, b *apd.Decimal) (*apd.Decimal, error) {
	if a.Form != apd.Finite || b.Form != apd.Finite {
		return numDivSpecial(a, b)
	}
	if b.Coeff.Sign() == 0 {
		return nil, fresh(errDivByZero)
	}
	return numDivScale(a, b, divScale(a, b))
}

// numDivScale divides and rounds to scale s.
func numDivScale(a, b *apd.Decimal, s int32) (*apd.Decimal, error) {
	if a.Coeff.Sign() == 0 {
		return roundTo(apd.New(0, 0), s)
	}
	intDigits := weight10(a) - weight10(b) + 2
	prec := max(intDigits, 0) + int64(s) + 3
	q := new(apd.Decimal)
	if _, err := withPrec(uint32(prec)).Quo(q, a, b); err != nil {
		return nil, fresh(errNumericOverflow)
	}
	return roundTo(q, s)
}

// numTruncDiv is numeric div(): the quotient truncated toward zero.
func numTruncDiv(a, b *apd.Decimal) (*apd.Decimal, error) {
	if a.Form != apd.Finite || b.Form != apd.Finite {
		return numDivSpecial(a, b)
	}
	if b.Coeff.Sign() == 0 {
		return nil, fresh(errDivByZero)
	}
	q := new(apd.Decimal)
	if _, err := exact.QuoInteger(q, a, b); err != nil {
		return nil, fresh(errNumericOverflow)
	}
	return roundTo(q, 0)
}

// numMod is numeric %: the remainder has the dividend's sign and the
// larger of the two scales. As in numeric_mod, ±Infinity % x is NaN (an
// error for x = 0) and a finite x % ±Infinity is x.
func numMod(a, b *apd.Decimal) (*apd.Decimal, error) {
	if isNaN(a) || isNaN(b) {
		return nanDec(), nil
	}
	if b.Form == apd.Finite && b.Coeff.Sign() == 0 {
		return nil, fresh(errDivByZero)
	}
	if a.Form == apd.Infinite {
		return nanDec(), nil
	}
	if b.Form == apd.Infinite {
		return a, nil
	}
	out := new(apd.Decimal)
	if _, err := exact.Rem(out, a, b); err != nil {
		return nil, fresh(errNumericOverflow)
	}
	if out.Coeff.Sign() == 0 {
		out.Negative = false
	}
	return out, nil
}

// decFloat converts a numeric to float64 (nearest value).
func decFloat(d *apd.Decimal) float64 { return types.DecimalToFloat(d) }

// toDec converts an int64, float64 or numeric datum to numeric.
func toDec(d types.Datum) *apd.Decimal {
	switch v := d.(type) {
	case int64:
		return apd.New(v, 0)
	case float64:
		out, _, _ := apd.NewFromString(strconv.FormatFloat(v, 'g', 15, 64))
		return out
	case *apd.Decimal:
		return v
	}
	return nanDec()
}

// decInt returns d as an int64 if it is an integer that fits.
func decInt(d *apd.Decimal) (int64, bool) {
	if d.Form != apd.Finite {
		return 0, false
	}
	r := new(apd.Decimal)
	if _, err := quantize(exact, r, d, 0); err != nil || r.Cmp(d) != 0 {
		return 0, false
	}
	n, err := r.Int64()
	return n, err == nil
}
