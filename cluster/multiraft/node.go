package multiraft

import (
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
	"github.com/quorumdb/quorumdb/cluster/raftlog"
	"github.com/quorumdb/quorumdb/internal/bootclock"
)

// ErrClosed is returned by calls on a closed node, or one whose loop
// stopped on an error (Err says which).
var ErrClosed = errors.New("multiraft: node is closed")

// ErrProposalTooLarge is returned by Propose for data that could not
// travel to the followers in one gRPC message.
var ErrProposalTooLarge = fmt.Errorf("multiraft: proposal larger than %d bytes", MaxProposalBytes)

// StateMachine receives one group's committed log. Apply is called from
// the group's applier goroutine, in log order; Snapshot from the node's
// loop while the applier may be applying (it must be safe for that);
// Restore from the loop once the applier drained; AppliedIndex at Start.
type StateMachine interface {
	// Apply applies the data of one committed normal entry (empty
	// entries and conf changes are never passed). An error is fatal: the
	// node stops and every later call returns it.
	Apply(index uint64, data []byte) error
	// AppliedIndex is the last index whose effect is durable in the
	// state machine; entries above it are applied again after a restart
	// (Apply must be idempotent for them).
	AppliedIndex() uint64
	// Snapshot returns the full state for a follower that fell behind
	// the compacted log, and the index it reflects.
	Snapshot() (data []byte, index uint64, err error)
	// Restore replaces the state with snapshot data taken at index.
	Restore(data []byte, index uint64) error
}

// SnapshotValidator is implemented by a StateMachine that can check
// snapshot data before anything is replaced; the transport refuses a
// snapshot it rejects. Called from the transport's goroutines.
type SnapshotValidator interface {
	ValidateSnapshot(data []byte, index uint64) error
}

// GroupSpec is one group this node replicates.
type GroupSpec struct {
	ID     uint64
	Voters []uint64 // node ids, this node included; fixed
	SM     StateMachine
	// Preferred is the node that should lead the group when healthy
	// (GroupConfig.Preferred); 0: none.
	Preferred uint64
}

// NodeConfig configures a node's multi-raft.
type NodeConfig struct {
	ID        uint64
	Store     *raftlog.Store // every group's log, hard state and snapshot metadata
	Transport *Transport
	Groups    []GroupSpec
	Logger    *slog.Logger
	// Clock defaults to the machine's boot-time clock.
	Clock          Clock
	TickInterval   time.Duration // default 100ms
	ElectionTicks  int           // default 10
	HeartbeatTicks int           // default 1
	// CompactionSlack is how many entries Compact keeps below the index
	// it is given, so that a briefly slow follower still gets appends
	// rather than a snapshot. Default 1000.
	CompactionSlack uint64
	// OnLeaderChange is called from the loop whenever a group's known
	// leader or term changes (leader 0: none known). Must not block.
	OnLeaderChange func(group, leader, term uint64)
	// AcceptEntries, when set, is asked before a follower takes new log
	// entries or a snapshot: while it fails (the disk is below its
	// free-space reserve) they are dropped, and the replica lags instead
	// of failing a log write, which would stop the node. raft's leader
	// sends them again once heartbeats get answered.
	AcceptEntries func() error
}

// Node runs a node's groups: one loop goroutine owns the Core, the log
// store's writes and the hand-off to one applier goroutine per group.
type Node struct {
	cfg    NodeConfig
	logger *slog.Logger
	clock  Clock
	core   *Core // the loop's
	groups map[uint64]*groupState
	// unwilling is SetUnwilling's, passed to the core at every tick.
	unwilling atomic.Bool

	inbox     chan *Batch // batches with appends or snapshots
	controlc  chan *Batch // the other batches: beats, heartbeats, votes, answers
	propc     chan proposal
	readc     chan readRequest
	transferc chan transferRequest
	reportc   chan report
	compactc  chan compactRequest

	stop     chan struct{}
	done     chan struct{}
	stopOnce sync.Once
	errMu    sync.Mutex
	err      error

	// hardStates is the newest hard state raft gave each group, and
	// savedVotes the term and vote last persisted: a hard state whose
	// term and vote did not change is written only along with entries,
	// a snapshot or a compaction (handleReady).
	hardStates map[uint64]raftpb.HardState
	savedVotes map[uint64]raftpb.HardState

	// The loop's read rounds in flight, per group.
	readSeq uint64
	reads   map[uint64][]*pendingRead
	tick    uint64

	limiter   peerlink.LogLimiter
	proposals atomic.Uint64 // accepted by raft as leader
}

