package pgwire

import (
	"bytes"
	"strings"
	"testing"

	"github.com/jackc/pgproto3/v2"
	"github.com/jackc/pgx/v5"
)

func TestCopyFromPgx(t *testing.T) {
	s := startServer(t, Config{})
	c := s.connect(t)
	ctx := testCtx(t)
	// pgx describes "select a, b from t", then sends binary COPY data.
	n, err := c.CopyFrom(ctx, pgx.Identifier{"t"}, []string{"a", "b"},
		pgx.CopyFromRows([][]any{{1, "x"}, {2, "y"}, {3, nil}}))
	if err != nil || n != 3 {
		t.Fatalf("CopyFrom: %d, %v", n, err)
	}
	if got := s.engine.copies(); len(got) != 1 || !strings.HasPrefix(got[0], "PGCOPY\n") {
		t.Fatalf("copied %q", got)
	}

	// Text COPY of a few megabytes arrives in many CopyData messages.
	var data strings.Builder
	for i := range 100000 {
		data.WriteString(strings.Repeat("x", i%50) + "\tvalue\n")
	}
	tag, err := c.PgConn().CopyFrom(ctx, strings.NewReader(data.String()), "copy t from stdin")
	if err != nil || tag.String() != "COPY 100000" {
		t.Fatalf("text CopyFrom: %q, %v", tag, err)
	}
	if got := s.engine.copies(); got[1] != data.String() {
		t.Fatalf("copied %d bytes, want %d", len(got[1]), data.Len())
	}
	var one int
	if err := c.QueryRow(ctx, "select 1").Scan(&one); err != nil {
		t.Fatalf("after COPY: %v", err)
	}
}

func TestCopyOut(t *testing.T) {
	s := startServer(t, Config{})
	c := s.connect(t)
	var buf bytes.Buffer
	tag, err := c.PgConn().CopyTo(testCtx(t), &buf, "copy t to stdout")
	if err != nil || tag.String() != "COPY 3" || buf.String() != "1\tone\n2\ttwo\n3\tthree\n" {
		t.Fatalf("CopyTo: %q %q, %v", tag, buf.String(), err)
	}

	r := s.startRaw(t)
	r.send(&pgproto3.Query{String: "copy t to stdout"})
	equalTrace(t, r.untilReady(), "CopyOutResponse 0 [0 0]",
		`CopyData "1\tone\n"`, `CopyData "2\ttwo\n"`, `CopyData "3\tthree\n"`,
		"CopyDone", "CommandComplete COPY 3", "ReadyForQuery I")
}

func TestCopyInProtocol(t *testing.T) {
	s := startServer(t, Config{})
	c := s.startRaw(t)

	c.send(&pgproto3.Query{String: "copy t from stdin"})
	equalTrace(t, []string{c.recv()}, "CopyInResponse 0 [0 0]")
	// Flush and Sync are ignored during COPY.
	c.send(&pgproto3.CopyData{Data: []byte("1\ta\n")}, &pgproto3.Flush{}, &pgproto3.Sync{},
		&pgproto3.CopyData{Data: []byte("2\tb\n")}, &pgproto3.CopyDone{})
	equalTrace(t, c.untilReady(), "CommandComplete COPY 2", "ReadyForQuery I")
	if got := s.engine.copies(); len(got) != 1 || got[0] != "1\ta\n2\tb\n" {
		t.Fatalf("copied %q", got)
	}

	c.send(&pgproto3.Query{String: "copy t from stdin csv"})
	equalTrace(t, []string{c.recv()}, "CopyInResponse 0 [0 0]")
	c.send(&pgproto3.CopyData{Data: []byte("1,a\n")}, &pgproto3.CopyFail{Message: "client gave up"})
	equalTrace(t, c.untilReady(), "ErrorResponse ERROR 57014 COPY from stdin failed: client gave up", "ReadyForQuery I")

	c.send(&pgproto3.Query{String: "copy t from stdin binary"})
	equalTrace(t, []string{c.recv()}, "CopyInResponse 1 [1 1]")
	// Any other message ends the COPY with an error; CopyData the client
	// sends before it sees the error is ignored.
	c.send(&pgproto3.Parse{Query: "select 1"}, &pgproto3.CopyData{Data: []byte("late")}, &pgproto3.CopyDone{},
		&pgproto3.Query{String: "select 2"})
	equalTrace(t, c.untilReady(), "ErrorResponse ERROR 08P01 unexpected message type Parse during COPY from stdin", "ReadyForQuery I")
	equalTrace(t, c.untilReady(), "RowDescription ?column?:23/0", `DataRow "2"`, "CommandComplete SELECT 1", "ReadyForQuery I")

	// COPY through the extended protocol: the client sends Sync after
	// CopyDone, as libpq does (a Sync during COPY is ignored).
	c.send(&pgproto3.Parse{Query: "copy t from stdin"}, &pgproto3.Bind{}, &pgproto3.Execute{})
	equalTrace(t, []string{c.recv(), c.recv(), c.recv()}, "ParseComplete", "BindComplete", "CopyInResponse 0 [0 0]")
	c.send(&pgproto3.CopyData{Data: []byte("3\tc\n")}, &pgproto3.CopyDone{}, &pgproto3.Sync{})
	equalTrace(t, c.untilReady(), "CommandComplete COPY 1", "ReadyForQuery I")

	// A malformed message during COPY is fatal like anywhere else.
	c.send(&pgproto3.Query{String: "copy t from stdin"})
	equalTrace(t, []string{c.recv()}, "CopyInResponse 0 [0 0]")
	c.write([]byte{'d', 0, 0, 0, 2})
	equalTrace(t, c.expectClosed(), "ErrorResponse FATAL 08P01 invalid frontend message")
}
