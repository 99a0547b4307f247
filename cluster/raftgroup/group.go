package raftgroup

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"go.etcd.io/raft/v3"
	"go.etcd.io/raft/v3/raftpb"
)

var (
	// ErrNotLeader is returned by Propose, ReadIndex and
	// TransferLeadership on a node that is not the group's leader.
	ErrNotLeader = errors.New("raftgroup: not the leader")
	// ErrClosed is returned by calls on a closed group.
	ErrClosed = errors.New("raftgroup: group is closed")
	// ErrProposalTooLarge is returned by Propose for data that could not
	// travel to the followers in one gRPC message.
	ErrProposalTooLarge = fmt.Errorf("raftgroup: proposal larger than %d bytes", maxEntryBytes)
)

// StateMachine receives the committed log. All calls come from the
// group's single loop goroutine, in log order.
type StateMachine interface {
	// Apply applies the data of one committed normal entry (empty entries
	// and conf changes are never passed). An error is fatal: the group
	// stops and every later call returns it.
	Apply(index uint64, data []byte) error
	// AppliedIndex is the last index whose effect is durable in the state
	// machine; read once at Open so entries at or below it are not
	// applied again (entries above it ARE re-applied after a restart;
	// Apply must be idempotent).
	AppliedIndex() uint64
	// Snapshot returns the full state for a follower that fell behind the
	// compacted log, and the index it reflects.
	Snapshot() (data []byte, index uint64, err error)
	// Restore replaces the state with snapshot data taken at index.
	Restore(data []byte, index uint64) error
}

// Config configures one group.
type Config struct {
	ID             uint64            // this node's raft id (> 0)
	Peers          map[uint64]string // every voter id -> its gRPC address, this node included
	Dir            string            // where the log, hard state and snapshot metadata live (created if missing)
	SM             StateMachine
	Transport      *Transport
	Logger         *slog.Logger
	TickInterval   time.Duration // default 100ms
	ElectionTicks  int           // default 10
	HeartbeatTicks int           // default 1
	// OnLeaderChange is called from the loop goroutine whenever the known
	// leader or term changes (leader 0 = none known). Must not block.
	OnLeaderChange func(leader, term uint64)
	// CompactionSlack is how many entries Compact keeps below the index it
	// is given, so that a slow follower still gets appends rather than a
	// snapshot. Default 1000.
	CompactionSlack uint64
}

// groupID is the id of the one group on the wire until multi-raft.
const groupID = 0

// Group is one Raft group member on this node. Its loop goroutine (run)
// owns the raft.Node's Ready handling, the disk storage and the state
// machine; the exported methods talk to it through raft.Node, channels
// and atomics.
type Group struct {
	cfg    Config
	logger *slog.Logger
	node   raft.Node
	mem    *raft.MemoryStorage
	disk   *diskStorage

	// published by the loop, read by anyone
	leader   atomic.Uint64
	term     atomic.Uint64
	isLeader atomic.Bool
	// appliedIndex and appliedTerm are the index and term of the last
	// entry the applier applied (apply.go). Once appliedTerm equals the
	// current term on the leader, every entry of earlier terms is applied
	// here, and every later committed entry is a proposal of this leader
	// whose proposer has not yet been told it committed.
	appliedIndex atomic.Uint64
	appliedTerm  atomic.Uint64

	applyc      chan applyTask // loop -> applier; closed when the loop returns
	appliedc    chan struct{}  // cap 1: the applier made progress
	applyFailed chan struct{}  // closed by the applier on a fatal Apply error
	applierDone chan struct{}  // closed when the applier returned

	compactTo atomic.Uint64
	compactc  chan struct{} // cap 1: a Compact call is waiting
	readc     chan struct{} // cap 1: ReadIndex callers are waiting

	readMu      sync.Mutex
	readWaiting []chan error // guarded by readMu; callers not yet in a raft request

	stopc     chan struct{} // closed by Close
	done      chan struct{} // closed when the loop returned
	closeOnce sync.Once
	closeErr  error
	closed    atomic.Bool
	fatal     atomic.Pointer[error] // the error that stopped the loop

	// owned by the loop goroutine
	queued    uint64 // last index handed to the applier (or in the state machine at Open)
	snapIndex uint64 // index of the snapshot in mem
	confState raftpb.ConfState
	readSeq   uint64
	readReq   *readRequest   // the ReadIndex request raft is answering
	readAwait []*readRequest // answered, waiting for applied to reach their index
	lastLead  uint64
	lastTerm  uint64
}

// readRequest is one raft ReadIndex shared by the callers batched in it.
type readRequest struct {
	ctx     []byte
	index   uint64
	ticks   int // ticks since it was sent, to give up on a lost request
	waiters []chan error
}

