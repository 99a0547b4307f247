package raftgroup

import (
	"cmp"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"go.etcd.io/raft/v3"
	"go.etcd.io/raft/v3/raftpb"

	"github.com/quorumdb/quorumdb/cluster/peerlink"
	"github.com/quorumdb/quorumdb/internal/bootclock"
	"github.com/quorumdb/quorumdb/internal/raftslog"
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

// StateMachine receives the committed log. Calls come from one goroutine
// at a time, in log order: Apply from the applier (apply.go); Snapshot
// and Restore from the loop, Restore only once the applier has applied
// everything handed to it; AppliedIndex from Open.
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

// SnapshotValidator is implemented by a StateMachine that can check
// snapshot data before anything is replaced: the transport refuses a
// snapshot it rejects, so raft never sees it. It is called from the
// transport's receiving goroutines, not the loop.
type SnapshotValidator interface {
	ValidateSnapshot(data []byte, index uint64) error
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
	ElectionTicks  int           // default 10; at least 2
	HeartbeatTicks int           // default 1
	// Clock is the time source of the ticks' spacing and of the lease
	// (lease.go). Default: CLOCK_BOOTTIME on Linux. Tests set their own.
	Clock Clock
	// OnLeaderChange is called from the loop goroutine whenever the known
	// leader or term changes (leader 0 = none known). Must not block.
	OnLeaderChange func(leader, term uint64)
	// CompactionSlack is how many entries Compact keeps below the index it
	// is given, so that a slow follower still gets appends rather than a
	// snapshot. Default 1000.
	CompactionSlack uint64
	// AcceptEntries, when set, is asked before a follower takes new log
	// entries from the leader (a MsgApp carrying entries, a snapshot).
	// While it returns an error they are dropped: the node stays a
	// member, answers heartbeats and votes, applies what it already
	// holds, and raft's leader treats it as lagging and retries. The
	// replicated store refuses while its disk is below its free-space
	// reserve, so that a full follower stops growing its log instead of
	// failing a write (which stops the group until a restart); once
	// space is back it catches up by itself. Called from the loop and
	// the transport's receivers: it must be cheap and must not block.
	AcceptEntries func() error
}

// groupID is the id of the one group on the wire until multi-raft.
const groupID = 0

// inboxLen bounds the messages received from peers and not yet stepped;
// a receiver waits when it is full (flow control on the peer's stream).
const inboxLen = 1024

// Group is one Raft group member on this node: a deterministic core
// (core.go: raft's RawNode, the lease, read rounds) driven by one loop
// goroutine (loop.go), which also owns the disk storage and hands
// committed entries to the applier goroutine (apply.go). The exported
// methods talk to the loop through channels and read what it publishes
// through atomics.
type Group struct {
	cfg    Config
	logger *slog.Logger
	clock  Clock
	timing timing
	mem    *raft.MemoryStorage
	disk   *diskStorage
	core   *core     // owned by the loop goroutine
	pub    published // written by the loop and the applier, read by anyone

	inbox     chan raftpb.Message // peers' messages -> loop
	propc     chan proposal       // Propose -> loop
	transferc chan transferRequest

	reportMu sync.Mutex
	reports  []report      // guarded by reportMu: delivery failures for raft
	reportc  chan struct{} // cap 1: reports are waiting

	applyc      chan applyTask // loop -> applier; closed when the loop returns
	appliedc    chan struct{}  // cap 1: the applier made progress
	applyFailed chan struct{}  // closed by the applier on a fatal Apply error
	applierDone chan struct{}  // closed when the applier returned

	compactTo atomic.Uint64
	compactc  chan struct{} // cap 1: a Compact call is waiting
	readc     chan struct{} // cap 1: ReadIndex callers are waiting

	readMu      sync.Mutex
	readWaiting []chan error // guarded by readMu; callers not yet handed to the core

	stopc     chan struct{} // closed by Close
	done      chan struct{} // closed when the loop returned
	closeOnce sync.Once
	closeErr  error
	closed    atomic.Bool
	fatal     atomic.Pointer[error] // the error that stopped the loop

	slowLog peerlink.LogLimiter // rate-limits the slow-Ready warning
	// refusing is set while AcceptEntries refuses (owned by the loop,
	// for logging the transitions once each).
	refusing bool

	// owned by the loop goroutine
	queued    uint64 // last index handed to the applier (or in the state machine at Open)
	snapIndex uint64 // index of the snapshot in mem
	confState raftpb.ConfState
	lastLead  uint64
	lastTerm  uint64
}

// proposal is one Propose call waiting for the loop to hand its data to
// raft.
type proposal struct {
	ctx  context.Context
	data []byte
	errc chan error // buffered 1
}

// transferRequest asks the loop to start a leadership transfer.
type transferRequest struct {
	to   uint64
	errc chan error // buffered 1
}

// report is a message the transport could not deliver, or the outcome
// of a snapshot it sent.
type report struct {
	to       uint64
	snapshot bool
	status   raft.SnapshotStatus // when snapshot
}

// Open restores the group from cfg.Dir (snapshot, hard state, entries)
// and starts its loop. A Dir without state bootstraps the group with
// cfg.Peers as voters.
func Open(cfg Config) (*Group, error) {
	if err := cfg.setDefaults(); err != nil {
		return nil, err
	}
	tm, err := newTiming(cfg.TickInterval, cfg.ElectionTicks)
	if err != nil {
		return nil, err
	}
	disk, st, err := openDiskStorage(cfg.Dir)
	if err != nil {
		return nil, err
	}
	g := &Group{
		cfg:       cfg,
		logger:    cfg.Logger.With("raft_id", cfg.ID, "group", groupID),
		clock:     cfg.Clock,
		timing:    tm,
		mem:       raft.NewMemoryStorage(),
		disk:      disk,
		inbox:     make(chan raftpb.Message, inboxLen),
		propc:     make(chan proposal, 256),
		transferc: make(chan transferRequest),
		reportc:   make(chan struct{}, 1),
		compactc:  make(chan struct{}, 1),
		readc:     make(chan struct{}, 1),
		stopc:     make(chan struct{}),
		done:      make(chan struct{}),

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
		ReadOnlyOption:            raft.ReadOnlySafe, // the lease is ours (lease.go)
		DisableProposalForwarding: true,
		Logger:                    &raftslog.Logger{L: g.logger},
	}
	rn, err := raft.NewRawNode(rc)
	if err != nil {
		disk.close()
		return nil, fmt.Errorf("raftgroup: starting raft: %w", err)
	}
	if raft.IsEmptyHardState(st.hs) && raft.IsEmptySnap(st.snap) && len(st.ents) == 0 {
		peers := make([]raft.Peer, 0, len(cfg.Peers))
		for id := range cfg.Peers {
			peers = append(peers, raft.Peer{ID: id})
		}
		slices.SortFunc(peers, func(a, b raft.Peer) int { return cmp.Compare(a.ID, b.ID) })
		if err := rn.Bootstrap(peers); err != nil {
			disk.close()
			return nil, fmt.Errorf("raftgroup: bootstrapping the voters: %w", err)
		}
	}
	g.core = newCore(cfg.ID, rn, g.clock, tm, &g.pub, g.logger)
	// Registered only now: received messages go to g.inbox.
	if err := cfg.Transport.addGroup(groupID, g, cfg.Peers); err != nil {
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
	if c.Clock == nil {
		c.Clock = bootclock.New()
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
	g.pub.appliedIndex.Store(g.queued)
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
// accepted it, not when it commits: commitment shows as Apply. An error
// other than ErrNotLeader, ErrProposalTooLarge or ErrClosed (ctx ended
// while the loop was busy) leaves it unknown whether raft took the entry.
func (g *Group) Propose(ctx context.Context, data []byte) error {
	if err := g.usable(); err != nil {
		return err
	}
	if len(data) > maxEntryBytes {
		return ErrProposalTooLarge
	}
	if !g.pub.isLeader.Load() {
		return ErrNotLeader
	}
	p := proposal{ctx: ctx, data: data, errc: make(chan error, 1)}
	select {
	case g.propc <- p:
	case <-ctx.Done():
		return ctx.Err() // never handed over: certainly not proposed
	case <-g.done:
		return g.closedErr()
	}
	select {
	case err := <-p.errc:
		return err
	case <-ctx.Done():
		return ctx.Err()
	case <-g.done:
		return g.closedErr()
	}
}

// ReadIndex is a linearizable read barrier: it returns once this node is
// the leader and has applied everything committed before the call. While
// the leader holds its lease (lease.go) that is immediate; otherwise the
// caller joins the next read round, a raft ReadIndex confirmed by a
// quorum. The lease is checked here, with a fresh clock reading, rather
// than by the loop: a paused process or a loop that fell behind cannot
// let a read through on a lease that has run out.
func (g *Group) ReadIndex(ctx context.Context) error {
	if err := g.usable(); err != nil {
		return err
	}
	if g.LeaseValid() {
		return nil
	}
	if !g.pub.isLeader.Load() {
		return ErrNotLeader
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
		return g.closedErr()
	}
}

// LeaseValid says whether this node holds the leader lease now and has
// applied every entry of earlier terms, so that its state answers a
// read linearizably without asking anyone.
func (g *Group) LeaseValid() bool {
	l := g.pub.lease.Load()
	return l.holds(g.clock.Now()) && g.pub.appliedTerm.Load() == l.term
}

// Leader is the known leader's id, 0 when none is known.
func (g *Group) Leader() uint64 { return g.pub.leader.Load() }

// Term is the current Raft term.
func (g *Group) Term() uint64 { return g.pub.term.Load() }

// IsLeader says whether this node is the group's leader as far as its
// loop knows. It is no lease: a paused or cut-off leader still says yes.
func (g *Group) IsLeader() bool { return g.pub.isLeader.Load() }

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
// node to and waits until it has. The leader gives up its lease first
// and takes none for the rest of its term, even if the transfer fails.
func (g *Group) TransferLeadership(ctx context.Context, to uint64) error {
	if err := g.usable(); err != nil {
		return err
	}
	if !g.pub.isLeader.Load() {
		return ErrNotLeader
	}
	if _, ok := g.cfg.Peers[to]; !ok {
		return fmt.Errorf("raftgroup: node %d is not a voter", to)
	}
	req := transferRequest{to: to, errc: make(chan error, 1)}
	select {
	case g.transferc <- req:
	case <-ctx.Done():
		return ctx.Err()
	case <-g.done:
		return g.closedErr()
	}
	select {
	case err := <-req.errc:
		if err != nil {
			return err
		}
	case <-ctx.Done():
		return ctx.Err()
	case <-g.done:
		return g.closedErr()
	}
	t := time.NewTicker(g.cfg.TickInterval)
	defer t.Stop()
	for g.Leader() != to {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-g.done:
			return g.closedErr()
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

// closedErr is the error of a call that found the loop gone: the fatal
// error that stopped it, or ErrClosed.
func (g *Group) closedErr() error {
	if err := g.usable(); err != nil {
		return err
	}
	return ErrClosed
}

// step queues a message received from a peer for the loop, waiting while
// the inbox is full.
func (g *Group) step(ctx context.Context, m raftpb.Message) error {
	select {
	case g.inbox <- m:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-g.done:
		return g.closedErr()
	}
}

// reportFailure tells raft (through the loop) that a message to m.To was
// not delivered.
func (g *Group) reportFailure(m raftpb.Message) {
	if m.Type == raftpb.MsgSnap {
		g.addReport(report{to: m.To, snapshot: true, status: raft.SnapshotFailure})
	}
	g.addReport(report{to: m.To})
}

func (g *Group) reportSnapshot(to uint64, st raft.SnapshotStatus) {
	g.addReport(report{to: to, snapshot: true, status: st})
}

// addReport queues a report for the loop. Reports are never dropped: a
// lost snapshot outcome would leave the follower's progress waiting.
// The queue is bounded by the messages the transport holds.
func (g *Group) addReport(r report) {
	g.reportMu.Lock()
	g.reports = append(g.reports, r)
	g.reportMu.Unlock()
	kick(g.reportc)
}

func kick(c chan struct{}) {
	select {
	case c <- struct{}{}:
	default:
	}
}

// putUint64 encodes a read round id.
func putUint64(v uint64) []byte { return binary.BigEndian.AppendUint64(nil, v) }
