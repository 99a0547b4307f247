package replication

import (
	"testing"
	"time"
)

func TestQueueName(t *testing.T) {
	// sha256("2") = d4735e3a265e16ee...; the hash is part of the on-disk
	// format, so it is pinned here.
	if got, want := PeerHash(2), "d4735e3a"; got != want {
		t.Fatalf("PeerHash(2) = %q, want %q", got, want)
	}
	if got, want := QueueName(2, 7), "queue_2_7_d4735e3a"; got != want {
		t.Fatalf("QueueName = %q, want %q", got, want)
	}
	for _, tc := range []struct {
		name  string
		peer  int
		n     int
		valid bool
	}{
		{QueueName(2, 7), 2, 7, true},
		{QueueName(12345, 0), 12345, 0, true},
		{"queue_2_7_00000000", 0, 0, false},
		{"queue_2_7", 0, 0, false},
		{"queue_../x_1_d4735e3a", 0, 0, false},
		{"received", 0, 0, false},
	} {
		peer, n, ok := parseQueueName(tc.name)
		if ok != tc.valid || (ok && (peer != tc.peer || n != tc.n)) {
			t.Errorf("parseQueueName(%q) = %d, %d, %v", tc.name, peer, n, ok)
		}
	}
}

func TestQueueIndexSpreads(t *testing.T) {
	const n = 8
	var counts [n]int
	for s := uint64(0); s < 8000; s++ {
		i := QueueIndex(s, n)
		if i != QueueIndex(s, n) {
			t.Fatal("QueueIndex not stable")
		}
		counts[i]++
	}
	for i, c := range counts {
		if c < 800 || c > 1200 {
			t.Errorf("queue %d got %d of 8000 sequential sessions", i, c)
		}
	}
}

func TestBackoff(t *testing.T) {
	b := Backoff{Initial: 50 * time.Millisecond, Max: 5 * time.Second, Multiplier: 2}
	want := []time.Duration{50, 100, 200, 400, 800, 1600, 3200, 5000, 5000}
	for i, w := range want {
		if got := b.Delay(i); got != w*time.Millisecond {
			t.Errorf("Delay(%d) = %v, want %v", i, got, w*time.Millisecond)
		}
	}
	j := DispatchBackoff
	for i := range 20 {
		if d := j.Delay(i); d <= 0 || d > j.Max {
			t.Errorf("jittered Delay(%d) = %v out of (0, %v]", i, d, j.Max)
		}
	}
}

func TestConfigValidate(t *testing.T) {
	ok := Config{NodeID: 1, BufferDirectory: t.TempDir()}
	if err := ok.Validate(); err != nil {
		t.Fatalf("defaults: %v", err)
	}
	for _, bad := range []Config{
		{BufferDirectory: "x"},
		{NodeID: 1},
		{NodeID: 1, BufferDirectory: "x", QueuesPerPeer: -1},
		{NodeID: 1, BufferDirectory: "x", Window: -1},
		{NodeID: 1, BufferDirectory: "x", PeerRetention: time.Millisecond, MembershipPoll: time.Second},
		{NodeID: 1, BufferDirectory: "x", Backoff: Backoff{Initial: time.Second, Max: time.Millisecond, Multiplier: 2}},
	} {
		if err := bad.Validate(); err == nil {
			t.Errorf("Validate(%+v) = nil, want error", bad)
		}
	}
}
