package heartbeat

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/quorumdb/quorumdb/kv"
)

func openStore(t *testing.T) *kv.LocalStore {
	t.Helper()
	s, err := kv.Open(kv.LocalConfig{Dir: t.TempDir(), Logger: discard(), NoSync: true,
		MemTableBytes: 8 << 20, BlockCacheBytes: 8 << 20})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	})
	return s
}

func discard() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func readAll(t *testing.T, db kv.DB, now time.Time, cfg Config) []Row {
	t.Helper()
	ctx := context.Background()
	txn, err := db.Begin(ctx, kv.TxnOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer txn.Rollback()
	rows, err := ReadAll(ctx, txn, now, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestHeartbeaterRefreshes(t *testing.T) {
	db := openStore(t)
	cfg := Config{NodeID: 2, Address: "127.0.0.1:7400", SQLAddress: "127.0.0.1:5433", Version: "test",
		Interval: 10 * time.Millisecond, Timeout: time.Second, OfflineAfter: 2 * time.Second}
	h := New(cfg, db, discard())
	if err := h.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer h.Close()

	// Start writes before it returns.
	first := readAll(t, db, time.Now(), cfg)
	if len(first) != 1 || first[0].NodeID != 2 || first[0].State != StateActive ||
		first[0].SQLAddress != "127.0.0.1:5433" || first[0].Version != "test" {
		t.Fatalf("after Start: %+v", first)
	}
	if !first[0].StartedAt.Equal(first[0].HeartbeatAt) {
		t.Errorf("first write: started_at %v != heartbeat_at %v", first[0].StartedAt, first[0].HeartbeatAt)
	}

	deadline := time.Now().Add(10 * time.Second)
	for {
		rows := readAll(t, db, time.Now(), cfg)
		if rows[0].HeartbeatAt.After(first[0].HeartbeatAt) {
			if !rows[0].StartedAt.Equal(first[0].StartedAt) {
				t.Errorf("started_at changed: %v -> %v", first[0].StartedAt, rows[0].StartedAt)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("heartbeat not refreshed: still %v", rows[0].HeartbeatAt)
		}
		time.Sleep(5 * time.Millisecond)
	}
	if h.LastWrite().IsZero() {
		t.Error("LastWrite is zero after writes")
	}

	h.Close()
	h.Close() // idempotent
	if err := h.Start(context.Background()); !errors.Is(err, ErrClosed) {
		t.Errorf("Start after Close = %v, want ErrClosed", err)
	}
	// A stopped node's row stays and ages.
	stopped := readAll(t, db, time.Now().Add(time.Minute), cfg)
	if len(stopped) != 1 || stopped[0].State != StateOffline {
		t.Fatalf("a minute after Close: %+v", stopped)
	}
}

func TestHeartbeaterStopsWithContext(t *testing.T) {
	db := openStore(t)
	h := New(Config{NodeID: 1, Interval: time.Millisecond, Timeout: time.Second, OfflineAfter: 2 * time.Second}, db, discard())
	ctx, cancel := context.WithCancel(context.Background())
	if err := h.Start(ctx); err != nil {
		t.Fatal(err)
	}
	if err := h.Start(ctx); !errors.Is(err, ErrStarted) {
		t.Errorf("second Start = %v, want ErrStarted", err)
	}
	cancel()
	<-h.done // the goroutine ends without Close
	h.Close()
}

func TestReadAllStates(t *testing.T) {
	db := openStore(t)
	t0 := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	cfg := Config{Timeout: 5 * time.Second, OfflineAfter: time.Minute}
	ages := map[int]time.Duration{1: time.Second, 2: 10 * time.Second, 300: 2 * time.Minute}
	for id, age := range ages {
		h := New(Config{NodeID: id, Interval: time.Hour, Timeout: 2 * time.Hour, OfflineAfter: 3 * time.Hour}, db, discard())
		h.now = func() time.Time { return t0.Add(-age) }
		if err := h.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		h.Close()
	}
	rows := readAll(t, db, t0, cfg)
	want := []struct {
		id    int
		state string
	}{{1, StateActive}, {2, StateNoHeartbeat}, {300, StateOffline}}
	if len(rows) != len(want) {
		t.Fatalf("got %d rows, want %d: %+v", len(rows), len(want), rows)
	}
	for i, w := range want {
		if rows[i].NodeID != w.id || rows[i].State != w.state {
			t.Errorf("row %d = node %d %s, want node %d %s", i, rows[i].NodeID, rows[i].State, w.id, w.state)
		}
	}
}

func TestStartRejectsBadConfig(t *testing.T) {
	h := New(Config{NodeID: 0}, nil, discard())
	if err := h.Start(context.Background()); err == nil {
		t.Fatal("Start accepted node id 0")
	}
	h.Close()
}