// groupState is what the loop publishes about a group for the other
// goroutines, and the group's applier.
type groupState struct {
	id     uint64
	sm     StateMachine
	voters []uint64

	leader  atomic.Uint64
	term    atomic.Uint64
	leading atomic.Bool
	lease   atomic.Pointer[Lease]
	applied atomic.Uint64 // the last index the applier handled

	appliedMu sync.Mutex
	appliedCh chan struct{} // closed when applied moves; guarded by appliedMu

	applyq      chan applyTask
	applierDone chan struct{}
}

type applyTask struct {
	entries []raftpb.Entry
	drained chan struct{} // non-nil: a barrier, closed once everything before it is applied
}

type proposal struct {
	group uint64
	data  []byte
	done  chan error
}

type readRequest struct {
	group uint64
	done  chan readResult
}

type readResult struct {
	index uint64
	err   error
}

type pendingRead struct {
	ctx      []byte
	done     chan readResult
	deadline uint64 // tick after which raft is deemed to have dropped it
}

type transferRequest struct {
	group, to uint64
	done      chan error
}

type report struct {
	group, to uint64
	snapshot  bool
	status    raft.SnapshotStatus
}

type compactRequest struct {
	group, index uint64
}

// Start opens every group from the store, attaches to the transport and
// starts the loop and the appliers. A group whose state machine is
// behind a snapshot the store kept (a crash between receiving it and
// restoring it) is restored from it first.
func Start(cfg NodeConfig) (*Node, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Clock == nil {
		cfg.Clock = bootclock.New()
	}
	if cfg.CompactionSlack == 0 {
		cfg.CompactionSlack = 1000
	}
	if cfg.Store == nil || cfg.Transport == nil {
		return nil, errors.New("multiraft: Store and Transport must be set")
	}
	core, err := New(Config{NodeID: cfg.ID, Clock: cfg.Clock, Logger: cfg.Logger, TickInterval: cfg.TickInterval,
		ElectionTicks: cfg.ElectionTicks, HeartbeatTicks: cfg.HeartbeatTicks})
	if err != nil {
		return nil, err
	}
	cfg.TickInterval = core.cfg.TickInterval
	n := &Node{
		cfg: cfg, logger: cfg.Logger.With("component", "multiraft"), clock: cfg.Clock, core: core,
		groups:    make(map[uint64]*groupState, len(cfg.Groups)),
		inbox:     make(chan *Batch, 256),
		controlc:  make(chan *Batch, 256),
		propc:     make(chan proposal, 1024),
		readc:     make(chan readRequest, 1024),
		transferc: make(chan transferRequest),
		reportc:   make(chan report, 4096),
		compactc:  make(chan compactRequest, 256),
		stop:      make(chan struct{}),
		done:      make(chan struct{}),
		reads:     make(map[uint64][]*pendingRead),

		hardStates: make(map[uint64]raftpb.HardState),
		savedVotes: make(map[uint64]raftpb.HardState),
	}
	for _, spec := range cfg.Groups {
		if err := n.openGroup(spec); err != nil {
			return nil, err
		}
	}
	if err := cfg.Transport.attach(n); err != nil {
		return nil, err
	}
	for _, gs := range n.groups {
		go gs.runApplier(n)
	}
	go n.run()
	return n, nil
}

func (n *Node) openGroup(spec GroupSpec) error {
	if _, dup := n.groups[spec.ID]; dup {
		return fmt.Errorf("multiraft: group %d given twice", spec.ID)
	}
	st, err := n.cfg.Store.Storage(spec.ID)
	if err != nil {
		return fmt.Errorf("multiraft: group %d: %w", spec.ID, err)
	}
	data, meta, err := n.cfg.Store.SnapshotData(spec.ID)
	if err != nil {
		return fmt.Errorf("multiraft: group %d: %w", spec.ID, err)
	}
	if data != nil && spec.SM.AppliedIndex() < meta.Index {
		if err := spec.SM.Restore(data, meta.Index); err != nil {
			return fmt.Errorf("multiraft: group %d: restoring the snapshot at %d: %w", spec.ID, meta.Index, err)
		}
	}
	hs, _, err := st.InitialState()
	if err != nil {
		return fmt.Errorf("multiraft: group %d: %w", spec.ID, err)
	}
	n.hardStates[spec.ID], n.savedVotes[spec.ID] = hs, hs
	if err := n.core.AddGroup(GroupConfig{Group: spec.ID, Voters: spec.Voters, Storage: st, Preferred: spec.Preferred}); err != nil {
		return err
	}
	gs := &groupState{id: spec.ID, sm: spec.SM, voters: slices.Clone(spec.Voters),
		appliedCh: make(chan struct{}), applyq: make(chan applyTask, 64), applierDone: make(chan struct{})}
	gs.applied.Store(spec.SM.AppliedIndex())
	n.groups[spec.ID] = gs
	return nil
}

