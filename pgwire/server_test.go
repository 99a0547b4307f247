package pgwire

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgproto3/v2"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/lib/pq"
)

// testServer is a Server on 127.0.0.1:0 with a testEngine.
type testServer struct {
	*Server
	engine *testEngine
	addr   string
}

func startServer(t *testing.T, cfg Config) *testServer {
	t.Helper()
	e := newTestEngine()
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	s := NewServer(cfg, e)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	errc := make(chan error, 1)
	go func() { errc <- s.Serve(context.Background(), ln) }()
	t.Cleanup(func() {
		_ = s.Close()
		if err := <-errc; !errors.Is(err, ErrServerClosed) {
			t.Errorf("Serve returned %v, want ErrServerClosed", err)
		}
	})
	return &testServer{Server: s, engine: e, addr: ln.Addr().String()}
}

// url returns a connection URL for user (with password, if any).
func (s *testServer) url(user, password, db string, opts ...string) string {
	cred := url.User(user).String()
	if password != "" {
		cred = url.UserPassword(user, password).String()
	}
	q := "sslmode=disable"
	if len(opts) > 0 {
		q = strings.Join(opts, "&")
	}
	return fmt.Sprintf("postgres://%s@%s/%s?%s", cred, s.addr, db, q)
}

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// connect opens a pgx connection as postgres.
func (s *testServer) connect(t *testing.T) *pgx.Conn {
	t.Helper()
	return s.connectURL(t, s.url("postgres", "", "db"))
}

func (s *testServer) connectURL(t *testing.T, url string) *pgx.Conn {
	t.Helper()
	c, err := pgx.Connect(testCtx(t), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close(context.Background()) })
	return c
}

// pgCode returns the SQLSTATE of a pgx error, "" if none.
func pgCode(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

// rawClient speaks the protocol with pgproto3's Frontend, for what no
// driver exposes (portals, pipelined errors, COPY details, bad bytes).
type rawClient struct {
	t  *testing.T
	nc net.Conn
	fe *pgproto3.Frontend
	// pid and secret are from BackendKeyData.
	pid, secret uint32
}

func (s *testServer) dialRaw(t *testing.T) *rawClient {
	t.Helper()
	nc, err := net.Dial("tcp", s.addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = nc.Close() })
	_ = nc.SetDeadline(time.Now().Add(10 * time.Second))
	return &rawClient{t: t, nc: nc, fe: pgproto3.NewFrontend(pgproto3.NewChunkReader(nc), nc)}
}

// startup connects as postgres and reads up to the first ReadyForQuery.
func (s *testServer) startRaw(t *testing.T) *rawClient {
	t.Helper()
	c := s.dialRaw(t)
	c.send(&pgproto3.StartupMessage{ProtocolVersion: pgproto3.ProtocolVersionNumber,
		Parameters: map[string]string{"user": "postgres", "database": "db"}})
	c.untilReady()
	return c
}

// send writes msgs in one write.
func (c *rawClient) send(msgs ...pgproto3.FrontendMessage) {
	c.t.Helper()
	var buf []byte
	for _, m := range msgs {
		var err error
		if buf, err = m.Encode(buf); err != nil {
			c.t.Fatal(err)
		}
	}
	c.write(buf)
}

func (c *rawClient) write(b []byte) {
	c.t.Helper()
	if _, err := c.nc.Write(b); err != nil {
		c.t.Fatal(err)
	}
}

// recv reads one message and describes it.
func (c *rawClient) recv() string {
	c.t.Helper()
	msg, err := c.fe.Receive()
	if err != nil {
		c.t.Fatalf("receive: %v", err)
	}
	if kd, ok := msg.(*pgproto3.BackendKeyData); ok {
		c.pid, c.secret = kd.ProcessID, kd.SecretKey
	}
	return describeMsg(msg)
}

// untilReady reads messages up to and including ReadyForQuery.
func (c *rawClient) untilReady() []string {
	c.t.Helper()
	var out []string
	for {
		m := c.recv()
		out = append(out, m)
		if strings.HasPrefix(m, "ReadyForQuery") {
			return out
		}
	}
}

// expectClosed reads until the server closes the connection and returns
// the messages before that.
func (c *rawClient) expectClosed() []string {
	c.t.Helper()
	var out []string
	for {
		msg, err := c.fe.Receive()
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				c.t.Fatalf("connection not closed; got %q", out)
			}
			return out
		}
		out = append(out, describeMsg(msg))
	}
}

