// Package logictest runs sqllogictest files against a PostgreSQL-protocol
// server: quorumdb, or PostgreSQL itself to check that a file's
// expectations are PostgreSQL behaviour.
//
// The format is SQLite's (https://www.sqlite.org/sqllogictest): records
// separated by blank lines, '#' comment lines between them.
//
//	statement ok | statement error [spec] | statement count N
//	query <types> [nosort|rowsort|valuesort] [label]   (then SQL, "----", results)
//	query error [spec]
//	hash-threshold N
//	skipif <engine> / onlyif <engine>   (before a record; several allowed)
//	halt
//	user <name>   (the records after it run as that role; "root" is the DSN's)
//
// An error spec is a SQLSTATE ("42P01", "22007|22008", "SQLSTATE 42P01")
// or a regexp on the message (a leading "pq: " is accepted, as in
// CockroachDB's files); see ParseErrorSpec. Results are one value per line
// or, past the hash threshold, "N values hashing to <md5>"; one row per
// line with whitespace-separated values (CockroachDB, sqllogictest-rs) is
// accepted too. FormatValue gives the value conventions: NULL, (empty), I
// truncates to an integer, R is %.3f, booleans are 1/0 in I and R columns
// and true/false in others.
//
// Config.Dialect selects how a file is read: SQLite's format (the
// default), NoisePage's JDBC traces or sqllogictest-rs files; see Dialect.
//
// Files:
//
//	parse.go    Record, Parse: the script format
//	dialect.go  Dialect: NoisePage and sqllogictest-rs differences
//	expect.go   ErrorSpec: which errors a record accepts
//	format.go   FormatValue, SortValues, HashValues: values as the format writes them
//	compare.go  expected results against actual ones
//	db.go       the fresh database each file runs in
//	run.go      Config, RunFile: running one file
//	report.go   FileResult, Failure, Summary
//	user.go     the user directive: later records connect as that role
//
// Lifecycle of RunFile: parse the whole file; CREATE DATABASE
// slt_<pid>_<n> through Config.DSN; run the records in order on one
// connection to it with the simple query protocol (text results), each
// under Config.StatementTimeout (a timed-out record fails; the runner
// reconnects if the connection broke); close; DROP DATABASE. Files
// therefore never see each other's tables and may run in parallel.
//
// Counting: Records is statements, queries and unsupported directives
// (hash-threshold and halt records are not counted).
// Records whose conditions exclude the engine, records after an effective
// halt, and unsupported directives count as skipped; pass rates are
// Passed/(Passed+Failed).
//
// Differences from SQLite's runner: T values keep printable non-ASCII
// characters (SQLite prints every byte outside 0x20–0x7e as '@'); I
// values are 64-bit; the expected result is compared in whatever form the
// file gives it (list or hash), whatever the current hash threshold.
//
// Debugging: cmd/slt -v logs each failure as it happens; a failure's SQL
// can be replayed with psql against a database built from the file's
// earlier statements.
package logictest
