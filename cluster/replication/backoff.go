package replication

import (
	"context"
	"math/rand/v2"
	"time"
)

// Backoff is a capped exponential backoff policy: the n-th consecutive
// failure (from 0) waits Initial·Multiplier^n, capped at Max, with up to
// Jitter of it taken off at random so that the 8 queues of a peer that
// went down together do not reconnect in lock step.
type Backoff struct {
	Initial    time.Duration
	Max        time.Duration
	Multiplier float64
	// Jitter is the fraction (0..1) of a delay that may be removed.
	Jitter float64
}

// Named policies. Every retry loop of the package uses one of these (or the
// Config's override of DispatchBackoff), never an inline constant.
var (
	// DispatchBackoff paces a dispatcher's reconnects after a peer was
	// down, its stream broke or it rejected an event.
	DispatchBackoff = Backoff{Initial: 50 * time.Millisecond, Max: 5 * time.Second, Multiplier: 2, Jitter: 0.2}
	// MembershipBackoff paces reads of the heartbeat table after a failure;
	// it starts at the poll interval in effect (see membershipLoop).
	MembershipBackoff = Backoff{Initial: time.Second, Max: 30 * time.Second, Multiplier: 2, Jitter: 0.1}
)

// Delay is the wait after the attempt-th consecutive failure.
func (b Backoff) Delay(attempt int) time.Duration {
	d := float64(b.Initial)
	for i := 0; i < attempt && d < float64(b.Max); i++ {
		d *= b.Multiplier
	}
	if d > float64(b.Max) {
		d = float64(b.Max)
	}
	if b.Jitter > 0 {
		d -= d * b.Jitter * rand.Float64()
	}
	return time.Duration(d)
}

func (b Backoff) validate() bool {
	return b.Initial > 0 && b.Max >= b.Initial && b.Multiplier >= 1 && b.Jitter >= 0 && b.Jitter < 1
}

// sleep waits d or until ctx is done, whichever comes first.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
