package replication

import "fmt"

// window is the deterministic core of a dispatcher: which sequence numbers
// of its queue to send next, what an acknowledgement means and what to
// resend after a stream breaks. It has no goroutines, clock or I/O; the
// dispatcher shell drives it with explicit calls and performs the sends,
// reads and truncations it decides. Sequence numbers are the queue log's
// indexes: consecutive, starting at 1.
//
// Invariant: acked <= sent <= last and sent-acked <= limit.
type window struct {
	limit int    // most events sent and not yet acknowledged
	acked uint64 // every seq <= acked is acknowledged and may be removed
	sent  uint64 // every seq <= sent was sent on the current stream
	last  uint64 // highest seq in the queue
}

// newWindow starts a window on a queue whose entries acked+1..last wait.
func newWindow(limit int, acked, last uint64) window {
	if last < acked {
		last = acked
	}
	return window{limit: limit, acked: acked, sent: acked, last: last}
}

// appended records that the queue now ends at last.
func (w *window) appended(last uint64) {
	if last > w.last {
		w.last = last
	}
}

// next is the range [from, to] to send now, at most max events and never
// beyond the window; ok is false when nothing may be sent.
func (w *window) next(max int) (from, to uint64, ok bool) {
	room := uint64(w.limit) - (w.sent - w.acked)
	if room == 0 || w.sent == w.last {
		return 0, 0, false
	}
	if max > 0 && uint64(max) < room {
		room = uint64(max)
	}
	from = w.sent + 1
	to = min(w.last, w.sent+room)
	return from, to, true
}

// markSent records that every seq <= to was sent.
func (w *window) markSent(to uint64) {
	if to > w.sent {
		w.sent = to
	}
}

// ack applies a cumulative acknowledgement: every seq <= through is
// applied by the peer. It returns how many events it newly acknowledges.
// An ack for an event never sent on this stream is a protocol violation;
// an ack at or below acked is a no-op (a repeated ack).
func (w *window) ack(through uint64) (uint64, error) {
	if through > w.sent {
		return 0, fmt.Errorf("%w: ack through %d beyond sent %d", ErrProtocol, through, w.sent)
	}
	if through <= w.acked {
		return 0, nil
	}
	n := through - w.acked
	w.acked = through
	return n, nil
}

// reset forgets what was sent on a stream that ended: every unacknowledged
// event will be sent again, in order, on the next stream. The receiver
// deduplicates what it had already applied.
func (w *window) reset() {
	w.sent = w.acked
}

// inFlight is the number of events sent and not acknowledged.
func (w *window) inFlight() int { return int(w.sent - w.acked) }

// waiting is the number of events not acknowledged.
func (w *window) waiting() uint64 { return w.last - w.acked }
