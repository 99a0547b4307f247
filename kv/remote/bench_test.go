package remote

import (
	"context"
	"fmt"
	"testing"

	"github.com/quorumdb/quorumdb/kv"
)

// BenchmarkRemoteTxn runs a pgbench-like transaction (ten point
// operations) through a loopback Server, to measure the per-operation
// overhead of forwarding.
func BenchmarkRemoteTxn(b *testing.B) {
	store := openStore(b)
	_, addr := serve(b, store)
	db := remoteDB{c: newClient(b), addr: addr}
	for _, target := range []struct {
		name string
		db   kv.DB
	}{{"local", store}, {"remote", db}} {
		b.Run(target.name, func(b *testing.B) {
			ctx := context.Background()
			i := 0
			for b.Loop() {
				txn, err := target.db.Begin(ctx, kv.TxnOptions{})
				if err != nil {
					b.Fatal(err)
				}
				for j := range 5 {
					key := fmt.Appendf(nil, "%s%d", target.name, (i*5+j)%1000)
					if _, _, err := txn.Get(ctx, key); err != nil {
						b.Fatal(err)
					}
					if err := txn.Put(ctx, key, []byte("value")); err != nil {
						b.Fatal(err)
					}
				}
				if err := txn.Commit(ctx); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

// BenchmarkRemoteGet is one round trip: a Get in an open transaction.
func BenchmarkRemoteGet(b *testing.B) {
	store := openStore(b)
	_, addr := serve(b, store)
	db := remoteDB{c: newClient(b), addr: addr}
	ctx := context.Background()
	txn, err := db.Begin(ctx, kv.TxnOptions{})
	if err != nil {
		b.Fatal(err)
	}
	defer txn.Rollback()
	for b.Loop() {
		if _, _, err := txn.Get(ctx, []byte("key")); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRemoteGetParallel is many sessions sharing one connection,
// each with its own transaction.
func BenchmarkRemoteGetParallel(b *testing.B) {
	store := openStore(b)
	_, addr := serve(b, store)
	db := remoteDB{c: newClient(b), addr: addr}
	ctx := context.Background()
	b.SetParallelism(8)
	b.RunParallel(func(pb *testing.PB) {
		txn, err := db.Begin(ctx, kv.TxnOptions{})
		if err != nil {
			b.Error(err)
			return
		}
		defer txn.Rollback()
		for pb.Next() {
			if _, _, err := txn.Get(ctx, []byte("key")); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkRemoteInsertFresh is a bulk load through a loopback Server:
// 200k InsertFresh writes of 100-byte values and a Commit per iteration,
// the shape of COPY into a table keyed by its row id. InsertFresh is
// pipelined (pipeline.go), so this measures batching rather than one
// round trip per key.
func BenchmarkRemoteInsertFresh(b *testing.B) {
	const keys = 200_000
	store := openStore(b)
	_, addr := serve(b, store)
	db := remoteDB{c: newClient(b), addr: addr}
	ctx := context.Background()
	val := make([]byte, 100)
	round := 0
	for b.Loop() {
		txn, err := db.Begin(ctx, kv.TxnOptions{})
		if err != nil {
			b.Fatal(err)
		}
		for i := range keys {
			if err := txn.InsertFresh(ctx, fmt.Appendf(nil, "r%03d/%08d", round, i), val); err != nil {
				b.Fatal(err)
			}
		}
		if err := txn.Commit(ctx); err != nil {
			b.Fatal(err)
		}
		round++
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*keys), "ns/key")
}

func BenchmarkRemoteBeginRollback(b *testing.B) {
	ctx := context.Background()
	store := openStore(b)
	_, addr := serve(b, store)
	c := newClient(b)
	for b.Loop() {
		txn, err := c.Begin(ctx, addr, kv.TxnOptions{})
		if err != nil {
			b.Fatal(err)
		}
		txn.Rollback()
	}
}
