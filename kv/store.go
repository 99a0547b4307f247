package kv

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// metaApplied is the key of the applied marker: every commit at or below
// its value is durable in badger, so replay starts after it. It lives in
// the reserved 0x00 space, which no Txn can read or write.
var metaApplied = []byte("\x00applied")

// minUserKey is the lowest key a Txn may use; scans are clamped to it.
var minUserKey = []byte{0x01}

// LocalStore is the single-node transactional store: MVCC versions in a
// badger opened in managed mode (versions are our commit timestamps), a
// redo WAL made durable before Commit returns, optimistic serializable
// validation, and pessimistic write locks with read refresh. It
// implements DB. See doc.go for the commit pipeline, locking and
// recovery.
type LocalStore struct {
	cfg    LocalConfig
	logger *slog.Logger
	eng    *Engine
	owned  bool       // the store opened eng and closes it
	prefix []byte     // of every key in eng (PartitionPrefix), or none
	db     *badger.DB // eng's
	wal    *walWriter // nil in replicated mode
	repl   *replica   // nil unless replicated (replica.go)
	clock  *Clock
	wm     watermark
	active activeSet
	locks  *lockTable // write locks of open transactions; see lock.go
	hot    *hotKeys   // newest versions of system keys; see hotkeys.go
	disk   *diskGuard // refuses commits below the free-space reserve; see diskspace.go

	// commitMu makes validation, timestamp assignment and the hand-off to
	// the WAL writer one atomic step; the fsync happens outside it.
	commitMu  sync.Mutex
	conflicts conflictTracker // guarded by commitMu
	// Changes to conflicts queued by the apply goroutine (txnapply.go).
	trackerMu  sync.Mutex
	trackerOps []trackerOp // guarded by trackerMu

	// closeMu is held shared by every operation that touches badger or the
	// WAL and exclusively by Close, so Close waits for in-flight commits
	// and nothing touches a closed badger.
	closeMu sync.RWMutex
	closed  bool // guarded by closeMu

	// failure is set once when a commit fails after its timestamp was
	// assigned (WAL or badger error). The store then refuses work: see
	// doc.go, "Failures".
	failure atomic.Pointer[error]

	// recent holds the timestamps of the latest commits applied
	// (replicated mode), for BeginAt's uncertainty check.
	recent recentCommits

	// gcThreshold is the discard timestamp last given to the engine (a
	// partition's; see collectGarbage): BeginAt refuses reading below it.
	gcThreshold atomic.Uint64

	// checkpoint state, owned by the maintenance goroutine (and by Open
	// and Close when it is not running)
	lastCheckpoint Timestamp // applied marker written by the last checkpoint

	kick chan struct{} // buffered 1: the WAL asks for a checkpoint
	stop chan struct{} // closed by Close to stop maintenance
	wg   sync.WaitGroup

	stats storeStats
}

var _ DB = (*LocalStore)(nil)

// Open opens (creating if needed) the store in cfg.Dir, replaying the WAL
// over badger so every commit that returned before a crash is there.
func Open(cfg LocalConfig) (*LocalStore, error) {
	return open(cfg, nil)
}

// open opens the store; with repl nil the WAL is the commit log,
// otherwise a replicated log attached later (OpenReplica).
func open(cfg LocalConfig, repl *replica) (*LocalStore, error) {
	return openOn(nil, nil, cfg, repl)
}

