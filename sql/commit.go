package sql

import (
	"context"

	"github.com/quorumdb/quorumdb/kv"
	"github.com/quorumdb/quorumdb/sql/kverror"
)

// commitTxn is the one way a session's transaction commits, whichever
// ended it (COMMIT, an implicit transaction's statement or Query message,
// an extended-protocol batch's Sync): for a transaction that may have
// written, the work due at commit (deferred constraint checks, ON COMMIT
// actions of temporary tables: beforeCommit) inside it; the kv commit;
// the transaction's release either way; and, once committed, what
// follows a commit (cache invalidation and catalog change events:
// afterCommit), before the client hears of it. The error is a SQL error
// (kverror.AsSQL): 40001 for a serialization failure, 40003 when the outcome
// is unknown.
func (s *Session) commitTxn(ctx context.Context, txn kv.Txn, mayHaveWritten bool) error {
	var err error
	if mayHaveWritten {
		err = s.beforeCommit(ctx, txn)
	}
	if err == nil {
		err = txn.Commit(ctx)
	}
	txn.Rollback() // releases the transaction; nothing to undo once committed
	if err != nil {
		return kverror.AsSQL(err)
	}
	s.afterCommit(ctx)
	return nil
}
