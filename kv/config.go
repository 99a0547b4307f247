package kv

import (
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// LocalConfig configures a LocalStore. The zero value plus a Dir is a
// valid production configuration; WithDefaults fills in the rest.
type LocalConfig struct {
	// Dir holds the store: Dir/data (badger, MVCC versions) and Dir/wal
	// (the redo log). Required.
	Dir string
	// Logger receives the store's events (and badger's, one level
	// lower). Default: slog.Default().
	Logger *slog.Logger
	// MaxTxnBytes caps the buffered writes (keys plus values) of one
	// transaction; a write beyond it fails with ErrTxnTooLarge. Default
	// 1 GiB.
	MaxTxnBytes int64
	// NoSync skips every fsync (WAL and checkpoints). Commits then survive
	// a process crash but not a machine crash. For tests only.
	NoSync bool
	// CheckpointBytes is how much WAL is written between checkpoints (a
	// badger Sync, the applied marker and a WAL front truncation). It
	// bounds replay time after a crash. Default 64 MiB.
	CheckpointBytes int64
	// MaintenanceInterval is how often the store advances badger's discard
	// timestamp (MVCC garbage collection) and checkpoints if the WAL has
	// grown at all. Default 10 s.
	MaintenanceInterval time.Duration
	// MemTableBytes is badger's memtable size. Default 64 MiB.
	MemTableBytes int64
	// BlockCacheBytes is badger's block cache size. Default 256 MiB.
	BlockCacheBytes int64
	// LockTimeout is how long a transaction waits for another's write
	// lock before giving up with ErrDeadlock. Deadlocks are detected as
	// soon as they form; the timeout is the fallback for waits the
	// detector cannot see (one goroutine driving two transactions) and
	// bounds waiting behind a session idle in a transaction. Default
	// 10 s; negative: wait indefinitely (until the context ends).
	LockTimeout time.Duration
	// MinFreeBytes is the free space the store keeps on its filesystem:
	// a read-write commit that would leave less fails with ErrDiskFull
	// before anything is written, and commits succeed again by
	// themselves once space is freed (diskspace.go). The room is for
	// what accepted writes still need: badger flushing a full memtable
	// into a table and compacting, checkpoints, the log segments, and
	// replaying the WAL at the next Open. Default
	// max(DefaultMinFreeBytes, 3*MemTableBytes): a memtable's log, the
	// table it is flushed into, and as much again for a compaction
	// rewriting it. Negative: no limit (a full disk then crashes badger,
	// whose writes go through mmap).
	MinFreeBytes int64
}

// Defaults of LocalConfig.
const (
	DefaultMaxTxnBytes         int64 = 1 << 30
	DefaultCheckpointBytes     int64 = 64 << 20
	DefaultMaintenanceInterval       = 10 * time.Second
	DefaultMemTableBytes       int64 = 64 << 20
	DefaultBlockCacheBytes     int64 = 256 << 20
	DefaultLockTimeout               = 10 * time.Second
	DefaultMinFreeBytes        int64 = 256 << 20
)

// WithDefaults returns a copy of c with every unset field set to its
// default.
func (c LocalConfig) WithDefaults() LocalConfig {
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.MaxTxnBytes == 0 {
		c.MaxTxnBytes = DefaultMaxTxnBytes
	}
	if c.CheckpointBytes == 0 {
		c.CheckpointBytes = DefaultCheckpointBytes
	}
	if c.MaintenanceInterval == 0 {
		c.MaintenanceInterval = DefaultMaintenanceInterval
	}
	if c.MemTableBytes == 0 {
		c.MemTableBytes = DefaultMemTableBytes
	}
	if c.BlockCacheBytes == 0 {
		c.BlockCacheBytes = DefaultBlockCacheBytes
	}
	if c.LockTimeout == 0 {
		c.LockTimeout = DefaultLockTimeout
	}
	if c.MinFreeBytes == 0 {
		c.MinFreeBytes = max(DefaultMinFreeBytes, 3*c.MemTableBytes)
	}
	return c
}

// Validate reports the first invalid setting. Call it on the result of
// WithDefaults.
func (c LocalConfig) Validate() error {
	switch {
	case c.Dir == "":
		return errors.New("kv: LocalConfig.Dir is required")
	case c.Logger == nil:
		return errors.New("kv: LocalConfig.Logger is nil")
	case c.MaxTxnBytes <= 0:
		return fmt.Errorf("kv: LocalConfig.MaxTxnBytes must be positive, got %d", c.MaxTxnBytes)
	case c.CheckpointBytes <= 0:
		return fmt.Errorf("kv: LocalConfig.CheckpointBytes must be positive, got %d", c.CheckpointBytes)
	case c.MaintenanceInterval <= 0:
		return fmt.Errorf("kv: LocalConfig.MaintenanceInterval must be positive, got %s", c.MaintenanceInterval)
	case c.MemTableBytes < 1<<20:
		return fmt.Errorf("kv: LocalConfig.MemTableBytes must be at least 1 MiB, got %d", c.MemTableBytes)
	case c.BlockCacheBytes < 0:
		return fmt.Errorf("kv: LocalConfig.BlockCacheBytes must not be negative, got %d", c.BlockCacheBytes)
	}
	return nil
}
