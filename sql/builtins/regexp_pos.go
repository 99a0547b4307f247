package builtins

import (
	"regexp"
	"unicode/utf8"

	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// PostgreSQL 15's positional regexp functions: regexp_count, regexp_instr
// and regexp_substr with start/N/flags/subexpr, and regexp_replace with a
// start position and a match number. Positions count characters from 1.
// A search from a later start keeps the string's context (^ does not
// match there), as in PostgreSQL: matches are found over the whole
// string and those starting before start are skipped.

// regexpArgs are the optional arguments after the pattern.
type regexpArgs struct {
	start, n, endOption, subexpr int64
	flags                        string
}

func badRegexpParam(name string, v int64) error {
	return newErr(pgerror.InvalidParameterValue, "invalid value for parameter \"%s\": %d", name, v)
}

// byteOffset is the byte offset of 1-based character position pos
// (len(s) past the end).
func byteOffset(s string, pos int64) int {
	i := 0
	for n := int64(1); n < pos && i < len(s); n++ {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return i
}

func charPos(s string, byteOff int) int64 {
	return int64(utf8.RuneCountInString(s[:byteOff])) + 1
}

// matchesFrom returns the matches of re in s that start at or after off.
func matchesFrom(re *regexp.Regexp, s string, off int) [][]int {
	var out [][]int
	for _, m := range re.FindAllStringSubmatchIndex(s, -1) {
		if m[0] >= off {
			out = append(out, m)
		}
	}
	return out
}

// nthMatch returns the n'th (1-based) match from a.start, or nil.
func nthMatch(re *regexp.Regexp, s string, a regexpArgs) []int {
	ms := matchesFrom(re, s, byteOffset(s, a.start))
	if a.n > int64(len(ms)) {
		return nil
	}
	return ms[a.n-1]
}

func (a regexpArgs) check(fn string) error {
	if a.start < 1 {
		return badRegexpParam("start", a.start)
	}
	if a.n < 1 && fn != "regexp_replace" && fn != "regexp_count" {
		return badRegexpParam("n", a.n)
	}
	if a.n < 0 {
		return badRegexpParam("n", a.n)
	}
	if a.endOption != 0 && a.endOption != 1 {
		return badRegexpParam("endoption", a.endOption)
	}
	if a.subexpr < 0 {
		return badRegexpParam("subexpr", a.subexpr)
	}
	return nil
}

// group returns the byte range of subexpression k of match m, ok false
// when it does not exist or did not participate.
func group(m []int, k int64) (int, int, bool) {
	if 2*k+1 >= int64(len(m)) || m[2*k] < 0 {
		return 0, 0, false
	}
	return m[2*k], m[2*k+1], true
}

func regexpCount(s, p string, a regexpArgs) (types.Datum, error) {
	if err := a.check("regexp_count"); err != nil {
		return nil, err
	}
	re, err := compileNonGlobal(p, a.flags, "regexp_count")
	if err != nil {
		return nil, err
	}
	return int64(len(matchesFrom(re, s, byteOffset(s, a.start)))), nil
}

func regexpInstr(s, p string, a regexpArgs) (types.Datum, error) {
	if err := a.check("regexp_instr"); err != nil {
		return nil, err
	}
	re, err := compileNonGlobal(p, a.flags, "regexp_instr")
	if err != nil {
		return nil, err
	}
	m := nthMatch(re, s, a)
	if m == nil {
		return int64(0), nil
	}
	from, to, ok := group(m, a.subexpr)
	if !ok {
		return int64(0), nil
	}
	if a.endOption == 1 {
		return charPos(s, to), nil
	}
	return charPos(s, from), nil
}

func regexpSubstr(s, p string, a regexpArgs) (types.Datum, error) {
	if err := a.check("regexp_substr"); err != nil {
		return nil, err
	}
	re, err := compileNonGlobal(p, a.flags, "regexp_substr")
	if err != nil {
		return nil, err
	}
	m := nthMatch(re, s, a)
	if m == nil {
		return nil, nil
	}
	from, to, ok := group(m, a.subexpr)
	if !ok {
		return nil, nil
	}
	return s[from:to], nil
}

// regexpReplaceAt replaces, from character position start, the n'th
// match (n = 0: every match).
func regexpReplaceAt(s, p, repl string, a regexpArgs) (types.Datum, error) {
	if err := a.check("regexp_replace"); err != nil {
		return nil, err
	}
	fold, _, err := reFlags(a.flags, "regexp_replace")
	if err != nil {
		return nil, err
	}
	re, err := compileRE(p, fold)
	if err != nil {
		return nil, err
	}
	ms := matchesFrom(re, s, byteOffset(s, a.start))
	if a.n > 0 {
		if a.n > int64(len(ms)) {
			return s, nil
		}
		ms = ms[a.n-1 : a.n]
	}
	return replaceMatches(s, repl, ms), nil
}

func registerRegexpPosition() {
	T, I := types.Text, types.Int4
	// args reads the optional arguments in the order the function takes
	// them; names lists which ones are present.
	args := func(a []types.Datum, names ...string) regexpArgs {
		r := regexpArgs{start: 1, n: 1}
		for i, name := range names {
			if i >= len(a) {
				break
			}
			switch name {
			case "start":
				r.start = a[i].(int64)
			case "n":
				r.n = a[i].(int64)
			case "endoption":
				r.endOption = a[i].(int64)
			case "subexpr":
				r.subexpr = a[i].(int64)
			case "flags":
				r.flags = a[i].(string)
			}
		}
		return r
	}
	count := func(_ *Context, a []types.Datum) (types.Datum, error) {
		return regexpCount(a[0].(string), a[1].(string), args(a[2:], "start", "flags"))
	}
	register("regexp_count", ov(I, count, T, T, I), ov(I, count, T, T, I, T))
	instr := func(_ *Context, a []types.Datum) (types.Datum, error) {
		return regexpInstr(a[0].(string), a[1].(string), args(a[2:], "start", "n", "endoption", "flags", "subexpr"))
	}
	register("regexp_instr", ov(I, instr, T, T), ov(I, instr, T, T, I), ov(I, instr, T, T, I, I),
		ov(I, instr, T, T, I, I, I), ov(I, instr, T, T, I, I, I, T), ov(I, instr, T, T, I, I, I, T, I))
	substr := func(_ *Context, a []types.Datum) (types.Datum, error) {
		return regexpSubstr(a[0].(string), a[1].(string), args(a[2:], "start", "n", "flags", "subexpr"))
	}
	register("regexp_substr", ov(T, substr, T, T), ov(T, substr, T, T, I), ov(T, substr, T, T, I, I),
		ov(T, substr, T, T, I, I, T), ov(T, substr, T, T, I, I, T, I))
	replace := func(_ *Context, a []types.Datum) (types.Datum, error) {
		// Without N the first match is replaced; N = 0 replaces every
		// match (a g flag does not override a positive N).
		r := args(a[3:], "start", "n", "flags")
		return regexpReplaceAt(a[0].(string), a[1].(string), a[2].(string), r)
	}
	register("regexp_replace", ov(T, replace, T, T, T, I), ov(T, replace, T, T, T, I, I), ov(T, replace, T, T, T, I, I, T))
}
