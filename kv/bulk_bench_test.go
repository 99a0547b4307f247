package kv

import (
	"bytes"
	"context"
	"encoding/binary"
	"testing"
)

// BenchmarkBulkLoad: one transaction writing 1M pgbench-sized rows and
// committing them (fsync on, default memtable), through Put (a lock per
// key) and through InsertFresh (no lock, no read).
func BenchmarkBulkLoad(b *testing.B) {
	for _, mode := range []string{"Put", "InsertFresh"} {
		b.Run(mode, func(b *testing.B) {
			ctx := context.Background()
			val := bytes.Repeat([]byte{'x'}, 100)
			for range b.N {
				b.StopTimer()
				cfg := testConfig(b, b.TempDir())
				cfg.NoSync = false
				cfg.MemTableBytes = DefaultMemTableBytes
				s, err := Open(cfg)
				if err != nil {
					b.Fatal(err)
				}
				txn := begin(b, s, false)
				b.StartTimer()
				key := bytes.Clone(TablePrefix(42))
				for i := range 1_000_000 {
					k := binary.BigEndian.AppendUint64(key, uint64(i))
					if mode == "Put" {
						err = txn.Put(ctx, k, val)
					} else {
						err = txn.InsertFresh(ctx, k, val)
					}
					if err != nil {
						b.Fatal(err)
					}
				}
				mustCommit(b, txn)
				b.StopTimer()
				s.Close()
			}
		})
	}
}
