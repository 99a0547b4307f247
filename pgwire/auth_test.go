package pgwire

import (
	"database/sql"
	"testing"

	"github.com/jackc/pgx/v5"
)

func TestAuth(t *testing.T) {
	for _, method := range []string{AuthPassword, AuthMD5} {
		t.Run(method, func(t *testing.T) {
			s := startServer(t, Config{Auth: method})
			for _, tc := range []struct {
				user, password, code string
			}{
				{"alice", "secret", ""},                            // stored in clear
				{"bob", "hunter2", ""},                             // stored as md5<hex>
				{"alice", "wrong", "28P01"},                        //
				{"bob", "md5" + md5hex("hunter2", "bob"), "28P01"}, // the hash is not the password
				{"postgres", "x", "28P01"},                         // no password stored
				{"nobody", "x", "28000"},                           // no such role
			} {
				c, err := pgx.Connect(testCtx(t), s.url(tc.user, tc.password, "db"))
				if err == nil {
					var n int
					err = c.QueryRow(testCtx(t), "select 1").Scan(&n)
					c.Close(testCtx(t))
				}
				if got := pgCode(err); got != tc.code {
					t.Errorf("pgx %s/%s: code %q (%v), want %q", tc.user, tc.password, got, err, tc.code)
				}
				db, _ := sql.Open("postgres", s.url(tc.user, tc.password, "db"))
				err = db.Ping()
				db.Close()
				if got := pqCode(err); got != tc.code {
					t.Errorf("lib/pq %s/%s: code %q (%v), want %q", tc.user, tc.password, got, err, tc.code)
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

func TestPasswordMatches(t *testing.T) {
	salt := [4]byte{1, 2, 3, 4}
	md5Answer := func(pw, user string) string { return "md5" + md5hex(md5hex(pw, user), string(salt[:])) }
	hashed := "md5" + md5hex("pw", "u")
	for _, tc := range []struct {
		method, stored, answer string
		ok                     bool
	}{
		{AuthPassword, "pw", "pw", true},
		{AuthPassword, "pw", "PW", false},
		{AuthPassword, hashed, "pw", true},
		{AuthPassword, hashed, hashed, false},
		{AuthPassword, "", "", false},
		{AuthMD5, "pw", md5Answer("pw", "u"), true},
		{AuthMD5, hashed, md5Answer("pw", "u"), true},
		{AuthMD5, hashed, md5Answer("pw", "v"), false},
		{AuthMD5, "pw", "pw", false},
		{AuthMD5, "md5nothex-but-35-characters-long!!", md5Answer("md5nothex-but-35-characters-long!!", "u"), true},
	} {
		if got := passwordMatches(tc.method, "u", tc.stored, tc.answer, salt); got != tc.ok {
			t.Errorf("%s stored %q answer %q: %v", tc.method, tc.stored, tc.answer, got)
		}
	}
}
