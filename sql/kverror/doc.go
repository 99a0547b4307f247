// Package kverror turns the kv layer's errors into the PostgreSQL errors a
// client sees: each kv sentinel (conflict, deadlock, no quorum, commit
// outcome unknown, disk full, …) has its SQLSTATE and message here, and
// pgerror learns the mapping so that CodeOf answers for a wrapped kv error
// too. It is shared by the catalog and the executor, which both read and
// write through kv transactions.
//
// The parts, by file:
//
//	errors.go    the table of sentinels and SQLSTATEs, AsSQL, Retryable
package kverror
