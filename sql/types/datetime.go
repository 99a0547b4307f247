package types

import "time"

// PostgreSQL's special timestamps and dates 'infinity' and '-infinity'
// are held as two sentinel instants far outside the range of real values
// (dates stop at 5874897 AD), so that ordinary time comparison orders
// them correctly. Code that converts a time to a number must check
// IsInfinite first.
var (
	TimeInfinity    = time.Date(10_000_000, 1, 1, 0, 0, 0, 0, time.UTC)
	TimeNegInfinity = time.Date(-10_000_000, 1, 1, 0, 0, 0, 0, time.UTC)
)

// PostgreSQL's ranges. A date is from Julian day 0 (4714-11-24 BC) to
// 5874897-12-31 (IS_VALID_DATE); a timestamp from 4714-11-24 00:00:00 BC
// up to, not including, 294277-01-01 00:00:00 (IS_VALID_TIMESTAMP).
var (
	MinDate      = time.Date(-4713, 11, 24, 0, 0, 0, 0, time.UTC)
	MaxDate      = time.Date(5874897, 12, 31, 0, 0, 0, 0, time.UTC)
	MinTimestamp = MinDate
	EndTimestamp = time.Date(294277, 1, 1, 0, 0, 0, 0, time.UTC)
)

// DateInRange reports whether t is a date PostgreSQL can hold (the
// infinities included).
func DateInRange(t time.Time) bool {
	return IsInfinite(t) != 0 || FiniteDateInRange(t)
}

// FiniteDateInRange reports whether t, a date read from input rather
// than one of the infinity sentinels, is in range.
func FiniteDateInRange(t time.Time) bool {
	return !t.Before(MinDate) && !t.After(MaxDate)
}

// TimestampInRange reports whether t is a timestamp PostgreSQL can hold
// (the infinities included).
func TimestampInRange(t time.Time) bool {
	return IsInfinite(t) != 0 || !t.Before(MinTimestamp) && t.Before(EndTimestamp)
}

// IsInfinite returns +1 for TimeInfinity, -1 for TimeNegInfinity, else 0.
func IsInfinite(t time.Time) int {
	switch {
	case t.Equal(TimeInfinity):
		return 1
	case t.Equal(TimeNegInfinity):
		return -1
	}
	return 0
}

// pgEpochUnix is 2000-01-01 00:00:00 UTC, PostgreSQL's epoch for binary
// date and timestamp values, in Unix seconds.
const pgEpochUnix = 946684800

// TimeToPGMicros returns t as microseconds since 2000-01-01 00:00 UTC,
// the form PostgreSQL stores and sends; the infinities map to
// math.MaxInt64 and math.MinInt64 as in PostgreSQL.
func TimeToPGMicros(t time.Time) int64 {
	switch IsInfinite(t) {
	case 1:
		return 1<<63 - 1
	case -1:
		return -1 << 63
	}
	return (t.Unix()-pgEpochUnix)*1e6 + int64(t.Nanosecond()/1000)
}

// PGMicrosToTime is the inverse of TimeToPGMicros; the result is in UTC.
func PGMicrosToTime(us int64) time.Time {
	switch us {
	case 1<<63 - 1:
		return TimeInfinity
	case -1 << 63:
		return TimeNegInfinity
	}
	sec, frac := us/1e6, us%1e6
	if frac < 0 {
		sec, frac = sec-1, frac+1e6
	}
	return time.Unix(sec+pgEpochUnix, frac*1000).UTC()
}

// DateToPGDays returns the date's day number since 2000-01-01, with the
// infinities at math.MaxInt32 and math.MinInt32 as PostgreSQL has them.
func DateToPGDays(t time.Time) int32 {
	switch IsInfinite(t) {
	case 1:
		return 1<<31 - 1
	case -1:
		return -1 << 31
	}
	u := t.Unix() - pgEpochUnix
	d := u / 86400
	if u%86400 < 0 {
		d--
	}
	return int32(d)
}

// DaysSincePGEpoch is the day number of a finite date since 2000-01-01,
// in 64 bits: a date out of range does not wrap.
func DaysSincePGEpoch(t time.Time) int64 {
	u := t.Unix() - pgEpochUnix
	d := u / 86400
	if u%86400 < 0 {
		d--
	}
	return d
}

// PGDaysToDate is the inverse of DateToPGDays.
func PGDaysToDate(d int32) time.Time {
	switch d {
	case 1<<31 - 1:
		return TimeInfinity
	case -1 << 31:
		return TimeNegInfinity
	}
	return time.Unix(pgEpochUnix+int64(d)*86400, 0).UTC()
}

// dayOnly returns midnight UTC of t's calendar day (t's own zone).
func dayOnly(t time.Time) time.Time {
	if IsInfinite(t) != 0 {
		return t
	}
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// wallClock returns the wall-clock reading of t as a UTC time (the
// timestamp-without-time-zone representation).
func wallClock(t time.Time) time.Time {
	if IsInfinite(t) != 0 {
		return t
	}
	y, mo, d := t.Date()
	h, mi, s := t.Clock()
	return time.Date(y, mo, d, h, mi, s, t.Nanosecond(), time.UTC)
}

// inZone reads the wall clock of w (a UTC-held timestamp) in loc.
func inZone(w time.Time, loc *time.Location) time.Time {
	if IsInfinite(w) != 0 {
		return w
	}
	y, mo, d := w.Date()
	h, mi, s := w.Clock()
	return time.Date(y, mo, d, h, mi, s, w.Nanosecond(), loc)
}
