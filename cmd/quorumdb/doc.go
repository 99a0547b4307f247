// Command quorumdb runs a quorumdb node (start), a local demo database
// (demo) or prints its version (version). See usage in main.go, and
// server/testdata/quorumdb.example.yaml for the configuration file.
//
// The binary is a thin shell over package server, the composition root:
// it parses flags, builds the logger, turns SIGINT/SIGTERM into a clean
// shutdown and maps the outcome to an exit status (0 after a clean stop,
// 1 on failure, 2 on bad usage).
package main
