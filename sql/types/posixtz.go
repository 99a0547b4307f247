package types

import (
	"encoding/binary"
	"strconv"
	"strings"
	"time"
)

// POSIX time zone strings ("EST5EDT,M3.2.0,M11.1.0", "UTC+3",
// "<+05:30>-05:30", "+00:00"), which PostgreSQL accepts for TimeZone and
// AT TIME ZONE when no tz database entry has the name (pg_tzset's
// tzparse). As in PostgreSQL, the offset is hours west of Greenwich
// ("UTC+3" is three hours behind UTC) and the standard abbreviation may be
// empty ("+05:30"). Without rules, a zone with a DST abbreviation follows
// the US rules (M3.2.0,M11.1.0), PostgreSQL's posixrules default.

// posixTZ is a parsed POSIX time zone string.
type posixTZ struct {
	std, dst       string
	stdOff, dstOff int // seconds west of Greenwich
	hasDST         bool
	rules          string // ",start[/time],end[/time]", "" for the default
}

// LoadPosixTZ reads s as a POSIX time zone string.
func LoadPosixTZ(s string) (*time.Location, bool) {
	tz, ok := parsePosixTZ(s)
	if !ok {
		return nil, false
	}
	if !tz.hasDST {
		return time.FixedZone(tz.std, -tz.stdOff), true
	}
	loc, err := time.LoadLocationFromTZData(s, tz.tzif())
	if err != nil {
		return nil, false
	}
	return loc, true
}

func parsePosixTZ(s string) (posixTZ, bool) {
	var tz posixTZ
	var ok bool
	if tz.std, s, ok = posixName(s); !ok || s == "" {
		return tz, false // an offset is required
	}
	if tz.stdOff, s, ok = posixOffset(s); !ok {
		return tz, false
	}
	if s == "" {
		return tz, true
	}
	tz.hasDST = true
	if tz.dst, s, ok = posixName(s); !ok || tz.dst == "" {
		return tz, false
	}
	tz.dstOff = tz.stdOff - 3600
	if s != "" && s[0] != ',' && s[0] != ';' {
		if tz.dstOff, s, ok = posixOffset(s); !ok {
			return tz, false
		}
	}
	if s == "" {
		return tz, true
	}
	if s[0] != ',' && s[0] != ';' {
		return tz, false
	}
	parts := strings.Split(s[1:], ",")
	if len(parts) != 2 {
		return tz, false
	}
	for _, p := range parts {
		if !posixRule(p) {
			return tz, false
		}
	}
	tz.rules = "," + parts[0] + "," + parts[1]
	return tz, true
}

// posixName reads a zone abbreviation: <...> or letters (possibly none,
// which PostgreSQL allows for the standard zone).
func posixName(s string) (name, rest string, ok bool) {
	if strings.HasPrefix(s, "<") {
		i := strings.IndexByte(s, '>')
		if i < 0 {
			return "", s, false
		}
		return s[1:i], s[i+1:], true
	}
	i := 0
	for i < len(s) && !isDigit(s[i]) && s[i] != ',' && s[i] != '-' && s[i] != '+' && s[i] != ';' {
		i++
	}
	return s[:i], s[i:], true
}

// posixOffset reads [+-]hh[:mm[:ss]] as seconds (positive west).
func posixOffset(s string) (int, string, bool) {
	sign := 1
	if s != "" && (s[0] == '+' || s[0] == '-') {
		if s[0] == '-' {
			sign = -1
		}
		s = s[1:]
	}
	secs, rest, ok := posixSecs(s, 24*7-1)
	return sign * secs, rest, ok
}

// posixSecs reads hh[:mm[:ss]] with hours up to maxHours.
func posixSecs(s string, maxHours int) (int, string, bool) {
	num := func(s string, max int) (int, string, bool) {
		i := 0
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		if i == 0 {
			return 0, s, false
		}
		n, err := strconv.Atoi(s[:i])
		if err != nil || n > max {
			return 0, s, false
		}
		return n, s[i:], true
	}
	h, s, ok := num(s, maxHours)
	if !ok {
		return 0, s, false
	}
	secs := h * 3600
	for _, mult := range []int{60, 1} {
		if s == "" || s[0] != ':' {
			break
		}
		var v int
		if v, s, ok = num(s[1:], 59); !ok {
			return 0, s, false
		}
		secs += v * mult
	}
	return secs, s, true
}

