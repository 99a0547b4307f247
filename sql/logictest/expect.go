package logictest

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
)

// ErrorSpec says which errors a "statement error" or "query error" record
// accepts. The zero value accepts any error.
type ErrorSpec struct {
	Raw       string         // the text after "error", as written
	Codes     []string       // acceptable SQLSTATEs; empty means any
	Pattern   *regexp.Regexp // must match the message when non-nil
	Substring string         // must occur in the message when non-empty
}

// sqlstateList matches "42P01" or "22007|22008": SQLSTATEs are five
// characters of digits and upper-case letters.
var sqlstateList = regexp.MustCompile(`^[0-9A-Z]{5}(\|[0-9A-Z]{5})*$`)

func isSQLState(s string) bool {
	return sqlstateList.MatchString(s) && strings.ContainsAny(s, "0123456789")
}

// ParseErrorSpec parses the text after "error" in a record header:
//
//	(empty)                     any error
//	42P01 or 22007|22008        SQLSTATE(s)
//	SQLSTATE 42P01 [regexp]     SQLSTATE(s), then optionally a message regexp
//	pgcode 42P01 [regexp]       the same, CockroachDB spelling
//	<regexp>                    a regexp on the message; a leading "pq: "
//	                            (CockroachDB, lib/pq) is allowed
//
// A pattern that is not a valid regexp is matched as a substring.
func ParseErrorSpec(s string) (ErrorSpec, error) {
	s = strings.TrimSpace(s)
	spec := ErrorSpec{Raw: s}
	if s == "" {
		return spec, nil
	}
	f := strings.Fields(s)
	rest := s
	switch {
	case (strings.EqualFold(f[0], "SQLSTATE") || f[0] == "pgcode") && len(f) > 1:
		if !isSQLState(f[1]) {
			return spec, fmt.Errorf("bad SQLSTATE %q", f[1])
		}
		spec.Codes = strings.Split(f[1], "|")
		rest = afterWords(s, 2)
	case len(f) == 1 && isSQLState(f[0]):
		spec.Codes = strings.Split(f[0], "|")
		rest = ""
	}
	if rest == "" {
		return spec, nil
	}
	rest = strings.TrimPrefix(rest, "pq: ")
	re, err := regexp.Compile(rest)
	if err != nil {
		spec.Substring = rest
		return spec, nil
	}
	spec.Pattern = re
	return spec, nil
}

// Match reports whether err is an error the spec accepts.
func (s ErrorSpec) Match(err error) bool {
	if err == nil {
		return false
	}
	code, msg := errorParts(err)
	if len(s.Codes) > 0 {
		ok := false
		for _, c := range s.Codes {
			if c == code {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	if s.Pattern != nil && !s.Pattern.MatchString(msg) && !s.Pattern.MatchString("pq: "+msg) {
		return false
	}
	if s.Substring != "" && !strings.Contains(msg, s.Substring) && !strings.Contains(err.Error(), s.Substring) {
		return false
	}
	return true
}

// errorParts returns the SQLSTATE (empty when the error did not come from
// the server) and the message of err.
func errorParts(err error) (code, msg string) {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code, pgErr.Message
	}
	return "", err.Error()
}

// describeError renders err for a failure report: "ERROR 42P01: message".
func describeError(err error) string {
	if errors.Is(err, errTimeout) {
		return err.Error()
	}
	code, msg := errorParts(err)
	if code == "" {
		return "error: " + msg
	}
	return "ERROR " + code + ": " + msg
}
