// Package pgtest gives a test a throwaway PostgreSQL server for comparing
// quorumdb with PostgreSQL: the one internal/dbproc starts (initdb in a
// temporary directory, a free loopback port, trust authentication, the
// postgres user when root), stopped when the test ends, skipped without
// the binaries unless CI=true.
//
// # Files
//
//	pgtest.go  Server and Start (its DSN)
package pgtest
