package pgwire

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgproto3/v2"
)

// FuzzConnection feeds arbitrary bytes, after a valid startup, to a
// connection of a Server with the test engine. The connection must end
// (never hang) and nothing may panic: a panic inside the connection is
// recovered by the server, so the test watches its error log instead.
//
//	go test -fuzz=FuzzConnection ./pgwire
func FuzzConnection(f *testing.F) {
	for _, seed := range fuzzSeeds() {
		f.Add(seed)
	}
	e := newTestEngine()
	e.fuzzing = true
	var errorsLogged atomic.Int64
	var lastError atomic.Value
	s := NewServer(Config{
		MaxMessageSize: 1 << 16,
		Logger:         slog.New(errorCounter{slog.DiscardHandler, &errorsLogged, &lastError}),
	}, e)
	f.Cleanup(func() { _ = s.Close() })
	startup, err := (&pgproto3.StartupMessage{ProtocolVersion: pgproto3.ProtocolVersionNumber,
		Parameters: map[string]string{"user": "postgres", "database": "db"}}).Encode(nil)
	if err != nil {
		f.Fatal(err)
	}

	f.Fuzz(func(t *testing.T, data []byte) {
		before := errorsLogged.Load()
		clientIn, serverIn := net.Pipe()
		serverOut, clientOut := net.Pipe()
		s.serveConn(splitConn{in: serverIn, out: serverOut})

		go func() {
			_, _ = clientIn.Write(startup)
			_, _ = clientIn.Write(data)
			_ = clientIn.Close() // the server reads EOF
		}()
		done := make(chan struct{})
		go func() {
			defer close(done)
			_, _ = io.Copy(io.Discard, clientOut) // until the server closes
		}()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = clientOut.Close()
			t.Fatalf("connection hung on input %q", data)
		}
		if n := errorsLogged.Load() - before; n > 0 {
			t.Fatalf("%d errors logged on input %q, the last: %v", n, data, lastError.Load())
		}
	})
}

// splitConn is a connection whose two directions are separate pipes, so
// that the client can close its writing side and keep reading (net.Pipe
// has no half-close).
type splitConn struct {
	in, out net.Conn
}

func (c splitConn) Read(b []byte) (int, error)  { return c.in.Read(b) }
func (c splitConn) Write(b []byte) (int, error) { return c.out.Write(b) }
func (c splitConn) Close() error {
	_ = c.out.Close()
	return c.in.Close()
}
func (c splitConn) LocalAddr() net.Addr  { return c.in.LocalAddr() }
func (c splitConn) RemoteAddr() net.Addr { return c.in.RemoteAddr() }
func (c splitConn) SetDeadline(t time.Time) error {
	_ = c.out.SetDeadline(t)
	return c.in.SetDeadline(t)
}
func (c splitConn) SetReadDeadline(t time.Time) error  { return c.in.SetReadDeadline(t) }
func (c splitConn) SetWriteDeadline(t time.Time) error { return c.out.SetWriteDeadline(t) }

// errorCounter counts the records of level Error and above and keeps
// the last one's text, so that a finding says what went wrong.
type errorCounter struct {
	slog.Handler
	n    *atomic.Int64
	last *atomic.Value
}

func (h errorCounter) Enabled(ctx context.Context, l slog.Level) bool { return l >= slog.LevelError }
func (h errorCounter) Handle(ctx context.Context, r slog.Record) error {
	text := r.Message
	r.Attrs(func(a slog.Attr) bool {
		text += fmt.Sprintf(" %s=%v", a.Key, a.Value)
		return true
	})
	h.last.Store(text)
	h.n.Add(1)
	return nil
}
func (h errorCounter) WithAttrs(as []slog.Attr) slog.Handler { return h }
func (h errorCounter) WithGroup(name string) slog.Handler    { return h }

