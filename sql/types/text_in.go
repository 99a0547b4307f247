package types

import (
	"encoding/hex"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/quorumdb/quorumdb/sql/pgerror"
)

// ParseText reads s as PostgreSQL's input function for t does (the text
// format of the wire protocol, COPY, and literals), applying t's
// modifiers where PostgreSQL's input applies them: numeric(p,s) rounds,
// varchar(n) and char(n) reject over-long values and char(n) pads.
func ParseText(t T, s string, set *Settings) (Datum, error) {
	switch t.Family {
	case UnknownFamily, AnyFamily:
		return s, nil
	case BoolFamily:
		return parseBool(s)
	case IntFamily:
		return parseInt(s, t.Oid)
	case FloatFamily:
		bits := 64
		if t.Oid == OidFloat4 {
			bits = 32
		}
		return parseFloat(s, bits)
	case DecimalFamily:
		d, err := parseNumeric(s)
		if err != nil {
			return nil, err
		}
		return applyNumericTypmod(d, t)
	case StringFamily:
		return parseString(t, s, false)
	case BytesFamily:
		return parseBytea(s)
	case DateFamily:
		return parseDate(s, set)
	case TimeFamily, TimestampFamily, TimestampTZFamily:
		var d Datum
		var err error
		switch t.Family {
		case TimeFamily:
			d, err = parseTime(s)
		case TimestampFamily:
			d, err = parseTimestamp(s, set, false)
		default:
			d, err = parseTimestamp(s, set, true)
		}
		if err != nil {
			return nil, err
		}
		return adjustTimePrecision(d, t)
	case IntervalFamily:
		return parseInterval(s)
	case UUIDFamily:
		return parseUUID(s)
	case JSONFamily:
		return parseJSON(s, t.Oid == OidJSONB, set)
	case OidFamily:
		return parseOid(t, s)
	case ArrayFamily:
		return parseArray(t, s, set)
	case VoidFamily:
		return nil, nil
	case EnumFamily:
		return parseEnum(t, s)
	}
	return nil, pgerror.New(pgerror.FeatureNotSupported, "input of type %s is not supported", TypeName(t))
}

// parseBool accepts boolin's spellings: any unambiguous prefix of true,
// false, yes, no, on (two letters at least), off, and 1/0, in any case,
// with surrounding whitespace.
func parseBool(s string) (bool, error) {
	v := strings.ToLower(strings.TrimSpace(s))
	if v != "" {
		switch {
		case strings.HasPrefix("true", v), strings.HasPrefix("yes", v), v == "1":
			return true, nil
		case strings.HasPrefix("false", v), strings.HasPrefix("no", v), v == "0":
			return false, nil
		case len(v) >= 2 && strings.HasPrefix("on", v):
			return true, nil
		case len(v) >= 2 && strings.HasPrefix("off", v):
			return false, nil
		}
	}
	return false, errSyntax("boolean", s)
}

// intTypeName is the name integer input errors use for each width.
func intTypeName(oid Oid) string {
	switch oid {
	case OidInt2:
		return "smallint"
	case OidInt8:
		return "bigint"
	}
	return "integer"
}

// intRange returns the bounds of an integer type.
func intRange(oid Oid) (int64, int64) {
	switch oid {
	case OidInt2:
		return -1 << 15, 1<<15 - 1
	case OidInt4:
		return -1 << 31, 1<<31 - 1
	}
	return -1 << 63, 1<<63 - 1
}

// parseInt reads int2/int4/int8 input: optional whitespace and sign,
// decimal digits (PostgreSQL 15 has no underscores or hex here).
func parseInt(s string, oid Oid) (int64, error) {
	typ := intTypeName(oid)
	v := strings.TrimSpace(s)
	body := v
	if body != "" && (body[0] == '+' || body[0] == '-') {
		body = body[1:]
	}
	if body == "" {
		return 0, errSyntax(typ, s)
	}
	for i := 0; i < len(body); i++ {
		if !isDigit(body[i]) {
			return 0, errSyntax(typ, s)
		}
	}
	n, err := strconv.ParseInt(v, 10, 64)
	lo, hi := intRange(oid)
	if err != nil || n < lo || n > hi {
		return 0, errValueRange(s, typ)
	}
	return n, nil
}

