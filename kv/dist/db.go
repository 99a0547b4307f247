package dist

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/quorumdb/quorumdb/kv"
)

// Participant is a partition's leaseholder as a coordinator reaches it:
// the partition's kv.LocalStore on this node, or a client of the node
// that leads it. Its methods are those of kv.LocalStore.
type Participant interface {
	BeginAt(ctx context.Context, readTS kv.Timestamp, opts kv.TxnOptions) (kv.ParticipantTxn, error)
	Resolve(ctx context.Context, id kv.TxnID, commit bool, ts kv.Timestamp) error
	Decide(ctx context.Context, id kv.TxnID, commit bool, ts kv.Timestamp) (kv.TxnOutcome, error)
	Forget(ctx context.Context, id kv.TxnID) error
}

// FirstOpBeginner is a Participant that can begin a part and run its
// first operation in one round trip (a remote leaseholder,
// remote.Participant.BeginWith): a point read through a node that does
// not hold the row's lease then costs one round trip, not two.
type FirstOpBeginner interface {
	BeginWith(beginCtx, opCtx context.Context, readTS kv.Timestamp, opts kv.TxnOptions, first func(kv.ParticipantTxn) error) (part kv.ParticipantTxn, opErr, err error)
}

// Partitions is the coordinator's map of the keyspace.
type Partitions interface {
	// Of returns the partition holding key (KeyPlacement).
	Of(key []byte) (uint32, error)
	// Spanning returns, in ascending order, every partition that may
	// hold a key in [start, end) (nil end: no bound).
	Spanning(start, end []byte) []uint32
	// Leaseholder returns partition p's leaseholder. It may fail with
	// kv.ErrUnavailable (no leader known for now).
	Leaseholder(ctx context.Context, p uint32) (Participant, error)
}

// Config configures a DB.
type Config struct {
	Partitions Partitions
	// Clock is the node's hybrid logical clock; read timestamps come
	// from it.
	Clock *kv.Clock
	// MaxClockOffset is the most any two nodes' clocks may differ: a
	// commit that finished before a transaction began may carry a
	// timestamp up to this much above its read timestamp. 0 when every
	// participant shares the coordinator's clock (tests in one process).
	MaxClockOffset time.Duration
	// LeaderWait bounds how long an operation retries a partition whose
	// leader moved or is unknown. Default 10 s.
	LeaderWait time.Duration
}

// DB is the kv.DB of a partitioned keyspace: every transaction is
// coordinated here, by the node its client is connected to, and runs
// its parts on the partitions' leaseholders.
type DB struct {
	cfg Config

	// Background work (the resolution of committed transactions' parts):
	// bgCtx ends at Close, which waits for bg.
	bgCtx    context.Context
	bgCancel context.CancelFunc
	bg       sync.WaitGroup
	bgMu     sync.Mutex
	closed   bool // guarded by bgMu

	stats stats
}

// Stats counts what the coordinator did: commits by kind, and
// transaction restarts (ErrConflict, ErrDeadlock returned) and read
// timestamp moves by cause.
type Stats struct {
	OnePhaseCommits uint64 // committed in one partition, one proposal
	TwoPhaseCommits uint64 // committed through a transaction record
	// Restarts by cause: a part's validation or refresh failed, a
	// partition's recovery aborted the transaction first, a lock wait
	// closed a cycle (or gave way to an older transaction), a prepare
	// was interrupted.
	ConflictRestarts, RecoveryRestarts, DeadlockRestarts, PrepareRestarts uint64
	// ReadMoves counts moves of a transaction's read timestamp: a lock
	// on a key changed since the snapshot, or a commit in a partition's
	// uncertainty window.
	ReadMoves uint64
	// RecoveredParts counts abandoned parts Recover resolved.
	RecoveredParts uint64
	// BusyWaits counts the answers of leaders still applying earlier
	// commits (kv.ErrBusy), after which a part's begin was asked again.
	BusyWaits uint64
}

type stats struct {
	onePhase, twoPhase                                  atomic.Uint64
	conflicts, recoveryAborts, deadlocks, prepareAborts atomic.Uint64
	readMoves, recovered, busyWaits                     atomic.Uint64
}

// Stats returns the coordinator's counters.
func (db *DB) Stats() Stats {
	return Stats{
		OnePhaseCommits: db.stats.onePhase.Load(), TwoPhaseCommits: db.stats.twoPhase.Load(),
		ConflictRestarts: db.stats.conflicts.Load(), RecoveryRestarts: db.stats.recoveryAborts.Load(),
		DeadlockRestarts: db.stats.deadlocks.Load(), PrepareRestarts: db.stats.prepareAborts.Load(),
		ReadMoves: db.stats.readMoves.Load(), RecoveredParts: db.stats.recovered.Load(),
		BusyWaits: db.stats.busyWaits.Load(),
	}
}

