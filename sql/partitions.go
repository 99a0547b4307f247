package sql

import (
	"github.com/quorumdb/quorumdb/sql/exec"
	"github.com/quorumdb/quorumdb/sql/types"
)

// PartitionStatus is one partition of the keyspace as this node sees it,
// for cluster_partitions.
type PartitionStatus struct {
	Partition int
	// Replicas are the peer addresses of the partition's replicas, in
	// placement order (the first is the preferred leader).
	Replicas []string
	// Leader is the leader's peer address, "" when none is known.
	Leader string
	// Term is the Raft term this node knows (0 on a single node).
	Term uint64
	// LocalReplica says whether this node holds a replica; AppliedIndex
	// is then the last log index it applied.
	LocalReplica bool
	AppliedIndex uint64
}

// PartitionsFunc returns the partitions of the keyspace.
type PartitionsFunc func() []PartitionStatus

// registerPartitions adds this file's relations and functions to the engine's
// registries (registry.go calls it).
func registerPartitions() {
	registerVirtualTable(&virtualTable{
		schema: "quorumdb", name: "cluster_partitions",
		cols: []vcol{
			{"node_id", types.Int8}, {"partition_id", types.Int8}, {"replicas", types.Text},
			{"leader", types.Text}, {"term", types.Int8}, {"local_replica", types.Bool},
			{"applied_index", types.Int8}, {"source", types.Text},
		},
		rows:  func(ec *execCtx) ([]exec.Row, error) { return partitionRows(ec, SourceCluster), nil },
		local: func(ec *execCtx) ([]exec.Row, error) { return partitionRows(ec, SourceLocalView), nil },
	})
}

// partitionRows are the rows of cluster_partitions, all from this node's
// state; source says whether the statement reached the keyspace's leader
// (the leader shown then answered it) or not (the leader and term are
// what this node last knew, NULL leader while none is known).
func partitionRows(ec *execCtx, source string) []exec.Row {
	cfg := ec.sess.engine.cfg
	if cfg.Partitions == nil {
		return nil
	}
	ps := cfg.Partitions()
	out := make([]exec.Row, len(ps))
	for i, p := range ps {
		var leader, applied types.Datum
		if p.Leader != "" {
			leader = p.Leader
		}
		if p.LocalReplica {
			applied = clampInt64(p.AppliedIndex)
		}
		replicas := ""
		for j, r := range p.Replicas {
			if j > 0 {
				replicas += ","
			}
			replicas += r
		}
		out[i] = exec.Row{int64(cfg.NodeID), int64(p.Partition), replicas, leader, clampInt64(p.Term), p.LocalReplica, applied, source}
	}
	return out
}
