package raftgroup

import (
	"time"

	"golang.org/x/sys/unix"
)

// bootClock reads CLOCK_BOOTTIME. Unlike CLOCK_MONOTONIC (Go's monotonic
// clock), it keeps counting while the machine is suspended, so a leader
// on a machine that slept finds its lease expired when it wakes, as a
// paused process does.
type bootClock struct{}

func (bootClock) Now() time.Duration {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_BOOTTIME, &ts); err != nil {
		// Every Linux since 2.6.39 has CLOCK_BOOTTIME; were it refused,
		// a clock that stood still would extend leases: fail loudly.
		panic("raftgroup: reading CLOCK_BOOTTIME: " + err.Error())
	}
	return time.Duration(ts.Nano())
}

// defaultClock is the clock of a group whose Config has none.
func defaultClock() Clock { return bootClock{} }
