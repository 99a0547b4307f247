package sql

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// TestEnumAcrossNodes: an enum type and the values ALTER TYPE adds on
// one node are seen by the next statement on another, prepared
// statements included (their plans re-read the type's descriptor), and
// ORDER BY and an index on the column follow the declaration order.
func TestEnumAcrossNodes(t *testing.T) {
	db := sharedStore(t)
	engines := startNodes(t, db, 2, Config{})
	a, b := connect(t, engines[0], 1), connect(t, engines[1], 2)
	mustExec(t, a, "CREATE TYPE mood AS ENUM ('sad', 'happy')")
	mustExec(t, a, "CREATE TABLE p (id int PRIMARY KEY, m mood)")
	mustExec(t, a, "CREATE INDEX p_m ON p (m)")
	mustExec(t, b, "INSERT INTO p VALUES (1, 'happy'), (2, 'sad')")

	ctx := context.Background()
	ps, err := b.Prepare(ctx, "SELECT id FROM p WHERE m >= 'sad' ORDER BY m, id", nil)
	if err != nil {
		t.Fatal(err)
	}
	run := func() string {
		t.Helper()
		p, err := b.Bind(ctx, ps, nil, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		r := &recorder{}
		if _, err := b.Execute(ctx, p, 0, r); err != nil {
			t.Fatal(err)
		}
		if err := b.Sync(ctx); err != nil {
			t.Fatal(err)
		}
		return rowsText(r)
	}
	if got := run(); got != "2\n1" {
		t.Fatalf("before ALTER TYPE: %q", got)
	}
	mustExec(t, a, "ALTER TYPE mood ADD VALUE 'ok' BEFORE 'happy'")
	mustExec(t, a, "ALTER TYPE mood ADD VALUE 'meh' AFTER 'sad'")
	mustExec(t, b, "INSERT INTO p VALUES (3, 'ok'), (4, 'meh')")
	if got := run(); got != "2\n4\n3\n1" {
		t.Fatalf("after ALTER TYPE on the other node: %q", got)
	}
	if got := rowsText(mustExec(t, b, "SELECT id FROM p WHERE m > 'meh' AND m < 'happy'")); got != "3" {
		t.Fatalf("index range on the new labels: %q", got)
	}
	mustExec(t, a, "ALTER TYPE mood RENAME VALUE 'meh' TO 'so-so'")
	if got := rowsText(mustExec(t, b, "SELECT m FROM p WHERE id = 4")); got != "so-so" {
		t.Fatalf("renamed label: %q", got)
	}
	if got := rowsText(mustExec(t, b, "SELECT enumlabel FROM pg_enum ORDER BY enumsortorder")); got != "sad\nso-so\nok\nhappy" {
		t.Fatalf("pg_enum: %q", got)
	}
}

// TestEnumKeyBetween: order keys between any two keep their order and
// leave room, however often a label goes in at the same place.
func TestEnumKeyBetween(t *testing.T) {
	keys := types.EnumInitialKeys(3)
	for i := 0; i < 200; i++ {
		k := types.EnumKeyBetween(keys[0], keys[1])
		if bytes.Compare(keys[0], k) >= 0 || bytes.Compare(k, keys[1]) >= 0 {
			t.Fatalf("step %d: %x not between %x and %x", i, k, keys[0], keys[1])
		}
		keys = append([][]byte{keys[0], k}, keys[1:]...)
	}
	for i := 0; i < 200; i++ {
		k := types.EnumKeyBetween(nil, keys[0])
		if bytes.Compare(k, keys[0]) >= 0 || len(k) == 0 {
			t.Fatalf("step %d: %x not below %x", i, k, keys[0])
		}
		keys = append([][]byte{k}, keys...)
		last := keys[len(keys)-1]
		k = types.EnumKeyBetween(last, nil)
		if bytes.Compare(last, k) >= 0 {
			t.Fatalf("step %d: %x not above %x", i, k, last)
		}
		keys = append(keys, k)
	}
}

// TestEnumParamOid: a Parse message may name an enum type (or its array)
// by oid, as psycopg's EnumInfo adapters do (SELECT $1::mood with the
// parameter typed mood); the value then arrives as the label's text.
func TestEnumParamOid(t *testing.T) {
	_, s := testSession(t)
	mustExec(t, s, "CREATE TYPE mood AS ENUM ('sad', 'happy')")
	r := mustExec(t, s, "SELECT 'mood'::regtype::oid, typarray FROM pg_type WHERE typname = 'mood'")
	var oid, arr uint32
	if _, err := fmt.Sscanf(rowsText(r), "%d|%d", &oid, &arr); err != nil {
		t.Fatalf("oids %q: %v", rowsText(r), err)
	}
	ctx := context.Background()
	for _, c := range []struct {
		oid        uint32
		query, arg string
		want       string
	}{
		{oid, "SELECT $1::mood > 'sad'", "happy", "t"},
		{arr, "SELECT array_length($1::mood[], 1)", "{sad,happy}", "2"},
	} {
		ps, err := s.Prepare(ctx, c.query, []uint32{c.oid})
		if err != nil {
			t.Fatalf("%s: %v", c.query, err)
		}
		p, err := s.Bind(ctx, ps, [][]byte{[]byte(c.arg)}, nil, nil)
		if err != nil {
			t.Fatalf("%s: bind: %v", c.query, err)
		}
		rec := &recorder{}
		if _, err := s.Execute(ctx, p, 0, rec); err != nil {
			t.Fatalf("%s: %v", c.query, err)
		}
		if got := rowsText(rec); got != c.want {
			t.Errorf("%s with %s = %q, want %q", c.query, c.arg, got, c.want)
		}
	}
	if _, err := s.Prepare(ctx, "SELECT $1", []uint32{oid + 1000}); pgerror.CodeOf(err) != pgerror.UndefinedObject {
		t.Errorf("unknown oid: %v, want 42704", err)
	}
}
