package sql

import (
	"context"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/quorumdb/quorumdb/kv"
)

// countingDB counts the catalog keys its transactions read from the
// store (what a node that is not the leader pays a round trip for).
type countingDB struct {
	kv.DB
	catalogGets atomic.Int64
}

func (d *countingDB) Begin(ctx context.Context, o kv.TxnOptions) (kv.Txn, error) {
	t, err := d.DB.Begin(ctx, o)
	if err != nil {
		return nil, err
	}
	return &countingTxn{Txn: t, db: d}, nil
}

type countingTxn struct {
	kv.Txn
	db *countingDB
}

func (t *countingTxn) Get(ctx context.Context, key []byte) ([]byte, bool, error) {
	if isCatalogKey(key) {
		t.db.catalogGets.Add(1)
	}
	return t.Txn.Get(ctx, key)
}

func (t *countingTxn) GetMany(ctx context.Context, keys [][]byte) ([][]byte, []bool, error) {
	for _, k := range keys {
		if isCatalogKey(k) {
			t.db.catalogGets.Add(1)
		}
	}
	return kv.GetMany(ctx, t.Txn, keys)
}

// TestCatalogReadsOncePerTransaction: the statements of one transaction
// read each catalog key from the store once; a schema change within the
// transaction is seen by its next statement; ROLLBACK TO SAVEPOINT
// forgets what was read after the mark.
func TestCatalogReadsOncePerTransaction(t *testing.T) {
	db := &countingDB{DB: sharedStore(t)}
	e := startNodes(t, db, 1, Config{})[0]
	s := connect(t, e, 1)
	mustExec(t, s, "CREATE TABLE t (id int PRIMARY KEY, v text)")
	mustExec(t, s, "BEGIN")
	mustExec(t, s, "INSERT INTO t VALUES (1, 'a')")
	first := db.catalogGets.Load()
	for i := 2; i <= 50; i++ {
		mustExec(t, s, "INSERT INTO t VALUES ("+strconv.Itoa(i)+", 'x')")
	}
	if got := db.catalogGets.Load() - first; got != 0 {
		t.Fatalf("49 more INSERTs read %d catalog keys from the store, want 0", got)
	}
	mustExec(t, s, "ALTER TABLE t ADD COLUMN w int DEFAULT 7")
	if got := rowsText(mustExec(t, s, "SELECT w FROM t WHERE id = 1")); got != "7" {
		t.Fatalf("column added in the transaction: %q", got)
	}
	mustExec(t, s, "SAVEPOINT a")
	mustExec(t, s, "ALTER TABLE t DROP COLUMN w")
	mustExec(t, s, "ROLLBACK TO SAVEPOINT a")
	if got := rowsText(mustExec(t, s, "SELECT w FROM t WHERE id = 1")); got != "7" {
		t.Fatalf("after ROLLBACK TO SAVEPOINT: %q", got)
	}
	mustExec(t, s, "COMMIT")
	if got := rowsText(mustExec(t, s, "SELECT count(*), sum(w) FROM t")); got != "50|350" {
		t.Fatalf("committed: %q", got)
	}
}
