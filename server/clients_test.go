package server

import (
	"context"
	gosql "database/sql"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/lib/pq"
)

// End-to-end tests with the drivers applications use, through the wire
// against a real node.

func pgCode(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

func TestPgxExtendedBinaryAndPrepared(t *testing.T) {
	n := startNode(t, testConfig(t))
	conn := connect(t, n)
	ctx := context.Background()
	if _, err := conn.Exec(ctx, `CREATE TABLE items (id bigint PRIMARY KEY, name text, price numeric(10,2), ok boolean,
		made date, at timestamptz, tag uuid, doc jsonb, raw bytea, small smallint, f4 real, f8 float8, code char(3), vc varchar(8), ts timestamp, i4 int)`); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2024, 5, 6, 7, 8, 9, 123456000, time.UTC)
	_, err := conn.Exec(ctx, `INSERT INTO items VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
		int64(1), "widget", "12.50", true, time.Date(2024, 5, 6, 0, 0, 0, 0, time.UTC), at,
		"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", map[string]any{"k": "v"}, []byte{1, 2, 3}, int16(7), float32(1.5), 2.25, "abc", "short", at, int32(42))
	if err != nil {
		t.Fatal(err)
	}
	var (
		name, price, tag, code, vc string
		ok                         bool
		made, atOut, ts            time.Time
		doc                        map[string]any
		raw                        []byte
		small                      int16
		f4                         float32
		f8                         float64
		i4                         int32
	)
	// pgx asks for binary results for the types it knows.
	err = conn.QueryRow(ctx, `SELECT name, price::text, ok, made, at, tag::text, doc, raw, small, f4, f8, code, vc, ts, i4 FROM items WHERE id = $1`, int64(1)).
		Scan(&name, &price, &ok, &made, &atOut, &tag, &doc, &raw, &small, &f4, &f8, &code, &vc, &ts, &i4)
	if err != nil {
		t.Fatal(err)
	}
	if name != "widget" || price != "12.50" || !ok || !made.Equal(time.Date(2024, 5, 6, 0, 0, 0, 0, time.UTC)) || !atOut.Equal(at) ||
		tag != "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11" || doc["k"] != "v" || string(raw) != "\x01\x02\x03" || small != 7 || f4 != 1.5 || f8 != 2.25 ||
		code != "abc" || vc != "short" || !ts.Equal(at) || i4 != 42 {
		t.Fatalf("round trip mismatch: %v %v %v %v %v %v %v %v %v %v %v %v %v %v %v", name, price, ok, made, atOut, tag, doc, raw, small, f4, f8, code, vc, ts, i4)
	}
	// A named prepared statement reused 1000 times.
	if _, err := conn.Prepare(ctx, "upd", `UPDATE items SET small = small + 1 WHERE id = $1`); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 1000; i++ {
		if _, err := conn.Exec(ctx, "upd", int64(1)); err != nil {
			t.Fatalf("exec %d: %v", i, err)
		}
	}
	if err := conn.QueryRow(ctx, `SELECT small FROM items WHERE id = 1`).Scan(&small); err != nil || small != 1007 {
		t.Fatalf("small = %d, %v", small, err)
	}
}

func TestPgxCopyFromAndBatch(t *testing.T) {
	n := startNode(t, testConfig(t))
	conn := connect(t, n)
	ctx := context.Background()
	if _, err := conn.Exec(ctx, `CREATE TABLE pts (id int PRIMARY KEY, label text)`); err != nil {
		t.Fatal(err)
	}
	rows := make([][]any, 500)
	for i := range rows {
		rows[i] = []any{int32(i), fmt.Sprintf("p%d", i)}
	}
	copied, err := conn.CopyFrom(ctx, pgx.Identifier{"pts"}, []string{"id", "label"}, pgx.CopyFromRows(rows))
	if err != nil || copied != 500 {
		t.Fatalf("CopyFrom: %d %v", copied, err)
	}
	b := &pgx.Batch{}
	b.Queue(`INSERT INTO pts VALUES ($1, $2)`, int32(1000), "batch")
	b.Queue(`SELECT count(*) FROM pts`)
	b.Queue(`SELECT label FROM pts WHERE id = $1`, int32(1000))
	br := conn.SendBatch(ctx, b)
	if _, err := br.Exec(); err != nil {
		t.Fatal(err)
	}
	var count int64
	if err := br.QueryRow().Scan(&count); err != nil || count != 501 {
		t.Fatalf("count %d %v", count, err)
	}
	var label string
	if err := br.QueryRow().Scan(&label); err != nil || label != "batch" {
		t.Fatalf("label %q %v", label, err)
	}
	if err := br.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestPgxErrorsAndSessionSurvival(t *testing.T) {
	n := startNode(t, testConfig(t))
	conn := connect(t, n)
	ctx := context.Background()
	cases := []struct{ sql, code string }{
		{`SELECT * FROM nope`, "42P01"},
		{`SELECT 1/0`, "22012"},
		{`SELECT 'x'::int`, "22P02"},
		{`SELEC 1`, "42601"},
		{`CREATE TABLE u (a int PRIMARY KEY)`, ""},
		{`INSERT INTO u VALUES (1)`, ""},
		{`INSERT INTO u VALUES (1)`, "23505"},
		{`INSERT INTO u VALUES (NULL)`, "23502"},
		{`SELECT nope FROM u`, "42703"},
		{`SELECT 2147483647::int + 1`, "22003"},
	}
	for _, c := range cases {
		_, err := conn.Exec(ctx, c.sql)
		if got := pgCode(err); got != c.code {
			t.Errorf("%s: code %q, want %q (%v)", c.sql, got, c.code, err)
		}
	}
	var one int
	if err := conn.QueryRow(ctx, `SELECT 1`).Scan(&one); err != nil || one != 1 {
		t.Fatalf("session did not survive errors: %v", err)
	}
	// Inside a transaction block, an error fails the block (25P02).
	tx, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, `SELECT 1/0`); pgCode(err) != "22012" {
		t.Fatalf("want 22012, got %v", err)
	}
	if _, err := tx.Exec(ctx, `SELECT 1`); pgCode(err) != "25P02" {
		t.Fatalf("want 25P02, got %v", err)
	}
	if err := tx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	// The error carries the position of a syntax error.
	_, err = conn.Exec(ctx, `SELECT 1 FROM u WHERE`)
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != "42601" || pe.Position == 0 {
		t.Fatalf("syntax error position: %+v", err)
	}
}

func TestPgxCancel(t *testing.T) {
	n := startNode(t, testConfig(t))
	conn := connect(t, n)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	_, err := conn.Exec(ctx, `SELECT pg_sleep(30)`)
	if err == nil {
		t.Fatal("pg_sleep(30) returned before the cancel")
	}
	// pgx cancels through a CancelRequest and reports the context error;
	// the server answered 57014 and the session keeps working.
	var one int
	if err := conn.QueryRow(context.Background(), `SELECT 1`).Scan(&one); err != nil {
		// pgx may close the connection on a context timeout; a new one
		// must work then.
		conn = connect(t, n)
		if err := conn.QueryRow(context.Background(), `SELECT 1`).Scan(&one); err != nil {
			t.Fatal(err)
		}
	}
	// statement_timeout cancels on the server side with 57014.
	if _, err := conn.Exec(context.Background(), `SET statement_timeout = '100ms'`); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(context.Background(), `SELECT pg_sleep(5)`); pgCode(err) != "57014" {
		t.Fatalf("statement_timeout: %v", err)
	}
}

func TestLibPQ(t *testing.T) {
	n := startNode(t, testConfig(t))
	db, err := gosql.Open("postgres", "postgres://postgres@"+n.SQLAddr()+"/quorumdb?sslmode=disable")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE TABLE lp (id serial PRIMARY KEY, v text)`); err != nil {
		t.Fatal(err)
	}
	stmt, err := db.Prepare(`INSERT INTO lp (v) VALUES ($1) RETURNING id`)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 50; i++ {
		var id int
		if err := stmt.QueryRow(fmt.Sprintf("v%d", i)).Scan(&id); err != nil || id != i+1 {
			t.Fatalf("insert %d: id %d %v", i, id, err)
		}
	}
	stmt.Close()
	var n50 int
	if err := db.QueryRow(`SELECT count(*) FROM lp WHERE v LIKE $1`, "v%").Scan(&n50); err != nil || n50 != 50 {
		t.Fatalf("count %d %v", n50, err)
	}
	_, err = db.Exec(`INSERT INTO lp (id, v) VALUES (1, 'dup')`)
	if err == nil || !strings.Contains(err.Error(), "duplicate key") {
		t.Fatalf("want duplicate key error, got %v", err)
	}
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(`DELETE FROM lp WHERE id > 10`); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow(`SELECT count(*) FROM lp`).Scan(&n50); err != nil || n50 != 10 {
		t.Fatalf("after delete %d %v", n50, err)
	}
}

