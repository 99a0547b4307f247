package kv

import (
	"errors"
	"fmt"
)

// errFinalChunkNotProposed marks a proposal error on a commit's chunk
// other than the final one.
var errFinalChunkNotProposed = errors.New("kv: the commit's final chunk was not proposed")

// commitReplicated is the commit pipeline of a replica (compare
// LocalStore.commit): under commitMu, validate, take the commit
// timestamp and propose the commit's chunks to the log — proposing under
// the lock keeps the log in timestamp order; then wait until the group
// applies the final chunk (ReplicaStore.Apply), which writes badger and
// marks the commit applied; then wait for visibility.
//
// A proposal the log refuses (this replica is no longer the leader)
// never commits, so that is ErrConflict: the client may retry, and the
// server retries an implicit transaction itself. So is any error
// proposing a chunk before the final one: the commit can then never be
// applied. Any other error proposing the final chunk, or a leadership
// change after it was accepted, leaves the outcome unknown
// (ErrCommitUnknown). In the unknown case the
// commit stays in the conflict tracker and its watermark slot is left
// to LeaderChanged (which abandons it) or to Apply (which applies it).
func (s *LocalStore) commitReplicated(t *localTxn, rec *commitRecord) error {
	p, err := s.proposeWrites(t, rec, walFormat, nil, nil)
	if err != nil {
		return err
	}
	<-p.pending.visible
	if !s.wm.isVisible(rec.ts) {
		return fmt.Errorf("%w: %w", ErrCommitUnknown, s.failed())
	}
	s.stats.commits.Add(1)
	return nil
}

// proposeWrites validates t, takes a timestamp for it and proposes its
// writes as entries of kind (a commit, or with prep a prepared part,
// each chunk's body starting with head), then waits until the group has
// applied them. The errors are commitReplicated's.
func (s *LocalStore) proposeWrites(t *localTxn, rec *commitRecord, kind byte, head []byte, prep *preparedTxn) (*proposal, error) {
	r := s.repl
	s.commitMu.Lock()
	s.drainTrackerLocked()
	if t.epoch != r.epoch.Load() {
		s.commitMu.Unlock()
		s.stats.conflicts.Add(1)
		return nil, fmt.Errorf("%w: leadership changed during the transaction", ErrConflict)
	}
	s.conflicts.prune(s.pruneHorizon())
	if !s.conflicts.validate(t.readTS, &t.reads, rec.keys, rec.spans) {
		s.commitMu.Unlock()
		s.stats.conflicts.Add(1)
		return nil, ErrConflict
	}
	pending := s.wm.beginNow(s.clock)
	rec.ts = pending.ts
	p := &proposal{buf: t.buf, pending: pending, done: make(chan error, 1), prep: prep, rec: rec}
	if prep != nil {
		prep.ts = rec.ts
		t.preparedRec = rec
	}
	r.mu.Lock()
	r.waiting[rec.ts] = p
	r.mu.Unlock()
	// The proposal is bound to the leadership term, not to the caller's
	// context: abandoning it halfway would leave its fate unknown.
	term := r.term.Load().ctx
	err := encodeChunks(kind, rec.ts, head, t.buf, func(chunk []byte) error {
		if term.Err() != nil {
			return ErrNotLeader // leadership changed: nothing proposed
		}
		err := r.log.Propose(term, append([]byte(nil), chunk...))
		if err != nil && chunk[9]&walLastChunk == 0 {
			// Whatever became of this chunk, the final one is never
			// proposed, so no replica will apply the commit: its outcome
			// is known (a large commit losing its leader halfway).
			return fmt.Errorf("%w: %w", errFinalChunkNotProposed, err)
		}
		return err
	})
	notProposed := errors.Is(err, errFinalChunkNotProposed)
	refused := errors.Is(err, ErrNotLeader) || errors.Is(err, ErrTxnTooLarge) || notProposed
	if err != nil && !refused {
		// Raft may have taken the entry before the wait ended.
		r.mu.Lock()
		delete(r.waiting, rec.ts)
		r.mu.Unlock()
		s.conflicts.add(rec)
		s.commitMu.Unlock()
		return nil, fmt.Errorf("%w: proposing commit: %w", ErrCommitUnknown, err)
	}
	if err != nil {
		r.mu.Lock()
		_, mine := r.waiting[rec.ts]
		delete(r.waiting, rec.ts)
		r.mu.Unlock()
		s.commitMu.Unlock()
		if !mine {
			// Leadership changed meanwhile and LeaderChanged answered
			// (commit unknown, as it must for a final chunk in flight).
			if answer := <-p.done; !notProposed {
				return nil, answer
			}
			s.stats.conflicts.Add(1)
			return nil, fmt.Errorf("%w: leadership moved during the commit: %w", ErrConflict, err)
		}
		// No final chunk was accepted, so no replica will ever apply
		// this commit; its pending slot must not hold back visibility.
		s.wm.drop(p.pending)
		if errors.Is(err, ErrTxnTooLarge) {
			return nil, err
		}
		s.stats.conflicts.Add(1)
		if notProposed {
			return nil, fmt.Errorf("%w: leadership moved during the commit: %w", ErrConflict, err)
		}
		return nil, fmt.Errorf("%w: leadership moved before commit", ErrConflict)
	}
	s.conflicts.add(rec)
	s.commitMu.Unlock()

	if err := <-p.done; err != nil {
		return nil, err
	}
	return p, nil
}
