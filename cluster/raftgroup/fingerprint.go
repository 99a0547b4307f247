package raftgroup

import (
	"slices"

	"github.com/quorumdb/quorumdb/cluster/peerlink"
	"github.com/quorumdb/quorumdb/cluster/raftgroup/raftgrouppb"
)

// header is the first message of a stream from node from to node to.
func header(f peerlink.Fingerprint, from, to uint64) *raftgrouppb.Header {
	return &raftgrouppb.Header{
		From:              from,
		To:                to,
		Nodes:             slices.Clone(f.Nodes),
		ReplicationFactor: int64(f.ReplicationFactor),
		Partitions:        int64(f.Partitions),
		Version:           f.Version,
	}
}

func fingerprintOf(h *raftgrouppb.Header) peerlink.Fingerprint {
	return peerlink.Fingerprint{
		Nodes:             h.GetNodes(),
		ReplicationFactor: int(h.GetReplicationFactor()),
		Partitions:        int(h.GetPartitions()),
		Version:           h.GetVersion(),
	}
}
