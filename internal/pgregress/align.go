package pgregress

import (
	"regexp"
	"strings"
)

var (
	// psqlPrefix is psql's "psql:FILE:LINE: " before messages read
	// from a script.
	psqlPrefix = regexp.MustCompile(`^psql:[^ ]*?:[0-9]+: `)
	// locationLine is VERBOSITY verbose's source location of a
	// message: PostgreSQL's C function, file and line.
	locationLine = regexp.MustCompile(`^LOCATION:  `)
)

// Normalize splits psql's output into lines, without what legitimately
// differs between the servers: psql's prefix of messages and the
// LOCATION lines of verbose messages.
func Normalize(out string) []string {
	raw := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	lines := raw[:0]
	for _, l := range raw {
		if locationLine.MatchString(l) {
			continue
		}
		lines = append(lines, psqlPrefix.ReplaceAllString(l, ""))
	}
	return lines
}

// Aligned is a script's output cut at its units.
type Aligned struct {
	// Outputs holds each unit's output: the lines between its echo
	// and the next unit's, without leading and trailing empty lines.
	Outputs [][]string
	// Ran is true for the units whose echo was found: psql read them.
	Ran []bool
}

// Align cuts psql's output (Normalize's lines) of a script run with -a
// at the script's units. psql echoes every line before running what
// ends on it, so each unit's output lies between its echo and the next
// unit's, and the echoes, identical on both servers, align the two
// outputs. A unit's echo is looked for from where the last one ended,
// the first match taken: a unit's output would have to hold all the
// next unit's lines to be cut short. A unit whose echo is not found
// (psql stopped early: a lost connection, a timeout) did not run; its
// output, if any, stays with the unit before.
func Align(sc Script, out []string) Aligned {
	a := Aligned{Outputs: make([][]string, len(sc.Units)), Ran: make([]bool, len(sc.Units))}
	pos, last := 0, -1
	for i, u := range sc.Units {
		q := find(out, pos, u.Echo)
		if q < 0 {
			continue
		}
		if last >= 0 {
			a.Outputs[last] = trim(out[pos:q])
		}
		a.Ran[i] = true
		last = i
		pos = q + len(u.Echo)
	}
	if last >= 0 {
		rest := out[pos:]
		if t := len(sc.Tail); t > 0 && len(rest) >= t && equal(rest[len(rest)-t:], sc.Tail) {
			rest = rest[:len(rest)-t]
		}
		a.Outputs[last] = trim(rest)
	}
	return a
}

// find returns the first index at or after from where want's lines
// stand in lines, or -1.
func find(lines []string, from int, want []string) int {
	for q := from; q+len(want) <= len(lines); q++ {
		if equal(lines[q:q+len(want)], want) {
			return q
		}
	}
	return -1
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// trim drops leading and trailing empty lines: psql ends a result with
// one, and whether it belongs to this unit or stands before the next
// unit's echo cannot always be told.
func trim(lines []string) []string {
	for len(lines) > 0 && strings.TrimSpace(lines[0]) == "" {
		lines = lines[1:]
	}
	for len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1]) == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}
