package heartbeat

import (
	"context"
	"time"

	"github.com/quorumdb/quorumdb/kv"
)

// ReadAll returns every node's row within txn, in node id order, each
// with its State computed at now under cfg's Timeout and OfflineAfter.
// It reads in the caller's transaction so that a statement sees the
// table at its own snapshot.
func ReadAll(ctx context.Context, txn kv.Txn, now time.Time, cfg Config) ([]Row, error) {
	kvs, err := txn.Scan(ctx, keyPrefix, kv.PrefixEnd(keyPrefix), 0, false)
	if err != nil {
		return nil, err
	}
	rows := make([]Row, 0, len(kvs))
	for _, e := range kvs {
		r, err := decodeRow(e.Key, e.Value)
		if err != nil {
			return nil, err
		}
		r.State = StateOf(now, r.HeartbeatAt, cfg)
		rows = append(rows, r)
	}
	return rows, nil
}
