// Command bench runs pgbench workloads against quorumdb and against a
// PostgreSQL started on the same machine, side by side, and prints TPS,
// average latency and the quorumdb/PostgreSQL ratio (`make bench`).
//
// Both servers listen on loopback ports chosen at start, use temporary
// directories, and are stopped (by PID) before the command exits.
package main
