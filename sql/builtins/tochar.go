package builtins

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/quorumdb/quorumdb/sql/types"
)

// to_char for dates, timestamps and intervals with PostgreSQL's template
// patterns (see tochar_template.go). Names are the C locale's (TM is
// accepted and changes nothing).

var monthNames = []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
var dayNames = []string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
var romanMonths = []string{"I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"}

// dtFields is what a template can print: a wall-clock reading, and for
// timestamptz its zone. For intervals, hours may exceed 23 and the date
// fields are the interval's years, months and days.
type dtFields struct {
	year, month, day     int
	hour, min, sec, ns   int
	weekday, yearDay     int // 0 = Sunday; 1-based
	isoYear, isoWeek     int
	isoWeekday           int // 1 = Monday
	julian               int
	hasZone              bool
	zoneAbbr             string
	zoneOffset           int // seconds east of UTC
	interval, negative   bool
	totalHoursOfInterval int64
}

// adjustedISOYear is ADJUST_YEAR of the ISO year: a year BC as its
// positive number (1 BC is 1, as YYYY prints it).
func (f dtFields) adjustedISOYear() int {
	if !f.interval && f.isoYear <= 0 {
		return 1 - f.isoYear
	}
	return f.isoYear
}

func fieldsOfTime(t time.Time, withZone bool) dtFields {
	f := dtFields{
		year: t.Year(), month: int(t.Month()), day: t.Day(),
		hour: t.Hour(), min: t.Minute(), sec: t.Second(), ns: t.Nanosecond(),
		weekday: int(t.Weekday()), yearDay: t.YearDay(),
	}
	f.isoYear, f.isoWeek = t.ISOWeek()
	f.isoWeekday = f.weekday
	if f.isoWeekday == 0 {
		f.isoWeekday = 7
	}
	f.julian = julianDay(f.year, f.month, f.day)
	if withZone {
		f.hasZone = true
		f.zoneAbbr, f.zoneOffset = t.Zone()
	}
	return f
}

func fieldsOfInterval(iv types.Interval) dtFields {
	us := iv.Micros
	f := dtFields{interval: true, year: int(iv.Months / 12), month: int(iv.Months % 12), day: int(iv.Days)}
	if us < 0 {
		f.negative = true
	}
	hours := us / 3_600_000_000
	rem := us % 3_600_000_000
	f.totalHoursOfInterval = hours
	f.hour = int(hours)
	f.min = int(rem / 60_000_000)
	rem %= 60_000_000
	f.sec = int(rem / 1_000_000)
	f.ns = int(rem%1_000_000) * 1000
	return f
}

// julianDay is the Julian day number of a proleptic Gregorian date.
func julianDay(y, m, d int) int {
	a := (14 - m) / 12
	yy := y + 4800 - a
	mm := m + 12*a - 3
	return d + (153*mm+2)/5 + 365*yy + yy/4 - yy/100 + yy/400 - 32045
}

// toCharTime formats f with template tmpl.
func toCharTime(f dtFields, tmpl string) string {
	var b strings.Builder
	for _, n := range parseDateTemplate(tmpl) {
		if n.kw == kwNone {
			b.WriteString(n.literal)
			continue
		}
		s, numeric := formatDateField(f, n)
		if numeric && n.th != 0 {
			s += ordinalSuffix(s, n.th == 1)
		}
		b.WriteString(s)
	}
	return b.String()
}

// zeroPad zero-pads v to width digits unless FM is set.
func zeroPad(v int, width int, fm bool) string {
	neg := v < 0
	if neg {
		v = -v
	}
	s := strconv.Itoa(v)
	if !fm && len(s) < width {
		s = strings.Repeat("0", width-len(s)) + s
	}
	if neg {
		s = "-" + s
	}
	return s
}

// applyCase spells a name as the template spelt the keyword.
func applyCase(name string, lc letterCase) string {
	switch lc {
	case caseUpper:
		return strings.ToUpper(name)
	case caseLower:
		return strings.ToLower(name)
	}
	return name
}

