package types

import (
	"strings"
	"time"

	"github.com/quorumdb/quorumdb/sql/pgerror"
)

// The fractional-second precision of time(p), timestamp(p) and
// timestamptz(p) is kept in T.Width as p+1, so that 0 still means "no
// precision" (microseconds) and a column's declared precision travels
// wherever varchar's length does.

// maxTimePrecision is MAX_TIMESTAMP_PRECISION and MAX_TIME_PRECISION.
const maxTimePrecision = 6

// hasTimePrecision reports whether t is one of the types with a
// fractional-second precision.
func hasTimePrecision(t T) bool {
	switch t.Oid {
	case OidTime, OidTimestamp, OidTimestampTZ:
		return true
	}
	return false
}

// TimePrecision returns p of time(p)/timestamp(p)/timestamptz(p); ok is
// false for any other type, or one declared without a precision.
func TimePrecision(t T) (p int, ok bool) {
	if !hasTimePrecision(t) || t.Width <= 0 {
		return 0, false
	}
	return int(t.Width - 1), true
}

// setTimePrecision applies the modifier of time(p) and the timestamps,
// as anytime_typmodin: negative is an error, above 6 is 6 (PostgreSQL
// warns).
func setTimePrecision(t *T, name string, p int32) error {
	if p < 0 {
		return pgerror.New(pgerror.InvalidParameterValue, "%s(%d) precision must not be negative", strings.ToUpper(name), p)
	}
	if p > maxTimePrecision {
		p = maxTimePrecision
	}
	t.Width = p + 1
	return nil
}

// timeScales[p] is 10^(6-p): the microseconds one unit of precision p
// holds.
var timeScales = [maxTimePrecision + 1]int64{1000000, 100000, 10000, 1000, 100, 10, 1}

// roundMicros rounds us to precision p, halves away from zero, as
// AdjustTimestampForTypmod and AdjustTimeForTypmod do.
func roundMicros(us int64, p int) int64 {
	scale := timeScales[p]
	if us >= 0 {
		return (us + scale/2) / scale * scale
	}
	return -((-us + scale/2) / scale * scale)
}

// adjustTimePrecision rounds a value of type t to t's precision: a time
// (which may become 24:00:00) or a finite timestamp. PostgreSQL 15 does
// not check the range again: '294276-12-31 23:59:59.9'::timestamp(0) is
// 294277-01-01. Values of types without a precision are returned as
// they are.
func adjustTimePrecision(d Datum, t T) (Datum, error) {
	p, ok := TimePrecision(t)
	if !ok || d == nil {
		return d, nil
	}
	switch v := d.(type) {
	case time.Duration:
		return time.Duration(roundMicros(v.Microseconds(), p)) * time.Microsecond, nil
	case time.Time:
		if IsInfinite(v) != 0 {
			return v, nil
		}
		return PGMicrosToTime(roundMicros(TimeToPGMicros(v), p)).In(v.Location()), nil
	}
	return d, nil
}
