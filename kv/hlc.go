package kv

import (
	"sync"
	"time"
)

// Physical and Logical split a Timestamp into its parts.
func (t Timestamp) Physical() int64 { return int64(t >> 16) }

// Logical returns the logical counter of t.
func (t Timestamp) Logical() uint16 { return uint16(t) }

// MakeTimestamp builds a Timestamp from milliseconds since the Unix epoch
// and a logical counter.
func MakeTimestamp(ms int64, logical uint16) Timestamp {
	return Timestamp(uint64(ms)<<16 | uint64(logical))
}

// Clock is a hybrid logical clock. Now never returns the same value twice
// and never goes backwards, even when the wall clock does: the logical
// counter absorbs both. Update folds in a timestamp seen elsewhere (a
// peer's message, the newest version on disk at restart) so that later
// Now values exceed it. Clock is safe for concurrent use.
type Clock struct {
	wall func() time.Time // replaceable in tests

	mu   sync.Mutex
	last Timestamp // guarded by mu: the highest value issued or seen
}

// NewClock returns a clock reading the system wall clock.
func NewClock() *Clock { return &Clock{wall: time.Now} }

// Now returns a timestamp strictly greater than every earlier Now result
// and every Update argument.
func (c *Clock) Now() Timestamp {
	phys := MakeTimestamp(c.wall().UnixMilli(), 0)
	c.mu.Lock()
	defer c.mu.Unlock()
	if phys > c.last {
		c.last = phys
	} else {
		// Same millisecond or the wall clock is behind: count logically.
		// Overflowing 16 logical bits carries into the physical part,
		// which only runs the clock ahead of the wall by a millisecond.
		c.last++
	}
	return c.last
}

// Update records that ts exists, so later Now results exceed it.
func (c *Clock) Update(ts Timestamp) {
	c.mu.Lock()
	if ts > c.last {
		c.last = ts
	}
	c.mu.Unlock()
}

// Last returns the highest timestamp issued or seen, without advancing.
func (c *Clock) Last() Timestamp {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.last
}
