package logictest

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
)

// Kind is the type of a record.
type Kind int

const (
	// Statement is "statement ok", "statement error [spec]" or
	// "statement count N": SQL that must succeed, fail, or affect N rows.
	Statement Kind = iota
	// Query is "query <types> [sort] [label]" or "query error [spec]".
	Query
	// HashThreshold is "hash-threshold N".
	HashThreshold
	// Halt is "halt": stop running the file (when its conditions hold).
	Halt
	// User is "user <name>": the records after it run as that role, on
	// a connection of its own (see user.go).
	User
	// Unsupported is a record of a type this runner does not implement
	// (CockroachDB or sqllogictest-rs directives such as "user" or
	// "include"). It is counted as skipped.
	Unsupported
)

func (k Kind) String() string {
	switch k {
	case Statement:
		return "statement"
	case Query:
		return "query"
	case HashThreshold:
		return "hash-threshold"
	case Halt:
		return "halt"
	case User:
		return "user"
	}
	return "unsupported"
}

// SortMode says how query results are ordered before comparison.
type SortMode int

const (
	// NoSort compares the values in the order the engine returned them.
	NoSort SortMode = iota
	// RowSort sorts the rows, comparing formatted values column by column.
	RowSort
	// ValueSort sorts all values independently of their rows.
	ValueSort
)

func (m SortMode) String() string {
	switch m {
	case RowSort:
		return "rowsort"
	case ValueSort:
		return "valuesort"
	}
	return "nosort"
}

// Condition is one "skipif <engine>" or "onlyif <engine>" line before a
// record.
type Condition struct {
	Skip   bool   // true for skipif, false for onlyif
	Engine string // engine name as written, e.g. "postgresql"
}

// Record is one record of a sqllogictest file.
type Record struct {
	Kind       Kind
	Line       int // 1-based line of the record's header ("statement ...")
	Conditions []Condition
	SQL        string // statement or query text, lines joined by "\n"

	// ExpectError is set for "statement error" and "query error"; Error
	// then says which errors are acceptable.
	ExpectError bool
	Error       ErrorSpec

	// Count is the row count of "statement count N" (HasCount set).
	Count    int64
	HasCount bool

	// Query fields.
	Types      string   // one letter per result column: I, R, T (others print as text)
	Sort       SortMode // how results are sorted before comparison
	Label      string   // SQLite label: queries with one label must agree
	Expected   []string // lines after "----", up to the next blank line
	HasResults bool     // a "----" line was present

	// Threshold is the value of "hash-threshold N".
	Threshold int

	// User is the role of a "user <name>" record.
	User string

	// Directive is the first word of an Unsupported record.
	Directive string
}

// ParseFile reads and parses the sqllogictest file at path, written in
// SQLite's format.
func ParseFile(path string) ([]Record, error) {
	return ParseFileDialect(path, SQLite)
}

// ParseFileDialect reads and parses the sqllogictest file at path,
// written in dialect d.
func ParseFileDialect(path string, d Dialect) ([]Record, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	recs, err := ParseDialectScript(f, d)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return recs, nil
}

// Parse parses a sqllogictest script. Records are separated by blank
// lines; lines starting with '#' between records are comments. A
// malformed record header is an error naming its line.
func Parse(r io.Reader) ([]Record, error) {
	return ParseDialectScript(r, SQLite)
}

// ParseDialectScript parses a sqllogictest script written in dialect d.
func ParseDialectScript(r io.Reader, d Dialect) ([]Record, error) {
	lines, err := readLines(r)
	if err != nil {
		return nil, err
	}
	p := parser{lines: lines, endsAtHeader: d == NoisePage}
	var recs []Record
	for {
		rec, ok, err := p.next()
		if err != nil {
			return recs, err
		}
		if !ok {
			return recs, nil
		}
		recs = append(recs, rec)
	}
}

