// Command difftest is quorumdb's differential tester (issue 15): it
// generates random schemas, data and queries from seeds, runs them on a
// PostgreSQL 15 and on quorumdb side by side, and reports the queries
// whose answers differ, shrunk to small reproductions (see package
// internal/difftest).
//
//	difftest [--quorumdb bin/quorumdb] [--seeds 1,2,3 | 1-10] [--queries 2000]
//	         [--query 17,42] [--targets one,cluster] [--tlp-every 10]
//	         [--shrink 8] [--shrink-budget 400] [--shrink-time 2m]
//	         [--report difftest-report.md] [--exclude gaps]
//	         [--off windows,lateral,...] [--types int4,text,...]
//	         [--tables 3] [--rows 12] [--timezone UTC] [--statement-timeout 10s]
//
// --query runs only those query indexes of each seed: a finding of a
// large run is reproduced (and shrunk) alone. --exclude "gaps" (the
// default) does not generate the builtins quorumdb lacks
// (internal/difftest.Gaps); "" generates everything; otherwise it is a
// '|'-separated list of call signatures' substrings.
//
// It starts a throwaway PostgreSQL (internal/dbproc: initdb in a
// temporary directory, as the postgres or nobody user when run as root,
// on a free loopback port) and, per target, a `quorumdb demo`: "one" is
// `demo --nodes 1`; "cluster" is `demo --nodes 3`, queried through a
// node that cluster_partitions says does not lead the keyspace, so that
// every statement is forwarded to the leader. Everything it started is
// stopped by PID before it exits.
//
// It prints a summary (queries per target, differences by kind, TLP
// checks) and writes every finding to --report as Markdown, the
// servers' output to <report>.servers.log. A demo that crashes is
// restarted (the crash is a finding). The exit status is 1 when a real
// difference (a wrong answer, an error on one side only that evaluation
// order does not explain, a crash) was found.
//
// # Files
//
//	main.go  flags, seeds, the PostgreSQL and quorumdb targets (start,
//	         restart after a crash, stop) and the report
package main
