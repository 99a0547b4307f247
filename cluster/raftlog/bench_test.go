package raftlog

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/tidwall/wal"
	"go.etcd.io/raft/v3/raftpb"
)

const benchGroups = 64

// BenchmarkCommit measures one scheduler cycle: 64 groups each append
// one 200-byte entry, committed with one fsync. Every 1000 cycles each
// group compacts (through the batch), as a running node would.
func BenchmarkCommit(b *testing.B) {
	s := openT(b, b.TempDir())
	defer s.Close()
	data := make([]byte, 200)
	cs := raftpb.ConfState{Voters: []uint64{1, 2, 3}}
	syncs := s.Syncs()
	b.ResetTimer()
	for i := 1; i <= b.N; i++ {
		batch := s.NewBatch()
		for g := uint64(1); g <= benchGroups; g++ {
			if i%1000 == 0 {
				batch.Compact(g, uint64(i-100), cs)
			}
			batch.Append(g, []raftpb.Entry{{Term: 1, Index: uint64(i), Data: data}})
		}
		if err := s.Commit(batch); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(s.Syncs()-syncs)/float64(b.N), "fsyncs/op")
}

// BenchmarkCommitPerGroupWAL is the same cycle with the layout of the
// releases before multi-raft: a tidwall/wal log per group, each
// written and synced on its own, so 64 fsyncs per cycle.
func BenchmarkCommitPerGroupWAL(b *testing.B) {
	dir := b.TempDir()
	logs := make([]*wal.Log, benchGroups)
	for g := range logs {
		l, err := wal.Open(filepath.Join(dir, fmt.Sprint(g)), &wal.Options{NoSync: true, SegmentSize: 16 << 20, SegmentCacheSize: 2, AllowEmpty: true})
		if err != nil {
			b.Fatal(err)
		}
		logs[g] = l
		defer l.Close()
	}
	e := raftpb.Entry{Term: 1, Data: make([]byte, 200)}
	b.ResetTimer()
	for i := 1; i <= b.N; i++ {
		for _, l := range logs {
			e.Index = uint64(i)
			data, _ := e.Marshal()
			if err := l.Write(uint64(i), data); err != nil {
				b.Fatal(err)
			}
			if err := l.Sync(); err != nil {
				b.Fatal(err)
			}
		}
	}
}
