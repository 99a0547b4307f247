// Package peerlink holds the parts of a node-to-node stream that do not
// depend on what it carries: the cluster fingerprint both ends compare
// before anything flows, how a peer is dialed (TCP_USER_TIMEOUT, gRPC's
// reconnect settings), and the rate limit on repeated log lines. The
// multi-raft transport (cluster/multiraft) is built on it.
//
// # Files
//
//   - fingerprint.go: Fingerprint and Mismatch.
//   - dial.go: DialOptions, the reconnect backoff, the user timeout;
//     dial_linux.go, dial_other.go: Dial, with TCP_USER_TIMEOUT on Linux.
//   - limiter.go: LogLimiter.
package peerlink
