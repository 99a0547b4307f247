package pgregress

import (
	"regexp"
	"slices"
	"strings"
)

// Kind is how a unit's output on quorumdb differs from PostgreSQL's.
type Kind int

const (
	// Unsupported: PostgreSQL succeeded and quorumdb said it does not
	// support the feature (0A000), lacks a function, type or object
	// (42883, 42704) or cannot parse the statement (42601).
	Unsupported Kind = iota
	// WrongResult: both succeeded with different output (rows, command
	// tags).
	WrongResult
	// RowOrder: both succeeded with the same lines in another order:
	// rows of a query whose order SQL leaves open (no ORDER BY), which
	// pg_regress's expected files, and so this measure, fix as
	// PostgreSQL returns them.
	RowOrder
	// NoticesOnly: both succeeded, the same output but for notices and
	// warnings.
	NoticesOnly
	// WrongSQLSTATE: both failed, with different SQLSTATEs.
	WrongSQLSTATE
	// MessageText: both failed with the same SQLSTATEs (or one not
	// printed: \set VERBOSITY terse); the messages (or what else was
	// printed) differ.
	MessageText
	// Crash: quorumdb's connection was lost (a crash, or the server
	// closed it).
	Crash
	// OtherError: PostgreSQL succeeded, quorumdb failed otherwise.
	OtherError
	// NoError: PostgreSQL failed and quorumdb did not.
	NoError
	// NotRun: psql stopped before the unit on quorumdb (after a lost
	// connection or the file's timeout).
	NotRun
	numKinds
)

var kindNames = [numKinds]string{
	Unsupported:   "unsupported feature (0A000, 42883, 42704, 42601 where PostgreSQL succeeded)",
	WrongResult:   "wrong result (both succeeded, different output)",
	RowOrder:      "row order only (both succeeded, the same lines in another order)",
	NoticesOnly:   "notices or warnings only (both succeeded)",
	WrongSQLSTATE: "wrong SQLSTATE (both failed, different codes)",
	MessageText:   "message text only (both failed, same SQLSTATE)",
	Crash:         "crash or lost connection",
	OtherError:    "other error where PostgreSQL succeeded",
	NoError:       "no error where PostgreSQL failed",
	NotRun:        "not run on quorumdb (psql stopped before: lost connection, timeout)",
}

func (k Kind) String() string { return kindNames[k] }

var (
	// errorLine is a server error with VERBOSITY verbose's SQLSTATE;
	// the code is missing when a script sets a terser verbosity.
	errorLine = regexp.MustCompile(`^(ERROR|FATAL|PANIC):  (?:([0-9A-Z]{5}): )?`)
	// noticeLine starts a notice or warning; its DETAIL, HINT and
	// CONTEXT lines follow it.
	noticeLine = regexp.MustCompile(`^(NOTICE|WARNING|INFO|DEBUG|LOG):  `)
	detailLine = regexp.MustCompile(`^(DETAIL|HINT|CONTEXT|QUERY):  `)
)

// lostConnection are libpq's and psql's words for a connection the
// server dropped.
var lostConnection = []string{
	"server closed the connection unexpectedly",
	"connection to server was lost",
	"no connection to the server",
	"could not receive data from server",
	"terminating connection",
}

// outcome is what a unit's output says happened.
type outcome struct {
	codes []string // SQLSTATEs of the errors, in order ("?????" when not printed)
	lost  bool
}

func parseOutcome(lines []string) outcome {
	var o outcome
	for _, l := range lines {
		if m := errorLine.FindStringSubmatch(l); m != nil {
			code := m[2]
			switch {
			case code != "":
			case strings.Contains(l, " is not supported"):
				// \set VERBOSITY terse hides the code;
				// quorumdb's unsupported-feature errors say
				// so in words.
				code = "0A000"
			default:
				code = "?????"
			}
			o.codes = append(o.codes, code)
		}
		for _, s := range lostConnection {
			if strings.Contains(l, s) {
				o.lost = true
			}
		}
	}
	return o
}

// withoutNotices drops notices and warnings with their detail lines.
func withoutNotices(lines []string) []string {
	var out []string
	inNotice := false
	for _, l := range lines {
		switch {
		case noticeLine.MatchString(l):
			inNotice = true
			continue
		case inNotice && detailLine.MatchString(l):
			continue
		}
		inNotice = false
		out = append(out, l)
	}
	return out
}

// Compare says whether a unit's outputs on PostgreSQL and quorumdb are
// identical and, if not, how they differ. qRan is false when psql never
// reached the unit on quorumdb.
func Compare(pg, q []string, qRan bool) (identical bool, kind Kind) {
	if !qRan {
		return false, NotRun
	}
	if equal(pg, q) {
		return true, 0
	}
	po, qo := parseOutcome(pg), parseOutcome(q)
	switch {
	case qo.lost && !po.lost:
		return false, Crash
	case len(po.codes) == 0 && len(qo.codes) == 0:
		if equal(withoutNotices(pg), withoutNotices(q)) {
			return false, NoticesOnly
		}
		if equal(sorted(pg), sorted(q)) {
			return false, RowOrder
		}
		return false, WrongResult
	case len(po.codes) == 0:
		for _, c := range qo.codes {
			switch c {
			case "0A000", "42883", "42704", "42601":
				return false, Unsupported
			}
		}
		return false, OtherError
	case len(qo.codes) == 0:
		return false, NoError
	case sameCodes(po.codes, qo.codes):
		return false, MessageText
	default:
		return false, WrongSQLSTATE
	}
}

// sameCodes compares two units' SQLSTATEs; an unknown one (a terse
// error) matches any, as the difference cannot be told.
func sameCodes(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] && a[i] != "?????" && b[i] != "?????" {
			return false
		}
	}
	return true
}

func sorted(lines []string) []string {
	s := slices.Clone(lines)
	slices.Sort(s)
	return s
}

// pgSucceeded is true when PostgreSQL's output of a unit has no error.
func pgSucceeded(pg []string) bool {
	return len(parseOutcome(pg).codes) == 0
}
