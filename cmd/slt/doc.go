// Command slt runs sqllogictest files against quorumdb or PostgreSQL.
//
//	slt [--dsn URL] [--engine NAME] [--server bin/quorumdb] [-v]
//	    [--dialect auto|sqlite|noisepage|sqllogictest-rs] [--max-failures N] [--timeout D]
//	    [-j N] PATH...
//
// PATH is a file or a directory, searched recursively for *.test and
// *.slt files (sorted). Each file runs in a fresh database (see package
// sql/logictest). slt prints one line per file,
//
//	PASS|FAIL path passed/ran (skipped s) duration
//
// followed by the first failures of a failed file, then a TOTAL line
// with the pass percentage. It exits 1 if any record failed or a file
// could not be run, 2 on bad usage.
//
// With --dsn empty and --server given, slt starts
// `<server> demo --nodes 1 --sql-port <free port>`, waits (up to 60 s)
// until it accepts a pgwire connection as user postgres, runs the files,
// then stops it with SIGTERM (SIGKILL after 10 s) and waits for it.
//
// --dialect says how files are written (see logictest.Dialect); with
// "auto", the default, files under a directory named noisepage are read
// as NoisePage traces, those under one named risinglight as
// sqllogictest-rs files, and all others in SQLite's format.
//
// --engine is the name matched by skipif/onlyif; it defaults to
// "quorumdb" with --server and "postgresql" otherwise. quorumdb also
// answers to "postgresql".
//
// # Files
//
//	main.go           flags, collecting files, running them, the summary
//	server.go         the `quorumdb demo` started for --server: start,
//	                  wait until ready, stop, its log
//	sysproc_linux.go  the server in its own process group, killed if slt
//	                  dies (sysproc_other.go: plain signals elsewhere)
package main
