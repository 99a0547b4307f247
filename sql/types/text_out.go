package types

import (
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/cockroachdb/apd/v3"
)

// FormatText prints a non-NULL datum d of type t as PostgreSQL 15's
// output function does under set (DateStyle ISO, IntervalStyle
// postgres). NULL prints as "" here; callers that must tell NULL apart
// check for nil first.
func FormatText(t T, d Datum, set *Settings) string {
	if d == nil {
		return ""
	}
	switch v := d.(type) {
	case bool:
		if v {
			return "t"
		}
		return "f"
	case int64:
		return strconv.FormatInt(v, 10)
	case int:
		return strconv.Itoa(v)
	case int32:
		return strconv.FormatInt(int64(v), 10)
	case float64:
		bits := 64
		if t.Oid == OidFloat4 {
			bits = 32
		}
		return formatFloat(v, bits, set.extraFloatDigits())
	case *apd.Decimal:
		return formatNumeric(v)
	case string:
		return v
	case []byte:
		return `\x` + hex.EncodeToString(v)
	case time.Time:
		switch t.Family {
		case DateFamily:
			return formatDate(v)
		case TimestampTZFamily:
			return formatTimestampTZ(v, set.location())
		}
		return formatTimestamp(v)
	case time.Duration:
		return formatTime(v)
	case Interval:
		return formatInterval(v)
	case UUID:
		return formatUUID(v)
	case JSON:
		return string(v)
	case *Array:
		return formatArray(t, v, set)
	case []any:
		return formatRecord(t, v, set)
	}
	return fmt.Sprint(d)
}

// formatUUID prints the canonical lower-case 8-4-4-4-12 form.
func formatUUID(u UUID) string {
	var b [36]byte
	hex.Encode(b[0:8], u[0:4])
	b[8] = '-'
	hex.Encode(b[9:13], u[4:6])
	b[13] = '-'
	hex.Encode(b[14:18], u[6:8])
	b[18] = '-'
	hex.Encode(b[19:23], u[8:10])
	b[23] = '-'
	hex.Encode(b[24:], u[10:])
	return string(b[:])
}

// String returns the canonical text of u.
func (u UUID) String() string { return formatUUID(u) }

// formatRecord prints a row value as record_out does: (a,b,"c d").
func formatRecord(t T, vals []any, set *Settings) string {
	var b strings.Builder
	b.WriteByte('(')
	for i, v := range vals {
		if i > 0 {
			b.WriteByte(',')
		}
		if v == nil {
			continue
		}
		s := FormatText(recordFieldType(t, i, v), v, set)
		quote := s == ""
		for j := 0; j < len(s) && !quote; j++ {
			switch c := s[j]; c {
			case '(', ')', ',', '"', '\\':
				quote = true
			default:
				quote = isArraySpace(c)
			}
		}
		if !quote {
			b.WriteString(s)
			continue
		}
		b.WriteByte('"')
		for j := 0; j < len(s); j++ {
			if s[j] == '"' || s[j] == '\\' {
				b.WriteByte(s[j])
			}
			b.WriteByte(s[j])
		}
		b.WriteByte('"')
	}
	b.WriteByte(')')
	return b.String()
}

// datumType guesses a type from a datum's Go type, for record fields
// whose types travel without their T.
// recordFieldType is the type of a record's i-th value: the declared one
// when the record's columns are known, else the one its Go type implies.
func recordFieldType(t T, i int, v Datum) T {
	if t.Fields != nil && i < len(t.Fields.Types) {
		return t.Fields.Types[i]
	}
	return datumType(v)
}

func datumType(d Datum) T {
	switch v := d.(type) {
	case bool:
		return Bool
	case int64:
		return Int8
	case float64:
		return Float8
	case *apd.Decimal:
		return Numeric
	case []byte:
		return Bytea
	case time.Time:
		return TimestampTZ
	case time.Duration:
		return Time
	case Interval:
		return IntervalT
	case UUID:
		return UUIDT
	case JSON:
		return JSONB
	case *Array:
		return ArrayOf(v.Elem)
	}
	return Text
}

// writeYMD writes the ISO date of t, years before 1 AD as "... BC" is
// appended by the caller (bc reports it).
func writeYMD(b *strings.Builder, t time.Time) (bc bool) {
	y, m, d := t.Date()
	if y <= 0 {
		y, bc = 1-y, true
	}
	fmt.Fprintf(b, "%04d-%02d-%02d", y, int(m), d)
	return bc
}

func formatDate(t time.Time) string {
	switch IsInfinite(t) {
	case 1:
		return "infinity"
	case -1:
		return "-infinity"
	}
	var b strings.Builder
	if writeYMD(&b, t) {
		b.WriteString(" BC")
	}
	return b.String()
}

// formatTimestamp prints "2024-01-31 12:34:56.5" (fraction trimmed).
func formatTimestamp(t time.Time) string {
	switch IsInfinite(t) {
	case 1:
		return "infinity"
	case -1:
		return "-infinity"
	}
	var b strings.Builder
	bc := writeYMD(&b, t)
	writeClock(&b, t)
	if bc {
		b.WriteString(" BC")
	}
	return b.String()
}

// formatTimestampTZ prints t in loc with its offset: "+00", "+05:30",
// "-00:44:30".
func formatTimestampTZ(t time.Time, loc *time.Location) string {
	switch IsInfinite(t) {
	case 1:
		return "infinity"
	case -1:
		return "-infinity"
	}
	t = t.In(loc)
	var b strings.Builder
	bc := writeYMD(&b, t)
	writeClock(&b, t)
	_, off := t.Zone()
	sign := byte('+')
	if off < 0 {
		sign, off = '-', -off
	}
	fmt.Fprintf(&b, "%c%02d", sign, off/3600)
	if off%3600 != 0 {
		fmt.Fprintf(&b, ":%02d", off/60%60)
		if off%60 != 0 {
			fmt.Fprintf(&b, ":%02d", off%60)
		}
	}
	if bc {
		b.WriteString(" BC")
	}
	return b.String()
}

func writeClock(b *strings.Builder, t time.Time) {
	h, m, s := t.Clock()
	fmt.Fprintf(b, " %02d:%02d:%02d", h, m, s)
	b.WriteString(fracString(int64(t.Nanosecond() / 1000)))
}

// formatTime prints a time of day "HH:MM:SS[.ffffff]" (24:00:00 allowed).
func formatTime(d time.Duration) string {
	us := d.Microseconds()
	h := us / 3600e6
	m := us / 60e6 % 60
	s := us / 1e6 % 60
	return fmt.Sprintf("%02d:%02d:%02d", h, m, s) + fracString(us%1e6)
}