var _ kv.DB = (*DB)(nil)

// New returns a DB over cfg.Partitions.
func New(cfg Config) (*DB, error) {
	if cfg.Partitions == nil || cfg.Clock == nil {
		return nil, errors.New("dist: Config.Partitions and Config.Clock are required")
	}
	if cfg.LeaderWait == 0 {
		cfg.LeaderWait = 10 * time.Second
	}
	db := &DB{cfg: cfg}
	db.bgCtx, db.bgCancel = context.WithCancel(context.Background())
	return db, nil
}

// Close stops the background resolutions and waits for them. A part
// left unresolved is resolved by its partition's recovery (Recover).
func (db *DB) Close() {
	db.bgMu.Lock()
	db.closed = true
	db.bgMu.Unlock()
	db.bgCancel()
	db.bg.Wait()
}

// background runs f on a goroutine the DB owns, with a context that
// Close ends; after Close, f does not run (recovery resolves instead).
func (db *DB) background(f func(ctx context.Context)) {
	db.bgMu.Lock()
	defer db.bgMu.Unlock()
	if db.closed {
		return
	}
	db.bg.Add(1)
	go func() {
		defer db.bg.Done()
		f(db.bgCtx)
	}()
}

// Begin implements kv.DB. Nothing is sent anywhere until the
// transaction touches a partition.
func (db *DB) Begin(ctx context.Context, opts kv.TxnOptions) (kv.Txn, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	readTS := db.cfg.Clock.Now()
	opts.ID, opts.Start = kv.NewTxnID(), readTS
	opts.UncertaintyLimit = kv.MakeTimestamp(readTS.Physical()+db.cfg.MaxClockOffset.Milliseconds(), readTS.Logical())
	return &txn{
		db:     db,
		opts:   opts,
		readTS: readTS,
		parts:  make(map[uint32]*part),
	}, nil
}

// retryable reports whether a call failed because the partition's
// leader moved or is not known yet, so that the call may go to the new
// one.
func retryable(err error) bool {
	return errors.Is(err, kv.ErrNotLeader) || errors.Is(err, kv.ErrUnavailable)
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// onLeaseholder runs call on partition p's leaseholder, again (on the
// next one) while no leader is known or the leadership moves, for at
// most LeaderWait in all: call gets a context that ends then, so a
// leaseholder that does not answer (paused, cut off) costs no more.
// Past LeaderWait the error is kv.ErrUnavailable. call must be
// idempotent.
//
// A leader that answers kv.ErrBusy is at work (applying commits the call
// must wait for): the call is made again with LeaderWait afresh, for as
// long as ctx allows.
func (db *DB) onLeaseholder(ctx context.Context, p uint32, call func(context.Context, Participant) error) error {
	for {
		err := db.onLeaseholderWithin(ctx, p, call)
		if !errors.Is(err, kv.ErrBusy) {
			return err
		}
		db.stats.busyWaits.Add(1)
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
}

// onLeaseholderWithin is onLeaseholder within one LeaderWait.
func (db *DB) onLeaseholderWithin(ctx context.Context, p uint32, call func(context.Context, Participant) error) error {
	cctx, cancel := context.WithTimeoutCause(ctx, db.cfg.LeaderWait, errLeaderWait)
	defer cancel()
	var err error
	for backoff := 5 * time.Millisecond; ; backoff = min(2*backoff, 200*time.Millisecond) {
		var lh Participant
		if lh, err = db.cfg.Partitions.Leaseholder(cctx, p); err == nil {
			err = call(cctx, lh)
		} else {
			err = fmt.Errorf("dist: partition %d: %w", p, err)
		}
		if err == nil || (!retryable(err) && cctx.Err() == nil) {
			return err
		}
		if cctx.Err() == nil {
			err = sleep(cctx, backoff)
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if context.Cause(cctx) == errLeaderWait {
			// The partition has no leader this node can reach: no
			// quorum, as far as the client can tell (08006).
			return fmt.Errorf("%w: no leader of partition %d answered within %s: %v", kv.ErrUnavailable, p, db.cfg.LeaderWait, err)
		}
	}
}

// errLeaderWait is the cause of onLeaseholder's bound running out.
var errLeaderWait = errors.New("dist: leader wait ran out")
