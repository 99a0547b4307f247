package sql

import (
	"context"
	"encoding/binary"

	"github.com/quorumdb/quorumdb/kv"
	"github.com/quorumdb/quorumdb/sql/kverror"
)

// Transaction ids (txid_current). PostgreSQL assigns a transaction an
// xid the first time it needs one, from a counter shared by every
// backend, so two transactions never share one and a later transaction's
// is larger. The kv read timestamp is no substitute: transactions that
// begin between the same two commits read at the same snapshot, on one
// node and across nodes alike. So the counter lives in kv, where every
// node's sessions draw from it, and is advanced in a transaction of its
// own (like nextval) so that callers never conflict on it.

var keyTxidGen = kv.SystemKey([]byte("txidgen"))

// firstTxid is PostgreSQL's FirstNormalTransactionId: smaller xids are
// reserved there, and clients may treat them specially.
const firstTxid = 3

// allocateTxid returns a transaction id never handed out before by any
// node sharing the store.
func (e *Engine) allocateTxid(ctx context.Context) (int64, error) {
	for attempt := 0; ; attempt++ {
		id, err := e.allocateTxidOnce(ctx)
		if err == nil || !kverror.Retryable(err) || attempt > 100 {
			return id, err
		}
		if err := backoff(ctx, attempt); err != nil {
			return 0, err
		}
	}
}

func (e *Engine) allocateTxidOnce(ctx context.Context) (int64, error) {
	txn, err := e.cfg.DB.Begin(ctx, kv.TxnOptions{})
	if err != nil {
		return 0, kverror.AsSQL(err)
	}
	defer txn.Rollback()
	b, ok, err := txn.Get(ctx, keyTxidGen)
	if err != nil {
		return 0, kverror.AsSQL(err)
	}
	id := int64(firstTxid)
	if ok {
		id = int64(binary.BigEndian.Uint64(b)) + 1
	}
	if err := txn.Put(ctx, keyTxidGen, be64(id)); err != nil {
		return 0, kverror.AsSQL(err)
	}
	if err := txn.Commit(ctx); err != nil {
		return 0, kverror.AsSQL(err)
	}
	return id, nil
}