// Open restores the group from cfg.Dir (snapshot, hard state, entries)
// and starts its loop. A Dir without state bootstraps the group with
// cfg.Peers as voters.
func Open(cfg Config) (*Group, error) {
	if err := cfg.setDefaults(); err != nil {
		return nil, err
	}
	disk, st, err := openDiskStorage(cfg.Dir)
	if err != nil {
		return nil, err
	}
	g := &Group{
		cfg:      cfg,
		logger:   cfg.Logger.With("raft_id", cfg.ID, "group", groupID),
		mem:      raft.NewMemoryStorage(),
		disk:     disk,
		compactc: make(chan struct{}, 1),
		readc:    make(chan struct{}, 1),
		stopc:    make(chan struct{}),
		done:     make(chan struct{}),

		applyc:      make(chan applyTask, applyQueueLen),
		appliedc:    make(chan struct{}, 1),
		applyFailed: make(chan struct{}),
		applierDone: make(chan struct{}),
	}
	if err := g.restore(st); err != nil {
		disk.close()
		return nil, err
	}
	rc := &raft.Config{
		ID:                        cfg.ID,
		ElectionTick:              cfg.ElectionTicks,
		HeartbeatTick:             cfg.HeartbeatTicks,
		Storage:                   g.mem,
		Applied:                   g.snapIndex, // raft replays conf changes after it; see restore
		MaxSizePerMsg:             maxBatchBytes / 2,
		MaxInflightMsgs:           256,
		CheckQuorum:               true,
		PreVote:                   true,
		ReadOnlyOption:            raft.ReadOnlyLeaseBased,
		DisableProposalForwarding: true,
		Logger:                    &raftLogger{l: g.logger},
	}
	if raft.IsEmptyHardState(st.hs) && raft.IsEmptySnap(st.snap) && len(st.ents) == 0 {
		peers := make([]raft.Peer, 0, len(cfg.Peers))
		for id := range cfg.Peers {
			peers = append(peers, raft.Peer{ID: id})
		}
		g.node = raft.StartNode(rc, peers)
	} else {
		g.node = raft.RestartNode(rc)
	}
	// Registered only now: received messages go to g.node.
	if err := cfg.Transport.addGroup(groupID, g, cfg.Peers); err != nil {
		g.node.Stop()
		disk.close()
		return nil, err
	}
	go g.runApplier()
	go g.run()
	return g, nil
}

