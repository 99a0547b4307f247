package builtins

import (
	"github.com/quorumdb/quorumdb/sql/types"
)

// regexp_split_to_array/_table and regexp_matches. The set-returning ones
// are planned in FROM by package sql, which calls RegexpSplit and
// RegexpMatches.

// RegexpSplit splits s at the matches of pattern p. As in PostgreSQL,
// zero-length matches at the start or end of s, or right after the
// previous match, do not split.
func RegexpSplit(s, p, flags string) ([]string, error) {
	re, err := compileNonGlobal(p, flags, "regexp_split_to_array")
	if err != nil {
		return nil, err
	}
	var parts []string
	start, prevEnd := 0, 0
	for _, m := range re.FindAllStringIndex(s, -1) {
		if m[0] < len(s) && m[1] > prevEnd {
			parts = append(parts, s[start:m[0]])
			start = m[1]
		}
		prevEnd = m[1]
	}
	return append(parts, s[start:]), nil
}

// RegexpMatches returns the captured substrings of the first match of p
// in s (every match with the g flag), one text[] per match: the
// parenthesized subexpressions, or the whole match when there are none.
func RegexpMatches(s, p, flags string) ([]*types.Array, error) {
	fold, global, err := reFlags(flags, "regexp_matches")
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
	var out []*types.Array
	for _, m := range re.FindAllStringSubmatchIndex(s, n) {
		out = append(out, matchGroups(s, m))
	}
	return out, nil
}

func registerRegexpSplit() {
	T := types.Text
	split := func(_ *Context, a []types.Datum) (types.Datum, error) {
		flags := ""
		if len(a) == 3 {
			flags = a[2].(string)
		}
		parts, err := RegexpSplit(a[0].(string), a[1].(string), flags)
		if err != nil {
			return nil, err
		}
		arr := &types.Array{Elem: T, Elems: make([]types.Datum, len(parts))}
		for i, p := range parts {
			arr.Elems[i] = p
		}
		return arr, nil
	}
	register("regexp_split_to_array", ov(types.ArrayOf(T), split, T, T), ov(types.ArrayOf(T), split, T, T, T))
}
