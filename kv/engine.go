package kv

import (
	"errors"
	"fmt"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"sync"

	"github.com/dgraph-io/badger/v4"
	"github.com/quorumdb/quorumdb/internal/badgerutil"
)

// Engine is one badger instance, opened in managed mode, holding the
// MVCC versions of one or more stores. A standalone store (Open) or a
// one-group replica (OpenReplica) owns an engine of its own and uses
// its keys as they are. The replicas of a node's partitions
// (OpenPartitionReplica) share one engine: each store's keys carry its
// partition's prefix (PartitionPrefix), so a partition is one contiguous
// key range that its snapshot reads and its restore drops without
// touching its neighbours, and one badger serves every partition of the
// node with one memtable, one value log and one sync for all.
type Engine struct {
	db     *badger.DB
	logger *slog.Logger
	noSync bool

	// discard holds each open store's lowest readable timestamp; badger's
	// discard timestamp (below which it may drop shadowed versions) is
	// their minimum. Guarded by mu.
	mu       sync.Mutex
	discard  map[*LocalStore]Timestamp
	prefixes map[string]bool // partitions with an open store
	closed   bool

	// waitMu is the lock tables' waitMu (lock.go), shared by the stores
	// on the engine; groups holds the distributed transactions with a
	// part open in one of them, by id, for deadlock detection across
	// partitions. groups is guarded by mu.
	waitMu sync.Mutex
	groups map[TxnID]*txnGroup

	// writeMu orders writes against a partition's restore: badger
	// refuses every write while a DropPrefix runs ("Writes are blocked"),
	// which would fail another partition's apply and stop the node's
	// groups. Writes to badger hold it for reading (LocalStore.writing),
	// a drop holds it for writing. Never taken twice by one goroutine.
	writeMu sync.RWMutex
}

// txnGroup is a distributed transaction as the parts it has on one node
// know it.
type txnGroup struct {
	id   TxnID
	refs int // parts open, guarded by Engine.mu
	// blocked is the part waiting for a lock, if any (a transaction
	// runs one call at a time). Guarded by Engine.waitMu.
	blocked *localTxn
}

// joinGroup returns the group of transaction id, counting one more part.
func (e *Engine) joinGroup(id TxnID) *txnGroup {
	e.mu.Lock()
	defer e.mu.Unlock()
	g := e.groups[id]
	if g == nil {
		g = &txnGroup{id: id}
		e.groups[id] = g
	}
	g.refs++
	return g
}

// leaveGroup counts one part of g's transaction gone.
func (e *Engine) leaveGroup(g *txnGroup) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if g.refs--; g.refs <= 0 {
		delete(e.groups, g.id)
	}
}

// EngineConfig configures an Engine.
type EngineConfig struct {
	// Dir is badger's directory. Required.
	Dir string
	// Logger receives badger's messages (one level lower). Default
	// slog.Default().
	Logger *slog.Logger
	// NoSync skips every fsync. For tests only.
	NoSync bool
	// MemTableBytes and BlockCacheBytes size badger (defaults as in
	// LocalConfig).
	MemTableBytes   int64
	BlockCacheBytes int64
}

