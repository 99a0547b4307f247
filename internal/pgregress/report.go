package pgregress

import (
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"
)

// WriteReport writes the comparison as Markdown: the per-file table
// with totals, then the differences by kind, with counts and up to
// examples of each.
func (res *Result) WriteReport(w io.Writer, examples int) {
	fmt.Fprintf(w, "| file | statements | identical | %% | PostgreSQL without error | of those identical | %% | EXPLAIN (identical) | notes |\n")
	fmt.Fprintf(w, "|---|---|---|---|---|---|---|---|---|\n")
	for _, f := range res.Files {
		if f.Counted {
			writeRow(w, f)
		}
	}
	total := Totals(res.Files)
	writeRow(w, total)
	fmt.Fprintf(w, "\n%d statements, %d identical (%s); PostgreSQL ran %d without error, %d of them identical (%s); EXPLAIN %d, %d identical; quorumdb restarted %d times.\n",
		total.Statements, total.Identical, Percent(total.Identical, total.Statements),
		total.PGOK, total.PGOKIdentical, Percent(total.PGOKIdentical, total.PGOK),
		total.Explain, total.ExplainIdentical, res.Restarts)
	if total.PGNotRun > 0 {
		fmt.Fprintf(w, "%d statements were not reached on PostgreSQL and are not counted.\n", total.PGNotRun)
	}

	byKind := map[Kind][]Diff{}
	stmts := map[Kind]int{}
	for _, d := range total.Diffs {
		byKind[d.Kind] = append(byKind[d.Kind], d)
		stmts[d.Kind] += d.Statements
	}
	var kinds []Kind
	for k := range byKind {
		kinds = append(kinds, k)
	}
	sort.Slice(kinds, func(i, j int) bool {
		if stmts[kinds[i]] != stmts[kinds[j]] {
			return stmts[kinds[i]] > stmts[kinds[j]]
		}
		return kinds[i] < kinds[j]
	})
	fmt.Fprintf(w, "\n## Differences by kind\n\n| kind | statements | units |\n|---|---|---|\n")
	for _, k := range kinds {
		fmt.Fprintf(w, "| %s | %d | %d |\n", k, stmts[k], len(byKind[k]))
	}
	if examples <= 0 {
		return
	}
	for _, k := range kinds {
		fmt.Fprintf(w, "\n### %s: %d statements\n", k, stmts[k])
		if top := topErrors(byKind[k], 10); len(top) > 0 {
			fmt.Fprintf(w, "\nquorumdb's most frequent errors here (names in quotes elided):\n\n")
			for _, e := range top {
				fmt.Fprintf(w, "- %d × `%s`\n", e.n, e.msg)
			}
		}
		for _, d := range pickExamples(byKind[k], examples) {
			fmt.Fprintf(w, "\n%s.sql:%d\n\n```sql\n%s\n```\n\nPostgreSQL:\n\n```\n%s\n```\n\nquorumdb:\n\n```\n%s\n```\n",
				d.File, d.Line, clip(strings.Split(d.Text, "\n"), 6), clip(d.PG, 8), clip(d.Q, 8))
		}
	}
}

// quoted is a quoted name or value in a message, elided so that alike
// errors count together.
var quoted = regexp.MustCompile(`"[^"]*"`)

type errorCount struct {
	msg string
	n   int
}

// topErrors counts quorumdb's first error line of each difference,
// names elided, and returns the n most frequent.
func topErrors(ds []Diff, n int) []errorCount {
	counts := map[string]int{}
	for _, d := range ds {
		for _, l := range d.Q {
			if errorLine.MatchString(l) {
				counts[quoted.ReplaceAllString(l, `"…"`)]++
				break
			}
		}
	}
	var out []errorCount
	for msg, c := range counts {
		out = append(out, errorCount{msg, c})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].n != out[j].n {
			return out[i].n > out[j].n
		}
		return out[i].msg < out[j].msg
	})
	if len(out) > n {
		out = out[:n]
	}
	return out
}

func writeRow(w io.Writer, f FileResult) {
	fmt.Fprintf(w, "| %s | %d | %d | %s | %d | %d | %s | %d (%d) | %s |\n", f.Name, f.Statements, f.Identical,
		strings.TrimSuffix(Percent(f.Identical, f.Statements), "%"), f.PGOK, f.PGOKIdentical,
		strings.TrimSuffix(Percent(f.PGOKIdentical, f.PGOK), "%"), f.Explain, f.ExplainIdentical, strings.Join(f.Notes, "; "))
}

// pickExamples takes up to n differences, spread over the files: the
// first of each file in turn, so that one file's many alike failures
// do not fill the list.
func pickExamples(ds []Diff, n int) []Diff {
	var files []string
	byFile := map[string][]Diff{}
	for _, d := range ds {
		if byFile[d.File] == nil {
			files = append(files, d.File)
		}
		byFile[d.File] = append(byFile[d.File], d)
	}
	var out []Diff
	for round := 0; len(out) < n; round++ {
		took := false
		for _, f := range files {
			if round < len(byFile[f]) && len(out) < n {
				out = append(out, byFile[f][round])
				took = true
			}
		}
		if !took {
			break
		}
	}
	return out
}

// clip keeps the first n lines, saying how many more there were.
func clip(lines []string, n int) string {
	if len(lines) == 0 {
		return "(no output)"
	}
	if len(lines) <= n {
		return strings.Join(lines, "\n")
	}
	return strings.Join(lines[:n], "\n") + fmt.Sprintf("\n... (%d more lines)", len(lines)-n)
}
