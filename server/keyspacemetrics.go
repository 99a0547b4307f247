package server

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/quorumdb/quorumdb/kv"
	"github.com/quorumdb/quorumdb/kv/dist"
)

// registerKeyspaceMetrics exports what the node's coordinator did with
// its transactions (dist.Stats) and what its partition replicas did
// with the prepared parts of everybody's (kv.LocalStats).
func (n *Node) registerKeyspaceMetrics(reg *prometheus.Registry) {
	db := n.ckv.db
	coord := func(name, help string, labels prometheus.Labels, get func(dist.Stats) uint64) prometheus.Collector {
		return prometheus.NewCounterFunc(prometheus.CounterOpts{Name: name, Help: help, ConstLabels: labels},
			func() float64 { return float64(get(db.Stats())) })
	}
	const commits = "quorumdb_txn_commits_total"
	const commitsHelp = "Read-write transactions this node coordinated that committed: in one partition with one Raft proposal (one_phase), or through a transaction record (two_phase)."
	const restarts = "quorumdb_txn_restarts_total"
	const restartsHelp = "Transactions this node coordinated that failed with a retryable error (40001, 40P01), by cause."
	reg.MustRegister(
		coord(commits, commitsHelp, prometheus.Labels{"kind": "one_phase"}, func(s dist.Stats) uint64 { return s.OnePhaseCommits }),
		coord(commits, commitsHelp, prometheus.Labels{"kind": "two_phase"}, func(s dist.Stats) uint64 { return s.TwoPhaseCommits }),
		coord(restarts, restartsHelp, prometheus.Labels{"cause": "conflict"}, func(s dist.Stats) uint64 { return s.ConflictRestarts }),
		coord(restarts, restartsHelp, prometheus.Labels{"cause": "recovery"}, func(s dist.Stats) uint64 { return s.RecoveryRestarts }),
		coord(restarts, restartsHelp, prometheus.Labels{"cause": "deadlock"}, func(s dist.Stats) uint64 { return s.DeadlockRestarts }),
		coord(restarts, restartsHelp, prometheus.Labels{"cause": "interrupted_prepare"}, func(s dist.Stats) uint64 { return s.PrepareRestarts }),
		coord("quorumdb_txn_read_timestamp_moves_total", "Moves of a transaction's read timestamp across all its partitions (a locked key changed since the snapshot, or a commit in the clock uncertainty window).",
			nil, func(s dist.Stats) uint64 { return s.ReadMoves }),
		coord("quorumdb_txn_recovered_parts_total", "Prepared parts whose coordinator seemed gone, resolved from their transaction record by this node.",
			nil, func(s dist.Stats) uint64 { return s.RecoveredParts }),
		coord("quorumdb_txn_busy_waits_total", "Begins of a transaction's part that a partition's leader answered as still applying earlier commits (a big transaction's parts), and that were asked again.",
			nil, func(s dist.Stats) uint64 { return s.BusyWaits }),
	)
	stores := n.ckv.keyspace.stores
	local := func(get func(kv.LocalStats) uint64) func() float64 {
		return func() float64 {
			var sum uint64
			for _, s := range stores {
				if s != nil {
					sum += get(s.Stats())
				}
			}
			return float64(sum)
		}
	}
	const resolved = "quorumdb_prepared_parts_resolved_total"
	const resolvedHelp = "Prepared parts of transactions (their write intents) resolved in this node's partition replicas, by outcome."
	reg.MustRegister(
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "quorumdb_prepared_parts_total",
			Help: "Parts of transactions prepared (written as intents) in partitions this node led."},
			local(func(s kv.LocalStats) uint64 { return s.Prepares })),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: resolved, Help: resolvedHelp, ConstLabels: prometheus.Labels{"outcome": "commit"}},
			local(func(s kv.LocalStats) uint64 { return s.ResolvedCommits })),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: resolved, Help: resolvedHelp, ConstLabels: prometheus.Labels{"outcome": "abort"}},
			local(func(s kv.LocalStats) uint64 { return s.ResolvedAborts })),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "quorumdb_txn_records",
			Help: "Transaction records held by this node's partition replicas: decided, their parts not all resolved yet (or left by a partition's recovery)."},
			local(func(s kv.LocalStats) uint64 { return uint64(s.Records) })),
	)
}