// Propose hands data to the group's raft as a new entry. It returns once
// raft took it (ErrNotLeader unless this node leads the group); the
// caller learns of the commit from its state machine.
func (n *Node) Propose(ctx context.Context, group uint64, data []byte) error {
	if len(data) > MaxProposalBytes {
		return ErrProposalTooLarge
	}
	if n.groups[group] == nil {
		return fmt.Errorf("multiraft: group %d: %w", group, ErrNoGroup)
	}
	p := proposal{group: group, data: data, done: make(chan error, 1)}
	select {
	case n.propc <- p:
	case <-ctx.Done():
		return ctx.Err()
	case <-n.done:
		return n.closedErr()
	}
	// The caller's ctx ends the wait too: the loop may be calling back
	// into the caller's layer (OnLeaderChange) and waiting for a lock
	// this caller holds; kv's committer, for one, cancels its ctx when
	// leadership changes. The proposal may still reach raft: a commit
	// that gave up here is of unknown outcome to the caller.
	select {
	case err := <-p.done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	case <-n.done:
		return n.closedErr()
	}
}

// ReadIndex returns once a linearizable read of the group may be served
// from its state machine: at once while this node holds the group's
// lease (and has applied its term's first entry), otherwise after a
// read index confirmed by a quorum is applied here.
func (n *Node) ReadIndex(ctx context.Context, group uint64) error {
	gs := n.groups[group]
	if gs == nil {
		return fmt.Errorf("multiraft: group %d: %w", group, ErrNoGroup)
	}
	if n.LeaseValid(group) {
		return nil
	}
	req := readRequest{group: group, done: make(chan readResult, 1)}
	select {
	case n.readc <- req:
	case <-ctx.Done():
		return ctx.Err()
	case <-n.done:
		return n.closedErr()
	}
	var res readResult
	select {
	case res = <-req.done:
	case <-ctx.Done():
		return ctx.Err()
	case <-n.done:
		return n.closedErr()
	}
	if res.err != nil {
		return res.err
	}
	return gs.waitApplied(ctx, res.index, n.done)
}

// LeaseValid says whether this node may serve a read of the group from
// its own state right now.
func (n *Node) LeaseValid(group uint64) bool {
	gs := n.groups[group]
	if gs == nil {
		return false
	}
	l := gs.lease.Load()
	return l != nil && n.clock.Now() < l.Expires && gs.applied.Load() >= l.MinApplied && gs.term.Load() == l.Term
}

// Leader is the group's leader as this node knows it (0: none known).
func (n *Node) Leader(group uint64) uint64 {
	if gs := n.groups[group]; gs != nil {
		return gs.leader.Load()
	}
	return 0
}

// Term is the group's current term as this node knows it.
func (n *Node) Term(group uint64) uint64 {
	if gs := n.groups[group]; gs != nil {
		return gs.term.Load()
	}
	return 0
}

// SetUnwilling asks the other nodes not to hand this node the
// leadership of groups that prefer it (Core.SetUnwilling), e.g. while its
// clock is off.
func (n *Node) SetUnwilling(unwilling bool) { n.unwilling.Store(unwilling) }

// IsLeader says whether this node leads the group (as of the last cycle;
// not a lease).
func (n *Node) IsLeader(group uint64) bool {
	gs := n.groups[group]
	return gs != nil && gs.leading.Load()
}

// AppliedIndex is the last index of the group this node applied.
func (n *Node) AppliedIndex(group uint64) uint64 {
	if gs := n.groups[group]; gs != nil {
		return gs.applied.Load()
	}
	return 0
}

// Compact tells the node that the group's state machine holds everything
// through index durably: the log is cut CompactionSlack entries below it.
func (n *Node) Compact(group, index uint64) {
	select {
	case n.compactc <- compactRequest{group: group, index: index}:
	default: // the next call asks again
	}
}

