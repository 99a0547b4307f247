package kv

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// ReplicatedLog is the commit log of a replicated store: a Raft group
// (a group of cluster/multiraft, through server's adapter). The store proposes each
// validated commit as entries and learns that it committed when the
// group applies it (ReplicaStore.Apply).
type ReplicatedLog interface {
	// Propose hands data to the log; it fails without effect if this
	// replica is not the leader.
	Propose(ctx context.Context, data []byte) error
	// ReadIndex returns once this replica is the leader and has applied
	// every entry committed before the call: a linearizable read point.
	// Both methods fail with an error matching ErrNotLeader when this
	// replica is not the leader.
	ReadIndex(ctx context.Context) error
}

// ReplicaConfig configures a store that is one replica of a Raft group.
type ReplicaConfig struct {
	LocalConfig
	// LeaderAddr returns the current leader's address for NotLeaderError
	// ("" if unknown). May be nil.
	LeaderAddr func() string
	// LogDir is where the replicated log lives, if not under Dir: its
	// filesystem's free space is guarded too (LocalConfig.MinFreeBytes).
	LogDir string
	// Clock is the node's hybrid logical clock, shared by the replicas
	// of all its partitions. Default: a clock of the store's own.
	Clock *Clock
	// MaxClockOffset, when set, bounds how far ahead of this node's
	// clock a timestamp another node's coordinator chose may be (a read
	// timestamp, a refresh or validation target): one beyond it is
	// refused rather than taken into the clock, so that one node's
	// broken clock cannot drag the others' along (checkRemoteTS).
	MaxClockOffset time.Duration
}

// replica is the replicated-mode state of a LocalStore: instead of the
// WAL writer, commits go through a ReplicatedLog, and every replica
// applies the committed entries in log order (ReplicaStore.Apply).
type replica struct {
	cfg ReplicaConfig
	// partition: the store is one partition of a partitioned keyspace
	// (OpenPartitionReplica), read by distributed transactions at
	// timestamps that other nodes' clocks chose, so garbage collection
	// and the conflict tracker keep some history (gcLag, pruneLag).
	partition bool
	log       ReplicatedLog // set by Attach

	// epoch counts leadership changes seen by this replica. A transaction
	// remembers the epoch it began in; if it changed by Commit, the
	// transaction fails with ErrConflict: commits applied in between by
	// another leader are not in this replica's conflict tracker, so the
	// transaction cannot be validated. Written under LocalStore.commitMu.
	epoch atomic.Uint64
	// term is canceled when leadership changes, ending a Propose that
	// waits for raft to know a leader: the proposer holds commitMu, which
	// LeaderChanged needs, and the group's loop (which calls
	// LeaderChanged) is what would find the new leader. Replaced under
	// commitMu together with the epoch.
	term atomic.Pointer[termContext]

	// waiting maps the commit timestamp of each of this replica's
	// in-flight proposals to its waiter. Guarded by mu.
	mu      sync.Mutex
	waiting map[Timestamp]*proposal

	// Owned by the apply goroutine (the group's loop): the commit or
	// prepare being reassembled from its chunks.
	assembling     *writeBuffer // another replica's commit, decoded
	local          *proposal    // or this replica's own, applied from its buffer
	assemblingTS   Timestamp
	assemblingKind byte   // walFormat or entryPrepare
	assemblingHead []byte // a prepare's header
	// metaWritten is the highest version a transaction-state metadata
	// write used (txnapply.go's writeMeta).
	metaWritten Timestamp

	// Distributed transactions (txnapply.go), guarded by txnMu: the
	// prepared parts this replica holds, the transaction records of the
	// transactions whose record partition this is, and the callers
	// waiting for a txnOp entry of a transaction to apply.
	txnMu      sync.Mutex
	prepared   map[TxnID]*preparedTxn
	records    map[TxnID]TxnOutcome
	txnWaiters map[uint64]chan txnAnswer
	// The last fully applied commit: its final chunk's index and its
	// timestamp. Written by the apply goroutine, read by checkpoints and
	// snapshots.
	appliedMu    sync.Mutex
	appliedIndex uint64
	appliedTS    Timestamp
	// checkpointed is the applied index of the last checkpoint (durable
	// in badger); the log may drop entries up to the previous one.
	checkpointed atomic.Uint64
	appliedBytes atomic.Int64 // entry bytes applied since the last checkpoint
	compact      func(index uint64)
}

