package builtins

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Case mapping under the database's ctype. quorumdb's databases have
// collation and ctype C (pg_database.datcollate/datctype), under which
// PostgreSQL maps case for ASCII letters only: upper('ü') is 'ü',
// initcap treats only ASCII letters and digits as word characters,
// ILIKE and case-insensitive regular expressions fold ASCII only.

func asciiUpper(s string) string { return mapASCII(s, 'a', 'z', 'A'-'a') }
func asciiLower(s string) string { return mapASCII(s, 'A', 'Z', 'a'-'A') }

func mapASCII(s string, lo, hi byte, delta int) string {
	i := 0
	for i < len(s) && (s[i] < lo || s[i] > hi) {
		i++
	}
	if i == len(s) {
		return s
	}
	b := []byte(s)
	for ; i < len(b); i++ {
		if b[i] >= lo && b[i] <= hi {
			b[i] = byte(int(b[i]) + delta)
		}
	}
	return string(b)
}

func isASCIIAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func otherCase(c byte) byte {
	if c >= 'a' && c <= 'z' {
		return c - ('a' - 'A')
	}
	return c + ('a' - 'A')
}

// initcap is str_initcap under ctype C: the first ASCII letter after a
// byte that is not an ASCII letter or digit is upper-cased, the other
// ASCII letters lower-cased, all other characters left alone.
func initcap(s string) string {
	b := []byte(s)
	wasAlnum := false
	for i, c := range b {
		if wasAlnum {
			if c >= 'A' && c <= 'Z' {
				b[i] = c + ('a' - 'A')
			}
		} else if c >= 'a' && c <= 'z' {
			b[i] = c - ('a' - 'A')
		}
		wasAlnum = isASCIIAlnum(c)
	}
	return string(b)
}

// asciiFoldPattern rewrites a regular expression so that it matches ASCII
// letters in either case and every other character as written, as
// PostgreSQL's case-insensitive matching does under ctype C (Go's (?i)
// folds all of Unicode: ü and Ü, k and the Kelvin sign). A letter outside
// brackets becomes a two-letter bracket expression; inside one, each
// letter and range gains its other case. Escapes are copied as written.
func asciiFoldPattern(p string) string {
	var b strings.Builder
	inClass := false
	for i := 0; i < len(p); {
		c := p[i]
		switch {
		case c == '\\' && i+1 < len(p):
			n := 1 + escapeLen(p[i+1:])
			if l, ok := hexLetter(p[i+1 : i+n]); ok {
				// \x41 is the letter A: both cases.
				if !inClass {
					b.WriteByte('[')
				}
				b.WriteString(p[i : i+n])
				b.WriteByte(otherCase(l))
				if !inClass {
					b.WriteByte(']')
				}
			} else {
				b.WriteString(p[i : i+n])
			}
			i += n
		case !inClass && c == '[':
			inClass = true
			b.WriteByte('[')
			i++
			if i < len(p) && p[i] == '^' {
				b.WriteByte('^')
				i++
			}
			if i < len(p) && p[i] == ']' {
				b.WriteByte(']')
				i++
			}
		case inClass && c == '[' && i+1 < len(p) && p[i+1] == ':':
			end := strings.Index(p[i:], ":]")
			if end < 0 {
				b.WriteString(p[i:])
				return b.String()
			}
			switch name := p[i : i+end+2]; name {
			case "[:lower:]", "[:upper:]":
				b.WriteString("[:alpha:]") // either case matches
			default:
				b.WriteString(name)
			}
			i += end + 2
		case inClass && c == ']':
			inClass = false
			b.WriteByte(']')
			i++
		case inClass && c < utf8.RuneSelf && i+2 < len(p) && p[i+1] == '-' && p[i+2] != ']' && p[i+2] < utf8.RuneSelf && p[i+2] != '\\':
			lo, hi := c, p[i+2]
			b.WriteString(p[i : i+3])
			i += 3
			for _, r := range [][2]byte{{'A', 'Z'}, {'a', 'z'}} {
				l, h := max(lo, r[0]), min(hi, r[1])
				if l <= h {
					b.WriteByte(otherCase(l))
					b.WriteByte('-')
					b.WriteByte(otherCase(h))
				}
			}
		case isASCIILetter(c):
			if !inClass {
				b.WriteByte('[')
			}
			b.WriteByte(c)
			b.WriteByte(otherCase(c))
			if !inClass {
				b.WriteByte(']')
			}
			i++
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String()
}

func isHexDigit(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// escapeLen is the length of the escape sequence after a backslash: one
// character, \x with two hexadecimal digits, or a letter with a braced
// argument (\x{41}, \p{Greek}).
func escapeLen(s string) int {
	_, n := utf8.DecodeRuneInString(s)
	if n < len(s) && s[n] == '{' && (s[0] == 'x' || s[0] == 'p' || s[0] == 'P') {
		if end := strings.IndexByte(s[n:], '}'); end >= 0 {
			return n + end + 1
		}
	}
	if s[0] == 'x' && len(s) >= 3 && isHexDigit(s[1]) && isHexDigit(s[2]) {
		return 3
	}
	return n
}

// hexLetter reports whether a hexadecimal escape (x41, x{61}) denotes an
// ASCII letter, and which.
func hexLetter(esc string) (byte, bool) {
	if len(esc) < 2 || esc[0] != 'x' {
		return 0, false
	}
	h := strings.Trim(esc[1:], "{}")
	if len(esc) == 2 || len(h) == 0 || len(h) > 2 {
		return 0, false
	}
	v, err := strconv.ParseUint(h, 16, 8)
	if err != nil || !isASCIILetter(byte(v)) {
		return 0, false
	}
	return byte(v), true
}
