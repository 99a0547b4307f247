package server

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

// TestCopyConstraints: COPY FROM STDIN (text and binary) is one
// transaction: a row violating a unique, NOT NULL, CHECK or foreign-key
// constraint fails the whole COPY with the constraint's SQLSTATE and
// leaves no row behind, on tables with and without a primary key and
// with a unique secondary index.
func TestCopyConstraints(t *testing.T) {
	n := startNode(t, testConfig(t))
	conn := connect(t, n)
	ctx := context.Background()
	for _, stmt := range []string{
		`CREATE TABLE parent (id int PRIMARY KEY)`,
		`INSERT INTO parent VALUES (1), (2)`,
		`CREATE TABLE cp (id int PRIMARY KEY, code text UNIQUE, n int NOT NULL CHECK (n >= 0), p int REFERENCES parent)`,
		`CREATE TABLE heap (a int NOT NULL, b text)`,
		`INSERT INTO cp VALUES (100, 'existing', 0, NULL)`,
	} {
		if _, err := conn.Exec(ctx, stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	copyText := func(table, data string) error {
		_, err := conn.PgConn().CopyFrom(ctx, strings.NewReader(data), "COPY "+table+" FROM STDIN")
		return err
	}
	count := func(table string) int {
		var c int
		if err := conn.QueryRow(ctx, "SELECT count(*) FROM "+table).Scan(&c); err != nil {
			t.Fatal(err)
		}
		return c
	}

	for _, tc := range []struct{ name, data, code string }{
		{"duplicate within the COPY", "1\ta\t1\t1\n2\tb\t1\t\\N\n1\tc\t1\t2\n", "23505"},
		{"duplicate of a committed row", "1\ta\t1\t1\n100\tb\t1\t1\n", "23505"},
		{"unique secondary", "1\ta\t1\t1\n2\texisting\t1\t1\n", "23505"},
		{"not null", "1\ta\t1\t1\n2\tb\t\\N\t1\n", "23502"},
		{"check", "1\ta\t1\t1\n2\tb\t-1\t1\n", "23514"},
		{"foreign key", "1\ta\t1\t1\n2\tb\t1\t3\n", "23503"},
	} {
		if err := copyText("cp", tc.data); pgCode(err) != tc.code {
			t.Errorf("%s: got %v, want %s", tc.name, err, tc.code)
		}
		if c := count("cp"); c != 1 {
			t.Fatalf("%s: %d rows after a failed COPY, want 1", tc.name, c)
		}
	}
	if err := copyText("cp", "1\ta\t1\t1\n2\tb\t1\t\\N\n"); err != nil {
		t.Fatal(err)
	}
	if c := count("cp"); c != 3 {
		t.Fatalf("%d rows, want 3", c)
	}

	// Binary COPY (pgx CopyFrom) into a table without a primary key.
	rows := make([][]any, 1000)
	for i := range rows {
		rows[i] = []any{int32(i), fmt.Sprint(i)}
	}
	if n, err := conn.CopyFrom(ctx, pgx.Identifier{"heap"}, []string{"a", "b"}, pgx.CopyFromRows(rows)); err != nil || n != 1000 {
		t.Fatalf("binary COPY: %d %v", n, err)
	}
	rows[500][0] = nil
	if _, err := conn.CopyFrom(ctx, pgx.Identifier{"heap"}, []string{"a", "b"}, pgx.CopyFromRows(rows)); pgCode(err) != "23502" {
		t.Fatalf("binary COPY with a NULL: %v, want 23502", err)
	}
	if c := count("heap"); c != 1000 {
		t.Fatalf("%d rows after a failed binary COPY, want 1000", c)
	}
	// ADD PRIMARY KEY re-keys the loaded rows; duplicates then fail COPY.
	if _, err := conn.Exec(ctx, `ALTER TABLE heap ADD PRIMARY KEY (a)`); err != nil {
		t.Fatal(err)
	}
	if err := copyText("heap", "1000\tnew\n5\tdup\n"); pgCode(err) != "23505" {
		t.Fatalf("COPY of a duplicate after ADD PRIMARY KEY: %v, want 23505", err)
	}
	var b string
	if err := conn.QueryRow(ctx, `SELECT b FROM heap WHERE a = 999`).Scan(&b); err != nil || b != "999" {
		t.Fatalf("row 999 after re-key: %q %v", b, err)
	}
}
