package pgwire

import (
	"database/sql"
	"encoding/binary"
	"testing"

	"github.com/jackc/pgproto3/v2"
)

func TestStartupParamStatus(t *testing.T) {
	s := startServer(t, Config{NodeID: 3})
	c := s.connectURL(t, s.url("postgres", "", "shop", "sslmode=disable", "application_name=tester"))
	pc := c.PgConn()
	for name, want := range map[string]string{
		"server_version":              "16.0",
		"server_encoding":             "UTF8",
		"client_encoding":             "UTF8",
		"standard_conforming_strings": "on",
		"TimeZone":                    "UTC",
		"is_superuser":                "on",
	} {
		if got := pc.ParameterStatus(name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	if got := NodeOfPID(pc.PID()); got != 3 {
		t.Errorf("pid %d names node %d, want 3", pc.PID(), got)
	}
	if len(pc.SecretKey()) != 4 || pc.PID() == 0 {
		t.Error("no BackendKeyData")
	}
	s.engine.mu.Lock()
	p := s.engine.lastParams
	s.engine.mu.Unlock()
	if p.User != "postgres" || p.Database != "shop" || p.Options["application_name"] != "tester" || p.BackendPID != int32(pc.PID()) || p.RemoteAddr == "" {
		t.Errorf("ConnParams = %+v", p)
	}
	if status := pc.TxStatus(); status != 'I' {
		t.Errorf("TxStatus = %c", status)
	}
}

// TestSSLRefused: SSLRequest gets 'N' and the client goes on in plain
// text: lib/pq and psql on the same connection, pgx on a new one.
func TestSSLRefused(t *testing.T) {
	s := startServer(t, Config{})
	s.connectURL(t, s.url("postgres", "", "db", "sslmode=prefer"))

	db, err := sql.Open("postgres", s.url("postgres", "", "db", "sslmode=prefer"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow("select 5").Scan(&n); err != nil || n != 5 {
		t.Fatalf("lib/pq with sslmode=prefer: %d, %v", n, err)
	}

	// Raw: SSLRequest, GSSENCRequest, then the startup on the same socket.
	c := s.dialRaw(t)
	for _, req := range []pgproto3.FrontendMessage{&pgproto3.SSLRequest{}, &pgproto3.GSSEncRequest{}} {
		c.send(req)
		var b [1]byte
		if _, err := c.nc.Read(b[:]); err != nil || b[0] != 'N' {
			t.Fatalf("answer to %T: %q, %v", req, b, err)
		}
	}
	c.send(&pgproto3.StartupMessage{ProtocolVersion: pgproto3.ProtocolVersionNumber,
		Parameters: map[string]string{"user": "postgres"}})
	if got := c.untilReady(); got[0] != "AuthenticationOk" || got[len(got)-1] != "ReadyForQuery I" {
		t.Fatalf("startup after SSLRequest: %q", got)
	}
	c.send(&pgproto3.Query{String: "select 1"})
	equalTrace(t, c.untilReady(), "RowDescription ?column?:23/0", `DataRow "1"`, "CommandComplete SELECT 1", "ReadyForQuery I")
}

func TestStartupErrors(t *testing.T) {
	s := startServer(t, Config{})
	startup := func(version uint32, params ...string) []byte {
		b := binary.BigEndian.AppendUint32(make([]byte, 4), version)
		for _, p := range params {
			b = append(append(b, p...), 0)
		}
		b = append(b, 0)
		binary.BigEndian.PutUint32(b, uint32(len(b)))
		return b
	}
	// A parameter list without its terminating zero byte.
	unterminated := startup(3<<16, "user", "postgres")
	unterminated = unterminated[:len(unterminated)-1]
	binary.BigEndian.PutUint32(unterminated, uint32(len(unterminated)))
	for _, tc := range []struct {
		name string
		msg  []byte
		want string
	}{
		{"protocol 2", startup(2<<16, "user", "postgres"), "ErrorResponse FATAL 0A000 unsupported frontend protocol 2.0: server supports 3.0 to 3.0"},
		{"protocol 3.2", startup(3<<16|2, "user", "postgres"), "ErrorResponse FATAL 0A000 unsupported frontend protocol 3.2: server supports 3.0 to 3.0"},
		{"no user", startup(3<<16, "database", "db"), "ErrorResponse FATAL 28000 no PostgreSQL user name specified in startup packet"},
		{"unknown role", startup(3<<16, "user", "nobody"), "AuthenticationOk\nErrorResponse FATAL 28000 role \"nobody\" does not exist"},
		{"unknown database", startup(3<<16, "user", "postgres", "database", "nodb"), "AuthenticationOk\nErrorResponse FATAL 3D000 database \"nodb\" does not exist"},
		{"bad length", []byte{0, 0, 0, 2, 0, 3, 0, 0}, "ErrorResponse FATAL 08P01 invalid startup packet"},
		{"unterminated", unterminated, "ErrorResponse FATAL 08P01 invalid startup packet"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := s.dialRaw(t)
			c.write(tc.msg)
			got := c.expectClosed()
			equalTrace(t, got, splitLines(tc.want)...)
		})
	}
}

// TestCancelUnknownKey: a CancelRequest with a wrong key is ignored and
// its connection closed without an answer.
func TestCancelUnknownKey(t *testing.T) {
	s := startServer(t, Config{})
	c := s.dialRaw(t)
	c.send(&pgproto3.CancelRequest{ProcessID: 12345, SecretKey: 1})
	equalTrace(t, c.expectClosed())
}

func splitLines(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}