// posixRule checks one rule: Jn, n or Mm.w.d, optionally /time.
func posixRule(r string) bool {
	date, tm, hasTime := strings.Cut(r, "/")
	if hasTime {
		t := strings.TrimPrefix(strings.TrimPrefix(tm, "+"), "-")
		if _, rest, ok := posixSecs(t, 167); !ok || rest != "" {
			return false
		}
	}
	switch {
	case strings.HasPrefix(date, "J"):
		n, err := strconv.Atoi(date[1:])
		return err == nil && n >= 1 && n <= 365
	case strings.HasPrefix(date, "M"):
		f := strings.Split(date[1:], ".")
		if len(f) != 3 {
			return false
		}
		lim := []int{12, 5, 6}
		low := []int{1, 1, 0}
		for i, x := range f {
			n, err := strconv.Atoi(x)
			if err != nil || n < low[i] || n > lim[i] {
				return false
			}
		}
		return true
	default:
		n, err := strconv.Atoi(date)
		return err == nil && n >= 0 && n <= 365
	}
}

// tzif builds a TZif version 2 file with no transitions whose footer is
// the zone's rule string, which Go's time package then applies to every
// instant (Go needs abbreviations of three letters or <...>).
func (tz posixTZ) tzif() []byte {
	footer := "<" + abbrevOr(tz.std, tz.stdOff) + ">" + formatPosixOffset(tz.stdOff) +
		"<" + abbrevOr(tz.dst, tz.dstOff) + ">" + formatPosixOffset(tz.dstOff)
	if tz.rules == "" {
		footer += ",M3.2.0,M11.1.0"
	} else {
		footer += tz.rules
	}
	abbr := abbrevOr(tz.std, tz.stdOff) + "\x00"
	header := func(timeSize int) []byte {
		b := []byte("TZif2")
		b = append(b, make([]byte, 15)...)
		for _, n := range []uint32{0, 0, 0, 0, 1, uint32(len(abbr))} {
			b = binary.BigEndian.AppendUint32(b, n)
		}
		// One type: the standard offset.
		b = binary.BigEndian.AppendUint32(b, uint32(int32(-tz.stdOff)))
		b = append(b, 0, 0)
		return append(b, abbr...)
	}
	out := header(4)
	out = append(out, header(8)...)
	return append(out, "\n"+footer+"\n"...)
}

func abbrevOr(name string, westSecs int) string {
	if name != "" {
		return name
	}
	east := -westSecs
	sign := "+"
	if east < 0 {
		sign, east = "-", -east
	}
	s := sign + twoDigits(east/3600)
	if east%3600 != 0 {
		s += twoDigits(east % 3600 / 60)
	}
	return s
}

func twoDigits(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

func formatPosixOffset(west int) string {
	sign := ""
	if west < 0 {
		sign, west = "-", -west
	}
	s := sign + strconv.Itoa(west/3600)
	if rem := west % 3600; rem != 0 {
		s += ":" + twoDigits(rem/60)
		if rem%60 != 0 {
			s += ":" + twoDigits(rem%60)
		}
	}
	return s
}

// OffsetZoneName is pg_tzset_offset's name for a fixed offset given in
// seconds east of Greenwich: "<+05:30>-05:30", "<-08>+08", "<+00>-00".
func OffsetZoneName(east int) string {
	abs := east
	if abs < 0 {
		abs = -abs
	}
	s := twoDigits(abs / 3600)
	if rem := abs % 3600; rem != 0 {
		s += ":" + twoDigits(rem/60)
		if rem%60 != 0 {
			s += ":" + twoDigits(rem%60)
		}
	}
	if east < 0 {
		return "<-" + s + ">+" + s
	}
	return "<+" + s + ">-" + s
}
