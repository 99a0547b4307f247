// Package certs makes the certificates of a cluster's peer TLS: a
// certificate authority, and node certificates it signs for the hosts
// (IP addresses or DNS names) a node is reached at, valid both as a TLS
// server and as a TLS client (peers authenticate each other). It is used
// by `quorumdb cert`, by `quorumdb demo` (which makes a CA and node
// certificates in its temporary directory) and by tests.
//
// Keys are ECDSA P-256; files are PEM, keys written with mode 0600.
//
//   - certs.go: CA (NewCA, LoadCA, IssueNode), the files (WriteCA,
//     WriteNode), and ForCluster (a CA and one certificate per node).
package certs
