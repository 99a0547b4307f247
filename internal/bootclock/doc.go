// Package bootclock is the clock leases are measured on: the machine's
// boot-time clock, which keeps counting while the machine is suspended,
// so a leader on a machine that slept finds its lease expired when it
// wakes, as a paused process does. Used by cluster/multiraft.
//
// Files: clock_linux.go (CLOCK_BOOTTIME), clock_other.go (Go's
// monotonic clock, which stops during suspend).
package bootclock
