// Package dbproc starts throwaway database processes for side-by-side
// runs: a PostgreSQL (initdb into a temporary directory, as a non-root
// user when this process is root, on a free loopback port) and a
// `quorumdb demo` of one or more nodes. cmd/bench and cmd/difftest use
// it, and so do tests that compare quorumdb with PostgreSQL.
//
// Every process is started by Start* and stopped by its Stop, by PID
// (SIGTERM, then SIGKILL after a grace period); nothing is found or
// signalled by name.
//
// # Files
//
//	process.go   Server (DSN, Stop), starting a process and waiting for
//	             its port, free loopback ports
//	postgres.go  StartPostgres: initdb and postgres, FindPGBin, the
//	             non-root user
//	quorumdb.go  StartQuorumdb (`quorumdb demo`), Leads, FindLeader,
//	             NonLeaderPort
package dbproc