// parseOid reads oid input (an unsigned 32-bit number; negative input
// wraps as oidin allows). The reg* types accept only numeric input
// here: resolving names needs the catalog, which lives above this package.
func parseOid(t T, s string) (int64, error) {
	v := strings.TrimSpace(s)
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		if v != "" && (isDigit(v[len(v)-1])) && validDecimalSyntax(strings.TrimLeft(v, "+-")) {
			return 0, errValueRange(s, "oid")
		}
		if t.Oid == OidOid {
			return 0, errSyntax("oid", s)
		}
		return 0, pgerror.New(pgerror.FeatureNotSupported, "%s input by name is not supported here: \"%s\"", TypeName(t), s)
	}
	if n < -1<<31 || n > 1<<32-1 {
		return 0, errValueRange(s, "oid")
	}
	if n < 0 {
		n += 1 << 32
	}
	return n, nil
}

// parseString applies the string types' modifiers. explicit selects the
// behaviour of an explicit cast (silent truncation) over input and
// assignment (22001 unless only spaces are cut).
func parseString(t T, s string, explicit bool) (string, error) {
	switch t.Oid {
	case OidName:
		// NAMEDATALEN-1 bytes, cut on a character boundary.
		if len(s) > 63 {
			n := 63
			for n > 0 && !utf8.RuneStart(s[n]) {
				n--
			}
			s = s[:n]
		}
		return s, nil
	case OidChar:
		if s == "" {
			return "", nil
		}
		return s[:1], nil
	case OidVarchar, OidBPChar:
		if t.Width > 0 {
			n := int(t.Width)
			if utf8.RuneCountInString(s) > n {
				cut := runePrefix(s, n)
				if !explicit && strings.TrimRight(s[len(cut):], " ") != "" {
					return "", pgerror.New(pgerror.StringDataRightTruncation, "value too long for type %s", TypeName(t))
				}
				s = cut
			}
			if t.Oid == OidBPChar {
				if pad := n - utf8.RuneCountInString(s); pad > 0 {
					s += strings.Repeat(" ", pad)
				}
			}
		}
	}
	return s, nil
}

// runePrefix returns the first n characters of s.
func runePrefix(s string, n int) string {
	i := 0
	for k := 0; k < n && i < len(s); k++ {
		_, w := utf8.DecodeRuneInString(s[i:])
		i += w
	}
	return s[:i]
}

// parseBytea reads byteain's two formats: \x followed by hex digit
// pairs (whitespace allowed between pairs), or the escape format where
// \\ is a backslash and \ooo an octal byte.
func parseBytea(s string) ([]byte, error) {
	if strings.HasPrefix(s, `\x`) {
		out := make([]byte, 0, (len(s)-2)/2)
		h := s[2:]
		for i := 0; i < len(h); {
			c := h[i]
			if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
				i++
				continue
			}
			if !isHex(c) {
				return nil, pgerror.New(pgerror.InvalidParameterValue, "invalid hexadecimal digit: \"%s\"", string(c))
			}
			if i+1 >= len(h) {
				return nil, pgerror.New(pgerror.InvalidParameterValue, "invalid hexadecimal data: odd number of digits")
			}
			if !isHex(h[i+1]) {
				return nil, pgerror.New(pgerror.InvalidParameterValue, "invalid hexadecimal digit: \"%s\"", string(h[i+1]))
			}
			b, _ := hex.DecodeString(h[i : i+2])
			out = append(out, b[0])
			i += 2
		}
		return out, nil
	}
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' {
			out = append(out, c)
			continue
		}
		switch {
		case i+1 < len(s) && s[i+1] == '\\':
			out = append(out, '\\')
			i++
		case i+3 < len(s) && s[i+1] >= '0' && s[i+1] <= '3' && isOctal(s[i+2]) && isOctal(s[i+3]):
			out = append(out, (s[i+1]-'0')<<6|(s[i+2]-'0')<<3|(s[i+3]-'0'))
			i += 3
		default:
			return nil, pgerror.New(pgerror.InvalidTextRepresentation, "invalid input syntax for type bytea")
		}
	}
	return out, nil
}

func isHex(c byte) bool {
	return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

func isOctal(c byte) bool { return c >= '0' && c <= '7' }

// parseUUID reads uuid_in's forms: 32 hex digits, optionally in braces,
// with an optional hyphen after any group of four digits.
func parseUUID(s string) (UUID, error) {
	var u UUID
	v := s
	if strings.HasPrefix(v, "{") {
		if !strings.HasSuffix(v, "}") || len(v) < 2 {
			return u, errSyntax("uuid", s)
		}
		v = v[1 : len(v)-1]
	}
	n := 0
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c == '-' && n > 0 && n < 32 && n%4 == 0 && v[i-1] != '-' {
			continue
		}
		if !isHex(c) || n >= 32 {
			return u, errSyntax("uuid", s)
		}
		u[n/2] |= hexVal(c) << (4 * (1 - n%2))
		n++
	}
	if n != 32 || strings.HasSuffix(v, "-") {
		return u, errSyntax("uuid", s)
	}
	return u, nil
}

func hexVal(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}
