package heartbeat

import (
	"fmt"
	"time"
)

// Defaults of Config.
const (
	DefaultInterval     = time.Second
	DefaultTimeout      = 5 * time.Second
	DefaultOfflineAfter = 60 * time.Second
)

// Config configures a Heartbeater and the liveness computation. Every
// node of a cluster must use the same Timeout and OfflineAfter, or they
// would disagree about who is alive.
type Config struct {
	// NodeID is this node's id (>= 1); it keys the node's row.
	NodeID int
	// Address is the node's advertised peer address (host:port).
	Address string
	// SQLAddress is the address clients connect to (host:port).
	SQLAddress string
	// Version is the quorumdb version the node runs.
	Version string
	// Interval is how often the row is rewritten. Default 1 s.
	Interval time.Duration
	// Timeout is the heartbeat age after which a node is NO_HEARTBEAT.
	// Default 5 s.
	Timeout time.Duration
	// OfflineAfter is the heartbeat age after which a node is OFFLINE.
	// Default 60 s.
	OfflineAfter time.Duration
	// MaxClockOffset is how far apart two members' clocks may be: a node
	// whose clock is farther than this from a majority of the members'
	// (measured over the direct heartbeats, clockoffset.go) must not
	// serve. Default DefaultMaxClockOffset.
	MaxClockOffset time.Duration
}

// WithDefaults returns a copy of c with every zero duration set to its
// default.
func (c Config) WithDefaults() Config {
	if c.Interval == 0 {
		c.Interval = DefaultInterval
	}
	if c.Timeout == 0 {
		c.Timeout = DefaultTimeout
	}
	if c.OfflineAfter == 0 {
		c.OfflineAfter = DefaultOfflineAfter
	}
	if c.MaxClockOffset == 0 {
		c.MaxClockOffset = DefaultMaxClockOffset
	}
	return c
}

// Validate reports the first invalid setting. Call it on the result of
// WithDefaults. NodeID is checked only by New/Start (a reader needs no
// node id), see validateWriter.
func (c Config) Validate() error {
	switch {
	case c.Interval <= 0:
		return fmt.Errorf("heartbeat: interval must be positive, got %s", c.Interval)
	case c.Timeout <= c.Interval:
		// A timeout within one interval would flap a healthy node
		// between ACTIVE and NO_HEARTBEAT on every tick.
		return fmt.Errorf("heartbeat: timeout (%s) must be greater than interval (%s)", c.Timeout, c.Interval)
	case c.OfflineAfter <= c.Timeout:
		return fmt.Errorf("heartbeat: offline_after (%s) must be greater than timeout (%s)", c.OfflineAfter, c.Timeout)
	case c.MaxClockOffset < 0:
		return fmt.Errorf("heartbeat: max_clock_offset must be positive, got %s", c.MaxClockOffset)
	}
	return nil
}

// validateWriter adds the checks a node writing its own row needs.
func (c Config) validateWriter() error {
	if err := c.Validate(); err != nil {
		return err
	}
	if c.NodeID < 1 || int64(c.NodeID) > maxNodeID {
		return fmt.Errorf("heartbeat: node id %d is outside 1..%d", c.NodeID, int64(maxNodeID))
	}
	return nil
}
