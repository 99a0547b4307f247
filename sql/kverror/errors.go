package kverror

import (
	"errors"

	"github.com/quorumdb/quorumdb/kv"
	"github.com/quorumdb/quorumdb/sql/pgerror"
)

// codes maps every kv sentinel to the SQLSTATE a client sees.
var codes = []struct {
	err  error
	code string
	msg  string
}{
	{kv.ErrConflict, pgerror.SerializationFailure, "could not serialize access due to concurrent update"},
	{kv.ErrDeadlock, pgerror.DeadlockDetected, "deadlock detected"},
	{kv.ErrTxnDone, pgerror.InvalidTransactionState, "transaction already finished"},
	{kv.ErrTxnTooLarge, pgerror.ProgramLimitExceeded, "transaction is too large"},
	{kv.ErrReadOnly, pgerror.ReadOnlySQLTransaction, "cannot execute write in a read-only transaction"},
	{kv.ErrUnavailable, pgerror.ConnectionFailure, "data unavailable: no quorum"},
	{kv.ErrCommitUnknown, pgerror.StatementCompletionUnknown, "result of the transaction commit is unknown"},
	{kv.ErrClosed, pgerror.AdminShutdown, "terminating connection due to administrator command"},
	// The router follows ErrNotLeader to the leader; it reaches a
	// client only if no leader could be found.
	{kv.ErrNotLeader, pgerror.ConnectionFailure, "data unavailable: no leader"},
	// The sql layer reports duplicates itself with the constraint's
	// name and key; this is the fallback for a bare ErrKeyExists.
	{kv.ErrKeyExists, pgerror.UniqueViolation, "duplicate key value violates unique constraint"},
	// PostgreSQL: could not extend file "base/...": No space left on
	// device. The kv text (free bytes, reserve, directory) is the detail.
	{kv.ErrDiskFull, pgerror.DiskFull, "could not write to the store: No space left on device"},
}

func init() {
	pgerror.RegisterCodeMapper(func(err error) (string, bool) {
		for _, m := range codes {
			if errors.Is(err, m.err) {
				return m.code, true
			}
		}
		return "", false
	})
}

// AsSQL converts a kv error into a SQL error with a PostgreSQL-style
// message, leaving other errors as they are.
func AsSQL(err error) error {
	if err == nil {
		return nil
	}
	var pe *pgerror.Error
	if errors.As(err, &pe) {
		return err
	}
	for _, m := range codes {
		if errors.Is(err, m.err) {
			if m.err == kv.ErrDiskFull {
				return pgerror.Wrap(err, m.code, m.msg).WithDetail("%s", err).WithHint("Check free disk space.")
			}
			return pgerror.Wrap(err, m.code, m.msg)
		}
	}
	return err
}

// Retryable reports whether err is a retryable serialization failure.
func Retryable(err error) bool {
	if errors.Is(err, kv.ErrConflict) || errors.Is(err, kv.ErrDeadlock) {
		return true
	}
	code := pgerror.CodeOf(err)
	return code == pgerror.SerializationFailure || code == pgerror.DeadlockDetected
}
