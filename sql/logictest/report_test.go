package logictest

import (
	"strings"
	"testing"
)

func TestSummary(t *testing.T) {
	var s Summary
	s.Add(FileResult{Path: "a", Records: 12, Passed: 10, Skipped: 2}, nil)
	s.Add(FileResult{Path: "b", Records: 99990, Passed: 99989, Failed: 1}, nil)
	want := "TOTAL 99999/100000 passed (99.99%), 1 failed, 2 skipped, 2 files (1 failed, 0 errors)"
	if got := s.String(); !strings.HasPrefix(got, want) {
		t.Errorf("String = %q, want prefix %q", got, want)
	}
	s.Add(FileResult{Path: "c", Records: 1}, errTimeout)
	if s.Errors != 1 || s.FailedFiles != 2 {
		t.Errorf("Errors %d FailedFiles %d, want 1 and 2", s.Errors, s.FailedFiles)
	}
	var empty Summary
	if got := empty.PassRate(); got != 100 {
		t.Errorf("PassRate of nothing = %v, want 100", got)
	}
	r := FileResult{Path: "x.slt", Passed: 3, Failed: 1, Skipped: 2}
	if got := r.String(); !strings.HasPrefix(got, "FAIL x.slt 3/4 (skipped 2)") {
		t.Errorf("FileResult.String = %q", got)
	}
}
