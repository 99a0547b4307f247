package logictest

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// FileResult is the outcome of one file. Records counts its statements,
// queries and unsupported records; each is Passed, Failed or Skipped
// (condition not met, after a halt, unsupported, or after the run
// stopped), unless the run ended early with an error.
type FileResult struct {
	Path     string
	Records  int
	Passed   int
	Failed   int
	Skipped  int
	Failures []Failure
	Stopped  bool // StopOnError or MaxFailures ended the file early
	Duration time.Duration
}

// Ran is the number of records that were run: Passed + Failed.
func (r FileResult) Ran() int { return r.Passed + r.Failed }

// String is the one-line summary "PASS|FAIL path passed/ran (skipped s)".
func (r FileResult) String() string {
	status := "PASS"
	if r.Failed > 0 {
		status = "FAIL"
	}
	return fmt.Sprintf("%s %s %d/%d (skipped %d) %s", status, r.Path, r.Passed, r.Ran(), r.Skipped,
		r.Duration.Round(time.Millisecond))
}

// Failure is one record that did not behave as the file says.
type Failure struct {
	Line   int    // line of the record's header
	SQL    string // the record's SQL
	Reason string // e.g. "wrong result", "statement failed"
	Want   string // what the file expects
	Got    string // what the engine did, in the file's notation
}

// Format renders the failure for a report, indented under its file line.
// Long want/got texts are cut to their first lines.
func (f Failure) Format(path string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "    %s:%d: %s\n", path, f.Line, f.Reason)
	writeIndented(&b, "      sql:  ", f.SQL, 10)
	writeIndented(&b, "      want: ", f.Want, 10)
	writeIndented(&b, "      got:  ", f.Got, 10)
	return strings.TrimSuffix(b.String(), "\n")
}

func writeIndented(b *strings.Builder, prefix, text string, maxLines int) {
	lines := strings.Split(text, "\n")
	pad := strings.Repeat(" ", len(prefix))
	for i, l := range lines {
		if i == maxLines {
			fmt.Fprintf(b, "%s... (%d more lines)\n", pad, len(lines)-maxLines)
			return
		}
		p := pad
		if i == 0 {
			p = prefix
		}
		b.WriteString(p + l + "\n")
	}
}

// Summary adds up file results.
type Summary struct {
	Files       int
	FailedFiles int // files with a failed record or an error
	Errors      int // files that could not be run to their end
	Records     int
	Passed      int
	Failed      int
	Skipped     int
	Duration    time.Duration
}

// Add counts one file's result; err is RunFile's error.
func (s *Summary) Add(r FileResult, err error) {
	s.Files++
	if r.Failed > 0 || err != nil {
		s.FailedFiles++
	}
	if err != nil {
		s.Errors++
	}
	s.Records += r.Records
	s.Passed += r.Passed
	s.Failed += r.Failed
	s.Skipped += r.Skipped
	s.Duration += r.Duration
}

// PassRate is Passed/(Passed+Failed) in percent; 100 when nothing ran.
func (s Summary) PassRate() float64 {
	if s.Passed+s.Failed == 0 {
		return 100
	}
	return 100 * float64(s.Passed) / float64(s.Passed+s.Failed)
}

// percent renders a pass rate with two decimals, never as 100.00 while
// something failed.
func (s Summary) percent() string {
	p := strconv.FormatFloat(s.PassRate(), 'f', 2, 64)
	if s.Failed > 0 && p == "100.00" {
		p = "99.99"
	}
	return p + "%"
}

// String is the TOTAL line of a report.
func (s Summary) String() string {
	return fmt.Sprintf("TOTAL %d/%d passed (%s), %d failed, %d skipped, %d files (%d failed, %d errors), %s",
		s.Passed, s.Passed+s.Failed, s.percent(), s.Failed, s.Skipped, s.Files, s.FailedFiles, s.Errors,
		s.Duration.Round(time.Millisecond))
}