// openOn opens a store on eng with keys under prefix, or, with eng nil,
// on an engine of its own in cfg.Dir/data that Close closes.
func openOn(eng *Engine, prefix []byte, cfg LocalConfig, repl *replica) (*LocalStore, error) {
	cfg = cfg.WithDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	logger := cfg.Logger.With("component", "kv")
	if err := os.MkdirAll(cfg.Dir, 0o750); err != nil {
		return nil, fmt.Errorf("kv: creating %s: %w", cfg.Dir, err)
	}
	owned := eng == nil
	if owned {
		var err error
		eng, err = OpenEngine(EngineConfig{
			Dir:             engineDir(cfg.Dir),
			Logger:          cfg.Logger,
			NoSync:          cfg.NoSync,
			MemTableBytes:   cfg.MemTableBytes,
			BlockCacheBytes: cfg.BlockCacheBytes,
		})
		if err != nil {
			return nil, err
		}
	}
	db := eng.db
	clock := NewClock()
	if repl != nil && repl.cfg.Clock != nil {
		clock = repl.cfg.Clock
	}
	guarded := []string{cfg.Dir}
	if repl != nil && repl.cfg.LogDir != "" {
		guarded = append(guarded, repl.cfg.LogDir)
	}
	s := &LocalStore{
		cfg:    cfg,
		logger: logger,
		eng:    eng,
		owned:  owned,
		prefix: prefix,
		db:     db,
		disk:   newDiskGuard(cfg.MinFreeBytes, logger, guarded...),
		clock:  clock,
		active: activeSet{counts: make(map[Timestamp]int)},
		locks:  newLockTable(&eng.waitMu),
		hot:    newHotKeys(),
		kick:   make(chan struct{}, 1),
		stop:   make(chan struct{}),
		repl:   repl,
	}
	if err := eng.attach(s); err != nil {
		s.closeEngine()
		return nil, err
	}
	if repl != nil {
		if err := s.recoverReplica(); err != nil {
			s.closeEngine()
			return nil, err
		}
		s.wg.Add(1)
		go s.maintain()
		return s, nil
	}
	log, err := openWAL(filepath.Join(cfg.Dir, "wal"), logger)
	if err != nil {
		s.closeEngine()
		return nil, err
	}
	s.wal = &walWriter{
		log:       log,
		noSync:    cfg.NoSync,
		logger:    logger,
		reqs:      make(chan *walRequest, 1024),
		done:      make(chan struct{}),
		kick:      s.kickCheckpoint,
		ckptBytes: cfg.CheckpointBytes,
	}
	if err := s.recover(); err != nil {
		_ = log.Close()
		s.closeEngine()
		return nil, err
	}
	go s.wal.run()
	s.wg.Add(1)
	go s.maintain()
	return s, nil
}

// Close stops the store: new operations fail with ErrClosed, in-flight
// commits finish, a final checkpoint is written, and badger and the WAL
// are closed. Transactions still open fail with ErrClosed; Rollback on
// them is harmless. Close is idempotent.
func (s *LocalStore) Close() error {
	s.closeMu.Lock()
	if s.closed {
		s.closeMu.Unlock()
		return nil
	}
	s.closed = true
	s.closeMu.Unlock()

	// Reverse order of Open: maintenance, then the WAL writer (no commit
	// can send any more: they hold closeMu shared while sending).
	close(s.stop)
	s.wg.Wait()
	if s.wal != nil {
		close(s.wal.reqs)
		<-s.wal.done
	}

	var errs []error
	if s.failed() == nil {
		if err := s.checkpointAny(); err != nil {
			errs = append(errs, err)
		}
	}
	if err := s.closeEngine(); err != nil {
		errs = append(errs, err)
	}
	if s.wal != nil {
		if err := s.wal.log.Close(); err != nil {
			errs = append(errs, fmt.Errorf("kv: closing WAL: %w", err))
		}
	}
	return errors.Join(errs...)
}

// Begin starts a transaction reading at the visible timestamp, which
// covers every commit that has returned.
func (s *LocalStore) Begin(ctx context.Context, opts TxnOptions) (Txn, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.closeMu.RLock()
	defer s.closeMu.RUnlock()
	if s.closed {
		return nil, ErrClosed
	}
	if err := s.failed(); err != nil {
		return nil, err
	}
	var epoch uint64
	if s.repl != nil {
		var err error
		if epoch, err = s.beginReplica(ctx); err != nil {
			return nil, err
		}
	}
	readTS := s.active.register(s.wm.Visible)
	t := &localTxn{
		s:        s,
		epoch:    epoch,
		readTS:   readTS,
		readOnly: opts.ReadOnly,
		snap:     s.db.NewTransactionAt(uint64(readTS), false),
	}
	if !opts.ReadOnly {
		t.buf = newWriteBuffer()
	}
	return t, nil
}

// closeEngine leaves the engine, closing it if the store owns it.
func (s *LocalStore) closeEngine() error {
	s.eng.detach(s)
	if s.owned {
		return s.eng.Close()
	}
	return nil
}

// Clock returns the store's hybrid logical clock.
func (s *LocalStore) Clock() *Clock { return s.clock }

// failed returns the error that stopped the store, as ErrUnavailable,
// or nil.
func (s *LocalStore) failed() error {
	if p := s.failure.Load(); p != nil {
		return fmt.Errorf("%w: store stopped after a failed commit: %w", ErrUnavailable, *p)
	}
	return nil
}

// fail stops the store after a commit failed past its commit point.
func (s *LocalStore) fail(err error) {
	if s.failure.CompareAndSwap(nil, &err) {
		s.logger.Error("kv: store stopped after a failed commit; restart to recover from the WAL", "err", err)
		s.wm.fail()
	}
}

func (s *LocalStore) kickCheckpoint() {
	select {
	case s.kick <- struct{}{}:
	default:
	}
}

