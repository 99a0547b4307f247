package replication

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

func TestStatsReporter(t *testing.T) {
	r := newStatsReporter(30 * time.Second)
	snap := []QueueStats{
		{Peer: 2, Queue: "q20", Waiting: 3, Delivered: 10, Failed: 1, OldestAge: time.Second},
		{Peer: 2, Queue: "q21", Waiting: 7, Delivered: 5, OldestAge: 40 * time.Second},
		{Peer: 3, Queue: "q30", Delivered: 1},
	}
	got := r.report(snap)
	if len(got) != 2 || got[0].Waiting != 10 || got[0].LargestQueue != "q21" || got[0].Delivered != 15 ||
		got[0].Failed != 1 || got[0].OldestAge != 40*time.Second || len(got[0].Stuck) != 1 || got[1].Queues != 1 {
		t.Fatalf("first report: %+v", got)
	}
	snap[0].Delivered, snap[1].Delivered, snap[1].Failed = 12, 5, 4
	snap[2].Delivered = 0 // recreated queue: counters restarted
	got = r.report(snap)
	if got[0].Delivered != 2 || got[0].Failed != 4 || got[1].Delivered != 0 {
		t.Fatalf("second report deltas: %+v", got)
	}
}

func TestTornTailIsRepaired(t *testing.T) {
	root := t.TempDir()
	now := time.Now
	q, err := openQueue(root, 2, 0, DefaultSegmentSize, now)
	if err != nil {
		t.Fatal(err)
	}
	q.startCommitter()
	for i := range 3 {
		r := &appendReq{ev: Event{Kind: "role", Key: "k", Version: uint64(i + 1)}, done: make(chan error, 1)}
		q.commitc <- r
		if err := <-r.done; err != nil {
			t.Fatal(err)
		}
	}
	inc := q.incarnation
	if err := q.close(); err != nil {
		t.Fatal(err)
	}
	// A crash in the middle of the next write: a length prefix promising
	// more bytes than follow.
	seg := filepath.Join(q.dir, "00000000000000000001")
	f, err := os.OpenFile(seg, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write([]byte{50, 1, 2, 3}); err != nil {
		t.Fatal(err)
	}
	f.Close()
	q, err = openQueue(root, 2, 0, DefaultSegmentSize, now)
	if err != nil {
		t.Fatalf("reopen after torn write: %v", err)
	}
	defer q.log.Close()
	if acked, last := q.bounds(); acked != 0 || last != 3 || q.incarnation != inc {
		t.Fatalf("after repair: acked=%d last=%d incarnation changed=%v", acked, last, q.incarnation != inc)
	}
	evs, err := q.read(1, 3)
	if err != nil || evs[2].GetVersion() != 3 {
		t.Fatalf("read after repair: %v %v", evs, err)
	}
}

func TestCollector(t *testing.T) {
	members := newMemMembership()
	n1 := newNode(t, 1, members, nil)
	members.set(2, "127.0.0.1:1")
	eventually(t, 5*time.Second, "queues", func() bool { return len(n1.mgr.Stats()) == 8 })
	reg := prometheus.NewPedanticRegistry()
	if err := reg.Register(n1.mgr.Collector()); err != nil {
		t.Fatal(err)
	}
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	series := make(map[string]int)
	for _, f := range families {
		series[f.GetName()] = len(f.GetMetric())
	}
	for _, name := range []string{"waiting", "oldest_age_seconds", "connected", "delivered_total", "failed_total"} {
		if got := series["quorumdb_replication_queue_"+name]; got != 8 {
			t.Errorf("%s: %d series, want 8 (one per queue)", name, got)
		}
	}
	if series["quorumdb_replication_received_events_total"] != 3 || series["quorumdb_replication_rejected_total"] != 1 {
		t.Errorf("receiver series: %v", series)
	}
}