// fuzzSeeds are message sequences covering every handler.
func fuzzSeeds() [][]byte {
	enc := func(msgs ...pgproto3.FrontendMessage) []byte {
		var b []byte
		for _, m := range msgs {
			var err error
			if b, err = m.Encode(b); err != nil {
				panic(err)
			}
		}
		return b
	}
	return [][]byte{
		enc(&pgproto3.Query{String: "select 1; rows 3"}, &pgproto3.Terminate{}),
		enc(&pgproto3.Query{String: "begin; nonsense"}, &pgproto3.Query{String: "rollback"}, &pgproto3.Query{String: ""}),
		enc(&pgproto3.Query{String: "notice x; set a = b; sleep; panic"}),
		enc(&pgproto3.Parse{Name: "s", Query: "select $1::int4, $2"},
			&pgproto3.Describe{ObjectType: 'S', Name: "s"},
			&pgproto3.Bind{DestinationPortal: "p", PreparedStatement: "s", ParameterFormatCodes: []int16{1, 0},
				Parameters: [][]byte{{0, 0, 0, 1}, nil}, ResultFormatCodes: []int16{1}},
			&pgproto3.Describe{ObjectType: 'P', Name: "p"},
			&pgproto3.Execute{Portal: "p", MaxRows: 1}, &pgproto3.Flush{},
			&pgproto3.Execute{Portal: "p"},
			&pgproto3.Close{ObjectType: 'P', Name: "p"}, &pgproto3.Close{ObjectType: 'S', Name: "s"},
			&pgproto3.Sync{}),
		enc(&pgproto3.Parse{Query: "rows 5"}, &pgproto3.Bind{}, &pgproto3.Execute{MaxRows: 2},
			&pgproto3.Execute{MaxRows: 2}, &pgproto3.Sync{}, &pgproto3.Execute{}, &pgproto3.Sync{}),
		enc(&pgproto3.Bind{PreparedStatement: "missing"}, &pgproto3.Execute{}, &pgproto3.Sync{},
			&pgproto3.Parse{Query: "error 22012 x"}, &pgproto3.Bind{}, &pgproto3.Execute{}, &pgproto3.Sync{}),
		enc(&pgproto3.Query{String: "copy t from stdin"}, &pgproto3.CopyData{Data: []byte("1\ta\n")},
			&pgproto3.Flush{}, &pgproto3.Sync{}, &pgproto3.CopyDone{}, &pgproto3.Query{String: "copy t to stdout"}),
		enc(&pgproto3.Query{String: "copy t from stdin binary"}, &pgproto3.CopyData{Data: []byte("PGCOPY\n\xff\r\n\x00")},
			&pgproto3.CopyFail{Message: "no"}, &pgproto3.CopyData{}, &pgproto3.CopyDone{}),
		enc(&pgproto3.Query{String: "copy t from stdin"}, &pgproto3.Parse{Query: "select 1"}),
		enc(&pgproto3.FunctionCall{Function: 1}, &pgproto3.PasswordMessage{Password: "x"}),
		append(enc(&pgproto3.Query{String: "select 1"}), 'B', 0, 0, 0, 16, 0, 0, 0, 0, 0, 1, 0xff, 0xff, 0xff, 0xfe, 0, 0),
		append(enc(&pgproto3.Flush{}), 'Q', 0x7f, 0xff, 0xff, 0xff),
		{'z', 0, 0, 0, 4},
	}
}

// TestWriteFuzzCorpus regenerates testdata/fuzz/FuzzConnection from
// fuzzSeeds when PGWIRE_WRITE_CORPUS=1.
func TestWriteFuzzCorpus(t *testing.T) {
	if os.Getenv("PGWIRE_WRITE_CORPUS") != "1" {
		t.Skip("set PGWIRE_WRITE_CORPUS=1 to rewrite the seed corpus")
	}
	dir := filepath.Join("testdata", "fuzz", "FuzzConnection")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for i, seed := range fuzzSeeds() {
		body := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", seed)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("seed%02d", i)), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
