package raftlog

import (
	"fmt"
	"log/slog"

	"github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/skl"
	"github.com/quorumdb/quorumdb/internal/badgerutil"
)

// config holds the sizes the store is built around. Production uses
// defaultConfig; tests shrink it to exercise transaction splitting.
type config struct {
	// memTableBytes is badger's memtable size. A badger transaction may
	// hold at most 15% of it (maxBatchSize), and an entry's chunks must
	// share one transaction, so it bounds the largest entry: 32 MiB
	// allows 4.8 MiB per transaction, above the 3 MiB proposal limit.
	memTableBytes int64
	// chunkBytes is the largest value written under one key. It stays
	// below badger's value threshold so that every value lives in the
	// LSM tree and its memtable WAL, never in the value log (see doc.go:
	// the durability argument relies on it).
	chunkBytes int
	// txnKeys, when set, starts a new transaction after that many keys
	// (tests: many transaction boundaries to cut at).
	txnKeys int64
}

var defaultConfig = config{
	memTableBytes: 32 << 20,
	chunkBytes:    256 << 10,
}

// maxBatch returns the size and count limits of one badger transaction
// under c, as badger computes them (checkAndSetOptions).
func (c config) maxBatch() (size, count int64) {
	size = 15 * c.memTableBytes / 100
	return size, size / int64(skl.MaxNodeSize)
}

// valueThreshold is badger's value threshold: values of this size or
// more would go to the value log. At most 1 MiB (badger's maximum) and
// below the transaction size limit, as badger requires.
func (c config) valueThreshold() int64 {
	size, _ := c.maxBatch()
	return min(1<<20, size)
}

func (c config) validate() error {
	if int64(c.chunkBytes)+8 >= c.valueThreshold() {
		return fmt.Errorf("raftlog: chunk size %d is not below the value threshold %d", c.chunkBytes, c.valueThreshold())
	}
	return nil
}

// badgerOptions tunes badger for a Raft log: small values written once,
// read back only at start, and deleted soon (compaction).
func (c config) badgerOptions(dir string, logger *slog.Logger) badger.Options {
	return badger.DefaultOptions(dir).
		WithLogger(badgerutil.Logger{L: logger}).
		// Commit syncs once per batch with DB.Sync (doc.go).
		WithSyncWrites(false).
		WithMemTableSize(c.memTableBytes).
		// One memtable being written and up to two waiting for their
		// flush: a log does not need five (the default) of 32 MiB.
		WithNumMemtables(3).
		WithValueThreshold(c.valueThreshold()).
		// The value log stays empty (every value is below the
		// threshold), but badger still maps a file of twice this size.
		WithValueLogFileSize(16 << 20).
		// Entries are read once, at load; caching their blocks buys
		// nothing, and the default cache is 256 MiB.
		WithBlockCacheSize(8 << 20).
		WithIndexCacheSize(0).
		// Deleted entries and replaced hard states are garbage at once.
		WithNumVersionsToKeep(1).
		// The minimum that badger allows besides none; the machine's
		// cores belong to the SQL layer.
		WithNumCompactors(2).
		// One writer (Commit holds the store's lock): conflict
		// detection would only cost memory.
		WithDetectConflicts(false).
		WithMetricsEnabled(false)
}
