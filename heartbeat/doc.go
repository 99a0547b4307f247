// Package heartbeat writes this node's row of the cluster_node_heartbeat
// system table through kv every heartbeat interval, reads the table back
// and computes each member's liveness state (ACTIVE, NO_HEARTBEAT,
// OFFLINE).
package heartbeat
