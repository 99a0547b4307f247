package server

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"github.com/lib/pq"
)

// TestInvalidUTF8Refused: text that is not UTF8, or holds a NUL byte, is
// refused with 22021 wherever a client sends it — statement text, text
// and binary parameters, COPY data — as PostgreSQL refuses it; nothing is
// stored and the session goes on.
func TestInvalidUTF8Refused(t *testing.T) {
	n := startNode(t, testConfig(t))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn := connect(t, n).PgConn()
	if err := conn.Exec(ctx, "create table notes (id int primary key, body text, tag varchar(10))").Close(); err != nil {
		t.Fatal(err)
	}
	const textOid, intOid = 25, 23
	expect := func(what string, err error, bytes string) {
		t.Helper()
		want := `invalid byte sequence for encoding "UTF8": ` + bytes
		code := pgCode(err)
		if pe, ok := err.(*pq.Error); ok {
			code = string(pe.Code)
		}
		if code != "22021" || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want 22021 %s", what, err, want)
		}
	}
	_, err := conn.Exec(ctx, "insert into notes values (1, 'caf\xe9', 'x')").ReadAll()
	expect("statement text", err, "0xe9")
	ins := "insert into notes values ($1, $2, 'x')"
	_, err = conn.ExecParams(ctx, ins, [][]byte{[]byte("2"), []byte("a\x00b")}, []uint32{intOid, textOid}, []int16{0, 0}, nil).Close()
	expect("text parameter with NUL", err, "0x00")
	_, err = conn.ExecParams(ctx, ins, [][]byte{[]byte("3"), []byte("\xe2\x28\xa1")}, []uint32{intOid, textOid}, []int16{0, 0}, nil).Close()
	expect("text parameter", err, "0xe2 0x28 0xa1")
	_, err = conn.ExecParams(ctx, ins, [][]byte{{0, 0, 0, 4}, []byte("ok\xff")}, []uint32{intOid, textOid}, []int16{1, 1}, nil).Close()
	expect("binary parameter", err, "0xff")
	_, err = conn.CopyFrom(ctx, strings.NewReader("5\tfine\tx\n6\tbad\xc3(\tx\n"), "copy notes from stdin")
	expect("COPY data", err, "0xc3 0x28")
	_, err = conn.CopyFrom(ctx, strings.NewReader("7\tescaped\\0nul\tx\n"), "copy notes from stdin")
	expect("COPY escape making a NUL", err, "0x00")

	// The session goes on, nothing was stored, and valid text is kept
	// byte for byte.
	if _, err := conn.ExecParams(ctx, ins, [][]byte{[]byte("8"), []byte("héllo ✓ 𝄞")}, []uint32{intOid, textOid}, nil, nil).Close(); err != nil {
		t.Fatal(err)
	}
	res := conn.Exec(ctx, "select string_agg(body, ',' order by id) from notes")
	rows, err := res.ReadAll()
	if err != nil || len(rows) != 1 || string(rows[0].Rows[0][0]) != "héllo ✓ 𝄞" {
		t.Fatalf("stored: %v %v", rows, err)
	}

	// lib/pq sends its parameters as text too.
	db, err := sql.Open("postgres", "postgres://postgres@"+n.SQLAddr()+"/quorumdb?sslmode=disable")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_, err = db.ExecContext(ctx, ins, 9, "bad\xff")
	expect("lib/pq parameter", err, "0xff")
	var count int
	if err := db.QueryRowContext(ctx, "select count(*) from notes").Scan(&count); err != nil || count != 1 {
		t.Fatalf("rows after the refusals: %d, %v", count, err)
	}
}
