package types

import (
	"strings"

	"github.com/quorumdb/quorumdb/sql/pgerror"
)

func errMalformedArray(s, detail string) error {
	return pgerror.New(pgerror.InvalidTextRepresentation, "malformed array literal: \"%s\"", s).WithDetail("%s", detail)
}

func isArraySpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

// parseArray reads array_in's text form '{1,2,NULL,"a b"}' for a
// one-dimensional array of t.Elem. Optional dimension decoration
// ("[1:3]=") is accepted and its bounds ignored.
func parseArray(t T, s string, set *Settings) (*Array, error) {
	if t.Elem == nil {
		return nil, pgerror.New(pgerror.FeatureNotSupported, "array type without element type")
	}
	if t.Oid == OidInt2Vector || t.Oid == OidOidVector {
		// int2vectorin and oidvectorin: numbers separated by spaces.
		out := &Array{Elem: *t.Elem}
		for _, f := range strings.Fields(s) {
			d, err := ParseText(*t.Elem, f, set)
			if err != nil {
				return nil, err
			}
			out.Elems = append(out.Elems, d)
		}
		return out, nil
	}
	p := 0
	for p < len(s) && isArraySpace(s[p]) {
		p++
	}
	if p < len(s) && s[p] == '[' {
		eq := strings.IndexByte(s[p:], '=')
		if eq < 0 {
			return nil, errMalformedArray(s, "Missing \"=\" after array dimensions.")
		}
		p += eq + 1
		for p < len(s) && isArraySpace(s[p]) {
			p++
		}
	}
	if p >= len(s) || s[p] != '{' {
		return nil, errMalformedArray(s, "Array value must start with \"{\" or dimension information.")
	}
	p++
	out := &Array{Elem: *t.Elem, Elems: []Datum{}}
	for first := true; ; first = false {
		for p < len(s) && isArraySpace(s[p]) {
			p++
		}
		if p >= len(s) {
			return nil, errMalformedArray(s, "Unexpected end of input.")
		}
		if first && s[p] == '}' {
			p++
			break
		}
		var elem string
		isNull := false
		switch s[p] {
		case '{':
			return nil, pgerror.New(pgerror.FeatureNotSupported, "multidimensional arrays are not supported")
		case '"':
			var b strings.Builder
			p++
			for {
				if p >= len(s) {
					return nil, errMalformedArray(s, "Unexpected end of input.")
				}
				c := s[p]
				if c == '"' {
					p++
					break
				}
				if c == '\\' {
					p++
					if p >= len(s) {
						return nil, errMalformedArray(s, "Unexpected end of input.")
					}
					c = s[p]
				}
				b.WriteByte(c)
				p++
			}
			elem = b.String()
		case ',', '}':
			return nil, errMalformedArray(s, "Unexpected \""+string(s[p])+"\" character.")
		default:
			var b strings.Builder
			escaped, keep := false, 0 // keep: length up to the last escaped byte
			for p < len(s) && s[p] != ',' && s[p] != '}' {
				c := s[p]
				switch c {
				case '\\':
					p++
					if p >= len(s) {
						return nil, errMalformedArray(s, "Unexpected end of input.")
					}
					b.WriteByte(s[p])
					escaped, keep = true, b.Len()
				case '"', '{':
					return nil, errMalformedArray(s, "Unexpected \""+string(c)+"\" character.")
				default:
					b.WriteByte(c)
				}
				p++
			}
			elem = b.String()
			trimmed := strings.TrimRightFunc(elem, func(r rune) bool { return r < 128 && isArraySpace(byte(r)) })
			if len(trimmed) < keep {
				trimmed = elem[:keep]
			}
			elem = trimmed
			isNull = !escaped && strings.EqualFold(elem, "NULL")
		}
		for p < len(s) && isArraySpace(s[p]) {
			p++
		}
		if p >= len(s) {
			return nil, errMalformedArray(s, "Unexpected end of input.")
		}
		if isNull {
			out.Elems = append(out.Elems, nil)
		} else {
			d, err := ParseText(*t.Elem, elem, set)
			if err != nil {
				return nil, err
			}
			out.Elems = append(out.Elems, d)
		}
		if s[p] == '}' {
			p++
			break
		}
		if s[p] != ',' {
			return nil, errMalformedArray(s, "Unexpected \""+string(s[p])+"\" character.")
		}
		p++
	}
	for p < len(s) && isArraySpace(s[p]) {
		p++
	}
	if p != len(s) {
		return nil, errMalformedArray(s, "Junk after closing right brace.")
	}
	return out, nil
}

// formatArray prints a as array_out does: elements that are empty, spell
// NULL, or hold braces, commas, quotes, backslashes or white space are
// double-quoted with " and \ escaped.
func formatArray(t T, a *Array, set *Settings) string {
	elem := a.Elem
	if t.Elem != nil {
		elem = *t.Elem
	}
	if t.Oid == OidInt2Vector || t.Oid == OidOidVector {
		// int2vectorout and oidvectorout: space-separated, no braces
		// (pg_dump parses pg_index.indkey so).
		parts := make([]string, len(a.Elems))
		for i, d := range a.Elems {
			parts[i] = FormatText(elem, d, set)
		}
		return strings.Join(parts, " ")
	}
	var b strings.Builder
	b.WriteByte('{')
	for i, d := range a.Elems {
		if i > 0 {
			b.WriteByte(',')
		}
		if d == nil {
			b.WriteString("NULL")
			continue
		}
		s := FormatText(elem, d, set)
		if !arrayNeedsQuote(s) {
			b.WriteString(s)
			continue
		}
		b.WriteByte('"')
		for j := 0; j < len(s); j++ {
			if s[j] == '"' || s[j] == '\\' {
				b.WriteByte('\\')
			}
			b.WriteByte(s[j])
		}
		b.WriteByte('"')
	}
	b.WriteByte('}')
	return b.String()
}

func arrayNeedsQuote(s string) bool {
	if s == "" || strings.EqualFold(s, "NULL") {
		return true
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '{', '}', ',', '"', '\\':
			return true
		default:
			if isArraySpace(c) {
				return true
			}
		}
	}
	return false
}
