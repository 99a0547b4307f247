package raftlog

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.etcd.io/raft/v3"
	"go.etcd.io/raft/v3/raftpb"
)

// gen produces a deterministic sequence of legal batches for a number
// of groups (appends, suffix overwrites above the commit index, hard
// states, compactions, received snapshots, some chunked entries) and
// keeps a raft.MemoryStorage model of each group.
type gen struct {
	rng    *rand.Rand
	groups []*genGroup
	big    int // the size of a large entry; a large snapshot is half
}

type genGroup struct {
	mem          *raft.MemoryStorage
	term, commit uint64
	snapData     []byte // of the last received snapshot, until compacted past
}

func newGen(seed uint64, groups, big int) *gen {
	g := &gen{rng: rand.New(rand.NewPCG(seed, 7)), big: big}
	for range groups {
		g.groups = append(g.groups, &genGroup{mem: raft.NewMemoryStorage(), term: 1})
	}
	return g
}

var genCS = raftpb.ConfState{Voters: []uint64{1, 2, 3}}

// next fills b with one cycle's writes and applies them to the models.
func (g *gen) next(b *Batch) {
	rng := g.rng
	bigLeft := 2 // entries or snapshots above one chunk per batch
	for i, gg := range g.groups {
		id := uint64(i + 1)
		if rng.IntN(3) == 0 {
			continue
		}
		mem := gg.mem
		last, _ := mem.LastIndex()
		snap, _ := mem.Snapshot()
		if rng.IntN(25) == 0 && gg.commit > snap.Metadata.Index {
			c := gg.commit - uint64(rng.IntN(int(gg.commit-snap.Metadata.Index)))
			b.Compact(id, c, genCS)
			_, _ = mem.CreateSnapshot(c, &genCS, nil)
			_ = mem.Compact(c)
			gg.snapData = nil
		}
		if rng.IntN(20) == 0 {
			gg.term++
			n := 1 + rng.IntN(100)
			if bigLeft > 0 && rng.IntN(3) == 0 {
				n, bigLeft = g.big/2, bigLeft-1
			}
			s := raftpb.Snapshot{
				Data:     randBytes(rng.Uint64(), n),
				Metadata: raftpb.SnapshotMetadata{Index: last + 1 + uint64(rng.IntN(5)), Term: gg.term, ConfState: genCS},
			}
			b.ApplySnapshot(id, s)
			_ = mem.ApplySnapshot(raftpb.Snapshot{Metadata: s.Metadata})
			gg.snapData = s.Data
			gg.commit = s.Metadata.Index
			last = s.Metadata.Index
		}
		from := last + 1
		if last > gg.commit+1 && rng.IntN(5) == 0 {
			from = gg.commit + 1 + uint64(rng.IntN(int(last-gg.commit)))
			gg.term++
		}
		var ents []raftpb.Entry
		for k := range 1 + rng.IntN(3) {
			n := 10 + rng.IntN(300)
			if bigLeft > 0 && rng.IntN(40) == 0 {
				n, bigLeft = g.big, bigLeft-1
			}
			ents = append(ents, raftpb.Entry{Term: gg.term, Index: from + uint64(k), Data: randBytes(rng.Uint64(), n)})
		}
		b.Append(id, ents)
		_ = mem.Append(ents)
		newLast := ents[len(ents)-1].Index
		gg.commit = min(newLast, gg.commit+uint64(rng.IntN(3)))
		hs := raftpb.HardState{Term: gg.term, Vote: 1, Commit: gg.commit}
		b.SetHardState(id, hs)
		_ = mem.SetHardState(hs)
	}
}

// check returns why s does not hold what the models say, or nil.
func (g *gen) check(t testing.TB, s *Store) error {
	for i, gg := range g.groups {
		id := uint64(i + 1)
		var want state
		want.first, _ = gg.mem.FirstIndex()
		want.last, _ = gg.mem.LastIndex()
		want.hs, _, _ = gg.mem.InitialState()
		snap, _ := gg.mem.Snapshot()
		want.snap = snap.Metadata
		if want.last >= want.first {
			want.ents, _ = gg.mem.Entries(want.first, want.last+1, 1<<62)
		}
		got := stateOf(t, s, id)
		if got.first != want.first || got.last != want.last || !sameProto(&got.hs, &want.hs) || !sameProto(&got.snap, &want.snap) || len(got.ents) != len(want.ents) {
			return fmt.Errorf("group %d: first %d last %d hs %+v snapshot %d, want first %d last %d hs %+v snapshot %d",
				id, got.first, got.last, got.hs, got.snap.Index, want.first, want.last, want.hs, want.snap.Index)
		}
		for k := range got.ents {
			if !sameProto(&got.ents[k], &want.ents[k]) {
				return fmt.Errorf("group %d: entry %d differs", id, got.ents[k].Index)
			}
		}
		data, _, err := s.SnapshotData(id)
		if err != nil {
			return err
		}
		if string(data) != string(gg.snapData) || (data == nil) != (gg.snapData == nil) {
			return fmt.Errorf("group %d: snapshot data of %d bytes, want %d", id, len(data), len(gg.snapData))
		}
	}
	return nil
}

