package raftgroup

import "time"

// Clock is the group's time source for everything that decides: the
// spacing of raft ticks, the leader lease, and the refusal to vote right
// after a start. Only differences between readings are meaningful. The
// default reads the machine's boot-time clock (internal/bootclock);
// scripted tests pass a clock they move by hand and skew its rate per
// node.
type Clock interface {
	// Now is the time elapsed since an arbitrary fixed origin. It never
	// goes backwards and advances at the rate of real time, give or take
	// maxClockRateDrift.
	Now() time.Duration
}

// maxClockRateDrift is the largest difference in rate, as a fraction of
// real time, that the lease tolerates between a node's clock and real
// time: any clock may run up to 1% fast or slow. Crystal oscillators
// drift by 10^-4 at worst and NTP slews a clock by at most 5*10^-4, so
// 1% leaves a wide margin. What no margin covers is a clock that stops
// while real time goes on, hence CLOCK_BOOTTIME (internal/bootclock).
const maxClockRateDrift = 0.01
