package raftlog

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	"go.etcd.io/raft/v3/raftpb"
)

// cutConfig makes transactions of a few keys, so a batch spans many and
// a crash can cut it at many places.
var cutConfig = config{memTableBytes: 1 << 20, chunkBytes: 4 << 10, txnKeys: 4}

// TestCutAtEveryTransaction cuts batches at every transaction boundary
// (what a crash leaves: a prefix of the transactions, see doc.go) and
// checks the reopened store: Open accepts it, each group's snapshot,
// hard state and every entry is the old or the new one, a new hard
// state comes with the group's whole new state, and no committed entry
// is missing.
func TestCutAtEveryTransaction(t *testing.T) {
	root := t.TempDir()
	main := filepath.Join(root, "main")
	s, err := open(main, nil, cutConfig)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { s.Close() }()
	g := newGen(7, 6, 20<<10)
	cuts := 0
	var repairs countHandler // the reopened cuts that needed a repair
	for i := range 40 {
		old := capture(t, g)
		b := s.NewBatch()
		g.next(b)
		neu := capture(t, g)
		// The store as before the batch, to cut copies of.
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		base := filepath.Join(root, "base")
		copyDir(t, main, base)
		if s, err = open(main, nil, cutConfig); err != nil {
			t.Fatal(err)
		}
		syncs := s.Syncs()
		if err := s.Commit(b); err != nil {
			t.Fatalf("batch %d: %v", i, err)
		}
		txns := int(s.Syncs() - syncs) // one sync per transaction
		for k := 1; k < txns; k++ {
			dir := filepath.Join(root, "cut")
			os.RemoveAll(dir)
			copyDir(t, base, dir)
			c, err := open(dir, nil, cutConfig)
			if err != nil {
				t.Fatal(err)
			}
			c.crashAfterTxns = k
			if err := c.Commit(b); !errors.Is(err, errSimulatedCrash) {
				t.Fatalf("batch %d cut after %d of %d transactions: Commit returned %v", i, k, txns, err)
			}
			c.Close()
			c, err = open(dir, slog.New(&repairs), cutConfig)
			if err != nil {
				t.Fatalf("batch %d cut after %d of %d transactions: reopening: %v", i, k, txns, err)
			}
			checkCut(t, c, old, neu)
			checkKeys(t, c)
			c.Close()
			cuts++
		}
		os.RemoveAll(base)
	}
	t.Logf("%d cuts checked, %d repaired at load", cuts, repairs.n.Load())
	if repairs.n.Load() == 0 {
		t.Fatal("no cut needed a repair at load: the test does not reach the repair code")
	}
	if cuts < 50 {
		t.Fatalf("only %d cuts: the batches were not split", cuts)
	}
}

// groupState is a model group's state with its snapshot data.
type groupState struct {
	state
	data []byte
}

func capture(t testing.TB, g *gen) []groupState {
	out := make([]groupState, len(g.groups))
	for i, gg := range g.groups {
		st := &out[i]
		st.first, _ = gg.mem.FirstIndex()
		st.last, _ = gg.mem.LastIndex()
		st.hs, _, _ = gg.mem.InitialState()
		snap, _ := gg.mem.Snapshot()
		st.snap = snap.Metadata
		if st.last >= st.first {
			st.ents, _ = gg.mem.Entries(st.first, st.last+1, 1<<62)
		}
		st.data = gg.snapData
	}
	return out
}