// TestGenModel runs the generator through reopens in one process: the
// store must match the models after every batch and every reopen.
func TestGenModel(t *testing.T) {
	s := openT(t, t.TempDir())
	defer func() { s.Close() }()
	g := newGen(42, 16, 600<<10)
	for i := range 200 {
		b := s.NewBatch()
		g.next(b)
		if err := s.Commit(b); err != nil {
			t.Fatalf("batch %d: %v", i, err)
		}
		if err := g.check(t, s); err != nil {
			t.Fatalf("batch %d: %v", i, err)
		}
		if i%50 == 49 {
			s = reopenT(t, s)
			if err := g.check(t, s); err != nil {
				t.Fatalf("after reopen at batch %d: %v", i, err)
			}
		}
	}
	checkKeys(t, s)
}

const (
	crashDirEnv  = "RAFTLOG_CRASH_DIR"
	crashSeedEnv = "RAFTLOG_CRASH_SEED"
	crashGroups  = 16
)

// TestCrashChild is the process TestCrash kills: it commits generated
// batches and reports each one that returned, until it is killed.
func TestCrashChild(t *testing.T) {
	dir := os.Getenv(crashDirEnv)
	if dir == "" {
		t.Skip("run by TestCrash")
	}
	seed, _ := strconv.ParseUint(os.Getenv(crashSeedEnv), 10, 64)
	s, err := Open(dir, nil)
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	g := newGen(seed, crashGroups, 600<<10)
	for i := 1; ; i++ {
		b := s.NewBatch()
		g.next(b)
		if err := s.Commit(b); err != nil {
			fmt.Println("error", err)
			os.Exit(1)
		}
		fmt.Println("ok", i) // os.Stdout is unbuffered: the parent sees it at once
	}
}

// TestCrash kills a process that is committing batches (SIGKILL, no
// Close) at varied moments and checks the reopened store: every batch
// whose Commit returned is there, and the one in flight is there
// entirely or not at all (each batch fits one badger transaction). A
// killed process loses no data the kernel holds, so this checks badger's
// recovery and the store's ordering, not a power failure (see doc.go).
func TestCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	rounds := 10
	for round := range rounds {
		dir := t.TempDir()
		seed := uint64(100 + round)
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), crashDirEnv+"="+dir, crashSeedEnv+"="+strconv.FormatUint(seed, 10))
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		target := 5 + round*25 // acknowledged batches before the kill
		acked := 0
		lines := bufio.NewScanner(out)
		killed := false
		for lines.Scan() {
			line := lines.Text()
			if strings.HasPrefix(line, "ok ") {
				acked, _ = strconv.Atoi(strings.TrimPrefix(line, "ok "))
			} else if strings.HasPrefix(line, "error") {
				t.Fatalf("child: %s", line)
			}
			if acked >= target && !killed {
				// Let the next batch get under way, to a varying degree.
				time.Sleep(time.Duration(round%4*400) * time.Microsecond)
				_ = cmd.Process.Kill()
				killed = true
			}
		}
		_ = cmd.Wait()
		if !killed {
			t.Fatalf("round %d: child ended after %d batches without being killed", round, acked)
		}
		s, err := Open(dir, nil)
		if err != nil {
			t.Fatalf("round %d: reopening after the kill (%d batches acknowledged): %v", round, acked, err)
		}
		g := newGen(seed, crashGroups, 600<<10)
		for range acked {
			g.next(s.NewBatch())
		}
		errAcked := g.check(t, s)
		in := ""
		if errAcked != nil {
			g.next(s.NewBatch())
			if err := g.check(t, s); err != nil {
				t.Fatalf("round %d: the store matches neither the %d acknowledged batches (%v) nor one more (%v)", round, acked, errAcked, err)
			}
			in = " and the one in flight"
		}
		t.Logf("round %d: killed after %d acknowledged batches; found them%s", round, acked, in)
		checkKeys(t, s)
		s.Close()
	}
}
