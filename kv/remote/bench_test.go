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
