// Package cluster owns node configuration and membership, partition
// placement, the Raft groups and gRPC transport between nodes, and the
// persistent per-peer replication queues of cluster state events.
//
// # Files
//
// This package itself holds only placement; the rest lives in its
// subpackages (multiraft: the node's Raft groups and their transport; raftlog:
// their logs on disk; peerlink: what peer streams share;
// replication: the event queues; peertls: the peers' TLS).
//
//	placement.go  Replicas: a partition's replicas, the first rf nodes in
//	              rendezvous-hash order of (partition, node address); the
//	              first is the preferred leader
package cluster