func (c *Config) setDefaults() error {
	if c.ID == 0 {
		return errors.New("raftgroup: Config.ID must be > 0")
	}
	if _, ok := c.Peers[c.ID]; !ok {
		return fmt.Errorf("raftgroup: Config.Peers lacks this node (%d)", c.ID)
	}
	if c.Dir == "" || c.SM == nil || c.Transport == nil {
		return errors.New("raftgroup: Config.Dir, SM and Transport are required")
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.TickInterval <= 0 {
		c.TickInterval = 100 * time.Millisecond
	}
	if c.ElectionTicks <= 0 {
		c.ElectionTicks = 10
	}
	if c.HeartbeatTicks <= 0 {
		c.HeartbeatTicks = 1
	}
	if c.CompactionSlack == 0 {
		c.CompactionSlack = 1000
	}
	return nil
}

// restore loads what was on disk into the memory storage and brings the
// state machine up to the snapshot if it is behind it (a crash after a
// received snapshot was saved but before Restore finished).
//
// raft.Config.Applied stays at the snapshot index so that raft hands the
// committed conf changes after it to the loop again (the voter set is
// rebuilt from them); the loop skips normal entries at or below
// g.queued, which the state machine already reflects.
func (g *Group) restore(st restored) error {
	if !raft.IsEmptySnap(st.snap) {
		meta := st.snap.Metadata
		if g.cfg.SM.AppliedIndex() < meta.Index {
			if st.snap.Data == nil {
				return fmt.Errorf("raftgroup: the log is compacted through %d but the state machine has only applied %d", meta.Index, g.cfg.SM.AppliedIndex())
			}
			if err := g.cfg.SM.Restore(st.snap.Data, meta.Index); err != nil {
				return fmt.Errorf("raftgroup: restoring the snapshot at %d: %w", meta.Index, err)
			}
		}
		if err := g.mem.ApplySnapshot(raftpb.Snapshot{Metadata: meta}); err != nil {
			return fmt.Errorf("raftgroup: loading snapshot %d: %w", meta.Index, err)
		}
		g.snapIndex = meta.Index
		g.confState = meta.ConfState
	}
	if err := g.mem.Append(st.ents); err != nil {
		return fmt.Errorf("raftgroup: loading entries: %w", err)
	}
	g.queued = max(g.snapIndex, g.cfg.SM.AppliedIndex())
	g.appliedIndex.Store(g.queued)
	last, err := g.mem.LastIndex()
	if err != nil {
		return fmt.Errorf("raftgroup: loading entries: %w", err)
	}
	if g.queued > last {
		return fmt.Errorf("raftgroup: the state machine has applied %d but the log ends at %d", g.queued, last)
	}
	// The stored commit index lags (see diskStorage.save); what the state
	// machine applied or a snapshot covers was committed.
	hs := st.hs
	hs.Commit = max(hs.Commit, g.queued)
	if err := g.mem.SetHardState(hs); err != nil {
		return fmt.Errorf("raftgroup: loading hard state: %w", err)
	}
	return nil
}

// Propose hands data to raft as a new entry. It returns once raft
// accepted it, not when it commits: commitment shows as Apply.
func (g *Group) Propose(ctx context.Context, data []byte) error {
	if err := g.usable(); err != nil {
		return err
	}
	if len(data) > maxEntryBytes {
		return ErrProposalTooLarge
	}
	if !g.isLeader.Load() {
		return ErrNotLeader
	}
	return g.translate(g.node.Propose(ctx, data))
}

// ReadIndex is a linearizable read barrier: it returns once this node is
// the leader and has applied everything committed when it was called.
func (g *Group) ReadIndex(ctx context.Context) error {
	if err := g.usable(); err != nil {
		return err
	}
	if !g.isLeader.Load() {
		return ErrNotLeader
	}
	if g.leaseRead() {
		return nil
	}
	w := make(chan error, 1)
	g.readMu.Lock()
	g.readWaiting = append(g.readWaiting, w)
	g.readMu.Unlock()
	kick(g.readc)
	select {
	case err := <-w:
		return err
	case <-ctx.Done():
		return ctx.Err()
	case <-g.done:
		if err := g.usable(); err != nil {
			return err
		}
		return ErrClosed
	}
}

// leaseRead reports whether a read on this leader is linearizable with
// no request to raft: raft's lease-based ReadIndex (ReadOnlyLeaseBased
// with CheckQuorum) answers the leader's commit index at once, without
// asking the followers, as soon as the leader has committed an entry of
// its term; waiting for that index to be applied only matters for
// entries whose effects someone may have been told about. On the leader
// those are the entries of earlier terms, applied once an entry of the
// current term is (appliedTerm), and its own proposals, which a proposer
// hears about only after they are applied here. So the answer would
// change nothing once appliedTerm reaches the current term, and the
// round trip through raft's goroutine is skipped.
func (g *Group) leaseRead() bool {
	term := g.term.Load()
	return term != 0 && g.appliedTerm.Load() == term && g.isLeader.Load()
}

// Leader is the known leader's id, 0 when none is known.
func (g *Group) Leader() uint64 { return g.leader.Load() }

// Term is the current Raft term.
func (g *Group) Term() uint64 { return g.term.Load() }

// IsLeader says whether this node is the group's leader.
func (g *Group) IsLeader() bool { return g.isLeader.Load() }

// Compact allows the log to drop entries through index (less
// CompactionSlack): the state machine holds their effect durably.
func (g *Group) Compact(index uint64) {
	for {
		cur := g.compactTo.Load()
		if index <= cur || g.compactTo.CompareAndSwap(cur, index) {
			break
		}
	}
	kick(g.compactc)
}

// TransferLeadership asks the leader (this node) to hand leadership to
// node to and waits until it has.
func (g *Group) TransferLeadership(ctx context.Context, to uint64) error {
	if err := g.usable(); err != nil {
		return err
	}
	if !g.isLeader.Load() {
		return ErrNotLeader
	}
	if _, ok := g.cfg.Peers[to]; !ok {
		return fmt.Errorf("raftgroup: node %d is not a voter", to)
	}
	g.node.TransferLeadership(ctx, g.cfg.ID, to)
	t := time.NewTicker(g.cfg.TickInterval)
	defer t.Stop()
	for g.Leader() != to {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-g.done:
			return ErrClosed
		case <-t.C:
		}
	}
	return nil
}

// Close stops the loop and the raft node and closes the files.
func (g *Group) Close() error {
	g.closeOnce.Do(func() {
		g.closed.Store(true)
		close(g.stopc)
		<-g.done
		g.cfg.Transport.removeGroup(groupID, g)
		g.closeErr = g.disk.close()
	})
	return g.closeErr
}

func (g *Group) usable() error {
	if g.closed.Load() {
		return ErrClosed
	}
	if p := g.fatal.Load(); p != nil {
		return *p
	}
	return nil
}

// translate maps raft.Node errors to the package's.
func (g *Group) translate(err error) error {
	switch {
	case errors.Is(err, raft.ErrProposalDropped):
		return ErrNotLeader
	case errors.Is(err, raft.ErrStopped):
		if uerr := g.usable(); uerr != nil {
			return uerr
		}
		return ErrClosed
	}
	return err
}

// step hands a message received from a peer to raft.
func (g *Group) step(ctx context.Context, m raftpb.Message) error {
	return g.node.Step(ctx, m)
}

// reportFailure tells raft a message to m.To was not delivered.
func (g *Group) reportFailure(m raftpb.Message) {
	if m.Type == raftpb.MsgSnap {
		g.reportSnapshot(m.To, raft.SnapshotFailure)
	}
	g.node.ReportUnreachable(m.To)
}

func (g *Group) reportSnapshot(to uint64, st raft.SnapshotStatus) {
	g.node.ReportSnapshot(to, st)
}

func kick(c chan struct{}) {
	select {
	case c <- struct{}{}:
	default:
	}
}

// putUint64 encodes a read request id.
func putUint64(v uint64) []byte { return binary.BigEndian.AppendUint64(nil, v) }
