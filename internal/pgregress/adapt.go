package pgregress

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

var (
	// \set filename :abs_srcdir '/data/onek.data'
	setFilename = regexp.MustCompile(`^\\set\s+filename\s+:abs_srcdir\s+'([^']*)'\s*$`)
	// COPY onek FROM :'filename';
	copyFromFile = regexp.MustCompile(`(?i)^(\s*)copy\s+(.+?)\s+from\s+:'filename'\s*(.*?);\s*$`)
	// The start of a CREATE FUNCTION, whose LANGUAGE C body needs
	// regress.so.
	createFunction = regexp.MustCompile(`(?i)^\s*create\s+(or\s+replace\s+)?function\b`)
	languageC      = regexp.MustCompile(`(?i)\blanguage\s+c\b|:'regresslib'`)
)

// Preamble is what the adapted scripts start with, on both sides:
// verbose errors (their SQLSTATE) and a statement timeout, so that a
// statement quorumdb never finishes does not stop the run. Its units
// are not counted.
func Preamble(statementTimeout time.Duration) string {
	// Two lines: PreambleLines.
	return fmt.Sprintf("\\set VERBOSITY verbose\nSET statement_timeout = '%dms';\n", statementTimeout.Milliseconds())
}

// PreambleLines is the number of lines Preamble puts before a file.
const PreambleLines = 2

// Adapt applies the suite's adaptations to a script, identically for
// both servers (see the suite's README): \getenv lines are dropped (the
// paths they read come from pg_regress); COPY ... FROM :'filename' of a
// server-side file becomes psql's \copy of the file under dataDir (the
// servers do not read the client's files); the CREATE FUNCTIONs in C
// (regress.so) and the \set of their library's path are left out. It
// returns the adapted script, preamble first.
func Adapt(src, dataDir, preamble string) string {
	var out strings.Builder
	out.WriteString(preamble)
	lines := strings.Split(src, "\n")
	filename := ""
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		switch {
		case strings.HasPrefix(line, `\getenv`), strings.HasPrefix(line, `\set regresslib`):
			line = ""
		case setFilename.MatchString(line):
			rel := setFilename.FindStringSubmatch(line)[1]
			filename = filepath.Join(dataDir, filepath.Base(rel))
		case copyFromFile.MatchString(line) && filename != "":
			m := copyFromFile.FindStringSubmatch(line)
			line = fmt.Sprintf("%s\\copy %s FROM '%s'", m[1], m[2], filename)
			if m[3] != "" {
				line += " " + m[3]
			}
		case createFunction.MatchString(line):
			// The whole statement, to its semicolon at the end of
			// a line; it is dropped if it is in C.
			j := i
			for j < len(lines)-1 && !strings.HasSuffix(strings.TrimSpace(lines[j]), ";") {
				j++
			}
			stmt := strings.Join(lines[i:j+1], "\n")
			if languageC.MatchString(stmt) {
				// Empty lines keep the file's line numbers
				// (psql neither echoes nor runs them).
				out.WriteString(strings.Repeat("\n", j-i))
				i = j
				line = ""
			}
		}
		out.WriteString(line)
		if i < len(lines)-1 {
			out.WriteByte('\n')
		}
	}
	return out.String()
}
