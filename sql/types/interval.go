package types

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/quorumdb/quorumdb/sql/pgerror"
)

// intervalUnits maps every unit spelling interval input accepts to a
// canonical unit.
var intervalUnits = map[string]string{
	"microsecond": "us", "microseconds": "us", "us": "us", "usec": "us", "usecs": "us", "useconds": "us", "usecond": "us",
	"millisecond": "ms", "milliseconds": "ms", "ms": "ms", "msec": "ms", "msecs": "ms", "mseconds": "ms", "msecond": "ms",
	"second": "s", "seconds": "s", "s": "s", "sec": "s", "secs": "s",
	"minute": "min", "minutes": "min", "m": "min", "min": "min", "mins": "min",
	"hour": "h", "hours": "h", "h": "h", "hr": "h", "hrs": "h",
	"day": "d", "days": "d", "d": "d",
	"week": "w", "weeks": "w", "w": "w",
	"month": "mon", "months": "mon", "mon": "mon", "mons": "mon",
	"year": "y", "years": "y", "y": "y", "yr": "y", "yrs": "y",
	"decade": "dec", "decades": "dec", "dec": "dec", "decs": "dec",
	"century": "c", "centuries": "c", "cent": "c", "c": "c",
	"millennium": "mil", "millennia": "mil", "millenniums": "mil", "mil": "mil", "mils": "mil",
}

// ivAcc accumulates interval fields; fractions of a unit spill into the
// smaller fields as PostgreSQL does (a month is 30 days, a day 24 hours).
type ivAcc struct {
	months, days float64
	micros       float64
}

func (a *ivAcc) add(unit string, v float64) bool {
	switch unit {
	case "us":
		a.micros += v
	case "ms":
		a.micros += v * 1e3
	case "s":
		a.micros += v * 1e6
	case "min":
		a.micros += v * 60e6
	case "h":
		a.micros += v * 3600e6
	case "d":
		a.addDays(v)
	case "w":
		a.addDays(v * 7)
	case "mon":
		whole := math.Trunc(v)
		a.months += whole
		a.addDays((v - whole) * 30)
	case "y", "dec", "c", "mil":
		years := v * map[string]float64{"y": 1, "dec": 10, "c": 100, "mil": 1000}[unit]
		whole := math.Trunc(years)
		a.months += whole*12 + math.Round((years-whole)*12)
	default:
		return false
	}
	return true
}

func (a *ivAcc) addDays(v float64) {
	whole := math.Trunc(v)
	a.days += whole
	a.micros += (v - whole) * 86400e6
}

// parseInterval reads interval input in PostgreSQL's own format ("1 year
// 2 mons 3 days 04:05:06", "@ 1 hour ago", "-1 days", bare numbers as
// seconds, "1-2" as years-months) and ISO 8601 durations ("P1Y2M3DT4H").
func parseInterval(s string) (Interval, error) {
	v := strings.ToLower(strings.TrimSpace(s))
	var a ivAcc
	var ok bool
	if strings.HasPrefix(v, "p") {
		ok = parseISOInterval(v[1:], &a)
	} else {
		ok = parsePGInterval(v, &a)
	}
	if !ok {
		return Interval{}, pgerror.New(pgerror.InvalidDatetimeFormat, "invalid input syntax for type interval: \"%s\"", s)
	}
	iv, fits := a.interval()
	if !fits {
		return Interval{}, pgerror.New(pgerror.DatetimeFieldOverflow, "interval field value out of range: \"%s\"", s)
	}
	return iv, nil
}

func (a *ivAcc) interval() (Interval, bool) {
	us := math.Round(a.micros)
	if math.Abs(a.months) > math.MaxInt32 || math.Abs(a.days) > math.MaxInt32 || math.Abs(us) > 9.2e18 {
		return Interval{}, false
	}
	return Interval{Months: int32(a.months), Days: int32(a.days), Micros: int64(us)}, true
}

func parsePGInterval(v string, a *ivAcc) bool {
	v = strings.TrimPrefix(v, "@")
	toks := strings.Fields(v)
	if len(toks) == 0 {
		return false
	}
	ago := false
	for i := 0; i < len(toks); i++ {
		tok := toks[i]
		switch {
		case tok == "ago":
			if i != len(toks)-1 {
				return false
			}
			ago = true
		case strings.Contains(tok, ":"):
			us, ok := parseClock(tok)
			if !ok {
				return false
			}
			a.micros += us
		default:
			// number, optionally with its unit attached ("1day", "10s")
			// or a following unit token.
			n := numberPrefix(tok)
			if n == 0 {
				return false
			}
			num, unitTok := tok[:n], tok[n:]
			if unitTok != "" && unitTok[0] == '-' {
				// SQL-standard "years-months".
				ym := strings.SplitN(tok, "-", 2)
				y, err1 := strconv.ParseFloat(ym[0], 64)
				m, err2 := strconv.ParseFloat(ym[1], 64)
				if err1 != nil || err2 != nil {
					return false
				}
				a.months += y*12 + m
				continue
			}
			val, err := strconv.ParseFloat(num, 64)
			if err != nil {
				return false
			}
			if unitTok == "" && i+1 < len(toks) {
				if _, isUnit := intervalUnits[toks[i+1]]; isUnit {
					i++
					unitTok = toks[i]
				}
			}
			if unitTok == "" {
				// A bare number: days when a clock field follows
				// ("1 02:00:00"), otherwise seconds.
				if i+1 < len(toks) && strings.Contains(toks[i+1], ":") {
					unitTok = "d"
				} else {
					unitTok = "s"
				}
			}
			if !a.add(intervalUnits[unitTok], val) {
				return false
			}
		}
	}
	if ago {
		a.months, a.days, a.micros = -a.months, -a.days, -a.micros
	}
	return true
}

