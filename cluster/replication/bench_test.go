package replication

import (
	"context"
	"sort"
	"sync"
	"testing"
	"time"
)

// benchmarkFanout measures events delivered per second from one node to
// peers receivers, 8 queues each, with 64 concurrent sessions enqueueing.
// The clock runs from the first Enqueue until every peer applied every
// event, so it includes fsyncs on both sides and the gRPC round trips.
func benchmarkFanout(b *testing.B, peers int) {
	members := newMemMembership()
	sender := newNode(b, 1, members, nil)
	var recv []*node
	for i := range peers {
		n := newNode(b, i+2, members, nil)
		n.rec.countOnly = true
		recv = append(recv, n)
	}
	eventually(b, 10*time.Second, "queues", func() bool { return len(sender.mgr.Stats()) == 8*peers })
	const sessions = 64
	payload := make([]byte, 64)
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	for s := range sessions {
		wg.Go(func() {
			for i := s; i < b.N; i += sessions {
				ev := Event{Kind: "descriptor", Key: "t", Version: uint64(i), Payload: payload}
				if err := sender.mgr.Enqueue(context.Background(), uint64(s), ev); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	enqueued := time.Since(start)
	for _, n := range recv {
		eventually(b, 5*time.Minute, "delivery", func() bool { return n.rec.applied.Load() == int64(b.N) })
	}
	elapsed := time.Since(start)
	b.StopTimer()
	b.ReportMetric(float64(b.N*peers)/elapsed.Seconds(), "delivered_events/s")
	b.ReportMetric(float64(b.N)/enqueued.Seconds(), "enqueued_events/s")
}

func BenchmarkFanout2Peers(b *testing.B) { benchmarkFanout(b, 2) }
func BenchmarkFanout4Peers(b *testing.B) { benchmarkFanout(b, 4) }

// BenchmarkEnqueueLatency measures one session's Enqueue (fan-out to 2
// peers, fsync in each queue) while delivery runs in the background.
func BenchmarkEnqueueLatency(b *testing.B) {
	members := newMemMembership()
	sender := newNode(b, 1, members, nil)
	for i := range 2 {
		newNode(b, i+2, members, nil).rec.countOnly = true
	}
	eventually(b, 10*time.Second, "queues", func() bool { return len(sender.mgr.Stats()) == 16 })
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		t0 := time.Now()
		if err := sender.mgr.Enqueue(context.Background(), 42, Event{Kind: "role", Key: "r", Version: uint64(i)}); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(t0))
	}
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50_µs")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99_µs")
}
