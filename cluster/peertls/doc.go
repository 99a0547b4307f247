// Package peertls authenticates the nodes of a cluster to each other:
// mutual TLS on every gRPC connection between nodes (Raft, kv
// transactions, cluster state replication, direct heartbeats), with
// certificates signed by the cluster's CA, and the rule that a caller
// speaks only for the members its certificate names.
//
// A node's certificate must be valid (chain to cluster.tls.ca_file) and
// name the host of its own entry in cluster.nodes (an IP SAN or a DNS
// name). A caller's certificate, verified the same way during the TLS
// handshake, speaks for the members whose host it names: Identify gives
// their node ids, and Authorize refuses a message that claims to come
// from any other (the Raft transport's stream header, a heartbeat's
// sender). Services refuse a caller that is no member (Unauthenticated,
// with nothing about the cluster in the message). Nodes sharing a host
// (a demo on 127.0.0.1) share an identity: a host is the unit of trust.
//
// Mode off (cluster.tls.mode: off) drops all of that: plaintext, and
// every caller speaks for every member. The server refuses it unless
// every address involved is a loopback address.
//
//   - peertls.go: Config, Load, Security (server option, dial option,
//     Identify, Authorize, the interceptors).
package peertls
