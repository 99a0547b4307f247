package replication

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// checkSessionOrder verifies that, for every session key, versions arrived
// as 1..want with no gap or repeat.
func checkSessionOrder(t *testing.T, events []Event, sessions, perSession int) {
	t.Helper()
	next := make(map[string]uint64)
	for _, ev := range events {
		if ev.Version != next[ev.Key]+1 {
			t.Fatalf("session %s: got version %d after %d", ev.Key, ev.Version, next[ev.Key])
		}
		next[ev.Key] = ev.Version
	}
	if len(next) != sessions {
		t.Fatalf("got %d sessions, want %d", len(next), sessions)
	}
	for k, v := range next {
		if v != uint64(perSession) {
			t.Fatalf("session %s ended at version %d, want %d", k, v, perSession)
		}
	}
}

func TestOrderPerSessionUnderConcurrency(t *testing.T) {
	members := newMemMembership()
	n1 := newNode(t, 1, members, nil)
	n2 := newNode(t, 2, members, nil)
	n3 := newNode(t, 3, members, nil)
	eventually(t, 5*time.Second, "node 1 sees both peers", func() bool { return len(n1.mgr.Stats()) == 16 })

	const sessions, perSession = 32, 40
	var wg sync.WaitGroup
	for s := range sessions {
		wg.Go(func() {
			for v := 1; v <= perSession; v++ {
				ev := Event{Kind: "descriptor", Key: strconv.Itoa(s), Version: uint64(v)}
				if err := n1.mgr.Enqueue(context.Background(), uint64(s), ev); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	for _, n := range []*node{n2, n3} {
		eventually(t, 10*time.Second, "all events delivered", func() bool { return n.rec.len() == sessions*perSession })
		checkSessionOrder(t, n.rec.snapshot(), sessions, perSession)
	}
	// Sessions spread: all 8 queues carried events.
	used := 0
	for _, s := range n1.mgr.Stats() {
		if s.Peer == 2 && s.Delivered > 0 {
			used++
		}
	}
	if used != 8 {
		t.Errorf("%d of 8 queues used by %d sessions", used, sessions)
	}
}

// sessionsForAllQueues returns one session id per queue index.
func sessionsForAllQueues(n int) []uint64 {
	out := make([]uint64, n)
	found := 0
	seen := make(map[int]bool)
	for s := uint64(1); found < n; s++ {
		if i := QueueIndex(s, n); !seen[i] {
			seen[i] = true
			out[i] = s
			found++
		}
	}
	return out
}

func TestEightQueuesDeliverInParallel(t *testing.T) {
	members := newMemMembership()
	n1 := newNode(t, 1, members, nil)
	n2 := newNode(t, 2, members, nil)
	var active, maxActive atomic.Int32
	release := make(chan struct{})
	n2.rec.applyFn = func(ctx context.Context, ev Event) error {
		a := active.Add(1)
		defer active.Add(-1)
		for {
			m := maxActive.Load()
			if a <= m || maxActive.CompareAndSwap(m, a) {
				break
			}
		}
		// Block every queue's first event until all 8 are in flight at once.
		select {
		case <-release:
		case <-time.After(5 * time.Second):
		}
		return nil
	}
	eventually(t, 5*time.Second, "queues for node 2", func() bool { return len(n1.mgr.Stats()) == 8 })
	for _, s := range sessionsForAllQueues(8) {
		if err := n1.mgr.Enqueue(context.Background(), s, Event{Kind: "role", Key: fmt.Sprint(s), Version: 1}); err != nil {
			t.Fatal(err)
		}
	}
	eventually(t, 5*time.Second, "8 concurrent applies", func() bool { return maxActive.Load() == 8 })
	connected := 0
	for _, s := range n1.mgr.Stats() {
		if s.Connected {
			connected++
		}
	}
	close(release)
	if connected != 8 {
		t.Errorf("%d streams connected while 8 applies were in flight", connected)
	}
	eventually(t, 5*time.Second, "delivery", func() bool { return n2.rec.len() == 8 })
}

func TestReceiverDownEntriesWaitOnDisk(t *testing.T) {
	members := newMemMembership()
	n1 := newNode(t, 1, members, nil)
	n2 := newNode(t, 2, members, nil)
	eventually(t, 5*time.Second, "queues for node 2", func() bool { return len(n1.mgr.Stats()) == 8 })
	n2.stop() // still listed: heartbeats stop, but within retention

	const sessions, perSession = 8, 25
	for v := 1; v <= perSession; v++ {
		for s := range sessions {
			if err := n1.mgr.Enqueue(context.Background(), uint64(s), Event{Kind: "setting", Key: strconv.Itoa(s), Version: uint64(v)}); err != nil {
				t.Fatal(err)
			}
		}
	}
	eventually(t, 5*time.Second, "delivery failures recorded", func() bool {
		var failed uint64
		for _, s := range n1.mgr.Stats() {
			failed += s.Failed
		}
		return failed > 0
	})
	if w := waitingTowards(n1, 2); w != sessions*perSession {
		t.Fatalf("waiting = %d, want %d", w, sessions*perSession)
	}
	// The entries are in the queue directories, not only in memory.
	var segBytes int64
	matches, _ := filepath.Glob(filepath.Join(n1.dir, "localq", "queue_2_*", "0*"))
	for _, m := range matches {
		if fi, err := os.Stat(m); err == nil {
			segBytes += fi.Size()
		}
	}
	if segBytes == 0 {
		t.Fatal("no segment data on disk")
	}

	n2.start(nil)
	eventually(t, 10*time.Second, "delivery after return", func() bool { return n2.rec.len() == sessions*perSession })
	checkSessionOrder(t, n2.rec.snapshot(), sessions, perSession)
	eventually(t, 5*time.Second, "queues drained", func() bool { return waitingTowards(n1, 2) == 0 })
}

func TestSenderRestartLosesAndDuplicatesNothing(t *testing.T) {
	members := newMemMembership()
	n1 := newNode(t, 1, members, func(c *Config) { c.Window = 16 })
	n2 := newNode(t, 2, members, nil)
	n2.rec.delay = 200 * time.Microsecond // deliveries still running at close
	eventually(t, 5*time.Second, "queues for node 2", func() bool { return len(n1.mgr.Stats()) == 8 })

	const sessions, perSession = 16, 100
	enqueue := func(from, to int) {
		var wg sync.WaitGroup
		for s := range sessions {
			wg.Go(func() {
				for v := from; v <= to; v++ {
					if err := n1.mgr.Enqueue(context.Background(), uint64(s), Event{Kind: "plan", Key: strconv.Itoa(s), Version: uint64(v)}); err != nil {
						t.Error(err)
						return
					}
				}
			})
		}
		wg.Wait()
	}
	enqueue(1, perSession/2)
	eventually(t, 5*time.Second, "some delivered", func() bool { return n2.rec.len() > 50 })
	n1.stop() // mid-delivery
	t.Logf("%d of %d delivered when the sender closed", n2.rec.len(), sessions*perSession/2)
	n1.start(nil)
	if n1.mgr.FreshStart() {
		t.Fatal("restart on the same directory reported a fresh start")
	}
	enqueue(perSession/2+1, perSession)
	eventually(t, 15*time.Second, "all delivered", func() bool { return n2.rec.len() >= sessions*perSession })
	time.Sleep(50 * time.Millisecond) // let any duplicate arrive
	checkSessionOrder(t, n2.rec.snapshot(), sessions, perSession)
	n2.rec.mu.Lock()
	defer n2.rec.mu.Unlock()
	for k, c := range n2.rec.count {
		if c != 1 {
			t.Errorf("%s applied %d times", k, c)
		}
	}
}

func TestReceiverRestartIgnoresDuplicates(t *testing.T) {
	// A receiver that applied a batch but whose ack was lost (here: the
	// receiver restarts and the sender resends everything from its log
	// start) applies nothing twice, thanks to the persisted marks.
	members := newMemMembership()
	n1 := newNode(t, 1, members, nil)
	n2 := newNode(t, 2, members, nil)
	eventually(t, 5*time.Second, "queues", func() bool { return len(n1.mgr.Stats()) == 8 })
	for v := 1; v <= 10; v++ {
		if err := n1.mgr.Enqueue(context.Background(), 7, Event{Kind: "role", Key: "r", Version: uint64(v)}); err != nil {
			t.Fatal(err)
		}
	}
	eventually(t, 5*time.Second, "delivered", func() bool { return n2.rec.len() == 10 })
	n2.stop()
	n2.rec = newRecorder()
	n2.start(nil)
	// Replay the stream by hand: same origin, queue and incarnation.
	q := n1.mgr.peers[2].queues[QueueIndex(7, 8)]
	slot, gen := n2.mgr.receiver.claim(streamKey{1, q.name}, func() {})
	evs := make([]Event, 0, 10)
	for seq := uint64(1); seq <= 10; seq++ {
		evs = append(evs, Event{Kind: "role", Key: "r", Version: seq, Seq: seq, Origin: 1})
	}
	b := batchOf(1, 2, q.name, q.incarnation, evs)
	through, _, err := n2.mgr.receiver.applyBatch(context.Background(), slot, gen, streamKey{1, q.name}, b)
	if err != nil || through != 10 {
		t.Fatalf("replay: through=%d err=%v", through, err)
	}
	if n2.rec.len() != 0 {
		t.Fatalf("replayed events applied again: %d", n2.rec.len())
	}
	if d := n2.mgr.receiver.duplicates.Load(); d != 10 {
		t.Fatalf("duplicates = %d, want 10", d)
	}
}

func TestSlowReceiverNeverBlocksEnqueue(t *testing.T) {
	members := newMemMembership()
	n1 := newNode(t, 1, members, nil)
	n2 := newNode(t, 2, members, nil)
	n2.rec.delay = 100 * time.Millisecond // 200 events: 20 s of applying per queue in turn
	eventually(t, 5*time.Second, "queues", func() bool { return len(n1.mgr.Stats()) == 8 })
	var worst time.Duration
	start := time.Now()
	for i := range 200 {
		t0 := time.Now()
		if err := n1.mgr.Enqueue(context.Background(), 3, Event{Kind: "descriptor", Key: "k", Version: uint64(i + 1)}); err != nil {
			t.Fatal(err)
		}
		worst = max(worst, time.Since(t0))
	}
	total := time.Since(start)
	t.Logf("200 enqueues in %v, worst %v, delivered so far %d", total, worst, n2.rec.len())
	// Only the disk bounds Enqueue; the receiver needs ~20 s for these.
	if total > 5*time.Second || worst > time.Second {
		t.Fatalf("enqueue waited for the receiver: total %v, worst %v", total, worst)
	}
	if w := waitingTowards(n1, 2); w < 100 {
		t.Fatalf("only %d waiting: receiver was not slow?", w)
	}
}

func TestQueueDirectoriesAndRetention(t *testing.T) {
	var clock atomic.Int64
	clock.Store(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano())
	now := func() time.Time { return time.Unix(0, clock.Load()) }
	members := newMemMembership()
	n1 := newNode(t, 1, members, func(c *Config) { c.Now = now; c.PeerRetention = time.Hour })
	if !n1.mgr.FreshStart() {
		t.Fatal("first start on an empty directory: FreshStart() = false")
	}
	n2 := newNode(t, 2, members, nil)
	n3 := newNode(t, 3, members, nil)
	_ = n3
	root := filepath.Join(n1.dir, "localq")
	listQueues := func() []string {
		entries, _ := os.ReadDir(root)
		var out []string
		for _, e := range entries {
			if strings.HasPrefix(e.Name(), "queue_") {
				out = append(out, e.Name())
			}
		}
		sort.Strings(out)
		return out
	}
	eventually(t, 5*time.Second, "16 queue directories", func() bool { return len(listQueues()) == 16 })
	for _, name := range listQueues() {
		peer, n, ok := parseQueueName(name)
		if !ok || (peer != 2 && peer != 3) || name != fmt.Sprintf("queue_%d_%d_%s", peer, n, PeerHash(peer)) {
			t.Fatalf("unexpected queue directory %q", name)
		}
	}

	// Node 2 disappears from the heartbeat table; entries wait for it.
	n2.stop()
	members.remove(2)
	if err := n1.mgr.Enqueue(context.Background(), 1, Event{Kind: "role", Key: "x", Version: 1}); err != nil {
		t.Fatal(err)
	}
	clock.Add(int64(59 * time.Minute))
	time.Sleep(50 * time.Millisecond) // several membership polls
	if len(listQueues()) != 16 {
		t.Fatal("queues removed before the retention period")
	}
	clock.Add(int64(2 * time.Minute))
	eventually(t, 5*time.Second, "node 2's queues removed", func() bool { return len(listQueues()) == 8 })
	for _, name := range listQueues() {
		if strings.HasPrefix(name, "queue_2_") {
			t.Fatalf("queue %s survived retention", name)
		}
	}
	if got := len(n1.mgr.Stats()); got != 8 {
		t.Fatalf("Stats has %d queues, want 8", got)
	}

	// The restart of node 1 on its directory is not a fresh start; a wiped
	// directory is.
	n1.stop()
	n1.start(nil)
	if n1.mgr.FreshStart() {
		t.Fatal("FreshStart() = true after a restart on the same directory")
	}
	n1.stop()
	if err := os.RemoveAll(root); err != nil {
		t.Fatal(err)
	}
	n1.start(nil)
	if !n1.mgr.FreshStart() {
		t.Fatal("FreshStart() = false after losing localq")
	}
}

// resetRecorder is a Handler that also records Reset calls.
type resetRecorder struct {
	*recorder
	resets atomic.Int32
}

func (r *resetRecorder) Reset(context.Context, int) error { r.resets.Add(1); return nil }

func TestRecreatedQueueResetsReceiverCaches(t *testing.T) {
	members := newMemMembership()
	n1 := newNode(t, 1, members, nil)
	n2 := newNode(t, 2, members, nil)
	rr := &resetRecorder{recorder: n2.rec}
	eventually(t, 5*time.Second, "queues", func() bool { return len(n1.mgr.Stats()) == 8 })
	key := streamKey{1, QueueName(2, 0)}
	h := NewHandlers()
	h.Register("role", rr)
	r := n2.mgr.receiver
	r.handlers = h
	slot, gen := r.claim(key, func() {})
	ev := []Event{{Kind: "role", Key: "a", Version: 1, Seq: 1, Origin: 1}}
	if _, _, err := r.applyBatch(context.Background(), slot, gen, key, batchOf(1, 2, key.queue, 111, ev)); err != nil {
		t.Fatal(err)
	}
	if rr.resets.Load() != 0 {
		t.Fatal("first incarnation must not reset")
	}
	if _, _, err := r.applyBatch(context.Background(), slot, gen, key, batchOf(1, 2, key.queue, 222, ev)); err != nil {
		t.Fatal(err)
	}
	if rr.resets.Load() != 1 {
		t.Fatalf("resets = %d after a new incarnation, want 1", rr.resets.Load())
	}
	if n2.rec.len() != 2 {
		t.Fatalf("applied %d, want 2 (seq 1 of the new incarnation is new)", n2.rec.len())
	}
}

func TestRejectionRetriesAndUnknownKindIsAcked(t *testing.T) {
	members := newMemMembership()
	n1 := newNode(t, 1, members, nil)
	n2 := newNode(t, 2, members, nil)
	var fails atomic.Int32
	n2.rec.applyFn = func(ctx context.Context, ev Event) error {
		if ev.Key == "flaky" && fails.Add(1) <= 3 {
			return errors.New("cache busy")
		}
		return nil
	}
	eventually(t, 5*time.Second, "queues", func() bool { return len(n1.mgr.Stats()) == 8 })
	for i, k := range []string{"before", "flaky", "after"} {
		if err := n1.mgr.Enqueue(context.Background(), 5, Event{Kind: "descriptor", Key: k, Version: uint64(i + 1)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := n1.mgr.Enqueue(context.Background(), 5, Event{Kind: "no-such-kind", Key: "z"}); err != nil {
		t.Fatal(err)
	}
	eventually(t, 5*time.Second, "all acknowledged", func() bool { return waitingTowards(n1, 2) == 0 })
	var keys []string
	for _, ev := range n2.rec.snapshot() {
		keys = append(keys, ev.Key)
	}
	if strings.Join(keys, ",") != "before,flaky,after" {
		t.Fatalf("applied %v", keys)
	}
	var failed uint64
	var lastErr string
	for _, s := range n1.mgr.Stats() {
		failed += s.Failed
		if s.LastError != "" {
			lastErr = s.LastError
		}
	}
	if failed != 3 || !strings.Contains(lastErr, "cache busy") {
		t.Fatalf("failed = %d, last error %q", failed, lastErr)
	}
	if n2.mgr.receiver.unknown.Load() != 1 {
		t.Fatal("unknown kind not counted")
	}
}

func TestStatsLineAndStuckWarning(t *testing.T) {
	logs := &lockedBuffer{}
	members := newMemMembership()
	n1 := newNode(t, 1, members, func(c *Config) {
		c.StatsInterval = 20 * time.Millisecond
		c.StuckAfter = 50 * time.Millisecond
		c.Logger = slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	})
	members.set(2, "127.0.0.1:1") // a peer nobody listens for
	eventually(t, 5*time.Second, "queues", func() bool { return len(n1.mgr.Stats()) == 8 })
	if err := n1.mgr.Enqueue(context.Background(), 1, Event{Kind: "role", Key: "x", Version: 1}); err != nil {
		t.Fatal(err)
	}
	eventually(t, 5*time.Second, "stuck warning", func() bool {
		return strings.Contains(logs.String(), `"msg":"replication: entries stuck"`)
	})
	out := logs.String()
	for _, want := range []string{`"msg":"replication: queue stats"`, `"peer":2`, `"queues":8`, `"waiting":1`, `"largest_waiting":1`, `"oldest_age":`, `"level":"WARN"`, `"msg":"replication: delivery failed"`, `"queue":"queue_2_`} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %s", want)
		}
	}
	s := n1.mgr.Stats()
	var stuck QueueStats
	for _, q := range s {
		if q.Waiting > 0 {
			stuck = q
		}
	}
	if stuck.OldestAge < 50*time.Millisecond || stuck.Connected || stuck.LastError == "" || stuck.Failed == 0 {
		t.Errorf("stats of the stuck queue: %+v", stuck)
	}
}
