package pgencoding

import "testing"

// The messages are PostgreSQL 15's for the same bytes (psql and libpq
// with client_encoding UTF8).
func TestCheckUTF8(t *testing.T) {
	for _, tc := range []struct {
		in, want string
	}{
		{"plain", ""},
		{"héllo wörld ✓ 𝄞", ""},
		{"a\xffb", `invalid byte sequence for encoding "UTF8": 0xff`},
		{"a\x00b", `invalid byte sequence for encoding "UTF8": 0x00`},
		{"\xe2\x28\xa1", `invalid byte sequence for encoding "UTF8": 0xe2 0x28 0xa1`},
		{"ok \xc3", `invalid byte sequence for encoding "UTF8": 0xc3`},
		{"\xf0\x9f\x98", `invalid byte sequence for encoding "UTF8": 0xf0 0x9f 0x98`},
		{"\xed\xa0\x80", `invalid byte sequence for encoding "UTF8": 0xed 0xa0 0x80`}, // a surrogate
	} {
		err := CheckUTF8([]byte(tc.in))
		got := ""
		if err != nil {
			got = err.Message
			if err.Code != "22021" {
				t.Errorf("%q: code %s", tc.in, err.Code)
			}
		}
		if got != tc.want {
			t.Errorf("%q: %q, want %q", tc.in, got, tc.want)
		}
		if s := CheckUTF8String(tc.in); (s == nil) != (err == nil) {
			t.Errorf("%q: CheckUTF8String disagrees", tc.in)
		}
	}
}
