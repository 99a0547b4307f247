// Command quorumdb runs a quorumdb node (start), a local demo database
// (demo), makes the certificates of peer TLS (cert) or prints its version
// (version). See usage in main.go, and
// server/testdata/quorumdb.example.yaml for the configuration file.
//
// The binary is a thin shell over package server, the composition root:
// it parses flags, builds the logger, turns SIGINT/SIGTERM into a clean
// shutdown and maps the outcome to an exit status (0 after a clean stop,
// 1 on failure, 2 on bad usage).
//
// # Files
//
//	main.go     usage and the dispatch to the subcommands
//	start.go    start: a node from its configuration file
//	demo.go     demo: a throwaway local cluster of N in-process nodes on
//	            loopback ports, and its banner
//	serve.go    running nodes until SIGINT/SIGTERM or a failure, the
//	            start and stop of several at once
//	cert.go     cert create-ca, cert create-node: peer TLS certificates
//	            (internal/certs)
//	version.go  version
package main
