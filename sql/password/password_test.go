package password

import (
	"strings"
	"testing"
)

// pgVerifier was made by PostgreSQL 15: CREATE ROLE dave PASSWORD
// 'correct horse' with password_encryption = scram-sha-256.
const pgVerifier = "SCRAM-SHA-256$4096:BvcM56A957W+YZlZL6zkDw==$sI4p/CapHrlTkHcAKtlpmOaN9xBWAmNzU2BKi7S21Jg=:t8Pf0EVq7RUjVdn6JuT+4j4P51oRnVr2v7jie3F9VKs="

func TestVerifyPostgresVerifier(t *testing.T) {
	if KindOf(pgVerifier) != SCRAM {
		t.Fatalf("KindOf = %v", KindOf(pgVerifier))
	}
	if !Verify(pgVerifier, "dave", "correct horse") {
		t.Error("PostgreSQL's verifier rejects its password")
	}
	if Verify(pgVerifier, "dave", "correct horse ") || Verify(pgVerifier, "dave", "") {
		t.Error("PostgreSQL's verifier accepts a wrong password")
	}
}

func TestEncrypt(t *testing.T) {
	scram, err := Encrypt(MethodSCRAM, "u", "pw")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(scram, "SCRAM-SHA-256$4096:") || KindOf(scram) != SCRAM {
		t.Errorf("SCRAM form: %q", scram)
	}
	if again, _ := Encrypt(MethodSCRAM, "u", "pw"); again == scram {
		t.Error("two verifiers of one password share a salt")
	}
	if !Verify(scram, "u", "pw") || Verify(scram, "u", "pW") {
		t.Error("verifier does not check its password")
	}
	md5, err := Encrypt(MethodMD5, "u", "pw")
	if err != nil || md5 != "md5"+md5hex("pw", "u") || KindOf(md5) != MD5 {
		t.Errorf("md5 form: %q %v", md5, err)
	}
	// Already hashed values are stored as given, as PostgreSQL does.
	for _, v := range []string{md5, pgVerifier, ""} {
		if got, _ := Encrypt(MethodSCRAM, "u", v); got != v {
			t.Errorf("Encrypt(%q) = %q, want it unchanged", v, got)
		}
	}
	if _, err := Encrypt("des", "u", "pw"); err == nil {
		t.Error("unknown method accepted")
	}
}

func TestKindOf(t *testing.T) {
	for stored, want := range map[string]Kind{
		"":                                    None,
		"secret":                              Plain,
		"md5" + md5hex("pw", "u"):             MD5,
		"md5nothex-but-35-characters-long!!!": Plain,
		"SCRAM-SHA-256$4096:c2FsdA==$bad":     Plain, // malformed: a password that looks like one
		pgVerifier:                            SCRAM,
	} {
		if got := KindOf(stored); got != want {
			t.Errorf("KindOf(%q) = %v, want %v", stored, got, want)
		}
	}
}

func TestVerifyAndMD5Response(t *testing.T) {
	salt := [4]byte{1, 2, 3, 4}
	md5Answer := func(pw, user string) string { return "md5" + md5hex(md5hex(pw, user), string(salt[:])) }
	hashed := "md5" + md5hex("pw", "u")
	for _, tc := range []struct {
		stored, answer string
		ok             bool
	}{
		{"pw", "pw", true},
		{"pw", "PW", false},
		{hashed, "pw", true},
		{hashed, hashed, false},
		{"", "", false},
	} {
		if got := Verify(tc.stored, "u", tc.answer); got != tc.ok {
			t.Errorf("Verify stored %q answer %q: %v", tc.stored, tc.answer, got)
		}
	}
	for _, tc := range []struct {
		stored, answer string
		ok             bool
	}{
		{"pw", md5Answer("pw", "u"), true},
		{hashed, md5Answer("pw", "u"), true},
		{hashed, md5Answer("pw", "v"), false},
		{"pw", "pw", false},
		{pgVerifier, md5Answer("correct horse", "u"), false},
		{"", md5Answer("", "u"), false},
	} {
		if got := MD5Response(tc.stored, "u", tc.answer, salt); got != tc.ok {
			t.Errorf("MD5Response stored %q answer %q: %v", tc.stored, tc.answer, got)
		}
	}
}

func TestSCRAMCredentials(t *testing.T) {
	if _, ok, _ := SCRAMCredentials("md5" + md5hex("pw", "u")); ok {
		t.Error("an md5 hash gave SCRAM credentials")
	}
	if _, ok, _ := SCRAMCredentials(""); ok {
		t.Error("no password gave SCRAM credentials")
	}
	c, ok, err := SCRAMCredentials(pgVerifier)
	if !ok || err != nil || c.Iters != 4096 || len(c.Salt) != 16 {
		t.Errorf("verifier credentials: %+v %v %v", c, ok, err)
	}
	if _, ok, err := SCRAMCredentials("clear"); !ok || err != nil {
		t.Errorf("clear text: %v %v", ok, err)
	}
}
