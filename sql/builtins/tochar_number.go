package builtins

import (
	"math"
	"strconv"
	"strings"

	"github.com/cockroachdb/apd/v3"

	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// to_char for integers, floats and numerics (template in
// tochar_numtemplate.go). The value is first reduced to a sign and the
// digits of its absolute value rounded to the template's fraction
// digits; numeric rounds half away from zero, float8 as printf does.

// numDigits is a number ready for layout.
type numDigits struct {
	neg        bool
	int, frac  string // integer digits without leading zeros; fraction digits
	value      float64
	romanValue int64
	// nan and inf are NaN and ±Infinity, which PostgreSQL lays out as
	// the digits "NaN" without a fraction and as an overflow (all #);
	// f4 marks a float4.
	nan, inf, f4 bool
}

// overflowPost is how many # follow the decimal point when the number
// overflows the template: the fraction digits it has, all the template's
// for NaN and infinities (but none for a float4 infinity, as PostgreSQL
// 15 prints it).
func (d numDigits) overflowPost(t *numTemplate) int {
	switch {
	case d.inf && d.f4:
		return 0
	case d.nan || d.inf:
		return t.post
	}
	return len(d.frac)
}

// specialDigits describes NaN and infinities; ok is false for numbers.
func specialDigits(f float64) (numDigits, bool) {
	switch {
	case math.IsNaN(f):
		return numDigits{int: "NaN", nan: true, value: f, romanValue: math.MinInt64}, true
	case math.IsInf(f, 0):
		return numDigits{neg: f < 0, int: "0", inf: true, value: f, romanValue: math.MinInt64}, true
	}
	return numDigits{}, false
}

func digitsOfInt(v int64, t *numTemplate) numDigits {
	d := numDigits{neg: v < 0, value: float64(v), romanValue: v}
	abs := strconv.FormatUint(absInt(v), 10)
	if v != 0 {
		abs += strings.Repeat("0", t.shift)
	}
	d.int, d.frac = abs, strings.Repeat("0", t.post)
	d.value *= math.Pow10(t.shift)
	return d
}

func absInt(v int64) uint64 {
	if v < 0 {
		return uint64(-(v + 1)) + 1
	}
	return uint64(v)
}

// digitsOfFloat rounds a float to the template's fraction digits, but to
// no more significant digits than the type has (DBL_DIG 15 for float8,
// FLT_DIG 6 for float4), as float8_to_char and float4_to_char do: the
// template's fraction positions past them print nothing.
func digitsOfFloat(v float64, t *numTemplate, dig int) numDigits {
	if d, ok := specialDigits(v); ok {
		d.f4 = dig == 6
		return d
	}
	v *= math.Pow10(t.shift)
	d := numDigits{neg: math.Signbit(v), value: v, romanValue: int64(math.RoundToEven(v))}
	post := t.post
	switch intLen := len(strconv.FormatFloat(math.Abs(v), 'f', 0, 64)); {
	case intLen >= dig:
		post = 0
	case intLen+post > dig:
		post = dig - intLen
	}
	s := strconv.FormatFloat(math.Abs(v), 'f', post, 64)
	d.int, d.frac, _ = strings.Cut(s, ".")
	return d
}

func digitsOfDecimal(v *apd.Decimal, t *numTemplate) (numDigits, error) {
	if v.Form != apd.Finite {
		if t.roman {
			// numeric_to_char converts to int4 for RN: 0A000.
			what := "NaN"
			if v.Form == apd.Infinite {
				what = "infinity"
			}
			return numDigits{}, newErr(pgerror.FeatureNotSupported, "cannot convert %s to integer", what)
		}
		d, _ := specialDigits(decFloat(v))
		return d, nil
	}
	x := new(apd.Decimal).Set(v)
	if t.shift > 0 {
		x.Exponent += int32(t.shift)
	}
	rounded := new(apd.Decimal)
	ctx := apd.BaseContext.WithPrecision(1000)
	ctx.Rounding = apd.RoundHalfUp
	if _, err := ctx.Quantize(rounded, x, -int32(t.post)); err != nil {
		return numDigits{}, err
	}
	f, _ := x.Float64()
	d := numDigits{neg: rounded.Sign() < 0, value: f}
	r := new(apd.Decimal)
	if _, err := ctx.Quantize(r, x, 0); err == nil {
		d.romanValue, _ = r.Int64()
	}
	rounded.Abs(rounded)
	s := rounded.Text('f')
	d.int, d.frac, _ = strings.Cut(s, ".")
	return d, nil
}

// format lays the digits out along the template.
func (t *numTemplate) format(d numDigits) string {
	if t.roman {
		return t.formatRoman(d.romanValue)
	}
	if t.eeee {
		return t.formatScientific(d)
	}
	// The number PostgreSQL lays out has a decimal point only with
	// fraction digits (none when a float's significant digits run out).
	hasFrac := len(d.frac) > 0
	intDigits := strings.TrimLeft(d.int, "0")
	// A zero integer part still takes a position (to_char(0.4, '.99') is
	// an overflow), printed as a space before fraction digits.
	overflow := max(len(intDigits), 1) > t.pre+t.shift || d.inf
	if intDigits == "" && !hasFrac {
		intDigits = "0"
	}
	positions := t.pre + t.shift
	lead := positions - len(intDigits)
	// FM drops fraction digits after the last significant one, except
	// those the template spells with 0.
	keepFrac := min(t.post, len(d.frac))
	if t.fm {
		keepFrac = len(strings.TrimRight(d.frac, "0"))
		if t.zeroEnd+1 > keepFrac {
			keepFrac = t.zeroEnd + 1
		}
		if !overflow {
			keepFrac = min(keepFrac, len(d.frac))
		}
	}
	if overflow {
		keepFrac = d.overflowPost(t)
	}
	var b strings.Builder
	// pending is the sign written just before the number's first
	// character: the default sign position, a leading S, or PR's "<".
	pending := ""
	switch {
	case t.leadingSign:
		pending = map[bool]string{true: "-", false: "+"}[d.neg]
	case hasTok(t.toks, numPR):
		if d.neg {
			pending = "<"
		} else if !t.fm {
			pending = " "
		}
	case !t.hasSign:
		if d.neg {
			pending = "-"
		} else if !t.fm {
			pending = " "
		}
	}
	printed := false
	emit := func(s string) {
		if !printed {
			b.WriteString(pending)
			printed = true
		}
		b.WriteString(s)
	}
	intPos, fracPos, afterDecimal := 0, 0, false
	for _, tok := range t.toks {
		switch tok.kind {
		case numDigit9, numDigit0:
			if afterDecimal {
				switch {
				case overflow && fracPos < keepFrac:
					emit("#")
				case fracPos < keepFrac:
					emit(d.frac[fracPos : fracPos+1])
				}
				fracPos++
				continue
			}
			switch {
			case overflow:
				emit("#")
			case intPos < lead && intPos >= t.zeroStart:
				emit("0")
			case intPos < lead:
				if !t.fm {
					b.WriteByte(' ')
				}
			default:
				emit(intDigits[intPos-lead : intPos-lead+1])
			}
			intPos++
		case numDecimal:
			afterDecimal = true
			if !hasFrac && !overflow {
				// The number has no decimal point: PostgreSQL's layout
				// stops here, the rest of the template unused.
				return b.String()
			}
			if t.fm && !printed && keepFrac == 0 && !overflow {
				emit("0")
			}
			emit(".")
		case numGroup:
			if printed {
				b.WriteByte(',')
			} else if !t.fm {
				b.WriteByte(' ')
			}
		case numSignS:
			if !t.leadingSign {
				b.WriteString(map[bool]string{true: "-", false: "+"}[d.neg])
			}
		case numMI:
			if d.neg {
				b.WriteByte('-')
			} else if !t.fm {
				b.WriteByte(' ')
			}
		case numPL:
			if !d.neg {
				b.WriteByte('+')
			} else if !t.fm {
				b.WriteByte(' ')
			}
		case numSG:
			b.WriteString(map[bool]string{true: "-", false: "+"}[d.neg])
		case numPR:
			if d.neg {
				b.WriteByte('>')
			} else if !t.fm {
				b.WriteByte(' ')
			}
		case numTH:
			if !overflow && !d.neg {
				b.WriteString(ordinalSuffix(intDigits, tok.upper))
			}
		case numLiteral:
			b.WriteString(tok.lit)
		case numCurrency:
			b.WriteByte(' ')
		}
	}
	return b.String()
}

func hasTok(toks []numTok, k numTokKind) bool {
	for _, t := range toks {
		if t.kind == k {
			return true
		}
	}
	return false
}

// formatScientific prints d.dddde+NN with the template's fraction digits;
// NaN and infinities fill the width with # (float8_to_char).
func (t *numTemplate) formatScientific(d numDigits) string {
	if d.nan || d.inf {
		return " " + strings.Repeat("#", t.pre) + "." + strings.Repeat("#", t.post+4)
	}
	s := strconv.FormatFloat(math.Abs(d.value), 'e', t.post, 64)
	sign := " "
	if d.neg {
		sign = "-"
	} else if t.fm {
		sign = ""
	}
	return sign + s
}

// formatRoman prints 1..3999 in Roman numerals, right-aligned in 15
// characters unless FM; other values print as 15 #.
func (t *numTemplate) formatRoman(v int64) string {
	lower := false
	for _, tok := range t.toks {
		if tok.kind == numRN {
			lower = !tok.upper
		}
	}
	if v < 1 || v > 3999 {
		return strings.Repeat("#", 15)
	}
	var b strings.Builder
	for _, r := range []struct {
		v int64
		s string
	}{{1000, "M"}, {900, "CM"}, {500, "D"}, {400, "CD"}, {100, "C"}, {90, "XC"}, {50, "L"}, {40, "XL"}, {10, "X"}, {9, "IX"}, {5, "V"}, {4, "IV"}, {1, "I"}} {
		for v >= r.v {
			b.WriteString(r.s)
			v -= r.v
		}
	}
	s := b.String()
	if lower {
		s = strings.ToLower(s)
	}
	if !t.fm && len(s) < 15 {
		s = strings.Repeat(" ", 15-len(s)) + s
	}
	return s
}

func registerToCharNumber() {
	T := types.Text
	withTemplate := func(fn func(a types.Datum, t *numTemplate) (types.Datum, error)) Fn {
		return func(_ *Context, a []types.Datum) (types.Datum, error) {
			t, err := parseNumTemplate(a[1].(string))
			if err != nil {
				return nil, err
			}
			return fn(a[0], t)
		}
	}
	register("to_char",
		ov(T, withTemplate(func(v types.Datum, t *numTemplate) (types.Datum, error) {
			return t.format(digitsOfInt(v.(int64), t)), nil
		}), types.Int8, T),
		ov(T, withTemplate(func(v types.Datum, t *numTemplate) (types.Datum, error) {
			return t.format(digitsOfInt(v.(int64), t)), nil
		}), types.Int4, T),
		ov(T, withTemplate(func(v types.Datum, t *numTemplate) (types.Datum, error) {
			return t.format(digitsOfFloat(v.(float64), t, 15)), nil
		}), types.Float8, T),
		ov(T, withTemplate(func(v types.Datum, t *numTemplate) (types.Datum, error) {
			return t.format(digitsOfFloat(v.(float64), t, 6)), nil
		}), types.Float4, T),
		ov(T, withTemplate(func(v types.Datum, t *numTemplate) (types.Datum, error) {
			d, err := digitsOfDecimal(v.(*apd.Decimal), t)
			if err != nil {
				return nil, err
			}
			return t.format(d), nil
		}), types.Numeric, T))
}
