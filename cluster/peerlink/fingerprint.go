package peerlink

import (
	"fmt"
	"slices"
	"strings"
)

// Fingerprint is the part of the cluster configuration that every node
// must agree on before Raft messages may flow between them: nodes
// configured with different member lists or replication settings would
// compute different voter sets and must not join each other's groups.
type Fingerprint struct {
	Nodes             []string // cluster.nodes, in configuration order
	ReplicationFactor int
	Partitions        int
	Version           string // quorumdb version
}

// Mismatch describes the first setting in which other (the fingerprint
// of node peer) differs from f, or returns "" when they agree. The text
// names the configuration key so that an operator knows what to fix.
func (f Fingerprint) Mismatch(other Fingerprint, peer uint64) string {
	switch {
	case !slices.Equal(f.Nodes, other.Nodes):
		return fmt.Sprintf("cluster.nodes differs: [%s] here, [%s] on node %d",
			strings.Join(f.Nodes, " "), strings.Join(other.Nodes, " "), peer)
	case f.ReplicationFactor != other.ReplicationFactor:
		return fmt.Sprintf("cluster.replication_factor differs: %d here, %d on node %d",
			f.ReplicationFactor, other.ReplicationFactor, peer)
	case f.Partitions != other.Partitions:
		return fmt.Sprintf("cluster.partitions differs: %d here, %d on node %d",
			f.Partitions, other.Partitions, peer)
	case f.Version != other.Version:
		return fmt.Sprintf("version differs: %s here, %s on node %d", f.Version, other.Version, peer)
	}
	return ""
}
