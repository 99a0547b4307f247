package kv

import (
	"context"
	"sync"
)

// pendingCommit is a commit between timestamp assignment and visibility.
type pendingCommit struct {
	ts      Timestamp
	applied bool // guarded by watermark.mu
	dropped bool // guarded by watermark.mu: withdrawn, never applied
	// abandoned: removed by abandon (guarded by watermark.mu); if it is
	// applied after all, it is made visible like a commit of the log.
	abandoned bool
	visible   chan struct{} // closed when the watermark reaches ts, or on failure
}

// watermark tracks the visible timestamp: the highest commit timestamp
// such that every commit at or below it is fully applied to badger.
// Commits get timestamps in order (under LocalStore.commitMu) but apply
// in parallel, so a big commit that is still applying holds back the
// visibility of the smaller ones after it; no reader ever sees half of a
// commit or a later commit without an earlier one.
type watermark struct {
	mu      sync.Mutex
	pending []*pendingCommit // guarded by mu; ascending ts
	visible Timestamp        // guarded by mu
	failed  bool             // guarded by mu: the store stopped; nothing advances
	// logMax is the highest commit applied from the log without a local
	// waiter (replicated mode). While a prepared transaction holds the
	// visible timestamp below its prepare timestamp, such commits are
	// applied but not yet visible; logMax is where visibility catches up
	// to once it resolves. Guarded by mu.
	logMax Timestamp
}

// Visible returns the visible timestamp.
func (w *watermark) Visible() Timestamp {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.visible
}

// beginNow takes a commit timestamp from clock and registers a commit
// at it, under mu: a reader fencing the clock (closeAt) then either
// comes first, and the timestamp lies above its fence, or comes after,
// and finds the commit pending. Taking the timestamp and registering it
// in two steps would let a reader at ts slip between them and read a
// snapshot at ts that the commit later changes. Successive calls must
// be serialized by the caller (commitMu), so timestamps ascend.
func (w *watermark) beginNow(clock *Clock) *pendingCommit {
	w.mu.Lock()
	defer w.mu.Unlock()
	p := &pendingCommit{ts: clock.Now(), visible: make(chan struct{})}
	if w.failed {
		close(p.visible)
		return p
	}
	w.pending = append(w.pending, p)
	return p
}

// closeAt moves clock past ts, so that no commit here takes a
// timestamp at or below ts any more, and orders the move after every
// commit that took one before (beginNow): waitThrough(ts) after closeAt
// finds them all.
func (w *watermark) closeAt(clock *Clock, ts Timestamp) {
	w.mu.Lock()
	clock.Update(ts)
	w.mu.Unlock()
}

// applied marks p applied and advances the visible timestamp over every
// applied commit at the head of the queue.
func (w *watermark) applied(p *pendingCommit) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.failed {
		return
	}
	if p.abandoned {
		w.advanceToLocked(p.ts)
		return
	}
	p.applied = true
	w.advanceLocked()
}

// advanceLocked moves the visible timestamp over the applied commits at
// the head of the queue.
func (w *watermark) advanceLocked() {
	n := 0
	for n < len(w.pending) && w.pending[n].applied {
		if !w.pending[n].dropped {
			w.visible = max(w.visible, w.pending[n].ts)
		}
		close(w.pending[n].visible)
		w.pending[n] = nil
		n++
	}
	w.pending = w.pending[n:]
	w.catchUpLocked()
}

// catchUpLocked makes the commits applied from the log visible up to
// the first pending one: everything at or below logMax is applied, and
// nothing pending lies below the head of the queue.
func (w *watermark) catchUpLocked() {
	to := w.logMax
	if len(w.pending) > 0 {
		to = min(to, w.pending[0].ts-1)
	}
	w.visible = max(w.visible, to)
}

// beginSorted registers a pending commit at ts, which may be below
// pending ones (a prepared transaction known from the log, registered
// again after a leadership change).
func (w *watermark) beginSorted(ts Timestamp) *pendingCommit {
	p := &pendingCommit{ts: ts, visible: make(chan struct{})}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.failed {
		close(p.visible)
		return p
	}
	i := len(w.pending)
	for i > 0 && w.pending[i-1].ts > ts {
		i--
	}
	w.pending = append(w.pending, nil)
	copy(w.pending[i+1:], w.pending[i:])
	w.pending[i] = p
	return p
}

// waitThrough returns once no commit at or below ts is pending: every
// commit with a timestamp up to ts is applied (or withdrawn), so a
// snapshot at ts is complete — provided no commit can be given a
// timestamp at or below ts any more (the caller advanced the clock
// past ts first).
func (w *watermark) waitThrough(ctx context.Context, ts Timestamp) error {
	for {
		w.mu.Lock()
		if w.failed {
			w.mu.Unlock()
			return ErrUnavailable
		}
		var first *pendingCommit
		for _, p := range w.pending {
			if p.ts > ts {
				break
			}
			if !p.applied {
				first = p
				break
			}
		}
		w.mu.Unlock()
		if first == nil {
			return nil
		}
		select {
		case <-first.visible:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// isVisible reports whether the commit at ts is visible.
func (w *watermark) isVisible(ts Timestamp) bool {
	return w.Visible() >= ts
}

// fail stops the watermark for good and wakes every waiter; they find
// their commit not visible.
func (w *watermark) fail() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.failed {
		return
	}
	w.failed = true
	for _, p := range w.pending {
		p.abandoned = true
		close(p.visible)
	}
	w.pending = nil
}

// The methods below serve replicated mode, where commits are applied in
// log order by the group's loop and some commits are not this replica's.

// drop withdraws p, a commit that will never be applied (its proposal
// was refused). Visibility passes over it without reaching its ts.
func (w *watermark) drop(p *pendingCommit) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.failed {
		return
	}
	p.applied, p.dropped = true, true
	w.advanceLocked()
}

// abandon withdraws every pending commit after a leadership change:
// their waiters were answered (commit unknown), and whether the log
// applies them is now up to the new leader; advance covers them if it
// does.
func (w *watermark) abandon() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.failed {
		return
	}
	for _, p := range w.pending {
		p.abandoned = true
		close(p.visible)
	}
	w.pending = nil
}

// advance makes a commit applied from the log without a local waiter
// visible. Such commits precede every pending one (pending commits were
// proposed in this replica's current term, after everything the log
// holds from earlier terms), so they never overtake a pending commit.
func (w *watermark) advance(ts Timestamp) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.failed {
		return
	}
	w.advanceToLocked(ts)
}

// advanceToLocked is advance under mu.
func (w *watermark) advanceToLocked(ts Timestamp) {
	w.logMax = max(w.logMax, ts)
	w.catchUpLocked()
}