// termContext is a context that lives as long as one leadership epoch.
type termContext struct {
	ctx    context.Context
	cancel context.CancelFunc
}

func newTermContext() *termContext {
	ctx, cancel := context.WithCancel(context.Background())
	return &termContext{ctx: ctx, cancel: cancel}
}

// proposal is a commit of this replica between its proposal and its
// application.
type proposal struct {
	buf     *writeBuffer
	pending *pendingCommit
	rec     *commitRecord // in the conflict tracker
	prep    *preparedTxn  // a prepared part, not a commit
	done    chan error    // buffered 1: nil once applied; ErrCommitUnknown if leadership was lost first
}

// answer tells the proposer its commit's outcome; only the first answer
// counts (LeaderChanged and Apply may both answer one commit).
func (p *proposal) answer(err error) {
	select {
	case p.done <- err:
	default:
	}
}

func newReplica(cfg ReplicaConfig) *replica {
	r := &replica{
		cfg:        cfg,
		waiting:    make(map[Timestamp]*proposal),
		prepared:   make(map[TxnID]*preparedTxn),
		records:    make(map[TxnID]TxnOutcome),
		txnWaiters: make(map[uint64]chan txnAnswer),
	}
	r.term.Store(newTermContext())
	return r
}

// OpenReplica opens (creating if needed) the store in cfg.Dir as one
// replica of a replicated log. It serves nothing until Attach.
func OpenReplica(cfg ReplicaConfig) (*LocalStore, error) {
	r := newReplica(cfg)
	return open(cfg.LocalConfig, r)
}

// OpenPartitionReplica opens the store of partition p, one replica of
// the partition's Raft group, on eng, the engine the node's partitions
// share: its keys are stored under PartitionPrefix(p). cfg.Dir is the
// directory whose free space the store guards (usually eng's). Close
// leaves eng open for the other partitions.
func OpenPartitionReplica(eng *Engine, p uint32, cfg ReplicaConfig) (*LocalStore, error) {
	r := newReplica(cfg)
	r.partition = true
	return openOn(eng, PartitionPrefix(p), cfg.LocalConfig, r)
}

// Attach connects the store to its log; compact is called with an index
// through which the log may drop entries (everything up to it is durable
// in badger). Call it once, before any Begin.
func (s *LocalStore) Attach(log ReplicatedLog, compact func(index uint64)) {
	s.repl.log = log
	s.repl.compact = compact
}

// LeaderChanged tells the store that its group's leader or term changed.
// Every transaction begun before it will fail at Commit, and commits
// still waiting for their entries end with ErrCommitUnknown: an entry
// proposed in the old term may or may not commit under the new leader.
// It may run concurrently with Apply: a commit that Apply takes from the
// waiting set just before is answered by whichever of the two answers
// first (proposal.answer).
func (s *LocalStore) LeaderChanged() {
	r := s.repl
	r.term.Load().cancel()
	s.commitMu.Lock()
	r.epoch.Add(1)
	r.term.Store(newTermContext())
	s.commitMu.Unlock()
	r.mu.Lock()
	waiting := r.waiting
	r.waiting = make(map[Timestamp]*proposal)
	r.mu.Unlock()
	for _, p := range waiting {
		p.answer(fmt.Errorf("%w: leadership changed before the commit was applied", ErrCommitUnknown))
	}
	// The abandoned commits will never be marked applied here: let the
	// watermark follow the log from now on.
	s.wm.abandon()
	// Prepared parts still hold visibility below their timestamps, and
	// the callers of txnOps learn nothing more from this replica.
	s.leaderChangedTxns()
}

// beginReplica is Begin's check in replicated mode: this replica must be
// the leader and have applied everything committed so far.
func (s *LocalStore) beginReplica(ctx context.Context) (uint64, error) {
	r := s.repl
	if r.log == nil {
		return 0, s.notLeader()
	}
	epoch := r.epoch.Load()
	if err := r.log.ReadIndex(ctx); err != nil {
		if errors.Is(err, ErrNotLeader) {
			return 0, s.notLeader()
		}
		if ctx.Err() != nil {
			return 0, ctx.Err()
		}
		return 0, fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	return epoch, nil
}

func (s *LocalStore) notLeader() error {
	e := &NotLeaderError{}
	if s.repl.cfg.LeaderAddr != nil {
		e.Leader = s.repl.cfg.LeaderAddr()
	}
	return e
}
