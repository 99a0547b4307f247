package difftest

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// kindOrder is the order kinds are reported in.
var kindOrder = []DiffKind{Same, BothError, Rows, Columns, ErrorCode, QdbError, PgError, Crash, Setup, TLP,
	Unsupported, EvalOrder, FloatOrder, TieOrder, Timeout}

// Summary is a table of the outcomes by target and kind.
func (r *Report) Summary() string {
	var b strings.Builder
	fmt.Fprintf(&b, "seeds %v, %d queries per seed, %s\n", r.Config.Seeds, r.Config.Queries, r.Config.Options)
	fmt.Fprintf(&b, "%-16s", "kind")
	for _, t := range r.Targets {
		fmt.Fprintf(&b, " %24s", t)
	}
	b.WriteString("\n")
	row := func(name string, f func(*Stats) int) {
		fmt.Fprintf(&b, "%-16s", name)
		for _, t := range r.Targets {
			fmt.Fprintf(&b, " %24d", f(r.Stats[t]))
		}
		b.WriteString("\n")
	}
	row("queries", func(s *Stats) int { return s.Queries })
	for _, k := range kindOrder {
		row(string(k), func(s *Stats) int { return s.Kinds[k] })
	}
	row("tlp checks", func(s *Stats) int { return s.TLPRun })
	row("tlp skipped", func(s *Stats) int { return s.TLPSkipped })
	row("tlp failed", func(s *Stats) int { return s.TLPFailed })
	row("setup diffs", func(s *Stats) int { return s.Setup })
	row("eval-order→real", func(s *Stats) int { return s.Reclassified })
	row("query seconds", func(s *Stats) int { return int(s.Time.Seconds()) })
	fmt.Fprintf(&b, "PostgreSQL answered in %s\n", r.PGTime.Round(1e9))
	fmt.Fprintf(&b, "findings reported: %d (%d duplicates after shrinking dropped), %s\n", len(r.Findings), r.Duplicates, r.Elapsed.Round(1e9))
	return b.String()
}

// WriteMarkdown writes the report: the summary, quorumdb's error codes
// where PostgreSQL answered, and every finding with its shrunk case.
func (r *Report) WriteMarkdown(w io.Writer) {
	fmt.Fprintf(w, "# difftest report\n\n```\n%s```\n\n", r.Summary())
	for _, t := range r.Targets {
		st := r.Stats[t]
		var codes []string
		for c := range st.Codes {
			codes = append(codes, c)
		}
		sort.Strings(codes)
		if len(codes) > 0 {
			fmt.Fprintf(w, "Errors by kind, SQLSTATE and message, %s:\n\n", t)
			for _, c := range codes {
				fmt.Fprintf(w, "- %s ×%d\n", c, st.Codes[c])
			}
			fmt.Fprintln(w)
		}
	}
	for i, f := range r.Findings {
		fmt.Fprintf(w, "## %d. ", i+1)
		r.WriteFinding(w, f)
	}
}

// WriteFinding writes one finding: its heading line, the shrunk case
// with both answers, and the original query.
func (r *Report) WriteFinding(w io.Writer, f *Finding) {
	example := ""
	if f.Example {
		example = " — an example of what is classified as evaluation order, not a failure"
	}
	fmt.Fprintf(w, "%s on %s (seed %d, query %d)%s\n\n", f.Kind, f.Target, f.Seed, f.Index, example)
	if f.Shrunk != nil {
		fmt.Fprintf(w, "Shrunk:\n\n```sql\n")
		for _, s := range f.Shrunk.Setup {
			fmt.Fprintf(w, "%s;\n", s.SQL)
		}
		if f.TLP != nil {
			whole, parts := f.TLP.queries(f.Shrunk.Root)
			fmt.Fprintf(w, "%s;\n", whole)
			for _, p := range parts {
				fmt.Fprintf(w, "%s;\n", p)
			}
			fmt.Fprintf(w, "```\n\n")
			writeTLP(w, "quorumdb", f.ShrunkTLPQ)
			writeTLP(w, "PostgreSQL", f.ShrunkTLPPG)
		} else {
			fmt.Fprintf(w, "%s;\n```\n\n", f.ShrunkSQL)
			writeResult(w, "PostgreSQL", f.ShrunkPG)
			writeResult(w, "quorumdb", f.ShrunkQ)
		}
		fmt.Fprintf(w, "Original query:\n\n```sql\n%s\n```\n\n", f.SQL)
		return
	}
	fmt.Fprintf(w, "```sql\n%s\n```\n\n", f.SQL)
	if f.TLP != nil {
		writeTLP(w, "quorumdb", f.TLPQ)
		writeTLP(w, "PostgreSQL", f.TLPPG)
		return
	}
	writeResult(w, "PostgreSQL", f.PG)
	writeResult(w, "quorumdb", f.Q)
}

func writeTLP(w io.Writer, who string, o TLPOutcome) {
	fmt.Fprintf(w, "%s: partition holds %v (skipped %v)\n\n", who, o.Holds, o.Skipped)
	writeResult(w, who+" whole", o.Whole)
	for i, p := range o.Parts {
		writeResult(w, fmt.Sprintf("%s part %d", who, i+1), p)
	}
}

// writeResult prints a result as psql's unaligned output would, at most
// 30 rows.
func writeResult(w io.Writer, who string, r *Result) {
	if r == nil {
		return
	}
	fmt.Fprintf(w, "%s:\n\n```\n%s```\n\n", who, FormatResult(r, 30))
}

// FormatResult prints a result: an error, or the column names and rows
// separated by |, NULL as NULL.
func FormatResult(r *Result, max int) string {
	var b strings.Builder
	switch {
	case r.Lost:
		fmt.Fprintf(&b, "connection lost: %s\n", r.Msg)
	case r.Timeout:
		fmt.Fprintf(&b, "timeout: %s\n", r.Msg)
	case r.Code != "":
		fmt.Fprintf(&b, "ERROR %s: %s\n", r.Code, r.Msg)
	default:
		b.WriteString(strings.Join(r.Cols, "|") + "\n")
		for i, row := range r.Rows {
			if i == max {
				fmt.Fprintf(&b, "... (%d rows)\n", len(r.Rows))
				break
			}
			vals := make([]string, len(row))
			for j, v := range row {
				if v == Null {
					v = "NULL"
				}
				vals[j] = v
			}
			b.WriteString(strings.Join(vals, "|") + "\n")
		}
		fmt.Fprintf(&b, "(%d rows)\n", len(r.Rows))
	}
	return b.String()
}
