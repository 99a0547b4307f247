package server

// Version is the quorumdb version: reported by `quorumdb version`,
// version(), and cluster_node_heartbeat. Release builds set it with
//
//	go build -ldflags "-X github.com/quorumdb/quorumdb/server.Version=1.2.3"
//
// (the Makefile does). It lives here, in the composition root, so that
// in-process test nodes report the same value as the binary.
var Version = "0.1.0-dev"
