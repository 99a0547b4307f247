// Command bench runs pgbench workloads against quorumdb and against a
// PostgreSQL started on the same machine, side by side, and prints TPS,
// average latency, the quorumdb/PostgreSQL ratio, the share of
// transactions that failed after pgbench's retries, and each server's
// CPU time per transaction (`make bench`).
// The orm-insert workload times a bulk insert through SQLAlchemy
// (orm_insert.py: 10,000 rows in one transaction, by the ORM's unit of
// work, a Core executemany and a one-statement-per-row executemany) on
// both servers and prints the time ratio; it needs Debian's python3 with
// python3-sqlalchemy and python3-psycopg2.
//
// Flags choose the workloads (--workloads select-only,tpcb,kv,orm-insert),
// the client counts (--clients 1,8,32), a local cluster (--nodes N, one
// `quorumdb demo` process, run beside a single node) and where the
// cluster's clients connect (--node spread: one pgbench per node with
// the clients divided evenly and the figures summed; a node number;
// leader or 0: the system partition's leader; other or -1: a node that
// is not it).
//
// The servers listen on loopback ports chosen at start, use temporary
// directories, and are stopped (by PID) before the command exits.
//
// # Files
//
//	main.go       flags, the pgbench workloads on every server, spread
//	              over a cluster's nodes, parsing pgbench's output,
//	              finding the leader of a cluster
//	cpu.go        a server's CPU time from /proc (with its children)
//	orm.go        the orm-insert workload: runs orm_insert.py (embedded)
//	              with Debian's python3 on both servers
//	orm_insert.py the SQLAlchemy script itself
package main
