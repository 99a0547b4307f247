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

// watchClock keeps this node from leading partitions while its clock is
// off: it asks the other replicas to spare it (multiraft's unwilling
// flag, which stops leadership returning to it as a preferred leader)
// and hands over every partition it leads. A leader's clock stamps the
// commits of its partitions, and a node that refuses to serve should
// not be the one the others' transactions run on. It runs until ctx
// ends; the check is the same as the statements' (clockCheck), so the
// refusal and the hand-over are logged together.
func (n *Node) watchClock(ctx context.Context) {
	t := time.NewTicker(clockWatchInterval)
	defer t.Stop()
	wasOff := false
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		off := n.clockCheck() != nil
		if n.ckv.raft == nil {
			continue
		}
		if off != wasOff {
			n.ckv.raft.SetUnwilling(off)
			wasOff = off
		}
		if off && n.ckv.leadsAny() {
			n.rootLogger.Warn("clock: handing the partitions' leadership over while this node's clock is off")
			n.ckv.handOver(ctx, n.logger)
		}
	}
}