// padName blank-pads a name to width unless FM is set.
func padName(s string, width int, fm bool) string {
	if fm || len(s) >= width {
		return s
	}
	return s + strings.Repeat(" ", width-len(s))
}

// formatDateField prints one keyword; numeric reports fields that take
// a TH suffix.
func formatDateField(f dtFields, n dtNode) (string, bool) {
	year := f.year
	bc := false
	if !f.interval && year <= 0 {
		year, bc = 1-year, true
	}
	hour12 := f.hour % 12
	if hour12 == 0 {
		hour12 = 12
	}
	switch n.kw {
	case kwAD, kwADDots:
		s := map[bool]string{false: "AD", true: "BC"}[bc]
		if n.kw == kwADDots {
			s = s[:1] + "." + s[1:] + "."
		}
		return applyCase(s, n.lc), false
	case kwAM, kwAMDots:
		s := "AM"
		if f.hour%24 >= 12 {
			s = "PM"
		}
		if n.kw == kwAMDots {
			s = s[:1] + "." + s[1:] + "."
		}
		return applyCase(s, n.lc), false
	case kwCC:
		cc := (year + 99) / 100
		if f.interval {
			cc = f.year / 100
		}
		if bc {
			cc = -cc
		}
		return zeroPad(cc, 2, n.fm), true
	case kwDAY:
		return padName(applyCase(dayNames[f.weekday], n.lc), 9, n.fm || n.tm), false
	case kwDY:
		return applyCase(dayNames[f.weekday][:3], n.lc), false
	case kwDDD:
		return zeroPad(f.yearDay, 3, n.fm), true
	case kwDD:
		return zeroPad(f.day, 2, n.fm), true
	case kwD:
		return strconv.Itoa(f.weekday + 1), true
	case kwID:
		return strconv.Itoa(f.isoWeekday), true
	case kwFF1, kwFF2, kwFF3, kwFF4, kwFF5, kwFF6:
		digits := int(n.kw-kwFF1) + 1
		us := f.ns / 1000
		return fmt.Sprintf("%06d", us)[:digits], true
	case kwHH24:
		if f.interval {
			return zeroPad(int(f.totalHoursOfInterval), 2, n.fm), true
		}
		return zeroPad(f.hour, 2, n.fm), true
	case kwHH12:
		if f.interval {
			h := int(f.totalHoursOfInterval % 12)
			return zeroPad(h, 2, n.fm), true
		}
		return zeroPad(hour12, 2, n.fm), true
	case kwIDDD:
		return zeroPad((f.isoWeek-1)*7+f.isoWeekday, 3, n.fm), true
	case kwIW:
		return zeroPad(f.isoWeek, 2, n.fm), true
	case kwIYYY:
		return zeroPad(f.adjustedISOYear(), 4, n.fm), true
	case kwIYY:
		return zeroPad(f.adjustedISOYear()%1000, 3, n.fm), true
	case kwIY:
		return zeroPad(f.adjustedISOYear()%100, 2, n.fm), true
	case kwI:
		return strconv.Itoa(f.adjustedISOYear() % 10), true
	case kwJ:
		return strconv.Itoa(f.julian), true
	case kwMI:
		return zeroPad(f.min, 2, n.fm), true
	case kwMM:
		return zeroPad(f.month, 2, n.fm), true
	case kwMONTH:
		if f.month < 1 {
			return "", false
		}
		return padName(applyCase(monthNames[f.month-1], n.lc), 9, n.fm || n.tm), false
	case kwMON:
		if f.month < 1 {
			return "", false
		}
		return applyCase(monthNames[f.month-1][:3], n.lc), false
	case kwMS:
		return zeroPad(f.ns/1_000_000, 3, n.fm), true
	case kwOF:
		if !f.hasZone {
			return "+00", false
		}
		return formatOffset(f.zoneOffset, true), false
	case kwQ:
		if f.month < 1 {
			return "", true
		}
		return strconv.Itoa((f.month-1)/3 + 1), true
	case kwRM:
		if f.month < 1 {
			return "", false
		}
		s := romanMonths[f.month-1]
		if n.lc == caseLower {
			s = strings.ToLower(s)
		}
		return padName(s, 4, n.fm), false
	case kwSSSS:
		return strconv.Itoa(f.hour*3600 + f.min*60 + f.sec), true
	case kwSS:
		return zeroPad(f.sec, 2, n.fm), true
	case kwTZH:
		off := 0
		if f.hasZone {
			off = f.zoneOffset
		}
		sign := "+"
		if off < 0 {
			sign, off = "-", -off
		}
		return sign + zeroPad(off/3600, 2, n.fm), false
	case kwTZM:
		off := 0
		if f.hasZone {
			off = f.zoneOffset
		}
		if off < 0 {
			off = -off
		}
		return zeroPad(off%3600/60, 2, n.fm), false
	case kwTZ:
		if !f.hasZone {
			return "", false
		}
		return applyCase(zoneAbbreviation(f.zoneAbbr, f.zoneOffset), n.lc), false
	case kwUS:
		return zeroPad(f.ns/1000, 6, n.fm), true
	case kwWW:
		return zeroPad((f.yearDay-1)/7+1, 2, n.fm), true
	case kwW:
		return strconv.Itoa((f.day-1)/7 + 1), true
	case kwYCommaYYY:
		s := zeroPad(year, 4, n.fm)
		return s[:len(s)-3] + "," + s[len(s)-3:], true
	case kwYYYY:
		return zeroPad(year, 4, n.fm), true
	case kwYYY:
		return zeroPad(year%1000, 3, n.fm), true
	case kwYY:
		return zeroPad(year%100, 2, n.fm), true
	case kwY:
		return strconv.Itoa(year % 10), true
	}
	return "", false
}

