package pgencoding

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/quorumdb/quorumdb/sql/pgerror"
)

// CheckUTF8 reports text that is not valid in the database encoding,
// UTF8, as PostgreSQL's pg_verify_mbstr does for everything a client
// sends (statements, parameters, COPY data): 22021 naming the bytes of
// the first bad character. A NUL byte is refused too: PostgreSQL's text
// types cannot hold one, so storing it would give back another string.
func CheckUTF8(b []byte) *pgerror.Error {
	for i := 0; i < len(b); {
		c := b[i]
		if c != 0 && c < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if c != 0 && (r != utf8.RuneError || size > 1) {
			i += size
			continue
		}
		return invalidUTF8(b[i:])
	}
	return nil
}

// CheckUTF8String is CheckUTF8 of a string.
func CheckUTF8String(s string) *pgerror.Error {
	if utf8.ValidString(s) && strings.IndexByte(s, 0) < 0 {
		return nil
	}
	return CheckUTF8([]byte(s))
}

// invalidUTF8 is PostgreSQL's report_invalid_encoding for the character
// starting b: as many bytes as its first byte announces (pg_utf_mblen),
// at most what is left.
func invalidUTF8(b []byte) *pgerror.Error {
	n := 1
	switch c := b[0]; {
	case c&0xe0 == 0xc0:
		n = 2
	case c&0xf0 == 0xe0:
		n = 3
	case c&0xf8 == 0xf0:
		n = 4
	}
	n = min(n, len(b))
	parts := make([]string, n)
	for i := range n {
		parts[i] = fmt.Sprintf("0x%02x", b[i])
	}
	return pgerror.New(pgerror.CharacterNotInRepertoire, "invalid byte sequence for encoding \"UTF8\": %s", strings.Join(parts, " "))
}
