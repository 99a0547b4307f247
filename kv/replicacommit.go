package kv

import (
	"context"
	"errors"
	"fmt"
)

// commitReplicated is the commit pipeline of a replica (compare
// LocalStore.commit): under commitMu, validate, take the commit
// timestamp and propose the commit's chunks to the log — proposing under
// the lock keeps the log in timestamp order; then wait until the group
// applies the final chunk (ReplicaStore.Apply), which writes badger and
// marks the commit applied; then wait for visibility.
//
// A proposal the log refuses (this replica is no longer the leader)
// never commits, so that is ErrConflict: the client may retry, and the
// server retries an implicit transaction itself. Once the final chunk
// was accepted, only its application tells; if leadership changes
// first the outcome is unknown (ErrCommitUnknown).
func (s *LocalStore) commitReplicated(t *localTxn, rec *commitRecord) error {
	r := s.repl
	s.commitMu.Lock()
	if t.epoch != r.epoch.Load() {
		s.commitMu.Unlock()
		s.stats.conflicts.Add(1)
		return fmt.Errorf("%w: leadership changed during the transaction", ErrConflict)
	}
	s.conflicts.prune(s.active.oldest(s.wm.Visible))
	if !s.conflicts.validate(t.readTS, &t.reads, rec.keys, rec.spans) {
		s.commitMu.Unlock()
		s.stats.conflicts.Add(1)
		return ErrConflict
	}
	rec.ts = s.clock.Now()
	p := &proposal{buf: t.buf, pending: s.wm.begin(rec.ts), done: make(chan error, 1)}
	r.mu.Lock()
	r.waiting[rec.ts] = p
	r.mu.Unlock()
	// The proposal is not bound to the caller's context: abandoning it
	// halfway would leave its fate unknown.
	err := encodeCommit(rec.ts, t.buf, func(chunk []byte) error {
		return r.log.Propose(context.Background(), append([]byte(nil), chunk...))
	})
	if err != nil {
		r.mu.Lock()
		_, mine := r.waiting[rec.ts]
		delete(r.waiting, rec.ts)
		r.mu.Unlock()
		s.commitMu.Unlock()
		if !mine {
			// Leadership changed meanwhile and LeaderChanged answered.
			return <-p.done
		}
		// No final chunk was accepted, so no replica will ever apply
		// this commit; its pending slot must not hold back visibility.
		s.wm.drop(p.pending)
		s.stats.conflicts.Add(1)
		if errors.Is(err, ErrNotLeader) {
			return fmt.Errorf("%w: leadership moved before commit", ErrConflict)
		}
		return fmt.Errorf("%w: proposing commit: %w", ErrConflict, err)
	}
	s.conflicts.add(rec)
	s.commitMu.Unlock()

	if err := <-p.done; err != nil {
		return err
	}
	<-p.pending.visible
	if !s.wm.isVisible(rec.ts) {
		return fmt.Errorf("%w: %w", ErrCommitUnknown, s.failed())
	}
	s.stats.commits.Add(1)
	return nil
}
