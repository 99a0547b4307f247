package logictest

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// hashResult matches an expected result given as a hash.
var hashResult = regexp.MustCompile(`^(\d+) values hashing to ([0-9a-f]{32})$`)

// resultsMatch reports whether the query's actual values (formatted,
// row-major, already sorted by the record's sort mode) match the
// record's expected lines. The expectation may be written as
//
//   - "N values hashing to <md5>", compared whatever the hash threshold;
//   - one value per line (SQLite);
//   - one row per line with values separated by whitespace (CockroachDB,
//     sqllogictest-rs), compared with runs of whitespace collapsed.
func resultsMatch(rec *Record, vals []string, ncols int) bool {
	exp := rec.Expected
	if len(exp) == 1 {
		if m := hashResult.FindStringSubmatch(strings.TrimSpace(exp[0])); m != nil {
			n, _ := strconv.Atoi(m[1])
			return n == len(vals) && m[2] == HashValues(vals)
		}
	}
	if len(exp) == len(vals) {
		want := exp
		if rec.Sort != NoSort {
			want = slices.Clone(exp)
			SortValues(want, ncols, rec.Sort)
		}
		if slices.Equal(want, vals) {
			return true
		}
	}
	if ncols <= 0 || len(vals)%ncols != 0 || len(exp) != len(vals)/ncols {
		return false
	}
	return rowsMatch(rec, vals, ncols)
}

// rowsMatch compares one expected line per row, ignoring how much
// whitespace separates values.
func rowsMatch(rec *Record, vals []string, ncols int) bool {
	if rec.Sort == ValueSort {
		var want, got []string
		for _, line := range rec.Expected {
			want = append(want, strings.Fields(line)...)
		}
		for _, v := range vals {
			got = append(got, strings.Fields(v)...)
		}
		slices.Sort(want)
		slices.Sort(got)
		return slices.Equal(want, got)
	}
	want := make([]string, len(rec.Expected))
	for i, line := range rec.Expected {
		want[i] = strings.Join(strings.Fields(line), " ")
	}
	got := make([]string, 0, len(want))
	for i := 0; i < len(vals); i += ncols {
		got = append(got, strings.Join(strings.Fields(strings.Join(vals[i:i+ncols], " ")), " "))
	}
	if rec.Sort == RowSort {
		slices.Sort(want)
		slices.Sort(got)
	}
	return slices.Equal(want, got)
}

// gotText renders actual values for a failure report in the form the
// expectation used: a hash line when the file gave a hash or the values
// exceed the hash threshold, else one value per line.
func gotText(rec *Record, vals []string, threshold int) string {
	if (len(rec.Expected) == 1 && hashResult.MatchString(strings.TrimSpace(rec.Expected[0]))) ||
		(threshold > 0 && len(vals) > threshold) {
		return HashLine(vals)
	}
	return strings.Join(vals, "\n")
}
