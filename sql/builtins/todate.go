package builtins

import (
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// to_date(text, fmt) and to_timestamp(text, fmt): the input is read
// along the template (tochar_template.go). Outside FX mode blanks before
// fields are skipped, a template separator matches any one separator in
// the input (or none), numeric fields followed by a separator read every
// digit, others read their width, and text after the template is
// ignored, as in PostgreSQL.

// dateParts collects what the input set.
type dateParts struct {
	year, month, day     int
	hasYear, hasMonth    bool
	hasDay               bool
	yearDigits           int
	century              int
	bc                   bool
	dayOfYear            int
	julian               int
	hour, min, sec, usec int
	meridiem             int // 0 none, 1 AM, 2 PM
	hour12               bool
	tzOffset             int // seconds east of UTC
	hasTZ                bool
	input                string // for error messages
}

// numericFieldWidth is how many digits a numeric field reads when the
// next template node is another field (0: not numeric).
func numericFieldWidth(kw dtKeyword) int {
	switch kw {
	case kwYYYY, kwIYYY, kwYCommaYYY:
		return 4
	case kwYYY, kwIYY, kwDDD, kwIDDD, kwMS:
		return 3
	case kwYY, kwIY, kwMM, kwDD, kwHH24, kwHH12, kwMI, kwSS, kwCC, kwWW, kwIW, kwTZH, kwTZM:
		return 2
	case kwY, kwI, kwD, kwID, kwQ, kwW:
		return 1
	case kwUS:
		return 6
	case kwFF1, kwFF2, kwFF3, kwFF4, kwFF5, kwFF6:
		return int(kw-kwFF1) + 1
	case kwSSSS:
		return 5
	case kwJ:
		return 10
	}
	return 0
}

func isSeparator(r rune) bool {
	return !unicode.IsLetter(r) && !unicode.IsDigit(r)
}

func parseDateInput(s, tmpl string) (*dateParts, error) {
	nodes := parseDateTemplate(tmpl)
	p := &dateParts{input: s}
	in := []rune(s)
	pos := 0
	skipBlanks := func() {
		for pos < len(in) && unicode.IsSpace(in[pos]) {
			pos++
		}
	}
	for i, n := range nodes {
		if n.kw == kwNone {
			lit := []rune(n.literal)
			switch {
			case n.quoted:
				pos = min(pos+len(lit), len(in))
			case len(lit) == 1 && unicode.IsSpace(lit[0]):
				// A blank matches any run of blanks, or one separator.
				before := pos
				switch {
				case n.fx:
					pos = min(pos+1, len(in))
				default:
					skipBlanks()
					if pos == before && pos < len(in) && isSeparator(in[pos]) {
						pos++
					}
				}
			case len(lit) == 1 && isSeparator(lit[0]):
				if !n.fx {
					skipBlanks()
				}
				if pos < len(in) && isSeparator(in[pos]) {
					pos++
				}
			default:
				pos = min(pos+len(lit), len(in))
			}
			continue
		}
		if !n.fx {
			skipBlanks()
		}
		if pos >= len(in) {
			return p, nil // fields the input does not reach keep their defaults
		}
		if width := numericFieldWidth(n.kw); width > 0 {
			greedy := i+1 == len(nodes) || nodes[i+1].kw == kwNone || numericFieldWidth(nodes[i+1].kw) == 0
			v, read, err := readDateInt(in, &pos, width, greedy, n)
			if err != nil {
				return nil, err
			}
			if err := p.setNumeric(n.kw, v, read); err != nil {
				return nil, err
			}
			continue
		}
		if err := p.readText(in, &pos, n); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// readDateInt reads a numeric field: up to width digits, or all of them
// when greedy; TZH also takes a sign.
func readDateInt(in []rune, pos *int, width int, greedy bool, n dtNode) (int, int, error) {
	start := *pos
	neg := false
	if (n.kw == kwTZH || n.kw == kwYYYY || n.kw == kwJ) && *pos < len(in) && (in[*pos] == '-' || in[*pos] == '+') {
		neg = in[*pos] == '-'
		*pos++
	}
	digitsStart := *pos
	for *pos < len(in) && in[*pos] >= '0' && in[*pos] <= '9' && (greedy || *pos-digitsStart < width) {
		*pos++
	}
	read := *pos - digitsStart
	if read == 0 {
		end := min(start+width, len(in))
		return 0, 0, newErr(pgerror.InvalidDatetimeFormat, "invalid value \"%s\" for \"%s\"", string(in[start:end]), n.pattern).(*pgerror.Error).
			WithDetail("Value must be an integer.")
	}
	v, err := strconv.Atoi(string(in[digitsStart:*pos]))
	if err != nil {
		return 0, 0, newErr(pgerror.DatetimeFieldOverflow, "value for \"%s\" in source string is out of range", n.pattern)
	}
	if neg {
		v = -v
	}
	return v, read, nil
}

// adjustYearTo2020 completes a year given with fewer than four digits
// to the one nearest 2020.
func adjustYearTo2020(y int) int {
	switch {
	case y < 70:
		return y + 2000
	case y < 100:
		return y + 1900
	case y < 520:
		return y + 2000
	case y < 1000:
		return y + 1000
	}
	return y
}

func (p *dateParts) setNumeric(kw dtKeyword, v, digits int) error {
	switch kw {
	case kwYYYY, kwYCommaYYY, kwIYYY:
		p.year, p.hasYear, p.yearDigits = v, true, 4
	case kwYYY, kwYY, kwY, kwIYY, kwIY, kwI:
		if digits < 4 {
			v = adjustYearTo2020(v)
		}
		p.year, p.hasYear, p.yearDigits = v, true, digits
	case kwMM:
		p.month, p.hasMonth = v, true
	case kwDD:
		p.day, p.hasDay = v, true
	case kwDDD, kwIDDD:
		p.dayOfYear = v
	case kwJ:
		p.julian = v
	case kwCC:
		p.century = v
	case kwHH24:
		p.hour = v
	case kwHH12:
		p.hour, p.hour12 = v, true
	case kwMI:
		p.min = v
	case kwSS:
		p.sec = v
	case kwSSSS:
		p.hour, p.min, p.sec = v/3600, v%3600/60, v%60
	case kwMS:
		p.usec = v * 1000
	case kwUS:
		p.usec = v
	case kwFF1, kwFF2, kwFF3, kwFF4, kwFF5, kwFF6:
		for d := digits; d < 6; d++ {
			v *= 10
		}
		p.usec = v
	case kwTZH:
		p.hasTZ = true
		sign := 1
		if v < 0 || p.tzOffset < 0 {
			sign = -1
		}
		p.tzOffset = sign * (abs(v)*3600 + abs(p.tzOffset)%3600)
	case kwTZM:
		p.hasTZ = true
		if p.tzOffset < 0 {
			p.tzOffset -= v * 60
		} else {
			p.tzOffset += v * 60
		}
	}
	// D, ID, W, WW, IW and Q are read and ignored, as PostgreSQL does
	// when they do not determine the date.
	return nil
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// readText reads a name field: month and day names, AM/PM, AD/BC, RM.
func (p *dateParts) readText(in []rune, pos *int, n dtNode) error {
	rest := string(in[*pos:])
	match := func(cands []string) int {
		for i, c := range cands {
			if len(rest) >= len(c) && strings.EqualFold(rest[:len(c)], c) {
				*pos += len([]rune(c))
				return i
			}
		}
		return -1
	}
	bad := func() error {
		word := rest
		if i := strings.IndexFunc(word, func(r rune) bool { return !unicode.IsLetter(r) && r != '.' }); i >= 0 {
			word = word[:i]
		}
		return newErr(pgerror.InvalidDatetimeFormat, "invalid value \"%s\" for \"%s\"", word, n.pattern).(*pgerror.Error).
			WithDetail("The given value did not match any of the allowed values for this field.")
	}
	switch n.kw {
	case kwMONTH, kwMON:
		names := monthNames
		if n.kw == kwMON {
			names = make([]string, 12)
			for i, m := range monthNames {
				names[i] = m[:3]
			}
		}
		i := match(names)
		if i < 0 {
			return bad()
		}
		p.month, p.hasMonth = i+1, true
	case kwDAY, kwDY:
		names := dayNames
		if n.kw == kwDY {
			names = make([]string, 7)
			for i, d := range dayNames {
				names[i] = d[:3]
			}
		}
		if match(names) < 0 {
			return bad()
		}
	case kwAM, kwAMDots:
		cands := []string{"AM", "PM"}
		if n.kw == kwAMDots {
			cands = []string{"A.M.", "P.M."}
		}
		i := match(cands)
		if i < 0 {
			return bad()
		}
		p.meridiem = i + 1
	case kwAD, kwADDots:
		cands := []string{"AD", "BC"}
		if n.kw == kwADDots {
			cands = []string{"A.D.", "B.C."}
		}
		i := match(cands)
		if i < 0 {
			return bad()
		}
		p.bc = i == 1
	case kwRM:
		// Longest numerals first so VIII is not read as V.
		order := []int{8, 7, 11, 6, 3, 10, 2, 1, 9, 5, 4, 0}
		cands := make([]string, len(order))
		for i, m := range order {
			cands[i] = romanMonths[m]
		}
		i := match(cands)
		if i < 0 {
			return bad()
		}
		p.month, p.hasMonth = order[i]+1, true
	case kwTZ, kwOF:
		return newErr(pgerror.FeatureNotSupported, "formatting field \"%s\" is only supported in to_char", n.pattern)
	}
	return nil
}

// date resolves the parts into a calendar date.
func (p *dateParts) date() (time.Time, error) {
	if p.julian != 0 {
		return time.Date(-4713, time.November, 24, 0, 0, 0, 0, time.UTC).AddDate(0, 0, p.julian), nil
	}
	year := 0 // PostgreSQL's default year is 1 BC
	switch {
	case p.hasYear && p.century != 0 && p.yearDigits <= 2:
		year = (p.century-1)*100 + p.year%100
	case p.hasYear:
		year = p.year
	case p.century != 0:
		year = (p.century-1)*100 + 1
	}
	if p.bc {
		if year <= 0 {
			return time.Time{}, newErr(pgerror.InvalidDatetimeFormat, "inconsistent use of year %d and \"BC\"", year)
		}
		year = 1 - year
	}
	month, day := 1, 1
	if p.hasMonth {
		month = p.month
	}
	if p.hasDay {
		day = p.day
	}
	if p.dayOfYear != 0 && !p.hasMonth && !p.hasDay {
		return time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, p.dayOfYear-1), nil
	}
	if month < 1 || month > 12 || day < 1 || day > daysIn(year, time.Month(month)) {
		return time.Time{}, newErr(pgerror.DatetimeFieldOverflow, "date/time field value out of range: \"%s\"", p.input)
	}
	return time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC), nil
}

// clock resolves the time of day.
func (p *dateParts) clock() (time.Duration, error) {
	h := p.hour
	if p.hour12 || p.meridiem != 0 {
		if h < 1 || h > 12 {
			return 0, newErr(pgerror.InvalidDatetimeFormat, "hour \"%d\" is invalid for the 12-hour clock", h).(*pgerror.Error).
				WithHint("Use the 24-hour clock, or give an hour between 1 and 12.")
		}
		if p.meridiem == 2 && h < 12 {
			h += 12
		} else if p.meridiem != 2 && h == 12 {
			h = 0
		}
	}
	if h > 24 || p.min > 59 || p.sec > 60 || (h == 24 && (p.min > 0 || p.sec > 0 || p.usec > 0)) {
		return 0, newErr(pgerror.DatetimeFieldOverflow, "date/time field value out of range: \"%s\"", p.input)
	}
	return time.Duration(h)*time.Hour + time.Duration(p.min)*time.Minute + time.Duration(p.sec)*time.Second +
		time.Duration(p.usec)*time.Microsecond, nil
}

func registerToDate() {
	T := types.Text
	register("to_date", ov(types.Date, func(_ *Context, a []types.Datum) (types.Datum, error) {
		p, err := parseDateInput(a[0].(string), a[1].(string))
		if err != nil {
			return nil, err
		}
		d, err := p.date()
		if err != nil {
			return nil, err
		}
		if !types.FiniteDateInRange(d) {
			return nil, newErr(pgerror.DatetimeFieldOverflow, "date out of range: \"%s\"", a[0].(string))
		}
		return d, nil
	}, T, T))
	register("to_timestamp", ov(types.TimestampTZ, func(c *Context, a []types.Datum) (types.Datum, error) {
		p, err := parseDateInput(a[0].(string), a[1].(string))
		if err != nil {
			return nil, err
		}
		d, err := p.date()
		if err != nil {
			return nil, err
		}
		clock, err := p.clock()
		if err != nil {
			return nil, err
		}
		loc := c.location()
		if p.hasTZ {
			loc = time.FixedZone("", p.tzOffset)
		}
		w := d.Add(clock)
		t := time.Date(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), w.Nanosecond(), loc)
		return checkTimestamp(t.UTC())
	}, T, T))
}