// describeMsg renders a backend message compactly for comparisons.
func describeMsg(msg pgproto3.BackendMessage) string {
	switch m := msg.(type) {
	case *pgproto3.ReadyForQuery:
		return "ReadyForQuery " + string(m.TxStatus)
	case *pgproto3.CommandComplete:
		return "CommandComplete " + string(m.CommandTag)
	case *pgproto3.DataRow:
		vals := make([]string, len(m.Values))
		for i, v := range m.Values {
			if v == nil {
				vals[i] = "NULL"
			} else {
				vals[i] = fmt.Sprintf("%q", v)
			}
		}
		return "DataRow " + strings.Join(vals, ",")
	case *pgproto3.RowDescription:
		fs := make([]string, len(m.Fields))
		for i, f := range m.Fields {
			fs[i] = fmt.Sprintf("%s:%d/%d", f.Name, f.DataTypeOID, f.Format)
		}
		return "RowDescription " + strings.Join(fs, ",")
	case *pgproto3.ParameterDescription:
		return fmt.Sprintf("ParameterDescription %v", m.ParameterOIDs)
	case *pgproto3.ErrorResponse:
		return fmt.Sprintf("ErrorResponse %s %s %s", m.Severity, m.Code, m.Message)
	case *pgproto3.NoticeResponse:
		return fmt.Sprintf("NoticeResponse %s %s %s", m.Severity, m.Code, m.Message)
	case *pgproto3.CopyInResponse:
		return fmt.Sprintf("CopyInResponse %d %v", m.OverallFormat, m.ColumnFormatCodes)
	case *pgproto3.CopyOutResponse:
		return fmt.Sprintf("CopyOutResponse %d %v", m.OverallFormat, m.ColumnFormatCodes)
	case *pgproto3.CopyData:
		return fmt.Sprintf("CopyData %q", m.Data)
	case *pgproto3.ParameterStatus:
		return fmt.Sprintf("ParameterStatus %s=%s", m.Name, m.Value)
	case *pgproto3.BackendKeyData:
		return "BackendKeyData"
	}
	return strings.TrimPrefix(fmt.Sprintf("%T", msg), "*pgproto3.")
}

// equalTrace compares message traces.
func equalTrace(t *testing.T, got []string, want ...string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("messages:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

func TestConfigValidate(t *testing.T) {
	for _, tc := range []struct {
		cfg Config
		ok  bool
	}{
		{Config{}, true},
		{Config{Auth: AuthMD5, NodeID: maxNodeID}, true},
		{Config{Auth: "scram"}, false},
		{Config{MaxMessageSize: 100}, false},
		{Config{NodeID: -1}, false},
		{Config{NodeID: maxNodeID + 1}, false},
	} {
		if err := tc.cfg.Validate(); (err == nil) != tc.ok {
			t.Errorf("%+v: Validate() = %v", tc.cfg, err)
		}
	}
	d := Config{}.withDefaults()
	if d.Addr != DefaultAddr || d.Auth != AuthTrust || d.MaxMessageSize != 64<<20 || d.Logger == nil {
		t.Errorf("defaults: %+v", d)
	}
	s := NewServer(Config{Auth: "nope"}, newTestEngine())
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Serve(context.Background(), ln); err == nil || errors.Is(err, ErrServerClosed) {
		t.Errorf("Serve with a bad config: %v", err)
	}
}

func TestPanicEndsOnlyThatConnection(t *testing.T) {
	s := startServer(t, Config{})
	other := s.connect(t)
	c := s.startRaw(t)
	c.send(&pgproto3.Query{String: "panic"})
	equalTrace(t, c.expectClosed(), "ErrorResponse FATAL XX000 internal error: test panic")
	var n int
	if err := other.QueryRow(testCtx(t), "select 7").Scan(&n); err != nil || n != 7 {
		t.Fatalf("other connection: %d, %v", n, err)
	}
	waitFor(t, func() bool { return s.engine.closed.Load() == 1 })
}

func TestShutdown(t *testing.T) {
	s := startServer(t, Config{})
	idle := s.connect(t)
	busy := s.connect(t)
	errc := make(chan error, 1)
	go func() {
		_, err := busy.Exec(context.Background(), "sleep")
		errc <- err
	}()
	waitFor(t, func() bool { return s.runningStatements() == 1 })

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	if err := <-errc; pgCode(err) != "57014" {
		t.Errorf("running statement: %v, want 57014", err)
	}
	if err := idle.Ping(testCtx(t)); err == nil {
		t.Error("idle connection still works after Shutdown")
	}
	if got, want := s.engine.closed.Load(), s.engine.opened.Load(); got != want {
		t.Errorf("%d sessions closed of %d", got, want)
	}
	if _, err := net.DialTimeout("tcp", s.addr, time.Second); err == nil {
		t.Error("still accepting after Shutdown")
	}
	if s.Addr() != nil {
		t.Error("Addr after Shutdown")
	}
}

func TestServeContextCancel(t *testing.T) {
	e := newTestEngine()
	s := NewServer(Config{Addr: "127.0.0.1:0", Logger: slog.New(slog.DiscardHandler)}, e)
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- s.ListenAndServe(ctx) }()
	waitFor(t, func() bool { return s.Addr() != nil })
	c, err := pgx.Connect(testCtx(t), fmt.Sprintf("postgres://postgres@%s/db?sslmode=disable", s.Addr()))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(context.Background())
	cancel()
	if err := <-errc; !errors.Is(err, ErrServerClosed) {
		t.Fatalf("ListenAndServe: %v", err)
	}
	// Serve waited for the connection: its session is closed.
	if e.closed.Load() != 1 {
		t.Errorf("session not closed when Serve returned")
	}
}

// runningStatements counts connections inside a session call.
func (s *Server) runningStatements() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for c := range s.conns {
		c.mu.Lock()
		if c.stmtCancel != nil {
			n++
		}
		c.mu.Unlock()
	}
	return n
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached in 5s")
		}
	}
}

// pqCode returns the SQLSTATE of a lib/pq error, "" if none.
func pqCode(err error) string {
	var pe *pq.Error
	if errors.As(err, &pe) {
		return string(pe.Code)
	}
	return ""
}

// pgMessage returns the message of a pgx error.
func pgMessage(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Message
	}
	return ""
}

func asPgError(err error, pe **pgconn.PgError) bool { return errors.As(err, pe) }

func openPQ(t *testing.T, url string) *sql.DB {
	t.Helper()
	db, err := sql.Open("postgres", url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}
