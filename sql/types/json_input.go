package types

import (
	"fmt"
	"unicode/utf8"

	"github.com/quorumdb/quorumdb/sql/pgerror"
)

// checkJSONInput validates json or jsonb input text the way PostgreSQL's
// JSON lexer and recursive-descent parser (common/jsonapi.c) read it, so
// that invalid input fails with PostgreSQL's DETAIL (which token, what
// was expected) and CONTEXT (the line and the text up to the offending
// token). jsonb additionally checks the \u escapes it must decode:
// surrogate pairs and \u0000, which json keeps as written.
func checkJSONInput(s string, jsonb bool, set *Settings) error {
	l := &jsonLexer{in: s, line: 1, jsonb: jsonb, set: set, maxDepth: jsonDepthLimit(set)}
	if err := l.next(); err != nil {
		return err
	}
	if err := l.parseValue(0); err != nil {
		return err
	}
	if l.tok != jtEnd {
		return l.parseError(ctxEnd)
	}
	return nil
}

type jsonToken int

const (
	jtInvalid jsonToken = iota
	jtString
	jtNumber
	jtObjectStart
	jtObjectEnd
	jtArrayStart
	jtArrayEnd
	jtComma
	jtColon
	jtTrue
	jtFalse
	jtNull
	jtEnd
)

// jsonLexer holds the lexer's position as PostgreSQL's JsonLexContext
// does: the current token spans in[start:end]; lineStart is where the
// current line begins (for the error context).
type jsonLexer struct {
	in         string
	jsonb      bool
	tok        jsonToken
	start, end int
	line       int
	lineStart  int
	set        *Settings // for max_stack_depth
	maxDepth   int
}

// parse contexts, which name what was expected when a token is wrong.
type jsonParseCtx int

const (
	ctxValue jsonParseCtx = iota
	ctxString
	ctxArrayNext
	ctxObjectStart
	ctxObjectLabel
	ctxObjectNext
	ctxEnd
)

// jsonPunct maps the one-character tokens to their kinds.
var jsonPunct = [256]jsonToken{'{': jtObjectStart, '}': jtObjectEnd, '[': jtArrayStart, ']': jtArrayEnd, ',': jtComma, ':': jtColon}

func isJSONAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c >= 0x80
}

// next reads the next token into l.tok.
func (l *jsonLexer) next() error {
	i := l.end
	for i < len(l.in) && (l.in[i] == ' ' || l.in[i] == '\t' || l.in[i] == '\n' || l.in[i] == '\r') {
		if l.in[i] == '\n' {
			l.line++
			l.lineStart = i + 1
		}
		i++
	}
	l.start = i
	if i >= len(l.in) {
		l.tok, l.end = jtEnd, i
		return nil
	}
	c := l.in[i]
	if t := jsonPunct[c]; t != jtInvalid {
		l.tok, l.end = t, i+1
		return nil
	}
	switch {
	case c == '"':
		return l.lexString()
	case c == '-':
		return l.lexNumber(i + 1)
	case c >= '0' && c <= '9':
		return l.lexNumber(i)
	}
	// Not a string, number or punctuation: only true, false and null
	// are left, but the whole word is reported when it is none of them.
	p := i
	for p < len(l.in) && isJSONAlnum(l.in[p]) {
		p++
	}
	if p == i {
		l.end = i + 1
		return l.lexError("Token \"%s\" is invalid.", l.in[l.start:l.end])
	}
	l.end = p
	switch l.in[i:p] {
	case "true":
		l.tok = jtTrue
	case "false":
		l.tok = jtFalse
	case "null":
		l.tok = jtNull
	default:
		return l.lexError("Token \"%s\" is invalid.", l.in[l.start:l.end])
	}
	return nil
}