// maintain is the maintenance goroutine: checkpoints when the WAL has
// grown, and MVCC garbage collection. Owned by Open/Close.
func (s *LocalStore) maintain() {
	defer s.wg.Done()
	tick := time.NewTicker(s.cfg.MaintenanceInterval)
	defer tick.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-s.kick:
		case <-tick.C:
			if s.pendingCheckpointBytes() == 0 {
				s.collectGarbage()
				continue
			}
		}
		if s.failed() != nil {
			continue
		}
		if err := s.checkpointAny(); err != nil {
			// Not fatal: the WAL keeps everything until a checkpoint
			// succeeds; only replay gets longer.
			s.logger.Warn("kv: checkpoint failed", "err", err)
		}
		s.collectGarbage()
	}
}

// pendingCheckpointBytes is how much log was written since the last
// checkpoint.
func (s *LocalStore) pendingCheckpointBytes() int64 {
	if s.repl != nil {
		return s.repl.appliedBytes.Load()
	}
	return s.wal.pendingBytes()
}

// checkpointAny checkpoints in the store's mode.
func (s *LocalStore) checkpointAny() error {
	if s.repl != nil {
		return s.checkpointReplica()
	}
	return s.checkpoint()
}

// collectGarbage lets badger drop versions no open transaction can read:
// every version older than the newest one at or below the oldest read
// timestamp.
func (s *LocalStore) collectGarbage() {
	ts := s.active.oldest(s.wm.Visible)
	if s.repl != nil && s.repl.partition {
		ts = min(ts, s.lagged(gcLag))
		s.gcThreshold.Store(uint64(ts))
	}
	if s.repl != nil {
		// A prepared part commits at or above its prepare timestamp,
		// and badger refuses writes below the discard timestamp.
		if p := s.oldestPrepared(); p != 0 {
			ts = min(ts, p-1)
		}
	}
	s.eng.setDiscard(s, ts)
}

// Partitions keep history for the parts of distributed transactions,
// whose read timestamps come from other nodes' clocks and may lie a
// little in the past here: gcLag of versions (a part reading below the
// threshold fails with ErrConflict and its transaction restarts), and
// pruneLag of the conflict tracker (a transaction reading below the
// tracker's horizon fails validation).
const (
	gcLag    = 30 * time.Second
	pruneLag = 2 * time.Second
)

// lagged is the timestamp lag before the store's clock.
func (s *LocalStore) lagged(lag time.Duration) Timestamp {
	now := s.clock.Now()
	return MakeTimestamp(max(now.Physical()-lag.Milliseconds(), 0), 0)
}

// pruneHorizon is the timestamp up to which the conflict tracker may
// forget commits: the oldest open read timestamp, and for a partition no
// later than pruneLag ago.
func (s *LocalStore) pruneHorizon() Timestamp {
	ts := s.active.oldest(s.wm.Visible)
	if s.repl != nil && s.repl.partition {
		ts = min(ts, s.lagged(pruneLag))
	}
	return ts
}

// checkpoint makes every visible commit durable in badger, records the
// applied marker, and truncates the WAL. The WAL is truncated only
// through the previous checkpoint's marker: badger's Sync covers its
// active memtable and value log, but a memtable already waiting to be
// flushed relies on its own WAL being written back; keeping one
// checkpoint of slack leaves it that time. See doc.go, "Recovery".
func (s *LocalStore) checkpoint() error {
	a := s.wm.Visible()
	prev := s.lastCheckpoint
	if a > prev {
		if err := s.syncBadger(); err != nil {
			return err
		}
		var v [8]byte
		binary.BigEndian.PutUint64(v[:], uint64(a))
		if err := s.writeMarker(a, metaApplied, v[:]); err != nil {
			return fmt.Errorf("kv: writing applied marker %d: %w", a, err)
		}
		if err := s.syncBadger(); err != nil {
			return err
		}
		s.lastCheckpoint = a
	}
	if err := s.wal.truncateThrough(prev); err != nil {
		return err
	}
	s.stats.checkpoints.Add(1)
	return nil
}

func (s *LocalStore) syncBadger() error {
	if s.cfg.NoSync {
		return nil
	}
	return s.eng.Sync()
}

// appliedMarker reads the applied marker (0 if never written).
func (s *LocalStore) appliedMarker() (Timestamp, error) {
	txn := s.db.NewTransactionAt(^uint64(0), false)
	defer txn.Discard()
	item, err := txn.Get(s.key(metaApplied))
	if errors.Is(err, badger.ErrKeyNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("kv: reading applied marker: %w", err)
	}
	v, err := item.ValueCopy(nil)
	if err != nil || len(v) != 8 {
		return 0, fmt.Errorf("kv: reading applied marker: bad value (%d bytes): %v", len(v), err)
	}
	return Timestamp(binary.BigEndian.Uint64(v)), nil
}