func readLines(r io.Reader) ([]string, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 64*1024*1024)
	var lines []string
	for sc.Scan() {
		lines = append(lines, strings.TrimSuffix(sc.Text(), "\r"))
	}
	return lines, sc.Err()
}

// parser walks the lines of one script; pos is the index of the next
// unread line.
type parser struct {
	lines []string
	pos   int
	// endsAtHeader also ends SQL and result blocks at a line that starts
	// a record (NoisePage traces).
	endsAtHeader bool
}

// atBlockEnd reports whether the line at pos ends the current block.
func (p *parser) atBlockEnd() bool {
	line := p.lines[p.pos]
	return isBlank(line) || (p.endsAtHeader && isRecordStart(line))
}

func (p *parser) lineNo() int { return p.pos + 1 }

func isBlank(s string) bool { return strings.TrimSpace(s) == "" }

func isComment(s string) bool { return strings.HasPrefix(strings.TrimSpace(s), "#") }

// headerFields splits a header line into words, dropping a trailing
// "# comment".
func headerFields(s string) []string {
	f := strings.Fields(s)
	for i, w := range f {
		if strings.HasPrefix(w, "#") {
			return f[:i]
		}
	}
	return f
}

// next returns the next record; ok is false at the end of the script.
func (p *parser) next() (rec Record, ok bool, err error) {
	// Skip blank lines and comments; collect conditions.
	for {
		for p.pos < len(p.lines) && (isBlank(p.lines[p.pos]) || isComment(p.lines[p.pos])) {
			p.pos++
		}
		if p.pos >= len(p.lines) {
			if len(rec.Conditions) > 0 {
				return rec, false, fmt.Errorf("line %d: condition without a record", p.pos)
			}
			return rec, false, nil
		}
		f := headerFields(p.lines[p.pos])
		if len(f) == 0 || (f[0] != "skipif" && f[0] != "onlyif") {
			break
		}
		if len(f) < 2 {
			return rec, false, fmt.Errorf("line %d: %s needs an engine name", p.lineNo(), f[0])
		}
		rec.Conditions = append(rec.Conditions, Condition{Skip: f[0] == "skipif", Engine: f[1]})
		p.pos++
	}

	rec.Line = p.lineNo()
	header := p.lines[p.pos]
	f := headerFields(header)
	p.pos++
	switch f[0] {
	case "statement":
		rec.Kind = Statement
		if err := parseStatementHeader(&rec, header, f); err != nil {
			return rec, false, fmt.Errorf("line %d: %w", rec.Line, err)
		}
		rec.SQL = p.sql()
		if p.pos < len(p.lines) && strings.TrimSpace(p.lines[p.pos]) == "----" {
			// sqllogictest-rs: expected error message after "----".
			p.pos++
			msg := strings.Join(p.block(), "\n")
			if rec.ExpectError && rec.Error.Raw == "" && msg != "" {
				rec.Error = ErrorSpec{Raw: msg, Substring: msg}
			}
		}
	case "query":
		rec.Kind = Query
		if err := parseQueryHeader(&rec, header, f); err != nil {
			return rec, false, fmt.Errorf("line %d: %w", rec.Line, err)
		}
		rec.SQL = p.sql()
		if p.pos < len(p.lines) && strings.TrimSpace(p.lines[p.pos]) == "----" {
			p.pos++
			rec.HasResults = true
			rec.Expected = p.block()
			if rec.ExpectError && rec.Error.Raw == "" && len(rec.Expected) > 0 {
				msg := strings.Join(rec.Expected, "\n")
				rec.Error = ErrorSpec{Raw: msg, Substring: msg}
			}
		}
	case "hash-threshold":
		rec.Kind = HashThreshold
		if len(f) < 2 {
			return rec, false, fmt.Errorf("line %d: hash-threshold needs a number", rec.Line)
		}
		n, err := strconv.Atoi(f[1])
		if err != nil || n < 0 {
			return rec, false, fmt.Errorf("line %d: bad hash-threshold %q", rec.Line, f[1])
		}
		rec.Threshold = n
	case "halt":
		rec.Kind = Halt
	case "user":
		rec.Kind = User
		if len(f) < 2 {
			return rec, false, fmt.Errorf("line %d: user needs a role name", rec.Line)
		}
		rec.User = f[1]
		p.block() // CockroachDB's options on the following lines
	default:
		rec.Kind = Unsupported
		rec.Directive = f[0]
		p.block()
	}
	return rec, true, nil
}