// TestPgxBatchIsAtomic: the statements of a pgx batch (one Sync) form one
// implicit transaction, as in PostgreSQL: a failure undoes the earlier ones.
func TestPgxBatchIsAtomic(t *testing.T) {
	n := startNode(t, testConfig(t))
	conn := connect(t, n)
	ctx := context.Background()
	if _, err := conn.Exec(ctx, `CREATE TABLE acct (id int PRIMARY KEY, bal int CHECK (bal >= 0))`); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, `INSERT INTO acct VALUES (1, 100), (2, 0)`); err != nil {
		t.Fatal(err)
	}
	b := &pgx.Batch{}
	b.Queue(`UPDATE acct SET bal = bal + 50 WHERE id = 2`)
	b.Queue(`UPDATE acct SET bal = bal - 150 WHERE id = 1`) // violates the CHECK
	err := conn.SendBatch(ctx, b).Close()
	if pgCode(err) != "23514" {
		t.Fatalf("want 23514, got %v", err)
	}
	var bal int
	if err := conn.QueryRow(ctx, `SELECT bal FROM acct WHERE id = 2`).Scan(&bal); err != nil || bal != 0 {
		t.Fatalf("first statement of the failed batch took effect: bal %d, %v", bal, err)
	}
	b = &pgx.Batch{}
	b.Queue(`UPDATE acct SET bal = bal + 50 WHERE id = 2`)
	b.Queue(`UPDATE acct SET bal = bal - 50 WHERE id = 1`)
	if err := conn.SendBatch(ctx, b).Close(); err != nil {
		t.Fatal(err)
	}
	var sum int
	if err := conn.QueryRow(ctx, `SELECT sum(bal) FROM acct`).Scan(&sum); err != nil || sum != 100 {
		t.Fatalf("sum %d, %v", sum, err)
	}
}
