package pgwire

import (
	"crypto/md5"
	"database/sql"
	"encoding/hex"
	"testing"

	"github.com/jackc/pgx/v5"
)

// md5hex is the hex md5 of the concatenated parts (what PostgreSQL stores
// as "md5" + md5hex(password, user)).
func md5hex(parts ...string) string {
	h := md5.New()
	for _, p := range parts {
		h.Write([]byte(p))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// TestAuth logs in with pgx and lib/pq under every password method, for
// each form a password can be stored in: clear text (alice), an md5 hash
// (bob) and a SCRAM-SHA-256 verifier made by PostgreSQL (dave).
func TestAuth(t *testing.T) {
	type attempt struct{ user, password, code string }
	common := []attempt{
		{"alice", "secret", ""},
		{"alice", "wrong", "28P01"},
		{"bob", "md5" + md5hex("hunter2", "bob"), "28P01"}, // the hash is not the password
		{"dave", "correct horse", ""},
		{"dave", "correct horse ", "28P01"},
		{"postgres", "x", "28P01"}, // no password stored
		{"nobody", "x", "28000"},   // no such role
	}
	for _, tc := range []struct {
		method   string
		attempts []attempt
	}{
		{AuthPassword, append(common, attempt{"bob", "hunter2", ""})},
		// dave's verifier cannot answer an md5 challenge: SCRAM is used.
		{AuthMD5, append(common, attempt{"bob", "hunter2", ""})},
		// An md5 hash cannot serve SCRAM: bob cannot log in, as in
		// PostgreSQL.
		{AuthSCRAM, append(common, attempt{"bob", "hunter2", "28P01"})},
	} {
		t.Run(tc.method, func(t *testing.T) {
			s := startServer(t, Config{Auth: tc.method})
			for _, a := range tc.attempts {
				c, err := pgx.Connect(testCtx(t), s.url(a.user, a.password, "db"))
				if err == nil {
					var n int
					err = c.QueryRow(testCtx(t), "select 1").Scan(&n)
					c.Close(testCtx(t))
				}
				if got := pgCode(err); got != a.code {
					t.Errorf("pgx %s/%s: code %q (%v), want %q", a.user, a.password, got, err, a.code)
				}
				db, _ := sql.Open("postgres", s.url(a.user, a.password, "db"))
				err = db.Ping()
				db.Close()
				if got := pqCode(err); got != a.code {
					t.Errorf("lib/pq %s/%s: code %q (%v), want %q", a.user, a.password, got, err, a.code)
				}
			}
		})
	}
}

func TestAuthMessages(t *testing.T) {
	s := startServer(t, Config{Auth: AuthMD5})
	_, err := pgx.Connect(testCtx(t), s.url("alice", "nope", "db"))
	if want := `password authentication failed for user "alice"`; pgMessage(err) != want {
		t.Errorf("wrong password: %v", err)
	}
	_, err = pgx.Connect(testCtx(t), s.url("carol", "x", "db"))
	if want := `role "carol" does not exist`; pgMessage(err) != want {
		t.Errorf("unknown role: %v", err)
	}
}
