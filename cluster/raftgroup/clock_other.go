//go:build !linux

package raftgroup

import "time"

// processClock measures time from its creation with Go's monotonic
// clock, which stops while the machine is suspended: a lease may then
// outlive its bound. Linux uses CLOCK_BOOTTIME instead (clock_linux.go).
type processClock struct{ origin time.Time }

func (c processClock) Now() time.Duration { return time.Since(c.origin) }

// defaultClock is the clock of a group whose Config has none.
func defaultClock() Clock { return processClock{origin: time.Now()} }
