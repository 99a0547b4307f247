package sql

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/quorumdb/quorumdb/kv"
	"github.com/quorumdb/quorumdb/sql/catalog"
)

// keysUnder counts the keys with prefix, as a fresh transaction sees them.
func keysUnder(t *testing.T, db kv.DB, prefix []byte) int {
	t.Helper()
	ctx := context.Background()
	txn, err := db.Begin(ctx, kv.TxnOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer txn.Rollback()
	kvs, err := txn.Scan(ctx, prefix, kv.PrefixEnd(prefix), 0, false)
	if err != nil {
		t.Fatal(err)
	}
	return len(kvs)
}

// tempFootprint creates a temporary table with rows, an index and a
// serial sequence in s, and returns its id.
func tempFootprint(t *testing.T, s *Session) uint32 {
	t.Helper()
	mustExec(t, s, "CREATE TEMP TABLE leak (id serial PRIMARY KEY, v text)")
	mustExec(t, s, "CREATE INDEX leak_v ON leak (v)")
	mustExec(t, s, "INSERT INTO leak (v) SELECT 'row' || g FROM generate_series(1, 50) g")
	r := mustExec(t, s, "SELECT 'leak'::regclass::oid")
	id, err := strconv.ParseUint(r.rows[0][0], 10, 32)
	if err != nil {
		t.Fatal(err)
	}
	return uint32(id)
}

// checkNoTempLeft asserts that nothing of database db's temporary schema
// 1 and table id is left in kv: no rows or index entries, descriptors,
// names, sequence values or registry entries (the test made no other
// objects).
func checkNoTempLeft(t *testing.T, db kv.DB, dbID, id uint32) {
	t.Helper()
	for what, prefix := range map[string][]byte{
		"rows and index entries": kv.TablePrefix(id),
		"descriptors":            kv.SystemKey([]byte("desc/")),
		"names":                  kv.SystemKey([]byte("ns/"), catalog.EncodeID(dbID), []byte(tempSchemaName(1)), []byte{0}),
		"registry entries":       kv.SystemKey([]byte("tempschema/")),
		"sequence values":        kv.SystemKey([]byte("seq/")),
	} {
		if n := keysUnder(t, db, prefix); n != 0 {
			t.Errorf("%s left behind: %d keys", what, n)
		}
	}
}

// TestTempSchemaDroppedOnClose checks a closed session leaves no key of
// its temporary objects in kv.
func TestTempSchemaDroppedOnClose(t *testing.T) {
	e, s := testSession(t)
	id := tempFootprint(t, s)
	if n := keysUnder(t, e.cfg.DB, kv.TablePrefix(id)); n != 100 {
		t.Fatalf("temporary table has %d keys before close, want 100 (rows and index entries)", n)
	}
	s.Close()
	checkNoTempLeft(t, e.cfg.DB, s.dbID, id)
}

// TestTempSchemaDroppedAfterCrash leaves a session open (as a crash
// would) and starts another engine on the same store, as a restarted
// node does: the orphaned schema must be gone before it serves anyone.
func TestTempSchemaDroppedAfterCrash(t *testing.T) {
	e, s := testSession(t)
	id := tempFootprint(t, s)
	// Distinct incarnations have distinct boot ids (start times).
	time.Sleep(time.Millisecond)
	if _, err := NewEngine(context.Background(), Config{DB: e.cfg.DB, NodeID: 1, Version: "test"}); err != nil {
		t.Fatal(err)
	}
	checkNoTempLeft(t, e.cfg.DB, s.dbID, id)
}

// TestOrphanSweptByNextSession drops a session's engine-side liveness
// without its cleanup (a failed Close) and checks the next session that
// takes a temporary schema sweeps the orphan.
func TestOrphanSweptByNextSession(t *testing.T) {
	e, s := testSession(t)
	id := tempFootprint(t, s)
	e.forgetTempSession(s.id)
	s.temp = nil // the dead session no longer owns anything
	s2, err := e.Connect(context.Background(), ConnParams{User: "postgres", Database: "quorumdb", BackendPID: 43})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	mustExec(t, s2, "CREATE TEMP TABLE fresh (a int)")
	if n := keysUnder(t, e.cfg.DB, kv.TablePrefix(id)); n != 0 {
		t.Errorf("orphaned rows left: %d keys", n)
	}
	if n := keysUnder(t, e.cfg.DB, catalog.DescriptorKey(id)); n != 0 {
		t.Errorf("orphaned descriptor left")
	}
	if r := mustExec(t, s2, "SELECT nspname FROM pg_namespace WHERE oid = pg_my_temp_schema()"); r.rows[0][0] != "pg_temp_1" {
		t.Errorf("new session got schema %s, want the freed pg_temp_1", r.rows[0][0])
	}
}
