package server

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestLargeResultStreams: a SELECT of millions of rows reaches the
// client as it is produced, through the simple and the extended
// protocol, so the node's memory stays flat instead of holding the whole
// result (5M rows gathered take some 400 MiB). The node and the client
// share this process; its peak heap is sampled while the rows flow.
func TestLargeResultStreams(t *testing.T) {
	n := startNode(t, testConfig(t))
	conn := connect(t, n)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	const rows = 5_000_000
	const ceiling = 150 << 20

	for _, mode := range []string{"simple", "extended"} {
		t.Run(mode, func(t *testing.T) {
			runtime.GC()
			var base runtime.MemStats
			runtime.ReadMemStats(&base)
			var peak atomic.Uint64
			stop := make(chan struct{})
			var wg sync.WaitGroup
			wg.Go(func() {
				tick := time.NewTicker(20 * time.Millisecond)
				defer tick.Stop()
				for {
					select {
					case <-stop:
						return
					case <-tick.C:
						var m runtime.MemStats
						runtime.ReadMemStats(&m)
						if m.HeapAlloc > peak.Load() {
							peak.Store(m.HeapAlloc)
						}
					}
				}
			})
			q := "select g, 'row ' || g from generate_series(1, 5000000) g"
			var got int64
			var sum int64
			if mode == "simple" {
				res := conn.PgConn().Exec(ctx, q)
				for res.NextResult() {
					rr := res.ResultReader()
					for rr.NextRow() {
						got++
					}
					if _, err := rr.Close(); err != nil {
						t.Fatal(err)
					}
				}
				if err := res.Close(); err != nil {
					t.Fatal(err)
				}
			} else {
				r, err := conn.Query(ctx, q)
				if err != nil {
					t.Fatal(err)
				}
				for r.Next() {
					var g int64
					var s string
					if err := r.Scan(&g, &s); err != nil {
						t.Fatal(err)
					}
					got++
					sum += g
				}
				if err := r.Err(); err != nil {
					t.Fatal(err)
				}
				if want := int64(rows) * (rows + 1) / 2; sum != want {
					t.Errorf("sum %d, want %d", sum, want)
				}
			}
			close(stop)
			wg.Wait()
			if got != rows {
				t.Fatalf("%d rows, want %d", got, rows)
			}
			grew := int64(peak.Load()) - int64(base.HeapAlloc)
			t.Logf("%s: peak heap %d MiB above the start", mode, grew>>20)
			if grew > ceiling {
				t.Errorf("%s: the heap grew by %d MiB while streaming %d rows (ceiling %d MiB)", mode, grew>>20, rows, ceiling>>20)
			}
		})
	}
	// A small result is still gathered (and so retried unseen).
	var c int64
	if err := conn.QueryRow(ctx, "select count(*) from generate_series(1, 10)").Scan(&c); err != nil || c != 10 {
		t.Fatalf("small result: %d %v", c, err)
	}
}
