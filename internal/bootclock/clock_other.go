//go:build !linux

package bootclock

import "time"

// Clock measures time from its creation with Go's monotonic clock, which
// stops while the machine is suspended: a lease may then outlive its
// bound. Linux uses CLOCK_BOOTTIME instead (clock_linux.go).
type Clock struct{ origin time.Time }

// New returns a clock starting now.
func New() Clock { return Clock{origin: time.Now()} }

// Now is the time since New.
func (c Clock) Now() time.Duration { return time.Since(c.origin) }
