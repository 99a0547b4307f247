// Package heartbeat writes this node's row of the cluster_node_heartbeat
// system table through kv every heartbeat interval, reads the table back
// and computes each member's liveness state (ACTIVE, NO_HEARTBEAT,
// OFFLINE).
//
// The package is a deterministic core wrapped by a thin shell:
//
//   - liveness.go: StateOf, a pure function of (now, heartbeat time,
//     Config). Nothing else decides liveness, so the SQL table, the
//     cluster layer and the tests all agree.
//   - record.go: the key of a node's row (kv.SystemKey("heartbeat/",
//     node id as 4 bytes big-endian)) and its versioned JSON value.
//     Only facts are stored (addresses, start and heartbeat times,
//     version); the state is computed by every reader from its own clock,
//     so a node that stops writing turns NO_HEARTBEAT without anybody
//     writing for it.
//   - read.go: ReadAll, every row in one kv transaction, with states.
//   - heartbeater.go: Heartbeater, the shell. Start writes the row once
//     and then starts one goroutine that rewrites it every
//     Config.Interval; Close stops and waits for that goroutine. A failed
//     write is logged and retried at the next tick: the heartbeat going
//     stale is exactly how the others learn that this node is in trouble.
//
// Debugging: the writer logs with component=heartbeat; a node whose row
// does not advance logs "heartbeat: write failed" once per tick.
// LastWrite tells when the last write succeeded (the server exports it
// as a metric).
package heartbeat
