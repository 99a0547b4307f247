package dist

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/quorumdb/quorumdb/kv"
)

// Commit implements kv.Txn.
//
//   - Nothing written: every part read the snapshot at the read
//     timestamp, which is consistent across partitions; nothing to
//     validate.
//   - Written in one partition and read nowhere else: that partition
//     commits alone, in one Raft proposal (the path of single-row
//     statements).
//   - Otherwise, two-phase commit through the transaction record, kept
//     in the first partition written (commitTwoPhase).
func (t *txn) Commit(ctx context.Context) error {
	if t.done {
		return t.doneErr()
	}
	defer t.finish()
	var writers, readers []*part
	for _, pt := range t.parts {
		if pt.wrote {
			writers = append(writers, pt)
		} else {
			readers = append(readers, pt)
		}
	}
	switch {
	case len(writers) == 0:
		for _, pt := range readers {
			if err := pt.txn.Commit(ctx); err != nil {
				return err
			}
		}
		return nil
	case len(writers) == 1 && len(readers) == 0:
		err := writers[0].txn.Commit(ctx)
		if err == nil {
			t.db.stats.onePhase.Add(1)
		} else if errors.Is(err, kv.ErrConflict) {
			t.db.stats.conflicts.Add(1)
		}
		return err
	}
	err := t.commitTwoPhase(ctx, writers, readers)
	if err == nil {
		t.db.stats.twoPhase.Add(1)
	}
	return err
}

// commitTwoPhase commits a transaction that wrote in several partitions
// or read outside the one it wrote in:
//
//  1. Prepare every written part in parallel: each validates its reads
//     and writes, replicates its writes as a prepared part, keeps its
//     locks, and answers with a prepare timestamp. The commit timestamp
//     C is the highest.
//  2. ValidateAt(C) on every part in parallel: nothing it read changed
//     up to C, and its partition's clock passes C, so nothing commits
//     there at or below C any more. The reads thus hold at C.
//  3. Decide(commit, C) in the record partition: the commit point. A
//     partition that found a part of this transaction abandoned may
//     have decided abort first; the record tells.
//  4. Resolve(commit, C) on the other written partitions, then drop the
//     record — in the background (DB.background), after Commit returns.
//
// A failure before step 3 drops every written part (parts whose prepare
// is in doubt included) without writing a record, so the transaction
// certainly did not commit: ErrConflict, or the failing part's own
// error. A step 3 whose
// answer never comes is ErrCommitUnknown. Failures in step 4 leave the
// parts to their partitions' recovery (Recover), which reads the record
// (an absent one means abort). Every record is dropped once its parts
// are resolved, whichever way the transaction went.
func (t *txn) commitTwoPhase(ctx context.Context, writers, readers []*part) error {
	id := t.opts.ID
	record := t.written[0]
	prepared := make([]kv.Timestamp, len(writers))
	err := parallel(len(writers), func(i int) error {
		var err error
		prepared[i], err = writers[i].txn.Prepare(ctx, id, record)
		return err
	})
	if err != nil {
		t.abortPrepared(ctx, id, writers)
		if errors.Is(err, kv.ErrCommitUnknown) {
			t.db.stats.prepareAborts.Add(1)
			return fmt.Errorf("%w: a partition's prepare was interrupted; the transaction was aborted", kv.ErrConflict)
		}
		if errors.Is(err, kv.ErrConflict) {
			t.db.stats.conflicts.Add(1)
		}
		return err
	}
	commitTS := t.readTS
	for _, ts := range prepared {
		commitTS = max(commitTS, ts)
	}
	all := append(append([]*part(nil), writers...), readers...)
	if err := parallel(len(all), func(i int) error { return all[i].txn.ValidateAt(ctx, commitTS) }); err != nil {
		t.abortPrepared(ctx, id, writers)
		if errors.Is(err, kv.ErrConflict) {
			t.db.stats.conflicts.Add(1)
		}
		return err
	}

	// From here on the transaction may commit: the caller's
	// cancellation no longer stops it.
	ctx = context.WithoutCancel(ctx)
	var outcome kv.TxnOutcome
	err = t.db.onLeaseholder(ctx, record, func(ctx context.Context, lh Participant) error {
		var err error
		outcome, err = lh.Decide(ctx, id, true, commitTS)
		return err
	})
	if err != nil {
		return fmt.Errorf("%w: deciding transaction %s in partition %d: %w", kv.ErrCommitUnknown, id, record, err)
	}
	if !outcome.Committed {
		// A partition's recovery took the transaction for abandoned and
		// aborted it in the record. This coordinator, the only one that
		// could still decide commit, now knows it never will: once the
		// parts are dropped the record has no reader left.
		if t.resolveAll(ctx, id, record, writers, outcome) == nil {
			t.forget(ctx, id, record)
		}
		t.db.stats.recoveryAborts.Add(1)
		return fmt.Errorf("%w: the transaction was aborted by a partition that took it for abandoned", kv.ErrConflict)
	}
	t.db.cfg.Clock.Update(outcome.TS)
	// Committed. The other parts are resolved in the background, off
	// the client's path: until then their partitions hold readers back
	// (BeginAt waits for prepared parts) and keep the parts' locks, so
	// nobody sees the transaction half done, the client's next
	// statement included.
	t.db.background(func(ctx context.Context) {
		if t.resolveAll(ctx, id, record, writers, outcome) == nil {
			t.forget(ctx, id, record)
		}
	})
	return nil
}

// abortPrepared aborts a transaction that never decided commit: every
// written part is dropped, the record partition's with the others. No
// record is written: only this coordinator ever decides commit, and it
// has not, so the outcome is abort whatever any partition's recovery
// finds (an absent record reads as abort). Writing an abort record here
// left one behind for every transaction that lost a conflict, never
// dropped. Failures are left to recovery.
func (t *txn) abortPrepared(ctx context.Context, id kv.TxnID, writers []*part) {
	ctx = context.WithoutCancel(ctx)
	ps := make([]uint32, len(writers))
	for i, w := range writers {
		ps[i] = w.p
	}
	_ = t.resolve(ctx, id, ps, kv.TxnOutcome{})
}

// resolveAll resolves the written parts outside the record partition
// (the decision resolved that one) in parallel.
func (t *txn) resolveAll(ctx context.Context, id kv.TxnID, record uint32, writers []*part, outcome kv.TxnOutcome) error {
	var others []uint32
	for _, w := range writers {
		if w.p != record {
			others = append(others, w.p)
		}
	}
	return t.resolve(ctx, id, others, outcome)
}

// resolve resolves the parts of id on partitions ps in parallel.
func (t *txn) resolve(ctx context.Context, id kv.TxnID, ps []uint32, outcome kv.TxnOutcome) error {
	return parallel(len(ps), func(i int) error {
		return t.db.onLeaseholder(ctx, ps[i], func(ctx context.Context, lh Participant) error {
			return lh.Resolve(ctx, id, outcome.Committed, outcome.TS)
		})
	})
}

// forget drops the record of id once every part is resolved. Best
// effort: a record left behind costs its few bytes until a later
// release collects them.
func (t *txn) forget(ctx context.Context, id kv.TxnID, record uint32) {
	_ = t.db.onLeaseholder(ctx, record, func(ctx context.Context, lh Participant) error { return lh.Forget(ctx, id) })
}

// parallel runs call(0..n-1) on goroutines of its own and returns the
// first error, once all have returned.
func parallel(n int, call func(i int) error) error {
	if n == 1 {
		return call(0)
	}
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = call(i)
		}()
	}
	wg.Wait()
	return firstError(errs)
}
