package types

import (
	"math"
	"strconv"
	"strings"

	"github.com/quorumdb/quorumdb/sql/pgerror"
)

// parseFloat reads float4/float8 text input as float8in/float4in do:
// decimal notation with optional exponent, or NaN/Infinity/inf, with
// surrounding whitespace. Overflow and underflow are both 22003, because
// PostgreSQL treats strtod's ERANGE as an error in either direction.
func parseFloat(s string, bits int) (float64, error) {
	typ := "double precision"
	if bits == 32 {
		typ = "real"
	}
	v := strings.TrimSpace(s)
	body, neg := v, false
	if body != "" && (body[0] == '+' || body[0] == '-') {
		neg, body = body[0] == '-', body[1:]
	}
	switch strings.ToLower(body) {
	case "nan":
		return math.NaN(), nil
	case "infinity", "inf":
		if neg {
			return math.Inf(-1), nil
		}
		return math.Inf(1), nil
	}
	if !validDecimalSyntax(body) {
		return 0, errSyntax(typ, s)
	}
	f, err := strconv.ParseFloat(v, bits)
	if err != nil {
		return 0, pgerror.New(pgerror.NumericValueOutOfRange, "\"%s\" is out of range for type %s", s, typ)
	}
	if f == 0 && !zeroMantissa(body) {
		return 0, pgerror.New(pgerror.NumericValueOutOfRange, "\"%s\" is out of range for type %s", s, typ)
	}
	return f, nil
}

// zeroMantissa reports whether a decimal's digits are all zeros (so a
// zero result is exact, not an underflow).
func zeroMantissa(b string) bool {
	for i := 0; i < len(b); i++ {
		switch c := b[i]; {
		case c == 'e' || c == 'E':
			return true
		case c >= '1' && c <= '9':
			return false
		}
	}
	return true
}

// formatFloat prints f as float8out/float4out do. With
// extra_float_digits >= 1 (the default since PostgreSQL 12) it is the
// shortest text that reads back exactly, in exponent form when the
// decimal exponent is < -4 or >= the type's digit count (15 or 6);
// otherwise it is printf's %.{15+n}g (or %.{6+n}g).
func formatFloat(f float64, bits int, extra int) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	}
	digits := 15
	if bits == 32 {
		digits = 6
	}
	if extra > 0 {
		e := strconv.FormatFloat(f, 'e', -1, bits)
		exp, _ := strconv.Atoi(e[strings.IndexByte(e, 'e')+1:])
		if exp < -4 || exp >= digits {
			return e
		}
		return strconv.FormatFloat(f, 'f', -1, bits)
	}
	prec := digits + extra
	if prec < 1 {
		prec = 1
	}
	return strconv.FormatFloat(f, 'g', prec, bits)
}
