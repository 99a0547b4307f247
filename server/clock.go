package server

import (
	"context"
	"time"
)

// clockCheck is the SQL engine's ServingCheck: nil while this node's clock
// agrees with the cluster's (heartbeat.ClockMonitor, over the direct
// heartbeats), the offending offsets when it does not. The node then
// refuses logins and statements (57P03) rather than hand out timestamps
// from a clock the others do not share; it serves again once the clock is
// back. The change either way is logged once.
func (n *Node) clockCheck() error {
	if n.beats == nil {
		return nil
	}
	err := n.beats.ClockCheck()
	if was := n.clockOff.Swap(err != nil); was != (err != nil) {
		if err != nil {
			n.rootLogger.Error("clock: refusing to serve", "err", err)
		} else {
			n.rootLogger.Warn("clock: back within cluster.max_clock_offset, serving again")
		}
	}
	return err
}

// clockWatchInterval is how often a cluster node checks its clock for
// watchClock.
const clockWatchInterval = time.Second

// watchClock hands the keyspace's leadership to another replica whenever
// this node leads it while its clock is off: the leader's clock stamps
// every commit, and a node that refuses to serve should not be the one
// all the others' transactions run on. It runs until ctx ends; the
// check is the same as the statements' (clockCheck), so the refusal and
// the hand-over are logged together.
func (n *Node) watchClock(ctx context.Context) {
	t := time.NewTicker(clockWatchInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if n.clockCheck() != nil && n.ckv.isLeader() {
			n.rootLogger.Warn("clock: handing the keyspace's leadership over while this node's clock is off")
			n.ckv.handOver(ctx, n.logger)
		}
	}
}
