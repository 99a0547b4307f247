package sql

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/quorumdb/quorumdb/kv"
)

// flushingDB hands out transactions that, like kv/remote's, may return
// from InsertFresh before the write is done: their Flush fails with
// kv.ErrTxnTooLarge when failFlush is set and an InsertFresh is pending.
type flushingDB struct {
	kv.DB
	failFlush *atomic.Bool
}

func (d flushingDB) Begin(ctx context.Context, opts kv.TxnOptions) (kv.Txn, error) {
	txn, err := d.DB.Begin(ctx, opts)
	if err != nil {
		return nil, err
	}
	return &flushingTxn{Txn: txn, failFlush: d.failFlush}, nil
}

type flushingTxn struct {
	kv.Txn
	failFlush *atomic.Bool
	pending   bool
}

func (t *flushingTxn) InsertFresh(ctx context.Context, key, value []byte) error {
	t.pending = true
	return t.Txn.InsertFresh(ctx, key, value)
}

func (t *flushingTxn) Flush(context.Context) error {
	pending := t.pending
	t.pending = false
	if pending && t.failFlush.Load() {
		return fmt.Errorf("%w: test", kv.ErrTxnTooLarge)
	}
	return nil
}

// TestStatementFlushesItsWrites: a write failing after its call returned
// (kv.Flusher) fails the statement that made it, with the kv error's
// SQLSTATE, inside a transaction block as well as alone.
func TestStatementFlushesItsWrites(t *testing.T) {
	store, err := kv.Open(kv.LocalConfig{Dir: t.TempDir(), NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	ctx := context.Background()
	var fail atomic.Bool
	e, err := NewEngine(ctx, Config{DB: flushingDB{DB: store, failFlush: &fail}, NodeID: 1, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	s, err := e.Connect(ctx, ConnParams{User: "postgres", Database: "quorumdb", BackendPID: 42})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)

	mustExec(t, s, "CREATE TABLE t (a int)") // no primary key: rows go in with InsertFresh
	fail.Store(true)
	if got := execCode(t, s, "INSERT INTO t VALUES (1), (2)"); got != "54000" {
		t.Errorf("INSERT whose flush fails: %q, want 54000", got)
	}
	mustExec(t, s, "BEGIN")
	if got := execCode(t, s, "SELECT count(*) FROM t"); got != "" {
		t.Errorf("SELECT in the block: %q, want success (nothing pending)", got)
	}
	if got := execCode(t, s, "INSERT INTO t VALUES (3)"); got != "54000" {
		t.Errorf("INSERT in a block whose flush fails: %q, want 54000", got)
	}
	if got := execCode(t, s, "SELECT 1"); got != "25P02" {
		t.Errorf("next statement: %q, want 25P02", got)
	}
	mustExec(t, s, "ROLLBACK")
	fail.Store(false)
	mustExec(t, s, "INSERT INTO t VALUES (4)")
	if got := rowsText(mustExec(t, s, "SELECT a FROM t")); got != "4" {
		t.Errorf("rows: %q, want only 4", got)
	}
}
