package server

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
