// Command pgregress runs PostgreSQL 15's regression suite on a throwaway
// PostgreSQL 15 and a one-node quorumdb side by side and reports how
// many statements give identical output (issue 14; see package
// internal/pgregress for the method).
//
//	pgregress [--suite ../shared/testdata/pgregress] [--quorumdb bin/quorumdb]
//	          [--files a,b,...] [--statement-timeout 10s] [--file-timeout 2m]
//	          [--report pgregress-report.md] [--examples 20] [--quiet] [--keep DIR] [-v]
//
// --files defaults to the suite's measured-files.txt; test_setup always
// runs first. --keep DIR keeps the adapted scripts and both psql
// outputs of each file (NAME.sql, NAME.pg.out, NAME.quorumdb.out). It prints the per-file table, the totals and the
// differences by kind with a few examples, and writes the same with
// more examples to --report; the servers' output goes to
// <report>.servers.log. Everything it started is stopped by PID before
// it exits, also on Ctrl-C.
//
// # Files
//
//	main.go  flags, the run, the printed summary and the report file
package main