func checkCut(t testing.TB, s *Store, old, neu []groupState) {
	t.Helper()
	entryAt := func(st groupState, i uint64) *raftpb.Entry {
		if i < st.first || i > st.last {
			return nil
		}
		return &st.ents[i-st.first]
	}
	for k := range old {
		id := uint64(k + 1)
		o, n := old[k], neu[k]
		got := stateOf(t, s, id)
		if !sameProto(&got.snap, &o.snap) && !sameProto(&got.snap, &n.snap) {
			t.Fatalf("group %d: snapshot %+v is neither the old %+v nor the new %+v", id, got.snap, o.snap, n.snap)
		}
		newHS := sameProto(&got.hs, &n.hs)
		// Open raises a stored commit index below the snapshot to it.
		raised := o.hs
		raised.Commit = max(raised.Commit, got.snap.Index)
		if !newHS && !sameProto(&got.hs, &raised) {
			t.Fatalf("group %d: hard state %+v is neither the old %+v nor the new %+v", id, got.hs, o.hs, n.hs)
		}
		if newHS && !sameProto(&o.hs, &n.hs) && (got.first != n.first || got.last != n.last || !sameProto(&got.snap, &n.snap)) {
			t.Fatalf("group %d: the new hard state is durable but the log is %d-%d (snapshot %d), want %d-%d (snapshot %d)",
				id, got.first, got.last, got.snap.Index, n.first, n.last, n.snap.Index)
		}
		for _, e := range got.ents {
			oe, ne := entryAt(o, e.Index), entryAt(n, e.Index)
			if (oe == nil || !sameProto(&e, oe)) && (ne == nil || !sameProto(&e, ne)) {
				t.Fatalf("group %d: entry %d (term %d) is neither the old nor the new one", id, e.Index, e.Term)
			}
		}
		// Nothing committed is lost: the log reaches the commit index
		// of the hard state it has, and of the old one.
		if c := max(got.hs.Commit, o.hs.Commit); got.last < c && got.snap.Index < c {
			t.Fatalf("group %d: the log ends at %d (snapshot %d) but %d is committed", id, got.last, got.snap.Index, c)
		}
		if sameProto(&got.snap, &n.snap) && n.data != nil {
			data, _, err := s.SnapshotData(id)
			if err != nil || string(data) != string(n.data) {
				t.Fatalf("group %d: snapshot data %d bytes (%v), want %d", id, len(data), err, len(n.data))
			}
		}
	}
}

func copyDir(t testing.TB, from, to string) {
	t.Helper()
	if err := os.MkdirAll(to, 0o750); err != nil {
		t.Fatal(err)
	}
	ents, err := os.ReadDir(from)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if e.IsDir() || e.Name() == "LOCK" {
			continue
		}
		src, err := os.Open(filepath.Join(from, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		dst, err := os.Create(filepath.Join(to, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.Copy(dst, src); err != nil {
			t.Fatal(err)
		}
		src.Close()
		dst.Close()
	}
}

// countHandler counts the store's log records about completing an
// interrupted write.
type countHandler struct{ n atomic.Int64 }

func (h *countHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h *countHandler) Handle(_ context.Context, r slog.Record) error {
	if r.Message == "completing an interrupted write" {
		h.n.Add(1)
	}
	return nil
}
func (h *countHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *countHandler) WithGroup(string) slog.Handler      { return h }

// TestCutDropGroup cuts DropGroup at every transaction boundary: Open
// finishes the drop, and the other group is untouched.
func TestCutDropGroup(t *testing.T) {
	root := t.TempDir()
	base := filepath.Join(root, "base")
	s, err := open(base, nil, cutConfig)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []uint64{1, 2} {
		commit(t, s, func(b *Batch) {
			b.Append(id, entries(1, 1, 12))
			b.SetHardState(id, raftpb.HardState{Term: 1, Commit: 12})
		})
		if err := s.Compact(id, 4, raftpb.ConfState{Voters: []uint64{1}}); err != nil {
			t.Fatal(err)
		}
	}
	keep := stateOf(t, s, 2)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	for k := 1; ; k++ {
		dir := filepath.Join(root, "cut")
		os.RemoveAll(dir)
		copyDir(t, base, dir)
		c, err := open(dir, nil, cutConfig)
		if err != nil {
			t.Fatal(err)
		}
		c.crashAfterTxns = k
		err = c.DropGroup(1)
		c.Close()
		if err == nil {
			if k < 3 {
				t.Fatalf("DropGroup took %d transactions: nothing to cut", k)
			}
			break
		}
		if !errors.Is(err, errSimulatedCrash) {
			t.Fatal(err)
		}
		c, err = open(dir, nil, cutConfig)
		if err != nil {
			t.Fatalf("cut after %d transactions: reopening: %v", k, err)
		}
		if got := c.Groups(); len(got) != 1 || got[0] != 2 {
			t.Fatalf("cut after %d transactions: groups %v", k, got)
		}
		checkSame(t, keep, stateOf(t, c, 2))
		checkKeys(t, c)
		c.Close()
	}
}
