package pgwire

import (
	"crypto/md5"
	"database/sql"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgproto3/v2"
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
		{"nobody", "x", "28P01"},   // no such role: the same answer
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
	// An unknown role is asked for a password like a known one and told
	// the same: nothing says which roles exist.
	_, err = pgx.Connect(testCtx(t), s.url("carol", "x", "db"))
	if want := `password authentication failed for user "carol"`; pgMessage(err) != want || pgCode(err) != "28P01" {
		t.Errorf("unknown role: %v", err)
	}
}

// TestUnknownRoleLooksLikeAKnownOne: under SCRAM an unknown role gets the
// same exchange as a real one (a salt of the usual length, the usual
// iteration count, the same salt on every attempt) and the same refusal,
// so a client cannot probe for role names.
func TestUnknownRoleLooksLikeAKnownOne(t *testing.T) {
	s := startServer(t, Config{Auth: AuthSCRAM})
	serverFirst := func(user string) string {
		c := s.dialRaw(t)
		c.send(&pgproto3.StartupMessage{ProtocolVersion: pgproto3.ProtocolVersionNumber,
			Parameters: map[string]string{"user": user, "database": "db"}})
		if got := c.recv(); !strings.HasPrefix(got, "AuthenticationSASL") {
			t.Fatalf("%s: first answer %q, want a SASL request", user, got)
		}
		c.send(&pgproto3.SASLInitialResponse{AuthMechanism: "SCRAM-SHA-256", Data: []byte("n,,n=,r=clientnonce")})
		msg, err := c.fe.Receive()
		if err != nil {
			t.Fatal(err)
		}
		cont, ok := msg.(*pgproto3.AuthenticationSASLContinue)
		if !ok {
			t.Fatalf("%s: got %s, want AuthenticationSASLContinue", user, describeMsg(msg))
		}
		// A wrong proof ends both the same way.
		c.send(&pgproto3.SASLResponse{Data: []byte("c=biws,r=" + strings.Split(string(cont.Data), ",")[0][2:] + ",p=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")})
		equalTrace(t, c.expectClosed(), fmt.Sprintf(`ErrorResponse FATAL 28P01 password authentication failed for user %q`, user))
		return string(cont.Data)
	}
	attrs := func(first string) (salt, iters string) {
		for _, f := range strings.Split(first, ",") {
			switch {
			case strings.HasPrefix(f, "s="):
				salt = f[2:]
			case strings.HasPrefix(f, "i="):
				iters = f[2:]
			}
		}
		return salt, iters
	}
	realSalt, realIters := attrs(serverFirst("dave"))
	salt1, iters1 := attrs(serverFirst("nobody"))
	salt2, _ := attrs(serverFirst("nobody"))
	if len(salt1) != len(realSalt) || iters1 != realIters {
		t.Errorf("unknown role: salt %q iterations %s; a real role's: salt %q iterations %s", salt1, iters1, realSalt, realIters)
	}
	if salt1 != salt2 {
		t.Errorf("unknown role's salt changed between attempts: %q, %q", salt1, salt2)
	}
	if salt3, _ := attrs(serverFirst("nobody2")); salt3 == salt1 {
		t.Errorf("two unknown roles share a salt %q", salt1)
	}
}
