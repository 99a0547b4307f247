package builtins

import (
	"regexp"
	"testing"
)

// TestASCIIFold checks case mapping and case-insensitive matching under
// ctype C against PostgreSQL 15 (a database created with --no-locale).
func TestASCIIFold(t *testing.T) {
	for _, tc := range []struct{ in, upper, lower, initcap string }{
		{"ünï", "üNï", "ünï", "üNï"},
		{"straße", "STRAßE", "straße", "StraßE"},
		{"ÀÉÎ ab", "ÀÉÎ AB", "ÀÉÎ ab", "ÀÉÎ Ab"},
		{"o'neil 1abc dEF_gh-ij", "O'NEIL 1ABC DEF_GH-IJ", "o'neil 1abc def_gh-ij", "O'Neil 1abc Def_Gh-Ij"},
	} {
		if got := asciiUpper(tc.in); got != tc.upper {
			t.Errorf("upper(%q) = %q, want %q", tc.in, got, tc.upper)
		}
		if got := asciiLower(tc.in); got != tc.lower {
			t.Errorf("lower(%q) = %q, want %q", tc.in, got, tc.lower)
		}
		if got := initcap(tc.in); got != tc.initcap {
			t.Errorf("initcap(%q) = %q, want %q", tc.in, got, tc.initcap)
		}
	}
	for _, tc := range []struct {
		s, p  string
		match bool
	}{
		{"Ü", "ü", false}, {"ABC", "a[b-c]c", true}, {"K", "k", true}, {"\u212a", "k", false},
		{"Xyz", "[^x]yz", false}, {"Q", "[[:lower:]]", true}, {"a", `\x41`, true}, {"ab]", "[]a]b", true},
		{"z", "[Z-a]", true}, {"A", "[Z-a]", true},
	} {
		re := regexp.MustCompile(asciiFoldPattern(tc.p))
		if got := re.MatchString(tc.s); got != tc.match {
			t.Errorf("%q ~* %q = %v, want %v (as %s)", tc.s, tc.p, got, tc.match, asciiFoldPattern(tc.p))
		}
	}
}
