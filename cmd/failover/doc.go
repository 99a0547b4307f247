// Command failover measures how long a 3-node quorumdb cluster takes to
// accept writes again after it loses the node leading its system
// partition, and with it about a third of the data partitions (`make
// failover`, or `go run ./cmd/failover --quorumdb bin/quorumdb --trials
// 20`).
//
// For each fault kind and trial it starts a fresh cluster of three
// `quorumdb start` processes (replication_factor 3, default settings
// otherwise), finds the leader on the nodes' /metrics, opens a client
// connection to a follower and writes through it to warm it, lets the
// cluster settle for a second, then injects the fault and retries an
// UPDATE through that follower in a tight loop. The clock starts with
// the fault; the writes start once it is complete (the process exited
// or seen stopped in /proc, the cut made), so that none reaches the old
// leader while it still runs. (Before a node gave up its streams on a
// leader it sees replaced — now kv/remote's Client.PartitionLeaderMoved — a pause
// that caught a write's transaction begun on the old leader a moment
// before made that write wait 15 s, the kv client's gRPC keepalive; the
// wait keeps the trials comparable with those runs.) The trial's
// failover time runs from the fault to the first acknowledged UPDATE. The fault kinds:
//
//   - kill: SIGKILL of the leader's process;
//   - pause: SIGSTOP of the leader's process (it keeps its sockets; its
//     peers hear nothing);
//   - isolate: the leader is cut from both followers by a network
//     partition (internal/netfault: packets dropped both ways), while its
//     clients still reach it.
//
// A fresh cluster per trial keeps the trials independent: a partition
// can leave connections between the nodes half-dead after it heals,
// which would change the next trial's election.
//
// It prints each trial, then per kind the median, the 99th percentile
// (nearest rank: with 20 trials, the slowest), the maximum and the
// minimum. A trial without an acknowledged write within --timeout counts
// as failed and is reported, not averaged in.
//
// Where it runs: with root (Linux, iproute2), every node runs in a
// network namespace of its own on a private bridge (internal/netfault)
// for every kind, so all kinds see the same network. Without root, kill
// and pause run on loopback ports and isolate is reported as skipped
// ("needs root"). Every process is started with a parent-death signal
// and killed by its PID at the end of its trial; data directories are
// temporary and removed, and the namespaces are deleted.
//
// # Files
//
//	main.go       flags, the trials per kind, the summary (median, p99)
//	trial.go      one trial: fresh cluster, warm-up, fault, retried UPDATE
//	cluster.go    the three `quorumdb start` nodes: start, kill, /metrics
//	              (who leads), readiness, client connections
//	sys_linux.go  parent-death signal; pausing with SIGSTOP until /proc
//	              shows the process stopped (sys_other.go: without them)
package main
