package types

import (
	"fmt"
	"strings"

	"github.com/cockroachdb/apd/v3"
	"github.com/quorumdb/quorumdb/sql/pgerror"
)

// numCtx does numeric arithmetic for input, typmods and casts. Its
// precision is far above any value we store so that it never rounds
// on its own; RoundHalfUp on magnitudes is PostgreSQL's round-half-away-
// from-zero.
var numCtx = func() *apd.Context {
	c := apd.BaseContext.WithPrecision(20000)
	c.Rounding = apd.RoundHalfUp
	c.MaxExponent = 200000
	c.MinExponent = -200000
	return c
}()

// parseNumeric reads PostgreSQL numeric text input: optional sign,
// digits with an optional point and exponent, or NaN/Infinity, with
// surrounding whitespace.
func parseNumeric(s string) (*apd.Decimal, error) {
	v := strings.TrimSpace(s)
	if !validNumericSyntax(v) {
		return nil, errSyntax("numeric", s)
	}
	d, _, err := apd.NewFromString(v)
	if err != nil {
		// The syntax was valid, so only the exponent can be at fault.
		return nil, errOutOfRange("value overflows numeric format")
	}
	if d.Form == apd.NaNSignaling {
		return nil, errSyntax("numeric", s)
	}
	if d.Form == apd.NaN {
		d.Negative = false
	}
	return normalizeNumeric(d)
}

// validNumericSyntax accepts what numeric_in accepts and rejects the
// extra spellings apd knows (sNaN, hex, "Inf" prefixes are handled by
// name here).
func validNumericSyntax(v string) bool {
	body := v
	if body != "" && (body[0] == '+' || body[0] == '-') {
		body = body[1:]
	}
	switch strings.ToLower(body) {
	case "nan":
		return len(body) == len(v) // no sign before NaN
	case "infinity", "inf":
		return true
	}
	return validDecimalSyntax(body)
}

// validDecimalSyntax checks digits[.digits][e[+-]digits] (no sign).
func validDecimalSyntax(b string) bool {
	i, digits := 0, 0
	for i < len(b) && isDigit(b[i]) {
		i, digits = i+1, digits+1
	}
	if i < len(b) && b[i] == '.' {
		i++
		for i < len(b) && isDigit(b[i]) {
			i, digits = i+1, digits+1
		}
	}
	if digits == 0 {
		return false
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		n := 0
		for i < len(b) && isDigit(b[i]) {
			i, n = i+1, n+1
		}
		if n == 0 {
			return false
		}
	}
	return i == len(b)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// normalizeNumeric gives a finite value a non-positive exponent (so its
// scale is -Exponent, PostgreSQL's dscale) and drops the sign of zero.
func normalizeNumeric(d *apd.Decimal) (*apd.Decimal, error) {
	if d.Form != apd.Finite {
		return d, nil
	}
	if d.Exponent > 0 {
		if _, err := numCtx.Quantize(d, d, 0); err != nil {
			return nil, errOutOfRange("value overflows numeric format")
		}
	}
	if d.Coeff.Sign() == 0 {
		d.Negative = false
	}
	return d, nil
}

// applyNumericTypmod rounds d to numeric(p,s) and checks its precision,
// as numeric's typmod coercion does. It returns a new value.
func applyNumericTypmod(d *apd.Decimal, t T) (*apd.Decimal, error) {
	if t.Width <= 0 || d.Form == apd.NaN {
		return d, nil
	}
	p, s := t.Width, t.Scale
	if d.Form == apd.Infinite {
		return nil, pgerror.New(pgerror.NumericValueOutOfRange, "numeric field overflow").
			WithDetail("A field with precision %d, scale %d cannot hold an infinite value.", p, s)
	}
	out := new(apd.Decimal)
	if _, err := numCtx.Quantize(out, d, -s); err != nil {
		return nil, errOutOfRange("value overflows numeric format")
	}
	maxDigits := p - s
	if out.Coeff.Sign() != 0 && int32(out.NumDigits())+out.Exponent > maxDigits {
		detail := fmt.Sprintf("%d", 1)
		if maxDigits != 0 {
			detail = fmt.Sprintf("10^%d", maxDigits)
		}
		return nil, pgerror.New(pgerror.NumericValueOutOfRange, "numeric field overflow").
			WithDetail("A field with precision %d, scale %d must round to an absolute value less than %s.", p, s, detail)
	}
	return normalizeNumeric(out)
}

// formatNumeric prints d as numeric_out does: plain notation with the
// value's own scale.
func formatNumeric(d *apd.Decimal) string {
	switch d.Form {
	case apd.NaN, apd.NaNSignaling:
		return "NaN"
	case apd.Infinite:
		if d.Negative {
			return "-Infinity"
		}
		return "Infinity"
	}
	if d.Exponent > 0 {
		n, err := normalizeNumeric(new(apd.Decimal).Set(d))
		if err == nil {
			d = n
		}
	}
	return d.Text('f')
}