// zoneAbbreviation is what TZ prints: the zone's abbreviation, or for
// zones without one (Go reports "+05") PostgreSQL's numeric form.
func zoneAbbreviation(abbr string, offset int) string {
	if abbr != "" && abbr[0] != '+' && abbr[0] != '-' {
		return abbr
	}
	return formatOffset(offset, true)
}

// formatOffset prints a UTC offset as +HH or +HH:MM.
func formatOffset(off int, short bool) string {
	sign := "+"
	if off < 0 {
		sign, off = "-", -off
	}
	s := fmt.Sprintf("%s%02d", sign, off/3600)
	if m := off % 3600 / 60; m != 0 || !short {
		s += fmt.Sprintf(":%02d", m)
	}
	return s
}

// ordinalSuffix is the TH/th suffix for the number printed as s.
func ordinalSuffix(s string, upper bool) string {
	suffix := "th"
	if n, err := strconv.Atoi(strings.TrimSpace(s)); err == nil {
		if n < 0 {
			n = -n
		}
		if n%100 < 11 || n%100 > 13 {
			switch n % 10 {
			case 1:
				suffix = "st"
			case 2:
				suffix = "nd"
			case 3:
				suffix = "rd"
			}
		}
	}
	if upper {
		return strings.ToUpper(suffix)
	}
	return suffix
}

func registerToChar() {
	T := types.Text
	register("to_char",
		ov(T, func(c *Context, a []types.Datum) (types.Datum, error) {
			t := a[0].(time.Time)
			if types.IsInfinite(t) != 0 {
				return nil, nil
			}
			return toCharTime(fieldsOfTime(t, false), a[1].(string)), nil
		}, types.Timestamp, T),
		ov(T, func(c *Context, a []types.Datum) (types.Datum, error) {
			t := a[0].(time.Time)
			if types.IsInfinite(t) != 0 {
				return nil, nil
			}
			return toCharTime(fieldsOfTime(t.In(c.location()), true), a[1].(string)), nil
		}, types.TimestampTZ, T),
		ov(T, func(c *Context, a []types.Datum) (types.Datum, error) {
			return toCharTime(fieldsOfInterval(a[0].(types.Interval)), a[1].(string)), nil
		}, types.IntervalT, T))
}
