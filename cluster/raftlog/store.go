package raftlog

import (
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/quorumdb/quorumdb/internal/badgerutil"
)

// ErrClosed is returned by every method of a closed Store.
var ErrClosed = errors.New("raftlog: store is closed")

// Store holds the Raft state of all groups of one node in one badger
// instance. Its methods are safe for concurrent use; writes (Commit,
// Compact, DropGroup) are serialized.
type Store struct {
	dir    string
	cfg    config
	logger *slog.Logger
	db     *badger.DB
	syncs  atomic.Uint64
	// walFiles: badger's memtable WAL files when the directory was last
	// synced (dirsync.go); written under mu by writers only.
	walFiles string
	// dirTime: the directory's modification time at that listing.
	dirTime time.Time
	// crashAfterTxns (tests) makes a write fail after committing this
	// many transactions: see errSimulatedCrash.
	crashAfterTxns int

	mu     sync.Mutex
	groups map[uint64]*group // loaded by Storage or a write
	closed bool
	// broken is the error of a failed write. The disk may then hold
	// part of it (a state Open accepts) while the mirrors do not, and
	// an fsync that failed cannot be retried (the kernel may have
	// dropped the pages), so the store refuses all further work.
	broken error
}

// group is the in-memory state of one loaded group.
type group struct {
	id      uint64
	storage *GroupStorage
	onDisk  bool           // its 'g' key is written
	snap    snapshotRecord // as on disk ('s'); zero if none
}

// Open opens the store in dir, creating it if needed. The badger logs go
// to logger one level lower than badger rates them.
func Open(dir string, logger *slog.Logger) (*Store, error) {
	return open(dir, logger, defaultConfig)
}

func open(dir string, logger *slog.Logger, cfg config) (*Store, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	logger = logger.With("component", "raftlog")
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("raftlog: creating %s: %w", dir, err)
	}
	if err := badgerutil.RemoveEmptyFiles(dir, logger); err != nil {
		return nil, fmt.Errorf("raftlog: %w", err)
	}
	db, err := badger.Open(cfg.badgerOptions(dir, logger.With("component", "badger")))
	if err != nil {
		return nil, fmt.Errorf("raftlog: opening badger in %s: %w", dir, err)
	}
	s := &Store{dir: dir, cfg: cfg, logger: logger, db: db, groups: make(map[uint64]*group)}
	if err := s.checkVersion(); err != nil {
		_ = db.Close()
		return nil, err
	}
	if err := s.finishDrops(); err != nil {
		_ = db.Close()
		return nil, err
	}
	return s, nil
}

// checkVersion writes the format version into a new store and refuses a
// store of another version.
func (s *Store) checkVersion() error {
	var version []byte
	empty := true
	err := s.db.View(func(txn *badger.Txn) error {
		item, err := txn.Get(versionKey())
		if errors.Is(err, badger.ErrKeyNotFound) {
			it := txn.NewIterator(badger.IteratorOptions{})
			defer it.Close()
			it.Rewind()
			empty = !it.Valid()
			return nil
		}
		if err != nil {
			return err
		}
		empty = false
		version, err = item.ValueCopy(nil)
		return err
	})
	if err != nil {
		return fmt.Errorf("raftlog: reading the format version in %s: %w", s.dir, err)
	}
	switch {
	case version == nil && empty:
		w := s.newWriter()
		if err := w.set(versionKey(), binary.BigEndian.AppendUint32(nil, formatVersion)); err != nil {
			w.discard()
			return err
		}
		return w.finish()
	case version == nil:
		return fmt.Errorf("raftlog: %s holds data but no format version: not a raft log store", s.dir)
	case len(version) != 4:
		return fmt.Errorf("raftlog: %s has a malformed format version %x", s.dir, version)
	case binary.BigEndian.Uint32(version) != formatVersion:
		return fmt.Errorf("raftlog: %s holds format version %d; this build reads version %d only",
			s.dir, binary.BigEndian.Uint32(version), formatVersion)
	}
	return nil
}

// Close closes the store. Commits that returned are durable already;
// Close flushes badger's memtables so the next Open replays nothing.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("raftlog: closing badger in %s: %w", s.dir, err)
	}
	return nil
}

// usable returns why the store cannot be used, or nil. Callers hold mu.
func (s *Store) usable() error {
	if s.closed {
		return ErrClosed
	}
	if s.broken != nil {
		return fmt.Errorf("raftlog: store failed earlier: %w", s.broken)
	}
	return nil
}

// Syncs returns how many times the store has synced to disk since Open:
// once per Commit that wrote something, more for a batch too large for
// one badger transaction.
func (s *Store) Syncs() uint64 { return s.syncs.Load() }

// Groups lists the ids of the groups that have state on disk, in
// increasing order (nil for a closed or failed store).
func (s *Store) Groups() []uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.usable() != nil {
		return nil
	}
	var ids []uint64
	err := s.db.View(func(txn *badger.Txn) error {
		return iterate(txn, []byte{kindGroup}, false, func(key, _ []byte) error {
			ids = append(ids, groupOf(key))
			return nil
		})
	})
	if err != nil {
		// Reading keys from badger fails only on a broken disk; the
		// caller's next Storage or Commit will report it.
		s.logger.Error("listing groups", "err", err)
		return nil
	}
	return ids
}

// Storage returns the raft.Storage of group, loading it from disk on
// first use; a group without state on disk starts empty (it is written
// with its first Commit). The returned GroupStorage stays valid until
// DropGroup or Close.
func (s *Store) Storage(id uint64) (*GroupStorage, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.usable(); err != nil {
		return nil, err
	}
	g, err := s.group(id)
	if err != nil {
		return nil, err
	}
	return g.storage, nil
}

// group returns the loaded group id, loading it first if needed.
// Callers hold mu.
func (s *Store) group(id uint64) (*group, error) {
	if g, ok := s.groups[id]; ok {
		return g, nil
	}
	g, err := s.load(id)
	if err != nil {
		return nil, err
	}
	s.groups[id] = g
	return g, nil
}
