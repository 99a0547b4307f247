package types

import (
	"github.com/quorumdb/quorumdb/sql/pgerror"
	"strconv"
	"strings"
	"time"
)

// dtFields is what the date/time scanner found in an input string.
type dtFields struct {
	hasDate          bool
	year, month, day int
	hasTime          bool
	hour, min, sec   int
	micros           int
	loc              *time.Location // explicit zone, nil if none
	special          string         // epoch, infinity, now, today, ...
}

// dtErr tells a syntax error (22007) from a field out of range (22008).
type dtErr int

const (
	dtOK dtErr = iota
	dtBadSyntax
	dtBadRange
)

// zoneAbbrevs are the zone abbreviations PostgreSQL's default set knows
// that Go's zone database does not spell the same way.
var zoneAbbrevs = map[string]int{
	"utc": 0, "gmt": 0, "ut": 0, "z": 0, "zulu": 0,
	"est": -5 * 3600, "edt": -4 * 3600, "cst": -6 * 3600, "cdt": -5 * 3600,
	"mst": -7 * 3600, "mdt": -6 * 3600, "pst": -8 * 3600, "pdt": -7 * 3600,
	"cet": 3600, "cest": 2 * 3600, "eet": 2 * 3600, "eest": 3 * 3600,
	"bst": 3600, "jst": 9 * 3600, "msk": 3 * 3600,
}

// scanDateTime splits s into date, time and zone fields. It accepts the
// forms applications send: ISO 8601 (2024-01-31, 2024-01-31T12:34:56Z,
// 2024-01-31 12:34:56.5+05:30), slashed dates read in DateStyle order,
// compact 20240131, a trailing zone name or offset, AM/PM and BC.
func scanDateTime(s string, set *Settings) (dtFields, dtErr) {
	var f dtFields
	v := strings.ToLower(strings.TrimSpace(s))
	switch v {
	case "epoch", "infinity", "+infinity", "-infinity", "now", "today", "tomorrow", "yesterday", "allballs":
		f.special = strings.TrimPrefix(v, "+")
		return f, dtOK
	}
	orig := strings.TrimSpace(s)
	p := 0
	// Date part.
	if p < len(v) && isDigit(v[p]) {
		a, n := digitsAt(v, p)
		sep := byte(0)
		if p+n < len(v) {
			sep = v[p+n]
		}
		switch {
		case sep == '-' || sep == '/' || sep == '.':
			b, nb := digitsAt(v, p+n+1)
			if nb == 0 || p+n+1+nb >= len(v) || v[p+n+1+nb] != sep {
				if sep == '-' || sep == '/' {
					return f, dtBadSyntax
				}
				break // "12.5" is not a date; let the time scanner try
			}
			c, nc := digitsAt(v, p+n+1+nb+1)
			if nc == 0 {
				return f, dtBadSyntax
			}
			f.hasDate = true
			x, y, z := atoi(a), atoi(b), atoi(c)
			switch {
			case n >= 3:
				f.year, f.month, f.day = x, y, z
			default:
				switch set.dateOrder() {
				case "DMY":
					f.day, f.month, f.year = x, y, z
				case "YMD":
					f.year, f.month, f.day = twoDigitYear(x), y, z
					nc = 4
				default:
					f.month, f.day, f.year = x, y, z
				}
				if nc <= 2 {
					f.year = twoDigitYear(f.year)
				}
			}
			p += n + 1 + nb + 1 + nc
		case n == 8 && (p+n == len(v) || v[p+n] == ' ' || v[p+n] == 't'):
			f.hasDate = true
			f.year, f.month, f.day = atoi(a[:4]), atoi(a[4:6]), atoi(a[6:])
			p += n
		}
	}
	if f.hasDate {
		if p < len(v) && (v[p] == 't' || v[p] == ' ') {
			p++
		}
		for p < len(v) && v[p] == ' ' {
			p++
		}
	}
	// Time part.
	if p < len(v) && isDigit(v[p]) {
		h, nh := digitsAt(v, p)
		if p+nh >= len(v) || v[p+nh] != ':' || nh > 2 {
			return f, dtBadSyntax
		}
		m, nm := digitsAt(v, p+nh+1)
		if nm != 2 {
			return f, dtBadSyntax
		}
		f.hasTime = true
		f.hour, f.min = atoi(h), atoi(m)
		p += nh + 1 + nm
		if p < len(v) && v[p] == ':' {
			sec, ns := digitsAt(v, p+1)
			if ns != 2 {
				return f, dtBadSyntax
			}
			f.sec = atoi(sec)
			p += 1 + ns
			if p < len(v) && v[p] == '.' {
				frac, nf := digitsAt(v, p+1)
				f.micros = fracMicros(frac)
				p += 1 + nf
			}
		}
		for p < len(v) && v[p] == ' ' {
			p++
		}
		if (strings.HasPrefix(v[p:], "am") || strings.HasPrefix(v[p:], "pm")) && (p+2 == len(v) || v[p+2] == ' ') {
			if f.hour < 1 || f.hour > 12 {
				return f, dtBadRange
			}
			if v[p] == 'p' && f.hour != 12 {
				f.hour += 12
			} else if v[p] == 'a' && f.hour == 12 {
				f.hour = 0
			}
			p += 2
		}
	}
	for p < len(v) && v[p] == ' ' {
		p++
	}
	// Zone and era (AD/BC), each at most once and in either order:
	// PostgreSQL takes "04:05:06 BC +08:00" and "04:05:06 +08:00 BC".
	seenZone, seenEra := false, false
	for p < len(v) {
		end := p
		for end < len(v) && v[end] != ' ' {
			end++
		}
		switch word := v[p:end]; {
		case (word == "bc" || word == "ad") && !seenEra:
			seenEra = true
			if word == "bc" {
				f.year = 1 - f.year
			}
		case !seenZone:
			loc, ok := parseZone(word, orig[p:end])
			if !ok {
				return f, dtBadSyntax
			}
			seenZone = true
			f.loc = loc
		default:
			return f, dtBadSyntax
		}
		p = end
		for p < len(v) && v[p] == ' ' {
			p++
		}
	}
	if p != len(v) || (!f.hasDate && !f.hasTime) {
		return f, dtBadSyntax
	}
	if f.hasDate && (f.year == 0 && !strings.Contains(v, "bc") || f.month < 1 || f.month > 12 || f.day < 1 || f.day > daysIn(f.year, f.month)) {
		return f, dtBadRange
	}
	if f.hasTime && (f.hour > 24 || f.min > 59 || f.sec > 60 || (f.hour == 24 && (f.min != 0 || f.sec != 0 || f.micros != 0))) {
		return f, dtBadRange
	}
	if f.hasDate && (f.year > 100_000_000 || f.year < -100_000_000) {
		return f, dtBadRange // far outside every range; the callers check theirs
	}
	return f, dtOK
}

