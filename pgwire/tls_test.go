package pgwire

import (
	"context"
	"crypto/tls"
	"database/sql"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgproto3/v2"
	"github.com/jackc/pgx/v5"

	"github.com/quorumdb/quorumdb/internal/testcert"
)

// TestTLSDrivers: pgx (require, and verify-full against the CA) and
// lib/pq (require) connect over TLS; the session learns the protocol and
// cipher for pg_stat_ssl.
func TestTLSDrivers(t *testing.T) {
	certs := testcert.New(t)
	s := startServer(t, Config{TLS: certs.ServerTLS()})
	for _, mode := range []string{"sslmode=require", "sslmode=verify-full&sslrootcert=" + certs.CAFile} {
		c := s.connectURL(t, s.url("postgres", "", "db", mode))
		tc, ok := c.PgConn().Conn().(*tls.Conn)
		if !ok {
			t.Fatalf("%s: connection is %T, not TLS", mode, c.PgConn().Conn())
		}
		if v := tc.ConnectionState().Version; v != tls.VersionTLS13 {
			t.Errorf("%s: TLS version %x", mode, v)
		}
		var n int
		if err := c.QueryRow(testCtx(t), "select 7").Scan(&n); err != nil || n != 7 {
			t.Fatalf("%s: select 7: %d, %v", mode, n, err)
		}
		s.engine.mu.Lock()
		st := s.engine.lastParams.TLS
		s.engine.mu.Unlock()
		if st == nil || st.Version != "TLSv1.3" || st.Cipher == "" || st.Bits < 128 {
			t.Errorf("%s: ConnParams.TLS = %+v", mode, st)
		}
	}

	// verify-full checks the name: the certificate is not for this one.
	cfg, err := pgx.ParseConfig(s.url("postgres", "", "db", "sslmode=verify-full&sslrootcert="+certs.CAFile))
	if err != nil {
		t.Fatal(err)
	}
	cfg.TLSConfig.ServerName = "db.example.com"
	if _, err := pgx.ConnectConfig(testCtx(t), cfg); err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Errorf("verify-full with a wrong host name: %v", err)
	}

	db, err := sql.Open("postgres", s.url("postgres", "", "db", "sslmode=require"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow("select 8").Scan(&n); err != nil || n != 8 {
		t.Fatalf("lib/pq sslmode=require: %d, %v", n, err)
	}
	s.engine.mu.Lock()
	st := s.engine.lastParams.TLS
	s.engine.mu.Unlock()
	if st == nil {
		t.Error("lib/pq connection is not TLS")
	}
}

// TestTLSMinVersion: TLS 1.1 is refused even when the configuration
// would allow it.
func TestTLSMinVersion(t *testing.T) {
	certs := testcert.New(t)
	cfg := certs.ServerTLS()
	cfg.MinVersion = tls.VersionTLS10
	s := startServer(t, Config{TLS: cfg})
	c := s.dialRaw(t)
	c.send(&pgproto3.SSLRequest{})
	expectByte(t, c.nc, 'S')
	tc := tls.Client(c.nc, &tls.Config{InsecureSkipVerify: true, MaxVersion: tls.VersionTLS11})
	if err := tc.Handshake(); err == nil {
		t.Fatal("TLS 1.1 handshake succeeded")
	}
}

// TestTLSRequire: a plain text startup is refused with PostgreSQL's
// hostssl words; TLS clients get in; a CancelRequest works either way.
func TestTLSRequire(t *testing.T) {
	certs := testcert.New(t)
	s := startServer(t, Config{TLS: certs.ServerTLS(), RequireTLS: true})

	_, err := pgx.Connect(testCtx(t), s.url("alice", "", "shop", "sslmode=disable"))
	if pgCode(err) != "28000" || pgMessage(err) != `no pg_hba.conf entry for host "127.0.0.1", user "alice", database "shop", no encryption` {
		t.Fatalf("plain text startup: %v", err)
	}
	// sslmode=prefer asks for TLS first, so it is let in.
	s.connectURL(t, s.url("postgres", "", "db", "sslmode=prefer"))

	for _, cancelOverTLS := range []bool{false, true} {
		c := s.startTLSRaw(t)
		c.send(&pgproto3.Query{String: "sleep"})
		waitFor(t, func() bool { return s.runningStatements() == 1 })
		cancel := s.dialRaw(t)
		if cancelOverTLS {
			cancel = cancel.upgradeTLS(t)
		}
		cancel.send(&pgproto3.CancelRequest{ProcessID: c.pid, SecretKey: c.secret})
		equalTrace(t, cancel.expectClosed())
		equalTrace(t, c.untilReady(), "ErrorResponse ERROR 57014 canceling statement due to user request", "ReadyForQuery I")
	}
}

// TestTLSBadClients: garbage instead of a ClientHello, and a startup
// message sent right after SSLRequest without waiting for the handshake,
// end only their own connection.
func TestTLSBadClients(t *testing.T) {
	certs := testcert.New(t)
	s := startServer(t, Config{TLS: certs.ServerTLS()})
	other := s.connectURL(t, s.url("postgres", "", "db", "sslmode=require"))

	garbage := s.dialRaw(t)
	garbage.send(&pgproto3.SSLRequest{})
	expectByte(t, garbage.nc, 'S')
	garbage.write([]byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n"))
	equalTrace(t, garbage.expectClosed())

	// The plain text startup message must not be taken as if it had come
	// through TLS (CVE-2021-23214): the handshake fails on it.
	eager := s.dialRaw(t)
	req := encode(t, &pgproto3.SSLRequest{})
	startup := encode(t, &pgproto3.StartupMessage{ProtocolVersion: pgproto3.ProtocolVersionNumber,
		Parameters: map[string]string{"user": "postgres", "database": "db"}})
	eager.write(append(req, startup...))
	expectByte(t, eager.nc, 'S')
	equalTrace(t, eager.expectClosed())

	// A second SSLRequest inside TLS is a protocol violation.
	twice := s.dialRaw(t).upgradeTLS(t)
	twice.send(&pgproto3.SSLRequest{})
	equalTrace(t, twice.expectClosed(), "ErrorResponse FATAL 08P01 SSLRequest inside an encrypted connection")

	// GSSENCRequest is still refused, and the client may go on to TLS.
	gss := s.dialRaw(t)
	gss.send(&pgproto3.GSSEncRequest{})
	expectByte(t, gss.nc, 'N')
	gss = gss.upgradeTLS(t)
	gss.send(&pgproto3.StartupMessage{ProtocolVersion: pgproto3.ProtocolVersionNumber,
		Parameters: map[string]string{"user": "postgres", "database": "db"}})
	gss.untilReady()

	var n int
	if err := other.QueryRow(testCtx(t), "select 9").Scan(&n); err != nil || n != 9 {
		t.Fatalf("other connection: %d, %v", n, err)
	}
}

// TestSCRAMChannelBinding: over TLS, SCRAM-SHA-256-PLUS is offered and
// pgx's channel_binding=require binds to the server certificate; without
// TLS only SCRAM-SHA-256 is offered, so channel_binding=require fails.
func TestSCRAMChannelBinding(t *testing.T) {
	certs := testcert.New(t)
	s := startServer(t, Config{Auth: AuthSCRAM, TLS: certs.ServerTLS()})
	for _, cb := range []string{"disable", "prefer", "require"} {
		c, err := pgx.Connect(testCtx(t), s.url("dave", "correct horse", "db", "sslmode=require", "channel_binding="+cb))
		if err != nil {
			t.Fatalf("channel_binding=%s: %v", cb, err)
		}
		_ = c.Close(context.Background())
	}
	if _, err := pgx.Connect(testCtx(t), s.url("dave", "wrong", "db", "sslmode=require", "channel_binding=require")); pgCode(err) != "28P01" {
		t.Errorf("wrong password with channel binding: %v", err)
	}
	if _, err := pgx.Connect(testCtx(t), s.url("dave", "correct horse", "db", "sslmode=disable", "channel_binding=require")); err == nil {
		t.Error("channel_binding=require succeeded without TLS")
	}

	// Raw: the mechanisms offered, PLUS first over TLS.
	c := s.dialRaw(t).upgradeTLS(t)
	c.send(&pgproto3.StartupMessage{ProtocolVersion: pgproto3.ProtocolVersionNumber,
		Parameters: map[string]string{"user": "dave", "database": "db"}})
	msg, err := c.fe.Receive()
	if err != nil {
		t.Fatal(err)
	}
	if sasl, ok := msg.(*pgproto3.AuthenticationSASL); !ok || strings.Join(sasl.AuthMechanisms, ",") != "SCRAM-SHA-256-PLUS,SCRAM-SHA-256" {
		t.Fatalf("over TLS: %#v", msg)
	}
	// A client claiming channel binding support the server lacks ("y")
	// after seeing -PLUS offered is a downgrade.
	c.send(&pgproto3.SASLInitialResponse{AuthMechanism: "SCRAM-SHA-256", Data: []byte("y,,n=,r=abcdefghijklmnop")})
	if got := c.expectClosed(); len(got) != 1 || !strings.HasPrefix(got[0], "ErrorResponse FATAL") {
		t.Errorf("downgrade: %q", got)
	}
}

// TestCertAuth: a client certificate signed by the CA whose common name
// is the user logs in; another name, or none, is refused.
func TestCertAuth(t *testing.T) {
	certs := testcert.New(t)
	tc := certs.ServerTLS()
	tc.ClientCAs = certs.CAPool
	tc.ClientAuth = tls.VerifyClientCertIfGiven
	s := startServer(t, Config{Auth: AuthCert, TLS: tc, RequireTLS: true})
	aliceCert, aliceKey, _ := certs.Client(t, "alice")
	withCert := "sslmode=verify-full&sslrootcert=" + certs.CAFile + "&sslcert=" + aliceCert + "&sslkey=" + aliceKey
	s.connectURL(t, s.url("alice", "", "db", withCert))
	_, err := pgx.Connect(testCtx(t), s.url("bob", "", "db", withCert))
	if pgCode(err) != "28000" || pgMessage(err) != `certificate authentication failed for user "bob"` {
		t.Errorf("certificate of another user: %v", err)
	}
	_, err = pgx.Connect(testCtx(t), s.url("alice", "", "db", "sslmode=require"))
	if pgCode(err) != "28000" || pgMessage(err) != "connection requires a valid client certificate" {
		t.Errorf("no certificate: %v", err)
	}
}

func TestTLSConfigValidate(t *testing.T) {
	certs := testcert.New(t)
	for _, tc := range []struct {
		cfg  Config
		want string
	}{
		{Config{RequireTLS: true}, "RequireTLS without a TLS configuration"},
		{Config{TLS: &tls.Config{}}, "no certificate"},
		{Config{Auth: AuthCert, TLS: certs.ServerTLS()}, "auth cert needs"},
	} {
		if err := tc.cfg.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v, want %q", tc.cfg, err, tc.want)
		}
	}
}

// startTLSRaw connects over TLS as postgres, up to ReadyForQuery.
func (s *testServer) startTLSRaw(t *testing.T) *rawClient {
	t.Helper()
	c := s.dialRaw(t).upgradeTLS(t)
	c.send(&pgproto3.StartupMessage{ProtocolVersion: pgproto3.ProtocolVersionNumber,
		Parameters: map[string]string{"user": "postgres", "database": "db"}})
	c.untilReady()
	return c
}

// upgradeTLS sends SSLRequest and returns the client speaking through
// TLS (the server certificate is not checked).
func (c *rawClient) upgradeTLS(t *testing.T) *rawClient {
	t.Helper()
	c.send(&pgproto3.SSLRequest{})
	expectByte(t, c.nc, 'S')
	tc := tls.Client(c.nc, &tls.Config{InsecureSkipVerify: true})
	if err := tc.Handshake(); err != nil {
		t.Fatal(err)
	}
	return &rawClient{t: t, nc: tc, fe: pgproto3.NewFrontend(pgproto3.NewChunkReader(tc), tc)}
}

func expectByte(t *testing.T, nc net.Conn, want byte) {
	t.Helper()
	_ = nc.SetReadDeadline(time.Now().Add(5 * time.Second))
	var b [1]byte
	if _, err := nc.Read(b[:]); err != nil || b[0] != want {
		t.Fatalf("answer %q, %v; want %q", b[0], err, want)
	}
}

func encode(t *testing.T, m pgproto3.FrontendMessage) []byte {
	t.Helper()
	b, err := m.Encode(nil)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// BenchmarkConnect measures a pgx connection's startup in plain text and
// over TLS (handshake included).
func BenchmarkConnect(b *testing.B) {
	certs := testcert.New(b)
	for _, mode := range []string{"sslmode=disable", "sslmode=require"} {
		b.Run(mode, func(b *testing.B) {
			s := NewServer(Config{TLS: certs.ServerTLS(), Logger: slog.New(slog.DiscardHandler)}, newTestEngine())
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				b.Fatal(err)
			}
			go func() { _ = s.Serve(context.Background(), ln) }()
			defer s.Close()
			url := "postgres://postgres@" + ln.Addr().String() + "/db?" + mode
			for b.Loop() {
				c, err := pgx.Connect(context.Background(), url)
				if err != nil {
					b.Fatal(err)
				}
				_ = c.Close(context.Background())
			}
		})
	}
}
