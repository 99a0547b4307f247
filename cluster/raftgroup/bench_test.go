package raftgroup

import (
	"context"
	"fmt"
	"sync"
	"testing"
)

// BenchmarkProposePipelined measures throughput: b.N proposals on the
// leader back to back, until the last is applied there.
func BenchmarkProposePipelined(b *testing.B) {
	c := newTestCluster(b, 3, 0)
	lead := c.leader()
	ctx := context.Background()
	b.ResetTimer()
	for i := range b.N {
		if err := lead.g.Propose(ctx, fmt.Appendf(nil, "k%d=v", i)); err != nil {
			b.Fatal(err)
		}
	}
	last := fmt.Sprintf("k%d", b.N-1)
	waitFor(b, "the last proposal applied", func() bool {
		got, _ := lead.sm.state()
		_, ok := got[last]
		return ok
	})
}

// BenchmarkProposeCommitLatency measures one proposal at a time, each
// waited for until applied on the leader (commit latency: one round of
// fsyncs on the leader and a follower).
func BenchmarkProposeCommitLatency(b *testing.B) {
	c := newTestCluster(b, 3, 0)
	lead := c.leader()
	applied := make(chan struct{}, 1)
	var mu sync.Mutex
	want := ""
	lead.sm.mu.Lock()
	lead.sm.onApply = func(data string) {
		mu.Lock()
		defer mu.Unlock()
		if data == want {
			applied <- struct{}{}
		}
	}
	lead.sm.mu.Unlock()
	ctx := context.Background()
	b.ResetTimer()
	for i := range b.N {
		entry := fmt.Sprintf("k%d=v", i)
		mu.Lock()
		want = entry
		mu.Unlock()
		if err := lead.g.Propose(ctx, []byte(entry)); err != nil {
			b.Fatal(err)
		}
		<-applied
	}
}
