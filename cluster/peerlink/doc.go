// Package peerlink holds what the node-to-node streams of the Raft
// transports (cluster/raftgroup, cluster/multiraft) share: the cluster
// fingerprint both ends of a stream compare before anything flows, how a
// peer is dialed (TCP_USER_TIMEOUT, gRPC's reconnect settings), and the
// rate limit on repeated log lines.
//
// # Files
//
//   - fingerprint.go: Fingerprint and Mismatch.
//   - dial.go: DialOptions, the reconnect backoff, the user timeout;
//     dial_linux.go, dial_other.go: Dial, with TCP_USER_TIMEOUT on Linux.
//   - limiter.go: LogLimiter.
package peerlink
