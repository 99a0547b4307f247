package dist

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"sync"

	"github.com/quorumdb/quorumdb/kv"
)

// Scan implements kv.Txn. A span within one partition is scanned there;
// otherwise every partition that may hold keys in it is scanned in
// parallel, each for up to limit entries, and the results are merged in
// key order and cut at limit. Each part records the span it read up to
// its own last key returned, which covers what the merged result
// depended on.
func (t *txn) Scan(ctx context.Context, start, end []byte, limit int, reverse bool) ([]kv.KeyValue, error) {
	if t.done {
		return nil, t.doneErr()
	}
	targets := t.db.cfg.Partitions.Spanning(start, end)
	switch len(targets) {
	case 0:
		return nil, nil
	case 1:
		var out []kv.KeyValue
		err := t.onPartition(ctx, targets[0], false, func(pt kv.ParticipantTxn) error {
			var err error
			out, err = pt.Scan(ctx, start, end, limit, reverse)
			return err
		})
		return out, err
	}
	for range maxRefreshes {
		if err := t.beginParts(ctx, targets); err != nil {
			return nil, t.fail(err)
		}
		parts := make([]*part, len(targets))
		for i, p := range targets {
			parts[i] = t.parts[p]
		}
		results := make([][]kv.KeyValue, len(parts))
		errs := make([]error, len(parts))
		var wg sync.WaitGroup
		for i, pt := range parts {
			wg.Add(1)
			go func() {
				defer wg.Done()
				results[i], errs[i] = pt.txn.Scan(ctx, start, end, limit, reverse)
			}()
		}
		wg.Wait()
		var refresh *kv.RefreshNeededError
		if err := errors.Join(errs...); err != nil {
			if errors.As(err, &refresh) {
				if err := t.refreshAll(ctx, refresh.To); err != nil {
					return nil, err
				}
				continue
			}
			return nil, t.fail(firstError(errs))
		}
		return merge(results, limit, reverse), nil
	}
	return nil, t.fail(kv.ErrConflict)
}

// merge combines per-partition results, each in scan order, into one
// list in scan order of at most limit entries (limit <= 0: all).
func merge(results [][]kv.KeyValue, limit int, reverse bool) []kv.KeyValue {
	var out []kv.KeyValue
	for _, r := range results {
		out = append(out, r...)
	}
	slices.SortFunc(out, func(a, b kv.KeyValue) int {
		if reverse {
			return bytes.Compare(b.Key, a.Key)
		}
		return bytes.Compare(a.Key, b.Key)
	})
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out
}

// firstError returns the first non-nil error.
func firstError(errs []error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
