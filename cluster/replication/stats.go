package replication

import (
	"context"
	"sort"
	"time"
)

// QueueStats is one queue's figures, a row of cluster_replication_queues.
type QueueStats struct {
	Peer  int
	Queue string
	Index int
	// Waiting is the number of entries not yet acknowledged by the peer.
	Waiting uint64
	// Delivered and Failed count since this process opened the queue:
	// entries acknowledged, and delivery attempts that failed (a stream
	// that could not open, broke, or was rejected).
	Delivered uint64
	Failed    uint64
	// OldestAge is how long the oldest waiting entry has waited (0 when
	// none waits), measured against the sender's clock at enqueue.
	OldestAge time.Duration
	LastError string
	Connected bool
}

// Stats returns one QueueStats per queue, ordered by peer and index.
func (m *Manager) Stats() []QueueStats {
	now := m.cfg.Now()
	m.mu.RLock()
	var qs []*queue
	for _, pq := range m.peers {
		qs = append(qs, pq.queues...)
	}
	m.mu.RUnlock()
	out := make([]QueueStats, 0, len(qs))
	for _, q := range qs {
		out = append(out, q.stats(now))
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Peer != out[j].Peer {
			return out[i].Peer < out[j].Peer
		}
		return out[i].Index < out[j].Index
	})
	return out
}

func (q *queue) stats(now time.Time) QueueStats {
	oldest := q.oldest()
	q.mu.Lock()
	defer q.mu.Unlock()
	s := QueueStats{
		Peer: q.peer, Queue: q.name, Index: q.index,
		Waiting: q.last - q.acked, Delivered: q.delivered, Failed: q.failed,
		LastError: q.lastErr, Connected: q.connected,
	}
	if !oldest.IsZero() && s.Waiting > 0 {
		s.OldestAge = max(0, now.Sub(oldest))
	}
	return s
}

// peerReport is one peer's line of the periodic statistics.
type peerReport struct {
	Peer           int
	Queues         int
	Waiting        uint64
	LargestQueue   string
	LargestWaiting uint64
	Delivered      uint64 // since the previous report
	Failed         uint64 // since the previous report
	OldestAge      time.Duration
	Stuck          []QueueStats // queues whose oldest entry waited > stuckAfter
}

// statsReporter is the deterministic core of the statistics line: it turns
// successive Stats snapshots into per-peer reports with deltas since the
// previous report. Owned by the stats goroutine.
type statsReporter struct {
	stuckAfter time.Duration
	prev       map[string][2]uint64 // queue name → delivered, failed at the last report
}

func newStatsReporter(stuckAfter time.Duration) *statsReporter {
	return &statsReporter{stuckAfter: stuckAfter, prev: make(map[string][2]uint64)}
}

// report summarizes stats (ordered by peer) per peer.
func (r *statsReporter) report(stats []QueueStats) []peerReport {
	var out []peerReport
	next := make(map[string][2]uint64, len(stats))
	for _, s := range stats {
		if len(out) == 0 || out[len(out)-1].Peer != s.Peer {
			out = append(out, peerReport{Peer: s.Peer})
		}
		p := &out[len(out)-1]
		p.Queues++
		p.Waiting += s.Waiting
		if s.Waiting > p.LargestWaiting || p.LargestQueue == "" {
			p.LargestQueue, p.LargestWaiting = s.Queue, s.Waiting
		}
		prev := r.prev[s.Queue]
		// A queue recreated since the last report restarts its counters.
		if s.Delivered >= prev[0] {
			p.Delivered += s.Delivered - prev[0]
		} else {
			p.Delivered += s.Delivered
		}
		if s.Failed >= prev[1] {
			p.Failed += s.Failed - prev[1]
		} else {
			p.Failed += s.Failed
		}
		next[s.Queue] = [2]uint64{s.Delivered, s.Failed}
		p.OldestAge = max(p.OldestAge, s.OldestAge)
		if s.OldestAge > r.stuckAfter {
			p.Stuck = append(p.Stuck, s)
		}
	}
	r.prev = next
	return out
}

// statsLoop logs the statistics every StatsInterval until ctx is done.
func (m *Manager) statsLoop(ctx context.Context) {
	t := time.NewTicker(m.cfg.StatsInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			m.logStats(ctx)
		}
	}
}

func (m *Manager) logStats(ctx context.Context) {
	for _, p := range m.stats.report(m.Stats()) {
		m.log.InfoContext(ctx, "replication: queue stats", "peer", p.Peer, "queues", p.Queues,
			"waiting", p.Waiting, "largest_queue", p.LargestQueue, "largest_waiting", p.LargestWaiting,
			"delivered", p.Delivered, "failed", p.Failed, "oldest_age", p.OldestAge)
		for _, s := range p.Stuck {
			m.log.WarnContext(ctx, "replication: entries stuck", "peer", s.Peer, "queue", s.Queue,
				"waiting", s.Waiting, "oldest_age", s.OldestAge, "stuck_after", m.stats.stuckAfter,
				"connected", s.Connected, "last_error", s.LastError)
		}
	}
}