// lexNumber reads a number whose digits start at i (after any minus
// sign): an integer part without leading zeros, an optional fraction
// and exponent, each with at least one digit. Letters and digits
// running on are part of the (invalid) token.
func (l *jsonLexer) lexNumber(i int) error {
	s, n := l.in, len(l.in)
	bad := false
	digits := func() bool {
		if i >= n || s[i] < '0' || s[i] > '9' {
			return false
		}
		for i < n && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		return true
	}
	switch {
	case i < n && s[i] == '0':
		i++
	case i < n && s[i] >= '1' && s[i] <= '9':
		digits()
	default:
		bad = true
	}
	if i < n && s[i] == '.' {
		i++
		if !digits() {
			bad = true
		}
	}
	if i < n && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < n && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if !digits() {
			bad = true
		}
	}
	for i < n && isJSONAlnum(s[i]) {
		i++
		bad = true
	}
	l.end = i
	if bad {
		return l.lexError("Token \"%s\" is invalid.", l.in[l.start:l.end])
	}
	l.tok = jtNumber
	return nil
}

// lexString reads a string token starting at the quote at l.start.
func (l *jsonLexer) lexString() error {
	s, n := l.in, len(l.in)
	hi := -1 // a pending high surrogate (jsonb)
	lowSurrogate := func(end int) error {
		l.end = end
		return l.lexError("Unicode low surrogate must follow a high surrogate.")
	}
	for i := l.start + 1; ; i++ {
		switch {
		case i >= n:
			l.end = n
			return l.lexError("Token \"%s\" is invalid.", l.in[l.start:l.end])
		case s[i] == '"':
			if hi != -1 {
				return lowSurrogate(i + 1)
			}
			l.tok, l.end = jtString, i+1
			return nil
		case s[i] < 0x20:
			// Not printable: the context stops before it.
			l.end = i
			return l.lexError("Character with value 0x%02x must be escaped.", s[i])
		case s[i] != '\\':
			if hi != -1 {
				return lowSurrogate(i + 1)
			}
			continue
		}
		i++
		if i >= n {
			l.end = n
			return l.lexError("Token \"%s\" is invalid.", l.in[l.start:l.end])
		}
		if s[i] != 'u' {
			if !stringsContainsByte(`"\/bfnrt`, s[i]) {
				_, size := utf8.DecodeRuneInString(s[i:])
				l.end = i + size
				return l.lexError("Escape sequence \"\\%s\" is invalid.", s[i:i+size])
			}
			if hi != -1 {
				return lowSurrogate(i + 1)
			}
			continue
		}
		ch := 0
		for k := 0; k < 4; k++ {
			i++
			if i >= n {
				l.end = n
				return l.lexError("Token \"%s\" is invalid.", l.in[l.start:l.end])
			}
			d, ok := hexDigit(s[i])
			if !ok {
				_, size := utf8.DecodeRuneInString(s[i:])
				l.end = i + size
				return l.lexError("\"\\u\" must be followed by four hexadecimal digits.")
			}
			ch = ch*16 + d
		}
		if !l.jsonb {
			continue
		}
		switch {
		case ch >= 0xd800 && ch <= 0xdbff:
			if hi != -1 {
				l.end = i + 1
				return l.lexError("Unicode high surrogate must not follow a high surrogate.")
			}
			hi = ch
			continue
		case ch >= 0xdc00 && ch <= 0xdfff:
			if hi == -1 {
				return lowSurrogate(i + 1)
			}
			hi = -1
			continue
		case hi != -1:
			return lowSurrogate(i + 1)
		case ch == 0:
			l.end = i + 1
			e := l.lexError("\\u0000 cannot be converted to text.").(*pgerror.Error)
			e.Code, e.Message = pgerror.UntranslatableCharacter, "unsupported Unicode escape sequence"
			return e
		}
	}
}

func stringsContainsByte(s string, c byte) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return true
		}
	}
	return false
}

func hexDigit(c byte) (int, bool) {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0'), true
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10, true
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10, true
	}
	return 0, false
}