// TransferLeadership asks the group's leader (this node) to hand
// leadership to node to and waits until it has. The leader gives up its
// lease first and takes none for the rest of its term, even if the
// transfer fails.
func (n *Node) TransferLeadership(ctx context.Context, group, to uint64) error {
	gs := n.groups[group]
	if gs == nil {
		return fmt.Errorf("multiraft: group %d: %w", group, ErrNoGroup)
	}
	if !slices.Contains(gs.voters, to) {
		return fmt.Errorf("multiraft: group %d: node %d is not a voter", group, to)
	}
	req := transferRequest{group: group, to: to, done: make(chan error, 1)}
	select {
	case n.transferc <- req:
	case <-ctx.Done():
		return ctx.Err()
	case <-n.done:
		return n.closedErr()
	}
	select {
	case err := <-req.done:
		if err != nil {
			return err
		}
	case <-ctx.Done():
		return ctx.Err()
	case <-n.done:
		return n.closedErr()
	}
	t := time.NewTicker(n.cfg.TickInterval)
	defer t.Stop()
	for gs.leader.Load() != to {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-n.done:
			return n.closedErr()
		case <-t.C:
		}
	}
	return nil
}

// GroupsLed counts the groups this node leads (as of the last cycle).
func (n *Node) GroupsLed() int {
	k := 0
	for _, gs := range n.groups {
		if gs.leading.Load() {
			k++
		}
	}
	return k
}

// Proposals counts the proposals raft accepted on this node as leader.
func (n *Node) Proposals() uint64 { return n.proposals.Load() }

// Err is the error that stopped the node, if any.
func (n *Node) Err() error {
	n.errMu.Lock()
	defer n.errMu.Unlock()
	return n.err
}

func (n *Node) closedErr() error {
	if err := n.Err(); err != nil {
		return err
	}
	return ErrClosed
}

// Close stops the loop and the appliers and detaches from the transport.
// The store and the transport stay open: they are the caller's.
func (n *Node) Close() error {
	n.stopOnce.Do(func() { close(n.stop) })
	<-n.done
	n.cfg.Transport.detach(n)
	return nil
}

// deliver hands a received batch to the loop, waiting while its inbox
// is full (the stream then stops reading, and the sender's queue fills):
// the data inbox for appends and snapshots, the control inbox for the
// rest (the transport's lanes).
func (n *Node) deliver(ctx context.Context, b *Batch, data bool) error {
	inbox := n.controlc
	if data {
		inbox = n.inbox
	}
	select {
	case inbox <- b:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-n.done:
		return ErrClosed
	}
}

// reportUndelivered queues reports for the raft messages of a batch that
// did not get through; a report that does not fit is dropped (raft
// retries regardless, only later).
func (n *Node) reportUndelivered(b *Batch) {
	for _, m := range b.Messages {
		r := report{group: m.Group, to: b.To}
		if m.Msg.Type == raftpb.MsgSnap {
			r.snapshot, r.status = true, raft.SnapshotFailure
		}
		select {
		case n.reportc <- r:
		default:
		}
	}
}

func (n *Node) reportSnapshot(group, to uint64, status raft.SnapshotStatus) {
	select {
	case n.reportc <- report{group: group, to: to, snapshot: true, status: status}:
	default:
	}
}

// checkSnapshot refuses a received snapshot before raft sees it: it must
// come from the node this one knows as the group's leader, and satisfy
// the state machine's validator if it has one.
func (n *Node) checkSnapshot(group, from uint64, m raftpb.Message) error {
	gs := n.groups[group]
	if gs == nil {
		return fmt.Errorf("multiraft: snapshot for group %d, which is not here", group)
	}
	if lead := gs.leader.Load(); lead != from {
		return fmt.Errorf("multiraft: group %d: snapshot from node %d, which this node does not know as the leader (%d)", group, from, lead)
	}
	// Refused rather than dropped: the sender then reports the snapshot
	// failed, and raft's leader retries later instead of waiting for it.
	if accept := n.cfg.AcceptEntries; accept != nil {
		if err := accept(); err != nil {
			return fmt.Errorf("multiraft: not taking a snapshot now: %w", err)
		}
	}
	if v, ok := gs.sm.(SnapshotValidator); ok {
		if err := v.ValidateSnapshot(m.Snapshot.Data, m.Snapshot.Metadata.Index); err != nil {
			return fmt.Errorf("multiraft: group %d: snapshot at %d from node %d: %w", group, m.Snapshot.Metadata.Index, from, err)
		}
	}
	return nil
}

func readCtx(seq uint64) []byte { return binary.BigEndian.AppendUint64(nil, seq) }