// numberPrefix returns the length of the leading [+-]digits[.digits] run.
func numberPrefix(s string) int {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	start := i
	for i < len(s) && (isDigit(s[i]) || s[i] == '.') {
		i++
	}
	if i == start {
		return 0
	}
	return i
}

// parseClock reads [+-]H:MM[:SS[.frac]] as microseconds.
func parseClock(tok string) (float64, bool) {
	neg := false
	if tok[0] == '-' || tok[0] == '+' {
		neg, tok = tok[0] == '-', tok[1:]
	}
	parts := strings.Split(tok, ":")
	if len(parts) > 3 {
		return 0, false
	}
	mult := []float64{3600e6, 60e6, 1e6}
	var us float64
	for i, p := range parts {
		if p == "" {
			return 0, false
		}
		for j := 0; j < len(p); j++ {
			if !isDigit(p[j]) && !(p[j] == '.' && i == len(parts)-1) {
				return 0, false
			}
		}
		f, err := strconv.ParseFloat(p, 64)
		if err != nil || (i > 0 && f >= 60) {
			return 0, false
		}
		us += f * mult[i]
	}
	if neg {
		us = -us
	}
	return us, true
}

// parseISOInterval reads the part of an ISO 8601 duration after "P".
func parseISOInterval(v string, a *ivAcc) bool {
	inTime := false
	if v == "" {
		return false
	}
	for v != "" {
		if v[0] == 't' {
			inTime, v = true, v[1:]
			continue
		}
		n := numberPrefix(v)
		if n == 0 || n == len(v) {
			return false
		}
		val, err := strconv.ParseFloat(v[:n], 64)
		if err != nil {
			return false
		}
		var unit string
		switch c := v[n]; {
		case c == 'y' && !inTime:
			unit = "y"
		case c == 'm' && !inTime:
			unit = "mon"
		case c == 'w' && !inTime:
			unit = "w"
		case c == 'd' && !inTime:
			unit = "d"
		case c == 'h' && inTime:
			unit = "h"
		case c == 'm' && inTime:
			unit = "min"
		case c == 's' && inTime:
			unit = "s"
		default:
			return false
		}
		a.add(unit, val)
		v = v[n+1:]
	}
	return true
}

// formatInterval prints iv in IntervalStyle postgres: "1 year 2 mons
// 3 days 04:05:06", "-1 days", "00:00:00". A field whose sign differs
// from the negative field before it gets an explicit "+".
func formatInterval(iv Interval) string {
	var b strings.Builder
	isZero, isBefore := true, false
	part := func(v int64, unit string) {
		if v == 0 {
			return
		}
		if !isZero {
			b.WriteByte(' ')
		}
		if isBefore && v > 0 {
			b.WriteByte('+')
		}
		fmt.Fprintf(&b, "%d %s", v, unit)
		if v != 1 {
			b.WriteByte('s')
		}
		isBefore, isZero = v < 0, false
	}
	part(int64(iv.Months/12), "year")
	part(int64(iv.Months%12), "mon")
	part(int64(iv.Days), "day")
	if isZero || iv.Micros != 0 {
		us := iv.Micros
		minus := us < 0
		u := uint64(us)
		if minus {
			u = uint64(-us)
		}
		if !isZero {
			b.WriteByte(' ')
		}
		switch {
		case minus:
			b.WriteByte('-')
		case isBefore:
			b.WriteByte('+')
		}
		h := u / 3600e6
		m := u / 60e6 % 60
		sec := u / 1e6 % 60
		fmt.Fprintf(&b, "%02d:%02d:%02d", h, m, sec)
		b.WriteString(fracString(int64(u % 1e6)))
	}
	return b.String()
}

// fracString returns ".ffffff" with trailing zeros trimmed, or "" for 0.
func fracString(us int64) string {
	if us == 0 {
		return ""
	}
	return strings.TrimRight(fmt.Sprintf(".%06d", us), "0")
}
