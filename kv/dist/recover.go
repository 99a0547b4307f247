package dist

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/quorumdb/quorumdb/kv"
)

// PreparedHolder is a partition's store as the node leading it sees it:
// the prepared parts it holds, and their resolution.
type PreparedHolder interface {
	Prepared(age time.Duration) []kv.PreparedRef
	Resolve(ctx context.Context, id kv.TxnID, commit bool, ts kv.Timestamp) error
}

// Recover resolves the parts prepared in store (a partition this node
// leads) for at least age, whose coordinator may be gone: the record
// partition decides abort unless the transaction committed, and the part
// follows the record. Run by the node for each partition it leads, every
// so often.
func (db *DB) Recover(ctx context.Context, store PreparedHolder, age time.Duration) error {
	var errs []error
	for _, ref := range store.Prepared(age) {
		var outcome kv.TxnOutcome
		err := db.onLeaseholder(ctx, ref.Record, func(ctx context.Context, lh Participant) error {
			var err error
			outcome, err = lh.Decide(ctx, ref.ID, false, 0)
			return err
		})
		if err == nil {
			err = store.Resolve(ctx, ref.ID, outcome.Committed, outcome.TS)
		}
		if err == nil {
			db.stats.recovered.Add(1)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("dist: resolving transaction %s: %w", ref.ID, err))
		}
	}
	return errors.Join(errs...)
}
