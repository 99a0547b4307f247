// Package cluster owns node configuration and membership, partition
// placement, the Raft groups and gRPC transport between nodes, and the
// persistent per-peer replication queues of cluster state events.
package cluster
