package cluster

import (
	"encoding/binary"
	"hash/fnv"
	"sort"
)

// Replicas returns the positions in nodes (0-based) of partition's
// replicas: the first rf nodes in rendezvous-hash order of (partition,
// node address). Every node computes the same answer from the shared
// configuration, with no coordination; adding a node would move only
// the partitions whose highest scores it takes. The result is in
// rendezvous order, so its first node is the partition's preferred
// leader.
func Replicas(nodes []string, rf, partition int) []int {
	type scored struct {
		pos   int
		score uint64
	}
	all := make([]scored, len(nodes))
	for i, addr := range nodes {
		all[i] = scored{pos: i, score: rendezvousScore(partition, addr)}
	}
	sort.Slice(all, func(a, b int) bool {
		if all[a].score != all[b].score {
			return all[a].score > all[b].score
		}
		return all[a].pos < all[b].pos
	})
	rf = min(max(rf, 0), len(nodes))
	out := make([]int, rf)
	for i := range out {
		out[i] = all[i].pos
	}
	return out
}

// rendezvousScore is FNV-1a of the partition number and the address:
// stable across releases and platforms, which the placement must be.
func rendezvousScore(partition int, addr string) uint64 {
	h := fnv.New64a()
	var p [8]byte
	binary.BigEndian.PutUint64(p[:], uint64(partition))
	_, _ = h.Write(p[:])
	_, _ = h.Write([]byte(addr))
	return h.Sum64()
}
