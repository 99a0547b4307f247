package pgregress

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// SetupFile is the suite's first file: the tables and types the others
// use. It runs before any other chosen file.
const SetupFile = "test_setup"

// ParseSchedule returns the test names of a parallel_schedule in the
// order PostgreSQL runs them ("test:" lines; the tests of one line run
// in parallel there, in the listed order here; "ignore:" lines name
// tests of other lines, whose failures pg_regress ignores).
func ParseSchedule(text string) []string {
	var names []string
	for _, line := range strings.Split(text, "\n") {
		rest, ok := strings.CutPrefix(strings.TrimSpace(line), "test:")
		if !ok {
			continue
		}
		names = append(names, strings.Fields(rest)...)
	}
	return names
}

// ReadList reads a list of file names, one a line ("#" comments and
// blank lines skipped), such as the suite's measured-files.txt.
func ReadList(path string) ([]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("pgregress: reading the file list: %w", err)
	}
	var names []string
	for _, line := range strings.Split(string(b), "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			names = append(names, line)
		}
	}
	return names, nil
}

// Order returns the chosen files (names with or without ".sql") in the
// schedule's order, test_setup first, each once. A name the schedule
// does not list is an error: its place, and so what it finds in the
// database, would be a guess.
func Order(chosen, schedule []string) ([]string, error) {
	want := map[string]bool{}
	for _, name := range chosen {
		want[strings.TrimSuffix(filepath.Base(strings.TrimSpace(name)), ".sql")] = true
	}
	delete(want, "")
	out := []string{SetupFile}
	delete(want, SetupFile)
	for _, name := range schedule {
		if want[name] {
			out = append(out, name)
			delete(want, name)
		}
	}
	if len(want) > 0 {
		var missing []string
		for name := range want {
			missing = append(missing, name)
		}
		return nil, fmt.Errorf("pgregress: not in parallel_schedule: %s", strings.Join(missing, ", "))
	}
	return out, nil
}
