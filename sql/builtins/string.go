package builtins

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// Text functions count characters (runes), as PostgreSQL does in UTF8.

func txt(fn func(s string) types.Datum) Fn {
	return func(_ *Context, a []types.Datum) (types.Datum, error) { return fn(a[0].(string)), nil }
}

func txt2(fn func(s, t string) (types.Datum, error)) Fn {
	return func(_ *Context, a []types.Datum) (types.Datum, error) { return fn(a[0].(string), a[1].(string)) }
}

// substring returns the characters from 1-based position from, count
// of them (count < 0: to the end), clipped to the string.
func substring(s string, from, count int64, hasCount bool) (types.Datum, error) {
	if hasCount && count < 0 {
		return nil, newErr(codeSubstringError, "negative substring length not allowed")
	}
	r := []rune(s)
	start := from
	end := int64(len(r)) + 1
	if hasCount {
		if from > 0 && count > int64(len(r)) || from+count < from {
			end = int64(len(r)) + 1
		} else {
			end = min(from+count, int64(len(r))+1)
		}
	}
	start = max(start, 1)
	if start >= end || start > int64(len(r)) {
		return "", nil
	}
	return string(r[start-1 : end-1]), nil
}

// pad implements lpad/rpad: the result is exactly n characters, fill
// repeated on the left or right, s truncated when longer.
func pad(s string, n int64, fill string, left bool) types.Datum {
	r := []rune(s)
	if n <= 0 {
		return ""
	}
	if int64(len(r)) >= n {
		return string(r[:n])
	}
	f := []rune(fill)
	if len(f) == 0 {
		return s
	}
	need := int(n) - len(r)
	p := make([]rune, need)
	for i := range p {
		p[i] = f[i%len(f)]
	}
	if left {
		return string(p) + s
	}
	return s + string(p)
}

func trimChars(s, chars string, left, right bool) string {
	in := func(r rune) bool { return strings.ContainsRune(chars, r) }
	if left {
		s = strings.TrimLeftFunc(s, in)
	}
	if right {
		s = strings.TrimRightFunc(s, in)
	}
	return s
}

func splitPart(s, delim string, n int64) (types.Datum, error) {
	if n == 0 {
		return nil, newErr(pgerror.InvalidParameterValue, "field position must not be zero")
	}
	var parts []string
	if delim == "" {
		// An empty delimiter makes the whole string the only field.
		parts = []string{s}
	} else {
		parts = strings.Split(s, delim)
	}
	if s == "" {
		return "", nil
	}
	if n < 0 {
		n = int64(len(parts)) + n + 1
	}
	if n < 1 || n > int64(len(parts)) {
		return "", nil
	}
	return parts[n-1], nil
}

func translate(s, from, to string) string {
	f, t := []rune(from), []rune(to)
	var b strings.Builder
	for _, r := range s {
		i := -1
		for j, c := range f {
			if c == r {
				i = j
				break
			}
		}
		switch {
		case i < 0:
			b.WriteRune(r)
		case i < len(t):
			b.WriteRune(t[i])
		}
	}
	return b.String()
}

func leftRight(s string, n int64, left bool) types.Datum {
	r := []rune(s)
	l := int64(len(r))
	k := n
	if n < 0 {
		k = max(l+n, 0)
	}
	k = min(k, l)
	if left {
		return string(r[:k])
	}
	return string(r[l-k:])
}

