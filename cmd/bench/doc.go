// Command bench runs pgbench workloads against quorumdb and against a
// PostgreSQL started on the same machine, side by side, and prints TPS,
// average latency and the quorumdb/PostgreSQL ratio (`make bench`).
//
// Flags choose the workloads (--workloads select-only,tpcb,kv), the
// client counts (--clients 1,8,32), a local cluster (--nodes N, one
// `quorumdb demo` process) and the node pgbench connects to (--node K;
// 0 finds the keyspace's leader).
//
// Both servers listen on loopback ports chosen at start, use temporary
// directories, and are stopped (by PID) before the command exits.
package main
