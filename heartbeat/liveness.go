package heartbeat

import "time"

// The liveness states, in the Bamboo/Jira vocabulary the DESIGN uses.
const (
	// StateActive: the heartbeat is younger than Config.Timeout.
	StateActive = "ACTIVE"
	// StateNoHeartbeat: older than Timeout but younger than OfflineAfter;
	// the node may be overloaded, paused or partitioned.
	StateNoHeartbeat = "NO_HEARTBEAT"
	// StateOffline: older than OfflineAfter; the node is presumed down.
	StateOffline = "OFFLINE"
)

// StateOf is the liveness of a node whose last heartbeat was written at
// heartbeatAt, seen at now. It is pure so every caller agrees. A
// heartbeat from the future (the writer's clock is ahead of ours) counts
// as fresh: clock offset is detected elsewhere, and calling a node that
// just wrote "dead" would be the worse mistake.
func StateOf(now, heartbeatAt time.Time, cfg Config) string {
	cfg = cfg.WithDefaults()
	age := now.Sub(heartbeatAt)
	switch {
	case age < cfg.Timeout:
		return StateActive
	case age < cfg.OfflineAfter:
		return StateNoHeartbeat
	default:
		return StateOffline
	}
}