func registerStrings() {
	T, I := types.Text, types.Int4
	register("length char_length character_length", ov(I, txt(func(s string) types.Datum {
		return int64(utf8.RuneCountInString(s))
	}), T))
	// length(char(n)) ignores trailing spaces.
	register("length char_length character_length", ov(I, txt(func(s string) types.Datum {
		return int64(utf8.RuneCountInString(strings.TrimRight(s, " ")))
	}), types.BPChar))
	register("length octet_length", ov(I, func(_ *Context, a []types.Datum) (types.Datum, error) {
		return int64(len(a[0].([]byte))), nil
	}, types.Bytea))
	register("octet_length", ov(I, txt(func(s string) types.Datum { return int64(len(s)) }), T))
	// octet_length(char(n)) counts the padding (bpcharoctetlen), unlike
	// length and bit_length, which see the value as text.
	register("octet_length", ov(I, txt(func(s string) types.Datum { return int64(len(s)) }), types.BPChar))
	register("bit_length", ov(I, txt(func(s string) types.Datum { return int64(8 * len(s)) }), T),
		ov(I, func(_ *Context, a []types.Datum) (types.Datum, error) { return int64(8 * len(a[0].([]byte))), nil }, types.Bytea))
	register("lower", ov(T, txt(func(s string) types.Datum { return asciiLower(s) }), T))
	register("upper", ov(T, txt(func(s string) types.Datum { return asciiUpper(s) }), T))
	register("initcap", ov(T, txt(func(s string) types.Datum { return initcap(s) }), T))
	register("substr substring",
		ov(T, func(_ *Context, a []types.Datum) (types.Datum, error) {
			return substring(a[0].(string), a[1].(int64), 0, false)
		}, T, I),
		ov(T, func(_ *Context, a []types.Datum) (types.Datum, error) {
			return substring(a[0].(string), a[1].(int64), a[2].(int64), true)
		}, T, I, I))
	register("strpos position", ov(I, txt2(func(s, sub string) (types.Datum, error) {
		i := strings.Index(s, sub)
		if i < 0 {
			return int64(0), nil
		}
		return int64(utf8.RuneCountInString(s[:i]) + 1), nil
	}), T, T))
	register("replace", ov(T, func(_ *Context, a []types.Datum) (types.Datum, error) {
		if a[1].(string) == "" {
			return a[0], nil
		}
		return strings.ReplaceAll(a[0].(string), a[1].(string), a[2].(string)), nil
	}, T, T, T))
	for name, lr := range map[string][2]bool{"btrim": {true, true}, "ltrim": {true, false}, "rtrim": {false, true}} {
		lr := lr
		register(name,
			ov(T, txt(func(s string) types.Datum { return trimChars(s, " ", lr[0], lr[1]) }), T),
			ov(T, txt2(func(s, c string) (types.Datum, error) { return trimChars(s, c, lr[0], lr[1]), nil }), T, T))
	}
	for name, left := range map[string]bool{"lpad": true, "rpad": false} {
		left := left
		register(name,
			ov(T, func(_ *Context, a []types.Datum) (types.Datum, error) {
				return pad(a[0].(string), a[1].(int64), " ", left), nil
			}, T, I),
			ov(T, func(_ *Context, a []types.Datum) (types.Datum, error) {
				return pad(a[0].(string), a[1].(int64), a[2].(string), left), nil
			}, T, I, T))
	}
	register("left", ov(T, func(_ *Context, a []types.Datum) (types.Datum, error) {
		return leftRight(a[0].(string), a[1].(int64), true), nil
	}, T, I))
	register("right", ov(T, func(_ *Context, a []types.Datum) (types.Datum, error) {
		return leftRight(a[0].(string), a[1].(int64), false), nil
	}, T, I))
	register("repeat", ov(T, func(_ *Context, a []types.Datum) (types.Datum, error) {
		s, n := a[0].(string), a[1].(int64)
		if n <= 0 {
			return "", nil
		}
		if int64(len(s))*n > 1<<30-1 {
			return nil, newErr(pgerror.ProgramLimitExceeded, "requested length too large")
		}
		return strings.Repeat(s, int(n)), nil
	}, T, I))
	register("reverse", ov(T, txt(func(s string) types.Datum {
		r := []rune(s)
		for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
			r[i], r[j] = r[j], r[i]
		}
		return string(r)
	}), T))
	register("split_part", ov(T, func(_ *Context, a []types.Datum) (types.Datum, error) {
		return splitPart(a[0].(string), a[1].(string), a[2].(int64))
	}, T, T, I))
	register("translate", ov(T, func(_ *Context, a []types.Datum) (types.Datum, error) {
		return translate(a[0].(string), a[1].(string), a[2].(string)), nil
	}, T, T, T))
	register("ascii", ov(I, txt(func(s string) types.Datum {
		if s == "" {
			return int64(0)
		}
		r, _ := utf8.DecodeRuneInString(s)
		return int64(r)
	}), T))
	register("chr", ov(T, func(_ *Context, a []types.Datum) (types.Datum, error) {
		n := a[0].(int64)
		switch {
		case n == 0:
			return nil, newErr(pgerror.ProgramLimitExceeded, "null character not permitted")
		case n < 0:
			return nil, newErr(pgerror.InvalidParameterValue, "character number must be positive")
		case n > unicode.MaxRune:
			return nil, newErr(pgerror.ProgramLimitExceeded, "requested character too large for encoding: %d", n)
		case n >= 0xD800 && n <= 0xDFFF:
			// A surrogate is no UTF-8 character (pg_utf8_islegal).
			return nil, newErr(pgerror.ProgramLimitExceeded, "requested character not valid for encoding: %d", n)
		}
		return string(rune(n)), nil
	}, I))
	register("starts_with", ov(types.Bool, txt2(func(s, p string) (types.Datum, error) {
		return strings.HasPrefix(s, p), nil
	}), T, T))
	register("overlay",
		ov(T, func(_ *Context, a []types.Datum) (types.Datum, error) {
			return overlay(a[0].(string), a[1].(string), a[2].(int64), int64(utf8.RuneCountInString(a[1].(string))))
		}, T, T, I),
		ov(T, func(_ *Context, a []types.Datum) (types.Datum, error) {
			return overlay(a[0].(string), a[1].(string), a[2].(int64), a[3].(int64))
		}, T, T, I, I))
}

// overlay replaces count characters of s from position from with r.
func overlay(s, r string, from, count int64) (types.Datum, error) {
	if from < 1 {
		return nil, newErr(codeSubstringError, "negative substring length not allowed")
	}
	head, err := substring(s, 1, from-1, true)
	if err != nil {
		return nil, err
	}
	tail, _ := substring(s, from+count, 0, false)
	return head.(string) + r + tail.(string), nil
}
