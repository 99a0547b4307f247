package builtins

import (
	"strings"

	"github.com/cockroachdb/apd/v3"

	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// to_number reads s along a number template as PostgreSQL does: each
// digit position takes one input character (a digit, or a blank that
// counts as a position), separators are taken only where the input has
// them, a sign is read where the template has one or before the first
// digit, and extra digits are cut off (not rounded).
func toNumber(s, f string) (types.Datum, error) {
	t, err := parseNumTemplate(f)
	if err != nil {
		return nil, err
	}
	if t.eeee {
		return nil, newErr(pgerror.FeatureNotSupported, "\"EEEE\" not supported for input")
	}
	if t.roman {
		return nil, newErr(pgerror.FeatureNotSupported, "\"RN\" not supported for input")
	}
	neg := false
	if hasTok(t.toks, numPR) && strings.HasPrefix(s, "<") {
		neg = true
		s = strings.TrimSuffix(s[1:], ">")
	}
	var digits strings.Builder
	pos, anyDigit, signRead, signSlotUsed := 0, false, false, false
	readSign := func() {
		if pos < len(s) && (s[pos] == '-' || s[pos] == '+') {
			neg = neg || s[pos] == '-'
			signRead = true
			pos++
		}
	}
	// Without a sign in the template, the position before the first
	// digit is the sign's: a blank there is taken as a positive sign.
	defaultSign := !t.hasSign && !hasTok(t.toks, numPL)
	for _, tok := range t.toks {
		switch tok.kind {
		case numDigit9, numDigit0:
			if !anyDigit && !signRead {
				if defaultSign && !signSlotUsed && pos < len(s) && s[pos] == ' ' {
					signSlotUsed = true
					pos++
				}
				readSign()
			}
			if pos >= len(s) {
				continue
			}
			switch c := s[pos]; {
			case c >= '0' && c <= '9':
				digits.WriteByte(c)
				anyDigit = true
				pos++
			case c == ' ':
				pos++
			}
		case numDecimal:
			if pos < len(s) && s[pos] == '.' {
				digits.WriteByte('.')
				pos++
			}
		case numGroup:
			if pos < len(s) && (s[pos] < '0' || s[pos] > '9') {
				pos++
			}
		case numSignS, numMI, numPL, numSG:
			readSign()
		case numCurrency:
			if pos < len(s) && (s[pos] < '0' || s[pos] > '9') {
				pos++
			}
		case numTH:
			pos = min(pos+2, len(s))
		case numLiteral:
			pos = min(pos+len(tok.lit), len(s))
		}
	}
	text := digits.String()
	if !anyDigit {
		return nil, newErr(pgerror.InvalidTextRepresentation, "invalid input syntax for type numeric: \" \"")
	}
	d, _, err := apd.NewFromString(text)
	if err != nil {
		return nil, newErr(pgerror.InvalidTextRepresentation, "invalid input syntax for type numeric: \"%s\"", text)
	}
	if t.shift > 0 {
		d.Exponent -= int32(t.shift)
	}
	if neg {
		d.Neg(d)
	}
	return d, nil
}

func registerToNumber() {
	register("to_number", ov(types.Numeric, txt2(toNumber), types.Text, types.Text))
}
