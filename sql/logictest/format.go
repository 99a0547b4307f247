package logictest

import (
	"crypto/md5"
	"encoding/hex"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// boolOID is PostgreSQL's type OID for boolean. The server sends booleans
// as "t"/"f"; they print as 1/0 in I and R columns and true/false
// elsewhere.
const boolOID = 16

// FormatValue renders one result value the way sqllogictest writes it.
// v is the value in the PostgreSQL text format (nil for NULL) and oid its
// type OID. typ is the column's letter in the query's type string:
//
//	NULL        "NULL" in every column
//	I           an integer: numbers are truncated toward zero, booleans
//	            are 1/0; other text takes its leading number, else 0
//	R           a number printed like printf("%.3f")
//	T, others   the text; an empty string is "(empty)", control
//	            characters and invalid UTF-8 print as '@'
func FormatValue(typ byte, v []byte, oid uint32) string {
	if v == nil {
		return "NULL"
	}
	s := string(v)
	if oid == boolOID {
		switch s {
		case "t":
			s = "true"
		case "f":
			s = "false"
		}
		if typ == 'I' || typ == 'R' {
			if s == "true" {
				s = "1"
			} else {
				s = "0"
			}
		}
	}
	switch typ {
	case 'I':
		return formatInt(s)
	case 'R':
		return formatReal(s)
	}
	return formatText(s)
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// formatInt renders s as an integer, truncating any fraction.
func formatInt(s string) string {
	neg := false
	t := s
	if t != "" && (t[0] == '-' || t[0] == '+') {
		neg, t = t[0] == '-', t[1:]
	}
	// Plain decimals (integers, numeric): keep the integer part exactly.
	intPart, frac, _ := strings.Cut(t, ".")
	plain := (intPart == "" || isDigits(intPart)) && (frac == "" || isDigits(frac)) && intPart+frac != ""
	if plain {
		intPart = strings.TrimLeft(intPart, "0")
		if intPart == "" {
			return "0"
		}
		if neg {
			return "-" + intPart
		}
		return intPart
	}
	f, ok := leadingFloat(s)
	if !ok {
		return "0"
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return s
	}
	f = math.Trunc(f)
	if math.Abs(f) < 1<<62 {
		return strconv.FormatInt(int64(f), 10)
	}
	return strconv.FormatFloat(f, 'f', 0, 64)
}

// formatReal renders s like printf("%.3f").
func formatReal(s string) string {
	f, ok := leadingFloat(s)
	if !ok {
		return "0.000"
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return s
	}
	return strconv.FormatFloat(f, 'f', 3, 64)
}

// leadingFloat parses s as a float; failing that, it takes the longest
// numeric prefix, as SQLite does when it converts text to a number.
func leadingFloat(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		return f, true
	} else if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
		return f, true
	}
	end := 0
	for end < len(s) && strings.IndexByte("+-0123456789.eE", s[end]) >= 0 {
		end++
	}
	for ; end > 0; end-- {
		if f, err := strconv.ParseFloat(s[:end], 64); err == nil {
			return f, true
		}
	}
	return 0, false
}

// formatText renders s as a T value.
func formatText(s string) string {
	if s == "" {
		return "(empty)"
	}
	clean := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == 0x7f || c >= utf8.RuneSelf {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r < 0x20 || (r >= 0x7f && r < 0xa0) || (r == utf8.RuneError && size == 1) {
			b.WriteByte('@')
		} else {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// SortValues orders vals (row-major, ncols values per row) in place by
// mode. Rows compare value by value as byte strings, as in SQLite's
// runner.
func SortValues(vals []string, ncols int, mode SortMode) {
	switch mode {
	case ValueSort:
		slices.Sort(vals)
	case RowSort:
		if ncols <= 0 || len(vals)%ncols != 0 {
			return
		}
		rows := make([][]string, len(vals)/ncols)
		for i := range rows {
			rows[i] = vals[i*ncols : (i+1)*ncols : (i+1)*ncols]
		}
		slices.SortStableFunc(rows, slices.Compare[[]string])
		sorted := make([]string, 0, len(vals))
		for _, r := range rows {
			sorted = append(sorted, r...)
		}
		copy(vals, sorted)
	}
}

// HashValues returns the MD5 (lower-case hex) of every value followed by
// "\n".
func HashValues(vals []string) string {
	h := md5.New()
	for _, v := range vals {
		h.Write([]byte(v))
		h.Write([]byte{'\n'})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// HashLine returns "N values hashing to <md5>", the form a result takes
// when it has more values than the hash threshold.
func HashLine(vals []string) string {
	return strconv.Itoa(len(vals)) + " values hashing to " + HashValues(vals)
}
