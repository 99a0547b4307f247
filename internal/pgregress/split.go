package pgregress

import (
	"regexp"
	"strings"
)

// Unit is what psql runs at once after reading one input line: the
// statements (and backslash commands) that end on that line, with the
// lines that led to them. psql echoes a unit's lines (-a) before it
// runs it, so a unit's output is what follows its echo.
type Unit struct {
	// First and Last are the unit's lines in the file, 1-based.
	First, Last int
	// Text is the unit's input lines, joined by newlines.
	Text string
	// Echo is the lines psql echoes for it, in order: the input lines
	// except empty ones outside quotes, COPY data and those read
	// while \set ECHO is not all, which psql does not echo. A unit
	// without an echo takes the output that follows the unit before.
	Echo []string
	// Statements counts the SQL statements ending in the unit (on a
	// line with several, psql's output cannot be told apart, so they
	// are compared together); backslash commands that query the server
	// (\copy, \d...) count as one each.
	Statements int
	// Local is true for a unit of psql-only backslash commands (\set,
	// \echo, \pset...), which the comparison does not count.
	Local bool
	// Explain is true when the unit's first statement is an EXPLAIN:
	// plans are quorumdb's to choose, so these are counted apart.
	Explain bool
}

// Script is a file split into units, and the lines psql echoes after
// the last unit (comments at the end).
type Script struct {
	Units []Unit
	Tail  []string
}

// localCommands are the backslash commands that do not talk to the
// server; a unit of only these is not a statement of the measure.
var localCommands = map[string]bool{
	"set": true, "unset": true, "echo": true, "qecho": true, "warn": true, "pset": true,
	"x": true, "t": true, "a": true, "f": true, "C": true, "H": true, "T": true, "if": true,
	"elif": true, "else": true, "endif": true, "timing": true, "getenv": true, "setenv": true,
	"encoding": true, "o": true, "out": true, "r": true, "reset": true, "p": true, "print": true,
	"w": true, "write": true, "cd": true, "!": true, "q": true, "quit": true, "i": true,
	"include": true, "ir": true, "include_relative": true, "prompt": true, "errverbose": true,
}

// execCommands run the query buffer, ending the statement in it.
var execCommands = map[string]bool{
	"g": true, "gx": true, "gset": true, "gexec": true, "gdesc": true, "crosstabview": true, "watch": true,
}

var (
	// COPY ... FROM STDIN, or FROM STDOUT, which PostgreSQL's grammar
	// takes as the same; not COPY (query) FROM, which fails on the
	// server, so that psql reads no data.
	copyFromStdin = regexp.MustCompile(`(?is)^\s*copy\s+[^(\s].*\bfrom\s+std(in|out)\b`)
	// \set ECHO turns psql's echo of input lines on (all) or off.
	setEcho      = regexp.MustCompile(`^\\set\s+ECHO\s+(\S+)`)
	explainStart = regexp.MustCompile(`(?i)^\s*explain\b`)
)

// lexer follows psql's lexical state across lines: enough of psqlscan.l
// to know where statements end (a semicolon outside quotes, comments
// and parentheses), where backslash commands are, and which lines psql
// echoes.
type lexer struct {
	inSingle, escapes bool   // in '...' (E'...' when escapes)
	inDouble          bool   // in "..."
	dollar            string // in $tag$...$tag$ when not ""
	comment           int    // depth of /* */ comments
	parens            int
	// begins is psql's begin_depth: BEGIN (ATOMIC) ... END blocks of
	// a CREATE FUNCTION or PROCEDURE, whose semicolons do not end the
	// statement. words holds the first letters of the statement's
	// first identifiers among CREATE, OR, REPLACE, FUNCTION and
	// PROCEDURE, as psqlscan.l does, and nwords counts identifiers.
	begins int
	words  [4]byte
	nwords int
	buf    strings.Builder // the current statement's text
}

