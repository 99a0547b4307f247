package builtins

import (
	"strings"
	"unicode/utf8"

	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// SQL regular expressions (SIMILAR TO, substring(x SIMILAR p ESCAPE e)).
// The parser turns "x SIMILAR TO p [ESCAPE e]" into
// "x ~ similar_to_escape(p [, e])"; similar_to_escape rewrites the SQL
// pattern into a POSIX one as PostgreSQL's does: anchored, % and _ as .*
// and ., ( as a non-capturing group, regex metacharacters that SQL treats
// literally escaped, bracket expressions copied, and the escape-double-
// quote separators of substring becoming the capture group.

const codeInvalidUseOfEscapeCharacter = "2200C"

// similarToEscape translates SQL pattern p with escape character esc
// ("" means none; SIMILAR TO without ESCAPE uses backslash).
func similarToEscape(p, esc string) (types.Datum, error) {
	if utf8.RuneCountInString(esc) > 1 {
		return nil, newErr(pgerror.InvalidEscapeSequence, "invalid escape string").(*pgerror.Error).WithHint("Escape string must be empty or one character.")
	}
	escape, _ := utf8.DecodeRuneInString(esc)
	hasEscape := esc != ""
	var b strings.Builder
	b.WriteString("^(?:")
	afterEscape := false
	quotes := 0
	// classDepth counts open brackets of a bracket expression (nested for
	// [:alpha:]); classStart is 1 right after "[", 2 after "[^" (where a
	// "]" is literal) and 3 once past the start.
	classDepth, classStart := 0, 0
	for _, c := range p {
		switch {
		case afterEscape:
			afterEscape = false
			if c == '"' && classDepth == 0 {
				switch quotes {
				case 0:
					b.WriteString("){1,1}?(")
				case 1:
					b.WriteString("){1,1}(?:")
				default:
					return nil, newErr(codeInvalidUseOfEscapeCharacter, "SQL regular expression may not contain more than two escape-double-quote separators")
				}
				quotes++
				continue
			}
			// Any character may be escaped, which also reaches regex
			// escapes such as \d.
			b.WriteByte('\\')
			b.WriteRune(c)
			if classDepth > 0 {
				classStart = 3
			}
		case hasEscape && c == escape:
			afterEscape = true
		case classDepth > 0:
			if c == '\\' {
				b.WriteByte('\\')
			}
			b.WriteRune(c)
			switch {
			case c == ']' && classStart > 2:
				classDepth--
			case c == '[':
				classDepth++
			}
			if c == '^' {
				classStart++
			} else {
				classStart = 3
			}
		case c == '[':
			b.WriteRune(c)
			classDepth, classStart = 1, 1
		case c == '%':
			b.WriteString(".*")
		case c == '_':
			b.WriteByte('.')
		case c == '(':
			b.WriteString("(?:")
		case c == '\\' || c == '.' || c == '^' || c == '$':
			b.WriteByte('\\')
			b.WriteRune(c)
		default:
			b.WriteRune(c)
		}
	}
	b.WriteString(")$")
	return b.String(), nil
}

// regexSubstring is substring(s from p) for a POSIX pattern: the part
// matching the first parenthesized subexpression, or the whole match when
// there is none; NULL without a match.
func regexSubstring(s, p string) (types.Datum, error) {
	re, err := compileRE(p, false)
	if err != nil {
		return nil, err
	}
	m := re.FindStringSubmatchIndex(s)
	if m == nil {
		return nil, nil
	}
	if len(m) > 2 {
		if m[2] < 0 {
			return nil, nil
		}
		return s[m[2]:m[3]], nil
	}
	return s[m[0]:m[1]], nil
}

func registerSimilar() {
	T := types.Text
	register("similar_to_escape",
		ov(T, func(_ *Context, a []types.Datum) (types.Datum, error) { return similarToEscape(a[0].(string), `\`) }, T),
		ov(T, txt2(similarToEscape), T, T))
	register("substring",
		ov(T, txt2(regexSubstring), T, T),
		// substring(s SIMILAR p ESCAPE e) and substring(s FROM p FOR e).
		ov(T, func(_ *Context, a []types.Datum) (types.Datum, error) {
			re, err := similarToEscape(a[1].(string), a[2].(string))
			if err != nil {
				return nil, err
			}
			return regexSubstring(a[0].(string), re.(string))
		}, T, T, T))
}
