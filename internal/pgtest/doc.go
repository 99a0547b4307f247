// Package pgtest starts a throwaway PostgreSQL server for tests that
// compare quorumdb with PostgreSQL: initdb into the test's temporary
// directory, a free loopback port, trust authentication, stopped when
// the test ends. As root the server runs as the postgres user, since
// PostgreSQL refuses to run as root.
//
// # Files
//
//	pgtest.go  Start: finds the PostgreSQL binaries, initdb and
//	           postgres as the right user, the DSN
package pgtest
