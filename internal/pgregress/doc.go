// Package pgregress measures quorumdb against PostgreSQL 15's own
// regression suite (issue 14): it runs the suite's files with psql on a
// throwaway PostgreSQL 15 and on a one-node quorumdb side by side and
// compares the two outputs statement by statement. cmd/pgregress (make
// pgregress) is its command; the suite itself (sql/, data/,
// parallel_schedule) is input, read-only, outside the repository but for
// the few files its test needs (testdata/).
//
// Method: both servers get a database "regression"; test_setup runs
// first, then the chosen files in parallel_schedule's order, each with
// `psql -X -a -q -v ON_ERROR_STOP=0 -v QUIET=off -f FILE`, PGTZ=PST8PDT,
// after a preamble of `\set VERBOSITY verbose` and the same
// statement_timeout. QUIET is turned off again after -q so that command
// tags are printed and compared (pg_regress's -q hides them). The
// suite's adaptations are applied to copies, identically for both
// sides. psql echoes each line before running what ends on it, so the
// echoes, identical on both sides, cut both outputs into units (the
// statements ending on one line); a unit's outputs are compared after
// dropping psql's "psql:file:line:" prefixes and LOCATION lines, and a
// differing unit is classed by kind (unsupported feature, wrong result,
// wrong SQLSTATE, message text, crash, ...). EXPLAIN is counted apart:
// plans are quorumdb's to choose.
//
// # Files
//
//	split.go     Split: a psql script into units (a lexer following
//	             psql's quotes, comments, parentheses, backslash
//	             commands and COPY data), which lines psql echoes
//	adapt.go     Adapt and Preamble: \getenv, COPY FROM :'filename' to
//	             \copy, the C functions left out
//	align.go     Normalize and Align: psql's output cut at the units'
//	             echoes
//	compare.go   Compare and Kind: one unit's two outputs, how they
//	             differ
//	score.go     Score, FileResult, Diff and Totals: a file's counts
//	schedule.go  ParseSchedule, ReadList and Order: which files, in
//	             which order
//	run.go       Run and Config: the two servers (internal/dbproc),
//	             psql runs with a per-file timeout, quorumdb restarted
//	             after a lost connection
//	report.go    WriteReport: the per-file table, totals and the
//	             differences by kind, as Markdown
package pgregress
