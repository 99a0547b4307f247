package multiraft

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// BenchmarkProposeCommitLatency measures one proposal at a time on a
// 3-node group, each waited for until applied on the leader: commit
// latency, one round of fsyncs on the leader and a follower (in
// parallel: the leader's appends leave before its own fsync).
func BenchmarkProposeCommitLatency(b *testing.B) {
	c := newTestCluster(b, 3, 1, 3)
	eventually(b, 20*time.Second, c.allLed)
	lead := c.leader(1)
	ctx := context.Background()
	b.ResetTimer()
	for i := range b.N {
		before := lead.node.AppliedIndex(1)
		if err := lead.node.Propose(ctx, 1, fmt.Appendf(nil, "k%d", i)); err != nil {
			b.Fatal(err)
		}
		if err := lead.node.groups[1].waitApplied(ctx, before+1, lead.node.done); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkProposePipelined measures throughput: b.N proposals on the
// leader of a 3-node group back to back, until the last is applied there.
func BenchmarkProposePipelined(b *testing.B) {
	c := newTestCluster(b, 3, 1, 3)
	eventually(b, 20*time.Second, c.allLed)
	lead := c.leader(1)
	ctx := context.Background()
	before := lead.node.AppliedIndex(1)
	b.ResetTimer()
	for i := range b.N {
		if err := lead.node.Propose(ctx, 1, fmt.Appendf(nil, "k%d=v", i)); err != nil {
			b.Fatal(err)
		}
	}
	if err := lead.node.groups[1].waitApplied(ctx, before+uint64(b.N), lead.node.done); err != nil {
		b.Fatal(err)
	}
}
