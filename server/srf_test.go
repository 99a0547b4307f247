package server

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// TestRecordResultBinary reads records returned by a set-returning
// function through pgx, which asks for record columns in binary
// (record_send: column count, then each column's oid and value), and
// checks the column types it decodes, as PostgreSQL sends them.
func TestRecordResultBinary(t *testing.T) {
	conn := connect(t, startNode(t, testConfig(t)))
	ctx := context.Background()
	rows, err := conn.Query(ctx, "SELECT information_schema._pg_expandarray(ARRAY[10, NULL]::int2[])")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		vals, err := rows.Values()
		if err != nil {
			t.Fatal(err)
		}
		rec, ok := vals[0].([]any)
		if !ok {
			t.Fatalf("record decoded as %T", vals[0])
		}
		var fields []string
		for _, f := range rec {
			fields = append(fields, fmt.Sprintf("%T(%v)", f, f))
		}
		got = append(got, strings.Join(fields, ","))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	want := "int16(10),int32(1) <nil>(<nil>),int32(2)"
	if strings.Join(got, " ") != want {
		t.Errorf("records: %s, want %s", strings.Join(got, " "), want)
	}
}
