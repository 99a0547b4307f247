package cluster

import (
	"slices"
	"testing"
)

func TestReplicasDeterministicAndSpread(t *testing.T) {
	nodes := []string{"10.0.0.1:7000", "10.0.0.2:7000", "10.0.0.3:7000", "10.0.0.4:7000", "10.0.0.5:7000"}
	leaders := make([]int, len(nodes))
	for p := range 64 {
		r := Replicas(nodes, 3, p)
		if len(r) != 3 {
			t.Fatalf("partition %d: %d replicas, want 3", p, len(r))
		}
		if !slices.Equal(r, Replicas(slices.Clone(nodes), 3, p)) {
			t.Fatalf("partition %d: placement not deterministic", p)
		}
		seen := map[int]bool{}
		for _, i := range r {
			if seen[i] || i < 0 || i >= len(nodes) {
				t.Fatalf("partition %d: bad replica set %v", p, r)
			}
			seen[i] = true
		}
		leaders[r[0]]++
	}
	// 64 partitions over 5 nodes: each node is preferred leader of some.
	for i, n := range leaders {
		if n == 0 {
			t.Errorf("node %d is preferred leader of no partition: %v", i, leaders)
		}
	}
}

func TestReplicasBounds(t *testing.T) {
	nodes := []string{"a:1", "b:1", "c:1"}
	if r := Replicas(nodes, 5, 0); len(r) != 3 {
		t.Errorf("rf above node count: %v", r)
	}
	if r := Replicas(nodes, 3, 0); !slices.Equal(slices.Sorted(slices.Values(r)), []int{0, 1, 2}) {
		t.Errorf("rf = n must place on every node: %v", r)
	}
}
