package pgregress

import (
	"fmt"
	"strings"
)

// Diff is one unit whose output differs.
type Diff struct {
	File string
	// Line is the line of the file on which the unit's last statement
	// ends.
	Line       int
	Text       string
	Kind       Kind
	Statements int
	PG, Q      []string
}

// FileResult is one file's comparison.
type FileResult struct {
	Name string
	// Counted is false for test_setup when it ran only to set up the
	// database (it was not chosen).
	Counted bool
	// Statements and Identical count SQL statements (and server-side
	// backslash commands) other than EXPLAIN; PGOK and PGOKIdentical
	// the same among those PostgreSQL ran without error.
	Statements, Identical     int
	PGOK, PGOKIdentical       int
	Explain, ExplainIdentical int
	// PGNotRun counts statements psql never reached on PostgreSQL
	// (PostgreSQL's own timeout or crash); they are not counted.
	PGNotRun int
	// Notes says what happened to the run: quorumdb restarted after a
	// lost connection, a timeout.
	Notes []string
	Diffs []Diff
}

// Score compares a file's aligned outputs unit by unit. The preamble's
// units are not counted, nor psql-only backslash commands.
func Score(name string, sc Script, pg, q Aligned) FileResult {
	r := FileResult{Name: name, Counted: true}
	for i, u := range sc.Units {
		if u.Local || u.Last <= PreambleLines {
			continue
		}
		n := u.Statements
		if !pg.Ran[i] {
			r.PGNotRun += n
			continue
		}
		identical, kind := Compare(pg.Outputs[i], q.Outputs[i], q.Ran[i])
		if u.Explain {
			r.Explain += n
			if identical {
				r.ExplainIdentical += n
			}
			continue
		}
		ok := pgSucceeded(pg.Outputs[i])
		r.Statements += n
		if ok {
			r.PGOK += n
		}
		if identical {
			r.Identical += n
			if ok {
				r.PGOKIdentical += n
			}
			continue
		}
		r.Diffs = append(r.Diffs, Diff{File: name, Line: u.Last - PreambleLines, Text: statementText(u.Text), Kind: kind,
			Statements: n, PG: pg.Outputs[i], Q: q.Outputs[i]})
	}
	if r.PGNotRun > 0 {
		// PostgreSQL ran the whole file: an echo not found there
		// is a unit the splitter got wrong.
		r.Notes = append(r.Notes, fmt.Sprintf("%d statements not found in PostgreSQL's output", r.PGNotRun))
	}
	return r
}

// statementText is a unit's text without its leading comment lines.
func statementText(s string) string {
	return strings.TrimSpace(stripComments(s))
}

// Totals sums the counted files.
func Totals(files []FileResult) FileResult {
	t := FileResult{Name: "total", Counted: true}
	for _, f := range files {
		if !f.Counted {
			continue
		}
		t.Statements += f.Statements
		t.Identical += f.Identical
		t.PGOK += f.PGOK
		t.PGOKIdentical += f.PGOKIdentical
		t.Explain += f.Explain
		t.ExplainIdentical += f.ExplainIdentical
		t.PGNotRun += f.PGNotRun
		t.Diffs = append(t.Diffs, f.Diffs...)
	}
	return t
}