// parseValue reads one value starting at the current token; depth
// counts the containers around it, bounded by max_stack_depth.
func (l *jsonLexer) parseValue(depth int) error {
	if depth >= l.maxDepth {
		return jsonTooDeep(l.set)
	}
	switch l.tok {
	case jtObjectStart:
		return l.parseObject(depth)
	case jtArrayStart:
		return l.parseArray(depth)
	case jtString, jtNumber, jtTrue, jtFalse, jtNull:
		return l.next()
	}
	return l.parseError(ctxValue)
}

func (l *jsonLexer) parseObject(depth int) error {
	if err := l.next(); err != nil {
		return err
	}
	switch l.tok {
	case jtString:
		for {
			if err := l.parseField(depth); err != nil {
				return err
			}
			if l.tok != jtComma {
				break
			}
			if err := l.next(); err != nil {
				return err
			}
		}
	case jtObjectEnd:
	default:
		return l.parseError(ctxObjectStart)
	}
	return l.expect(jtObjectEnd, ctxObjectNext)
}

func (l *jsonLexer) parseField(depth int) error {
	if l.tok != jtString {
		return l.parseError(ctxString)
	}
	if err := l.next(); err != nil {
		return err
	}
	if err := l.expect(jtColon, ctxObjectLabel); err != nil {
		return err
	}
	return l.parseValue(depth + 1)
}

func (l *jsonLexer) parseArray(depth int) error {
	if err := l.next(); err != nil {
		return err
	}
	if l.tok != jtArrayEnd {
		for {
			if err := l.parseValue(depth + 1); err != nil {
				return err
			}
			if l.tok != jtComma {
				break
			}
			if err := l.next(); err != nil {
				return err
			}
		}
	}
	return l.expect(jtArrayEnd, ctxArrayNext)
}

// expect moves past the current token if it is t, else reports what
// the context expected.
func (l *jsonLexer) expect(t jsonToken, ctx jsonParseCtx) error {
	if l.tok == t {
		return l.next()
	}
	return l.parseError(ctx)
}

func (l *jsonLexer) parseError(ctx jsonParseCtx) error {
	if l.tok == jtEnd {
		return l.lexError("The input string ended unexpectedly.")
	}
	found := l.in[l.start:l.end]
	switch ctx {
	case ctxEnd:
		return l.lexError("Expected end of input, but found \"%s\".", found)
	case ctxString:
		return l.lexError("Expected string, but found \"%s\".", found)
	case ctxArrayNext:
		return l.lexError("Expected \",\" or \"]\", but found \"%s\".", found)
	case ctxObjectStart:
		return l.lexError("Expected string or \"}\", but found \"%s\".", found)
	case ctxObjectLabel:
		return l.lexError("Expected \":\", but found \"%s\".", found)
	case ctxObjectNext:
		return l.lexError("Expected \",\" or \"}\", but found \"%s\".", found)
	}
	return l.lexError("Expected JSON value, but found \"%s\".", found)
}

// lexError is invalid input with detail, and PostgreSQL's context: the
// current line up to the end of the offending token, at most about 50
// bytes of it ("..." where it was cut, and after it unless the input or
// the line ends there).
func (l *jsonLexer) lexError(format string, args ...any) error {
	lineStart, end := l.lineStart, l.end
	start := lineStart
	for end-start >= 50 {
		if l.in[start] >= 0x80 {
			_, size := utf8.DecodeRuneInString(l.in[start:])
			start += size
		} else {
			start++
		}
	}
	if start-lineStart <= 3 {
		start = lineStart
	}
	prefix, suffix := "", ""
	if start > lineStart {
		prefix = "..."
	}
	if l.tok != jtEnd && end < len(l.in) && l.in[end] != '\n' && l.in[end] != '\r' {
		suffix = "..."
	}
	e := pgerror.New(pgerror.InvalidTextRepresentation, "invalid input syntax for type json").
		WithDetail("%s", fmt.Sprintf(format, args...))
	e.Where = fmt.Sprintf("JSON data, line %d: %s%s%s", l.line, prefix, l.in[start:end], suffix)
	return e
}