// OpenEngine opens (creating if needed) the badger in cfg.Dir.
func OpenEngine(cfg EngineConfig) (*Engine, error) {
	if cfg.Dir == "" {
		return nil, errors.New("kv: EngineConfig.Dir is required")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.MemTableBytes == 0 {
		cfg.MemTableBytes = DefaultMemTableBytes
	}
	if cfg.BlockCacheBytes == 0 {
		cfg.BlockCacheBytes = DefaultBlockCacheBytes
	}
	logger := cfg.Logger.With("component", "kv")
	if err := os.MkdirAll(cfg.Dir, 0o750); err != nil {
		return nil, fmt.Errorf("kv: creating %s: %w", cfg.Dir, err)
	}
	bopts := badger.DefaultOptions(cfg.Dir).
		WithLogger(badgerutil.Logger{L: logger.With("component", "badger")}).
		WithSyncWrites(false). // the commit log is the redo log; checkpoints sync
		WithMemTableSize(cfg.MemTableBytes).
		WithBlockCacheSize(cfg.BlockCacheBytes).
		WithNumVersionsToKeep(1) // older versions go once below the discard ts
	if err := badgerutil.RemoveEmptyFiles(bopts.Dir, logger); err != nil {
		return nil, fmt.Errorf("kv: %w", err)
	}
	db, err := badger.OpenManaged(bopts)
	if err != nil {
		return nil, fmt.Errorf("kv: opening badger in %s: %w", bopts.Dir, err)
	}
	return &Engine{
		db:       db,
		logger:   logger,
		noSync:   cfg.NoSync,
		discard:  make(map[*LocalStore]Timestamp),
		prefixes: make(map[string]bool),
		groups:   make(map[TxnID]*txnGroup),
	}, nil
}

// engineDir is where a store that owns its engine keeps badger.
func engineDir(storeDir string) string { return filepath.Join(storeDir, "data") }

// Close closes badger. Every store on the engine must be closed first.
func (e *Engine) Close() error {
	e.mu.Lock()
	if e.closed {
		e.mu.Unlock()
		return nil
	}
	open := len(e.prefixes)
	e.closed = true
	e.mu.Unlock()
	if open > 0 {
		e.logger.Warn("kv: closing an engine with stores still open", "stores", open)
	}
	if err := e.db.Close(); err != nil {
		return fmt.Errorf("kv: closing badger: %w", err)
	}
	return nil
}

// Sync makes every write to the engine durable.
func (e *Engine) Sync() error {
	if e.noSync {
		return nil
	}
	if err := e.db.Sync(); err != nil {
		return fmt.Errorf("kv: syncing badger: %w", err)
	}
	return nil
}

// PartitionPrefix is the prefix of partition p's keys in a shared
// engine: its number, 4 bytes big-endian, so partitions sort in order
// and no prefix is a prefix of another.
func PartitionPrefix(p uint32) []byte {
	return []byte{byte(p >> 24), byte(p >> 16), byte(p >> 8), byte(p)}
}

// attach registers a store using prefix; two open stores never share one.
func (e *Engine) attach(s *LocalStore) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return errors.New("kv: the engine is closed")
	}
	if e.prefixes[string(s.prefix)] {
		return fmt.Errorf("kv: a store for prefix %x is already open on this engine", s.prefix)
	}
	e.prefixes[string(s.prefix)] = true
	e.discard[s] = 0
	return nil
}

// detach forgets a closed store.
func (e *Engine) detach(s *LocalStore) {
	e.mu.Lock()
	defer e.mu.Unlock()
	delete(e.prefixes, string(s.prefix))
	delete(e.discard, s)
}

// setDiscard records the lowest timestamp store s may still read and
// lets badger drop the versions no store on the engine can read.
func (e *Engine) setDiscard(s *LocalStore, ts Timestamp) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return
	}
	e.discard[s] = ts
	lowest := Timestamp(math.MaxUint64)
	for _, t := range e.discard {
		lowest = min(lowest, t)
	}
	if lowest == 0 || lowest == math.MaxUint64 {
		return // a store has not reported yet: keep everything
	}
	e.db.SetDiscardTs(uint64(lowest))
}

// key returns the engine key of a store's key: key itself for a store
// with no prefix, otherwise a new slice prefix+key.
func (s *LocalStore) key(key []byte) []byte {
	if len(s.prefix) == 0 {
		return key
	}
	k := make([]byte, 0, len(s.prefix)+len(key))
	return append(append(k, s.prefix...), key...)
}

// userKey strips the store's prefix from an engine key.
func (s *LocalStore) userKey(k []byte) []byte { return k[len(s.prefix):] }

// upperBound is the engine key just past the store's keys: nil (no
// bound) without a prefix.
func (s *LocalStore) upperBound() []byte {
	if len(s.prefix) == 0 {
		return nil
	}
	return PrefixEnd(s.prefix)
}
