package builtins

import (
	"regexp"
	"regexp/syntax"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// likeMatch matches s against a LIKE pattern whose escape character is
// backslash (like_escape rewrites other escapes to it). A trailing
// escape matches itself, as PostgreSQL 15 does.
func likeMatch(s, p string, fold bool) bool {
	if fold {
		s, p = asciiLower(s), asciiLower(p)
	}
	return likeRunes([]rune(s), []rune(p))
}

func likeRunes(s, p []rune) bool {
	for len(p) > 0 {
		switch c := p[0]; c {
		case '%':
			for len(p) > 0 && p[0] == '%' {
				p = p[1:]
			}
			if len(p) == 0 {
				return true
			}
			for i := 0; i <= len(s); i++ {
				if likeRunes(s[i:], p) {
					return true
				}
			}
			return false
		case '_':
			if len(s) == 0 {
				return false
			}
			s, p = s[1:], p[1:]
		default:
			if c == '\\' && len(p) > 1 {
				p = p[1:]
				c = p[0]
			}
			if len(s) == 0 || s[0] != c {
				return false
			}
			s, p = s[1:], p[1:]
		}
	}
	return len(s) == 0
}

// likeEscape rewrites pattern p with escape character esc to the
// backslash form likeMatch reads (like_escape(text, text)).
func likeEscape(p, esc string) (types.Datum, error) {
	if esc == `\` {
		return p, nil
	}
	if utf8.RuneCountInString(esc) > 1 {
		return nil, newErr(pgerror.InvalidEscapeSequence, "invalid escape string").(*pgerror.Error).WithHint("Escape string must be empty or one character.")
	}
	var b strings.Builder
	e, _ := utf8.DecodeRuneInString(esc)
	rs := []rune(p)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case esc != "" && r == e && i+1 < len(rs):
			i++
			if rs[i] == '%' || rs[i] == '_' || rs[i] == '\\' {
				b.WriteRune('\\')
			}
			b.WriteRune(rs[i])
		case r == '\\':
			b.WriteString(`\\`)
		default:
			b.WriteRune(r)
		}
	}
	return b.String(), nil
}

// reCache holds compiled regular expressions by flags+pattern; queries
// apply one pattern to many rows.
var reCache = struct {
	sync.Mutex
	m map[string]*regexp.Regexp
}{m: map[string]*regexp.Regexp{}}

// compileRE compiles a POSIX ARE as far as Go's RE2 syntax agrees with
// it (classes, anchors, quantifiers, groups; no back-references).
func compileRE(p string, fold bool) (*regexp.Regexp, error) {
	key := p
	if fold {
		key = "(?i)" + p
	}
	reCache.Lock()
	defer reCache.Unlock()
	if re, ok := reCache.m[key]; ok {
		return re, nil
	}
	src := p
	if fold {
		src = asciiFoldPattern(src)
	}
	re, err := regexp.Compile(src)
	if err != nil {
		msg := "invalid regular expression"
		if se, ok := err.(*syntax.Error); ok {
			switch se.Code {
			case syntax.ErrMissingParen, syntax.ErrUnexpectedParen:
				msg += ": parentheses () not balanced"
			case syntax.ErrMissingBracket:
				msg += ": brackets [] not balanced"
			case syntax.ErrMissingRepeatArgument, syntax.ErrInvalidRepeatOp:
				msg += ": quantifier operand invalid"
			case syntax.ErrTrailingBackslash:
				msg += ": invalid escape \\ sequence"
			default:
				msg += ": " + string(se.Code)
			}
		}
		return nil, newErr(pgerror.InvalidRegularExpression, "%s", msg)
	}
	if len(reCache.m) > 256 {
		reCache.m = map[string]*regexp.Regexp{}
	}
	reCache.m[key] = re
	return re, nil
}

// reFlags reads the flags argument of regexp_replace and friends.
func reFlags(flags string, fn string) (fold, global bool, err error) {
	for _, f := range flags {
		switch f {
		case 'i':
			fold = true
		case 'c':
			fold = false
		case 'g':
			global = true
		case 'n', 'p', 'w', 's', 't':
			// newline-sensitivity variants: RE2's defaults are close enough.
		default:
			return false, false, newErr(pgerror.InvalidParameterValue, "invalid regular expression option: \"%c\"", f)
		}
	}
	return fold, global, nil
}

// expandRepl writes replacement repl for match m of s: \1..\9 are
// groups, \& the whole match, \\ a backslash.
func expandRepl(b *strings.Builder, repl, s string, m []int) {
	for i := 0; i < len(repl); i++ {
		c := repl[i]
		if c != '\\' || i+1 == len(repl) {
			b.WriteByte(c)
			continue
		}
		i++
		d := repl[i]
		switch {
		case d >= '1' && d <= '9':
			g := int(d - '0')
			if 2*g+1 < len(m) && m[2*g] >= 0 {
				b.WriteString(s[m[2*g]:m[2*g+1]])
			}
		case d == '&':
			b.WriteString(s[m[0]:m[1]])
		case d == '\\':
			b.WriteByte('\\')
		default:
			b.WriteByte('\\')
			b.WriteByte(d)
		}
	}
}

func regexpReplace(s, p, repl, flags string) (types.Datum, error) {
	fold, global, err := reFlags(flags, "regexp_replace")
	if err != nil {
		return nil, err
	}
	re, err := compileRE(p, fold)
	if err != nil {
		return nil, err
	}
	n := 1
	if global {
		n = -1
	}
	return replaceMatches(s, repl, re.FindAllStringSubmatchIndex(s, n)), nil
}

// replaceMatches returns s with each match of ms (submatch indexes, in
// order) replaced by repl expanded for it.
func replaceMatches(s, repl string, ms [][]int) string {
	if len(ms) == 0 {
		return s
	}
	var b strings.Builder
	last := 0
	for _, m := range ms {
		b.WriteString(s[last:m[0]])
		expandRepl(&b, repl, s, m)
		last = m[1]
	}
	b.WriteString(s[last:])
	return b.String()
}

// matchGroups is the text[] regexp_match and regexp_matches return for
// the match m of s: its parenthesized subexpressions (NULL for one that
// did not take part), or the whole match when there are none.
func matchGroups(s string, m []int) *types.Array {
	arr := &types.Array{Elem: types.Text}
	if len(m) == 2 {
		arr.Elems = []types.Datum{s[m[0]:m[1]]}
		return arr
	}
	for g := 1; 2*g < len(m); g++ {
		if m[2*g] < 0 {
			arr.Elems = append(arr.Elems, nil)
		} else {
			arr.Elems = append(arr.Elems, s[m[2*g]:m[2*g+1]])
		}
	}
	return arr
}

// compileNonGlobal compiles p for a function that has no global mode:
// the g flag is refused.
func compileNonGlobal(p, flags, fn string) (*regexp.Regexp, error) {
	fold, global, err := reFlags(flags, fn)
	if err != nil {
		return nil, err
	}
	if global {
		return nil, newErr(pgerror.InvalidParameterValue, "%s() does not support the \"global\" option", fn)
	}
	return compileRE(p, fold)
}

func regexpMatch(s, p, flags string) (types.Datum, error) {
	fold, global, err := reFlags(flags, "regexp_match")
	if err != nil {
		return nil, err
	}
	if global {
		return nil, newErr(pgerror.InvalidParameterValue, "regexp_match() does not support the \"global\" option").(*pgerror.Error).WithHint("Use the regexp_matches function instead.")
	}
	re, err := compileRE(p, fold)
	if err != nil {
		return nil, err
	}
	m := re.FindStringSubmatchIndex(s)
	if m == nil {
		return nil, nil
	}
	return matchGroups(s, m), nil
}

func registerPatterns() {
	T, B := types.Text, types.Bool
	like := func(fold, neg bool) Fn {
		return func(_ *Context, a []types.Datum) (types.Datum, error) {
			return likeMatch(a[0].(string), a[1].(string), fold) != neg, nil
		}
	}
	for op, fn := range map[string]Fn{"~~": like(false, false), "!~~": like(false, true), "~~*": like(true, false), "!~~*": like(true, true)} {
		registerBin(op, ov(B, fn, T, T))
		// char(n) LIKE compares with its padding, as bpcharlike does.
		registerBin(op, ov(B, fn, types.BPChar, T))
		registerBin(op, ov(B, fn, types.Name, T))
	}
	registerBin("~~", ov(B, func(_ *Context, a []types.Datum) (types.Datum, error) {
		return likeRunes(bytesRunes(a[0].([]byte)), bytesRunes(a[1].([]byte))), nil
	}, types.Bytea, types.Bytea))
	register("like_escape", ov(T, txt2(likeEscape), T, T))
	register("like", ov(B, like(false, false), T, T))
	register("ilike", ov(B, like(true, false), T, T))
	re := func(fold, neg bool) Fn {
		return func(_ *Context, a []types.Datum) (types.Datum, error) {
			r, err := compileRE(a[1].(string), fold)
			if err != nil {
				return nil, err
			}
			return r.MatchString(a[0].(string)) != neg, nil
		}
	}
	for op, fn := range map[string]Fn{"~": re(false, false), "!~": re(false, true), "~*": re(true, false), "!~*": re(true, true)} {
		registerBin(op, ov(B, fn, T, T), ov(B, fn, types.BPChar, T), ov(B, fn, types.Name, T))
	}
	register("regexp_replace",
		ov(T, func(_ *Context, a []types.Datum) (types.Datum, error) {
			return regexpReplace(a[0].(string), a[1].(string), a[2].(string), "")
		}, T, T, T),
		ov(T, func(_ *Context, a []types.Datum) (types.Datum, error) {
			return regexpReplace(a[0].(string), a[1].(string), a[2].(string), a[3].(string))
		}, T, T, T, T))
	register("regexp_match",
		ov(types.ArrayOf(T), func(_ *Context, a []types.Datum) (types.Datum, error) {
			return regexpMatch(a[0].(string), a[1].(string), "")
		}, T, T),
		ov(types.ArrayOf(T), func(_ *Context, a []types.Datum) (types.Datum, error) {
			return regexpMatch(a[0].(string), a[1].(string), a[2].(string))
		}, T, T, T))
	regexpLike := func(s, p, flags string) (types.Datum, error) {
		fold, _, err := reFlags(flags, "regexp_like")
		if err != nil {
			return nil, err
		}
		r, err := compileRE(p, fold)
		if err != nil {
			return nil, err
		}
		return r.MatchString(s), nil
	}
	register("regexp_like",
		ov(B, func(_ *Context, a []types.Datum) (types.Datum, error) {
			return regexpLike(a[0].(string), a[1].(string), "")
		}, T, T),
		ov(B, func(_ *Context, a []types.Datum) (types.Datum, error) {
			return regexpLike(a[0].(string), a[1].(string), a[2].(string))
		}, T, T, T))
	register("regexp_count", ov(types.Int4, func(_ *Context, a []types.Datum) (types.Datum, error) {
		r, err := compileRE(a[1].(string), false)
		if err != nil {
			return nil, err
		}
		return int64(len(r.FindAllStringIndex(a[0].(string), -1))), nil
	}, T, T))
}

// bytesRunes widens bytes to runes for the LIKE matcher (bytea LIKE
// matches byte by byte).
func bytesRunes(b []byte) []rune {
	r := make([]rune, len(b))
	for i, c := range b {
		r[i] = rune(c)
	}
	return r
}