// parseZone reads a numeric offset (+05, -0330, +05:30) or a zone name.
// ISO 8601 signs are used: +05 is five hours east of Greenwich.
func parseZone(lower, orig string) (*time.Location, bool) {
	if lower == "" {
		return nil, false
	}
	if lower[0] == '+' || lower[0] == '-' {
		body := lower[1:]
		var h, m, s int
		parts := strings.Split(body, ":")
		switch {
		case len(parts) == 1 && len(body) <= 2 && len(body) > 0:
			h = atoi(body)
		case len(parts) == 1 && len(body) == 4:
			h, m = atoi(body[:2]), atoi(body[2:])
		case len(parts) == 1 && len(body) == 6:
			h, m, s = atoi(body[:2]), atoi(body[2:4]), atoi(body[4:])
		case len(parts) == 2 || len(parts) == 3:
			h, m = atoi(parts[0]), atoi(parts[1])
			if len(parts) == 3 {
				s = atoi(parts[2])
			}
			for _, x := range parts {
				if x == "" || len(x) > 2 {
					return nil, false
				}
			}
		default:
			return nil, false
		}
		for i := 0; i < len(body); i++ {
			if !isDigit(body[i]) && body[i] != ':' {
				return nil, false
			}
		}
		if h > 15 || m > 59 || s > 59 {
			return nil, false
		}
		off := h*3600 + m*60 + s
		if lower[0] == '-' {
			off = -off
		}
		return time.FixedZone("", off), true
	}
	if off, ok := zoneAbbrevs[lower]; ok {
		if off == 0 {
			return time.UTC, true
		}
		return time.FixedZone(strings.ToUpper(lower), off), true
	}
	if loc, err := time.LoadLocation(orig); err == nil {
		return loc, true
	}
	return nil, false
}

// twoDigitYear maps a year written with two digits as PostgreSQL does:
// 70..99 are the 1900s, 00..69 the 2000s.
func twoDigitYear(y int) int {
	switch {
	case y < 70:
		return y + 2000
	case y < 100:
		return y + 1900
	}
	return y
}

func digitsAt(s string, p int) (string, int) {
	e := p
	for e < len(s) && isDigit(s[e]) {
		e++
	}
	return s[p:e], e - p
}

// atoi converts a digit run that digitsAt found; overlong runs saturate
// so that range checks reject them.
func atoi(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return 1 << 30
	}
	return n
}

// fracMicros rounds fractional-second digits to microseconds, half up.
func fracMicros(frac string) int {
	for len(frac) < 7 {
		frac += "0"
	}
	us := atoi(frac[:6])
	if frac[6] >= '5' {
		us++
	}
	return us
}

