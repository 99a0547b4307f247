package multiraft

import (
	"fmt"
	"log/slog"
	"time"
)

// Clock is the core's time source for everything that decides: the
// spacing of ticks, how long a follower supports a leader, the leases
// and the refusal to vote right after a start. Only differences between
// readings on one node are meaningful; clocks are never compared across
// nodes. The shell passes the machine's boot-time clock; scripted tests
// pass a clock they move by hand, at a different rate per node.
type Clock interface {
	// Now is the time elapsed since an arbitrary fixed origin. It never
	// goes backwards and advances at the rate of real time, give or take
	// MaxClockRateDrift.
	Now() time.Duration
}

// MaxClockRateDrift is the largest difference in rate, as a fraction of
// real time, that the leases tolerate between a node's clock and real
// time: any clock may run up to 1% fast or slow. Crystal oscillators
// drift by 10^-4 at worst and NTP slews a clock by at most 5*10^-4, so
// 1% leaves a wide margin. What no margin covers is a clock that stops
// while real time goes on, hence CLOCK_BOOTTIME (internal/bootclock).
const MaxClockRateDrift = 0.01

// Config configures a node's core.
type Config struct {
	// NodeID is this node's raft id in every group (> 0).
	NodeID uint64
	Clock  Clock
	Logger *slog.Logger
	// TickInterval is how often the shell calls Tick; default 100ms.
	TickInterval time.Duration
	// ElectionTicks is raft's election timeout in ticks; default 10.
	ElectionTicks int
	// HeartbeatTicks is raft's heartbeat interval in ticks; default 1.
	HeartbeatTicks int
	// MaxSizePerMsg, MaxInflightMsgs and MaxInflightBytes go to every
	// group's raft.Config; defaults 1 MiB, 256 and 8 MiB. The last bounds
	// the appends a leader has sent a follower and not heard back about,
	// per group: without it a follower slower than its leaders (a busy
	// disk) had up to 256 MiB per group queued towards it, in the
	// transport's data lane and its inbox.
	MaxSizePerMsg    uint64
	MaxInflightMsgs  int
	MaxInflightBytes uint64
}

func (c *Config) setDefaults() error {
	if c.NodeID == 0 {
		return fmt.Errorf("multiraft: NodeID must be set")
	}
	if c.Clock == nil {
		return fmt.Errorf("multiraft: Clock must be set")
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.TickInterval <= 0 {
		c.TickInterval = 100 * time.Millisecond
	}
	if c.ElectionTicks == 0 {
		c.ElectionTicks = 10
	}
	if c.HeartbeatTicks == 0 {
		c.HeartbeatTicks = 1
	}
	if c.ElectionTicks < 2 || c.HeartbeatTicks >= c.ElectionTicks {
		return fmt.Errorf("multiraft: ElectionTicks (%d) must be at least 2 and above HeartbeatTicks (%d)", c.ElectionTicks, c.HeartbeatTicks)
	}
	if c.MaxSizePerMsg == 0 {
		c.MaxSizePerMsg = 1 << 20
	}
	if c.MaxInflightMsgs == 0 {
		c.MaxInflightMsgs = 256
	}
	if c.MaxInflightBytes == 0 {
		c.MaxInflightBytes = 8 << 20
	}
	if c.MaxInflightBytes < c.MaxSizePerMsg {
		return fmt.Errorf("multiraft: MaxInflightBytes (%d) must be at least MaxSizePerMsg (%d)", c.MaxInflightBytes, c.MaxSizePerMsg)
	}
	return nil
}

// timing holds the durations support, leases and votes rest on, derived
// from the Config once (support.go argues them).
type timing struct {
	// minTickGap is the least time between two ticks the core acts on: a
	// time.Ticker delivers a late tick and the next one close together,
	// so the full interval would drop ticks that are on schedule.
	minTickGap time.Duration
	// support is how long, on the follower's clock, a follower stands
	// by a leader after hearing a beat from it: it neither campaigns nor
	// votes in that leader's groups.
	support time.Duration
	// lease is how long after sending a beat the leader may count a
	// follower's acknowledgement of it: support converted from the
	// fastest follower clock to the slowest leader clock.
	lease time.Duration
	// voteGrace is how long after it starts a node grants no vote: it
	// may have promised support before a restart it cannot remember.
	voteGrace time.Duration
}

func newTiming(c Config) timing {
	support := time.Duration(c.ElectionTicks) * c.TickInterval
	return timing{
		minTickGap: time.Duration(float64(c.TickInterval) * 0.9),
		support:    support,
		lease:      time.Duration(float64(support) * (1 - MaxClockRateDrift) / (1 + MaxClockRateDrift)),
		// A promise made before a crash ends at most support after it
		// (on this node's clock, which a restart does not reset on
		// Linux's CLOCK_BOOTTIME); the process starts after the crash.
		voteGrace: support,
	}
}