// word handles an identifier as psqlscan.l does to follow BEGIN ...
// END blocks in SQL-standard function bodies.
func (l *lexer) word(w string) {
	switch lw := strings.ToLower(w); lw {
	case "create", "function", "procedure", "or", "replace":
		if l.nwords < len(l.words) {
			l.words[l.nwords] = lw[0]
		}
	}
	l.nwords++
	ws := l.words
	inCreateFunction := ws[0] == 'c' && (ws[1] == 'f' || ws[1] == 'p' || ws[1] == 'o' && ws[2] == 'r' && (ws[3] == 'f' || ws[3] == 'p'))
	if !inCreateFunction || l.parens != 0 {
		return
	}
	switch strings.ToLower(w) {
	case "begin":
		l.begins++
	case "case":
		// CASE also ends with END; it matters only inside a BEGIN.
		if l.begins >= 1 {
			l.begins++
		}
	case "end":
		if l.begins > 0 {
			l.begins--
		}
	}
}

// endStatement resets what is kept per statement.
func (l *lexer) endStatement() {
	l.buf.Reset()
	l.begins, l.words, l.nwords = 0, [4]byte{}, 0
}

// inQuote is psql_scan_in_quote: an empty line inside a literal or a
// comment is echoed, elsewhere it is skipped.
func (l *lexer) inQuote() bool {
	return l.inSingle || l.inDouble || l.dollar != "" || l.comment > 0
}

// Split splits a psql script into the units psql runs.
func Split(src string) Script {
	var sc Script
	var l lexer
	lines := strings.Split(strings.TrimSuffix(src, "\n"), "\n")
	var pending []string // echoed lines not yet in a unit
	var pendingText []string
	first := 0
	copyData := false
	echo := true // -a
	for i, line := range lines {
		n := i + 1
		if copyData {
			// COPY FROM STDIN's data: read by psql's copy code,
			// not echoed, not SQL.
			if line == `\.` {
				copyData = false
			}
			continue
		}
		if line == "" && !l.inQuote() {
			if first != 0 {
				pendingText = append(pendingText, line)
			}
			continue
		}
		if first == 0 {
			first = n
		}
		if echo {
			pending = append(pending, line)
		}
		pendingText = append(pendingText, line)
		if m := setEcho.FindStringSubmatch(line); m != nil {
			// Lines are echoed as they are read, so this one
			// was echoed or not by the setting before it.
			echo = strings.Trim(m[1], `'"`) == "all"
		}
		stmts, meta, local, stmtText := l.scanLine(line)
		if stmts == 0 && meta == 0 && local == 0 {
			continue
		}
		unit := Unit{First: first, Last: n, Text: strings.Join(pendingText, "\n"), Echo: pending,
			Statements: stmts + meta, Local: stmts+meta == 0}
		unit.Explain = explainStart.MatchString(stripComments(unit.Text))
		sc.Units = append(sc.Units, unit)
		pending, pendingText, first = nil, nil, 0
		for _, s := range stmtText {
			if copyFromStdin.MatchString(stripComments(s)) {
				copyData = true
			}
		}
	}
	if strings.TrimSpace(l.buf.String()) != "" {
		// psql sends what is left in the buffer at the end of a
		// script.
		u := Unit{First: first, Last: len(lines), Text: strings.Join(pendingText, "\n"), Echo: pending, Statements: 1}
		u.Explain = explainStart.MatchString(stripComments(u.Text))
		sc.Units = append(sc.Units, u)
		pending = nil
	}
	sc.Tail = pending
	return sc
}

