package kv

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync/atomic"
	"testing"
)

const benchKeys = 10_000

func benchStore(b *testing.B) *LocalStore {
	s := openTestStore(b, b.TempDir())
	txn := begin(b, s, false)
	for i := 0; i < benchKeys; i++ {
		mustPut(b, txn, fmt.Sprintf("k%06d", i), "0123456789012345678901234567890123456789")
	}
	mustCommit(b, txn)
	return s
}

// BenchmarkPointRead: one-key read-only transactions.
func BenchmarkPointRead(b *testing.B) {
	s := benchStore(b)
	ctx := context.Background()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		rng := rand.New(rand.NewPCG(rand.Uint64(), 1))
		for pb.Next() {
			txn, err := s.Begin(ctx, TxnOptions{ReadOnly: true})
			if err != nil {
				b.Fatal(err)
			}
			if _, ok, err := txn.Get(ctx, fmt.Appendf(nil, "k%06d", rng.IntN(benchKeys))); err != nil || !ok {
				b.Fatal(ok, err)
			}
			txn.Commit(ctx)
		}
	})
}

// BenchmarkUpsert: read-modify-write of one random key per transaction,
// many clients (group commit shares fsyncs; NoSync is off here).
func BenchmarkUpsert(b *testing.B) {
	cfg := testConfig(b, b.TempDir())
	cfg.NoSync = false
	s, err := Open(cfg)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	var conflicts atomic.Int64
	b.SetParallelism(8)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		rng := rand.New(rand.NewPCG(rand.Uint64(), 2))
		for pb.Next() {
			key := fmt.Appendf(nil, "k%06d", rng.IntN(benchKeys))
			txn, err := s.Begin(ctx, TxnOptions{})
			if err != nil {
				b.Fatal(err)
			}
			// Put takes the key's lock; a Get of the key followed by a
			// commit of it by another client fails the refresh there.
			_, _, err = txn.Get(ctx, key)
			if err == nil {
				err = txn.Put(ctx, key, []byte("value"))
			}
			if err == nil {
				err = txn.Commit(ctx)
			}
			if errors.Is(err, ErrConflict) {
				conflicts.Add(1)
			} else if err != nil {
				b.Fatal(err)
			}
		}
	})
	st := s.Stats()
	b.ReportMetric(float64(st.Commits)/float64(max(st.WALSyncs, 1)), "commits/fsync")
	b.ReportMetric(float64(conflicts.Load()), "conflicts")
}

// BenchmarkHotUpdate: pgbench's branch update — read-modify-write of one
// of 10 hot keys per transaction from 8 clients, with the read as a plain
// Get (optimistic: collisions fail) or GetForUpdate (collisions queue on
// the lock and refresh). A failed transaction is retried on the same key,
// as a client would. Reports the failure rate and time per commit.
func BenchmarkHotUpdate(b *testing.B) {
	for _, mode := range []string{"Get", "GetForUpdate"} {
		b.Run(mode, func(b *testing.B) {
			cfg := testConfig(b, b.TempDir())
			cfg.NoSync = false
			s, err := Open(cfg)
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			ctx := context.Background()
			var failed atomic.Int64
			b.SetParallelism(4) // 8 clients on 2 cores
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				rng := rand.New(rand.NewPCG(rand.Uint64(), 3))
				var key []byte // kept after a failure: a client retries its transaction
				for pb.Next() {
					if key == nil {
						key = fmt.Appendf(nil, "branch%d", rng.IntN(10))
					}
					txn, err := s.Begin(ctx, TxnOptions{})
					if err != nil {
						b.Fatal(err)
					}
					if mode == "Get" {
						_, _, err = txn.Get(ctx, key)
					} else {
						_, _, err = txn.GetForUpdate(ctx, key)
					}
					if err == nil {
						err = txn.Put(ctx, key, []byte("value"))
					}
					if err == nil {
						err = txn.Commit(ctx)
					}
					txn.Rollback()
					if errors.Is(err, ErrConflict) || errors.Is(err, ErrDeadlock) {
						failed.Add(1)
						continue
					} else if err != nil {
						b.Fatal(err)
					}
					key = nil
				}
			})
			b.ReportMetric(100*float64(failed.Load())/float64(b.N), "%failed")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(max(int64(b.N)-failed.Load(), 1)), "ns/commit")
		})
	}
}