func daysIn(y, m int) int {
	return time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// parseTimestamp reads timestamp and timestamptz input. A zone in the
// input is honoured by timestamptz and ignored by timestamp, as in
// PostgreSQL; without one, timestamptz reads the wall clock in the
// session zone.
func parseTimestamp(s string, set *Settings, tz bool) (time.Time, error) {
	typ := "timestamp"
	if tz {
		typ = "timestamp with time zone"
	}
	f, e := scanDateTime(s, set)
	switch e {
	case dtBadSyntax:
		return time.Time{}, errDatetimeSyntax(typ, s)
	case dtBadRange:
		return time.Time{}, errDatetimeRange(s)
	}
	loc := set.location()
	if f.special != "" {
		var t time.Time
		switch f.special {
		case "epoch":
			return time.Unix(0, 0).UTC(), nil
		case "infinity":
			return TimeInfinity, nil
		case "-infinity":
			return TimeNegInfinity, nil
		case "now":
			t = time.Now().Truncate(time.Microsecond)
			if !tz {
				return wallClock(t.In(loc)), nil
			}
			return t, nil
		case "today", "tomorrow", "yesterday":
			y, m, d := time.Now().In(loc).Date()
			d += map[string]int{"today": 0, "tomorrow": 1, "yesterday": -1}[f.special]
			t = time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
			if tz {
				return inZone(t, loc), nil
			}
			return t, nil
		}
		return time.Time{}, errDatetimeSyntax(typ, s)
	}
	if !f.hasDate {
		return time.Time{}, errDatetimeSyntax(typ, s)
	}
	if tz && f.loc != nil {
		loc = f.loc
	}
	if !tz {
		loc = time.UTC
	}
	t := time.Date(f.year, time.Month(f.month), f.day, f.hour, f.min, f.sec, f.micros*1000, loc)
	if !t.Before(EndTimestamp) || t.Before(MinTimestamp) {
		return time.Time{}, pgerror.New(pgerror.DatetimeFieldOverflow, "timestamp out of range: \"%s\"", s)
	}
	return t, nil
}

// parseDate reads date input; a time of day in it is ignored.
func parseDate(s string, set *Settings) (time.Time, error) {
	f, e := scanDateTime(s, set)
	switch e {
	case dtBadSyntax:
		return time.Time{}, errDatetimeSyntax("date", s)
	case dtBadRange:
		return time.Time{}, errDatetimeRange(s)
	}
	if f.special != "" {
		if f.special == "now" || f.special == "allballs" {
			if f.special == "allballs" {
				return time.Time{}, errDatetimeSyntax("date", s)
			}
			f.special = "today"
		}
		t, err := parseTimestamp(f.special, set, false)
		if err != nil {
			return time.Time{}, errDatetimeSyntax("date", s)
		}
		return dayOnly(t), nil
	}
	if !f.hasDate {
		return time.Time{}, errDatetimeSyntax("date", s)
	}
	t := time.Date(f.year, time.Month(f.month), f.day, 0, 0, 0, 0, time.UTC)
	if !FiniteDateInRange(t) {
		return time.Time{}, pgerror.New(pgerror.DatetimeFieldOverflow, "date out of range: \"%s\"", s)
	}
	return t, nil
}

// parseTime reads time input; a date or zone in it is ignored.
func parseTime(s string) (time.Duration, error) {
	f, e := scanDateTime(s, nil)
	switch e {
	case dtBadSyntax:
		return 0, errDatetimeSyntax("time", s)
	case dtBadRange:
		return 0, errDatetimeRange(s)
	}
	switch {
	case f.special == "allballs":
		return 0, nil
	case f.special == "now":
		n := time.Now()
		return time.Duration(n.Hour())*time.Hour + time.Duration(n.Minute())*time.Minute +
			time.Duration(n.Second())*time.Second + time.Duration(n.Nanosecond()/1000)*time.Microsecond, nil
	case f.special != "" || !f.hasTime:
		return 0, errDatetimeSyntax("time", s)
	}
	d := time.Duration(f.hour)*time.Hour + time.Duration(f.min)*time.Minute +
		time.Duration(f.sec)*time.Second + time.Duration(f.micros)*time.Microsecond
	if d > 24*time.Hour {
		return 0, errDatetimeRange(s)
	}
	return d, nil
}

// ZoneAbbrevOffset is the offset east of Greenwich, in seconds, of a
// lower-case time zone abbreviation of PostgreSQL's default set.
func ZoneAbbrevOffset(lower string) (int, bool) {
	off, ok := zoneAbbrevs[lower]
	return off, ok
}