// scanLine scans one line, returning how many SQL statements ended on
// it, how many server-side and psql-only backslash commands it held,
// and the text of each statement that ended.
func (l *lexer) scanLine(line string) (stmts, meta, local int, ended []string) {
	i := 0
	for i < len(line) {
		c := line[i]
		switch {
		case l.comment > 0:
			if strings.HasPrefix(line[i:], "*/") {
				l.comment--
				l.buf.WriteString("*/")
				i += 2
				continue
			}
			if strings.HasPrefix(line[i:], "/*") {
				l.comment++
				l.buf.WriteString("/*")
				i += 2
				continue
			}
		case l.inSingle:
			if l.escapes && c == '\\' && i+1 < len(line) {
				l.buf.WriteString(line[i : i+2])
				i += 2
				continue
			}
			if c == '\'' {
				if i+1 < len(line) && line[i+1] == '\'' {
					l.buf.WriteString("''")
					i += 2
					continue
				}
				l.inSingle = false
			}
		case l.inDouble:
			if c == '"' {
				l.inDouble = false
			}
		case l.dollar != "":
			if strings.HasPrefix(line[i:], l.dollar) {
				l.buf.WriteString(l.dollar)
				i += len(l.dollar)
				l.dollar = ""
				continue
			}
		default:
			switch {
			case strings.HasPrefix(line[i:], "--"):
				// A comment to the end of the line: not part of
				// the statement psql sends when the buffer is
				// empty, harmless otherwise.
				i = len(line)
				continue
			case strings.HasPrefix(line[i:], "/*"):
				l.comment = 1
				l.buf.WriteString("/*")
				i += 2
				continue
			case c == '\'':
				l.inSingle = true
				l.escapes = i > 0 && (line[i-1] == 'E' || line[i-1] == 'e') && (i < 2 || !identChar(line[i-2]))
			case c == '"':
				l.inDouble = true
			case c == '$' && (i == 0 || !identChar(line[i-1])):
				if tag, ok := dollarTag(line[i:]); ok {
					l.dollar = tag
					l.buf.WriteString(tag)
					i += len(tag)
					continue
				}
			case c == '(':
				l.parens++
			case c == ')':
				if l.parens > 0 {
					l.parens--
				}
			case c == ';' && l.parens == 0 && l.begins == 0:
				l.buf.WriteByte(';')
				if s := l.buf.String(); strings.TrimSpace(s) != ";" {
					stmts++
					ended = append(ended, s)
				}
				l.endStatement()
				i++
				continue
			case identStart(c) && (i == 0 || !identChar(line[i-1])):
				j := i + 1
				for j < len(line) && identChar(line[j]) {
					j++
				}
				l.word(line[i:j])
				l.buf.WriteString(line[i:j])
				i = j
				continue
			case strings.HasPrefix(line[i:], `\;`):
				// psql's \; puts a semicolon in the buffer
				// without sending it: the statements go as one.
				l.buf.WriteByte(';')
				i += 2
				continue
			case c == '\\':
				// A backslash command: its name, then (for our
				// purpose) the rest of the line as arguments.
				name := commandName(line[i+1:])
				pendingSQL := strings.TrimSpace(l.buf.String()) != ""
				switch {
				case execCommands[name] && pendingSQL:
					stmts++
					ended = append(ended, l.buf.String())
					l.endStatement()
				case name == "copy":
					meta++
				case localCommands[name]:
					local++
				default:
					meta++ // \d and the other catalog commands
				}
				return stmts, meta, local, ended
			}
		}
		l.buf.WriteByte(c)
		i++
	}
	l.buf.WriteByte('\n')
	return stmts, meta, local, ended
}

// commandName is the name of the backslash command at the start of s.
func commandName(s string) string {
	if s != "" && s[0] == '!' {
		return "!"
	}
	end := 0
	for end < len(s) && (identChar(s[end]) || s[end] == '+') {
		end++
	}
	return strings.TrimSuffix(s[:end], "+")
}

// dollarTag returns the $tag$ opening s, if s opens a dollar quote.
func dollarTag(s string) (string, bool) {
	for j := 1; j < len(s); j++ {
		c := s[j]
		if c == '$' {
			return s[:j+1], true
		}
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80 || j > 1 && c >= '0' && c <= '9') {
			return "", false
		}
	}
	return "", false
}

func identStart(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

func identChar(c byte) bool {
	return c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}

// stripComments drops leading -- comment lines and blank lines, so that
// a unit's first keyword can be read.
func stripComments(s string) string {
	for {
		s = strings.TrimLeft(s, " \t\n")
		if strings.HasPrefix(s, "--") {
			if i := strings.IndexByte(s, '\n'); i >= 0 {
				s = s[i+1:]
				continue
			}
			return ""
		}
		return s
	}
}