// sql reads SQL lines up to a blank line, a "----" line or the end.
func (p *parser) sql() string {
	start := p.pos
	for p.pos < len(p.lines) && !p.atBlockEnd() && strings.TrimSpace(p.lines[p.pos]) != "----" {
		p.pos++
	}
	return strings.Join(p.lines[start:p.pos], "\n")
}

// block reads lines up to a blank line or the end.
func (p *parser) block() []string {
	start := p.pos
	for p.pos < len(p.lines) && !p.atBlockEnd() {
		p.pos++
	}
	if start == p.pos {
		return nil
	}
	out := make([]string, p.pos-start)
	copy(out, p.lines[start:p.pos])
	return out
}

// afterWords returns what follows the first n words of s, trimmed. It is
// used for error patterns, which may contain spaces and '#'.
func afterWords(s string, n int) string {
	s = strings.TrimSpace(s)
	for i := 0; i < n; i++ {
		j := strings.IndexAny(s, " \t")
		if j < 0 {
			return ""
		}
		s = strings.TrimSpace(s[j:])
	}
	return s
}

func parseStatementHeader(rec *Record, header string, f []string) error {
	if len(f) < 2 {
		return fmt.Errorf("statement needs ok, error or count")
	}
	switch f[1] {
	case "ok":
	case "error":
		rec.ExpectError = true
		spec, err := ParseErrorSpec(afterWords(header, 2))
		if err != nil {
			return err
		}
		rec.Error = spec
	case "count":
		if len(f) < 3 {
			return fmt.Errorf("statement count needs a number")
		}
		n, err := strconv.ParseInt(f[2], 10, 64)
		if err != nil {
			return fmt.Errorf("bad statement count %q", f[2])
		}
		rec.Count, rec.HasCount = n, true
	default:
		return fmt.Errorf("statement argument should be ok, error or count, not %q", f[1])
	}
	return nil
}

func parseQueryHeader(rec *Record, header string, f []string) error {
	if len(f) < 2 {
		return fmt.Errorf("query needs a type string")
	}
	if f[1] == "error" {
		rec.ExpectError = true
		spec, err := ParseErrorSpec(afterWords(header, 2))
		if err != nil {
			return err
		}
		rec.Error = spec
		return nil
	}
	if isSortMode(f[1]) {
		// NoisePage traces may leave the type string out: "query  nosort".
		f = append([]string{f[0], ""}, f[1:]...)
	}
	for _, c := range f[1] {
		if c < 'A' || c > 'Z' {
			return fmt.Errorf("bad type string %q", f[1])
		}
	}
	rec.Types = f[1]
	// SQLite: "query <types> <sort> <label>". CockroachDB allows
	// comma-separated options in the sort position.
	for i, w := range f[2:] {
		matched := false
		for _, opt := range strings.Split(w, ",") {
			switch opt {
			case "nosort":
				rec.Sort, matched = NoSort, true
			case "rowsort":
				rec.Sort, matched = RowSort, true
			case "valuesort":
				rec.Sort, matched = ValueSort, true
			}
		}
		if matched {
			continue
		}
		if i == 0 && !strings.HasPrefix(w, "label") {
			return fmt.Errorf("unknown sort mode %q", w)
		}
		if rec.Label == "" {
			rec.Label = w
		}
	}
	return nil
}

func isSortMode(w string) bool {
	return w == "nosort" || w == "rowsort" || w == "valuesort"
}
