package raftlog

import (
	"errors"
	"fmt"

	"github.com/dgraph-io/badger/v4"
)

// writer writes a sequence of key operations as few badger transactions
// as the transaction size limit allows, and makes them durable with
// DB.Sync. Usually one transaction and one Sync: a batch that does not
// fit is split, and every transaction but the last is synced before the
// next begins. That keeps the crash state a prefix of the transactions
// (doc.go explains why it must: a memtable that fills up is replaced
// without being synced), and the operations are ordered so that every
// prefix is a state Open accepts.
//
// Operations that must land together (the chunks of one entry) are
// announced with unit before they are written; a unit never straddles
// two transactions.
type writer struct {
	s        *Store
	txn      *badger.Txn
	size     int64 // badger's estimate of txn's size
	count    int64
	maxSize  int64
	maxCount int64
	split    int64 // keys after which a new transaction starts
	txns     int   // transactions committed so far
}

func (s *Store) newWriter() *writer {
	size, count := s.cfg.txnLimits()
	w := &writer{s: s, maxSize: size, maxCount: count}
	w.split = w.maxCount
	if s.cfg.txnKeys > 0 {
		w.split = s.cfg.txnKeys
	}
	return w
}

// errSimulatedCrash ends a write after Store.crashAfterTxns
// transactions, in tests: the disk then holds what a crash at that
// transaction boundary would leave.
var errSimulatedCrash = errors.New("raftlog: simulated crash")

// txnLimits returns the size and key count the writer puts in one
// transaction at most: a margin under badger's limits, so that its own
// check (which the writer's accounting copies) never refuses an
// operation.
func (c config) txnLimits() (size, count int64) {
	size, count = c.maxBatch()
	return size - size/16, count - count/16
}

// entryUnit returns the size and key count of an entry of n bytes
// marshalled, as putEntry writes it.
func (c config) entryUnit(n int) (size, count int64) {
	chunks := numChunks(n, c.chunkBytes)
	// Per chunk: the key (with its chunk suffix at most) and flag byte.
	return int64(n) + int64(chunks)*(opSize(make([]byte, entryChunkLen), []byte{0})), int64(chunks)
}

// opSize is badger's size estimate of one operation (Txn.checkSize),
// for values kept in the LSM tree.
func opSize(key, value []byte) int64 { return int64(len(key)+len(value)) + 2 + 10 }

// unit makes room for operations of the given total size and count in
// the current transaction, starting a new one if they would not fit.
func (w *writer) unit(size, count int64) error {
	if size > w.maxSize || count > w.maxCount {
		return fmt.Errorf("raftlog: %d bytes in %d keys cannot share one transaction (limit %d bytes, %d keys)", size, count, w.maxSize, w.maxCount)
	}
	if w.txn != nil && (w.size+size > w.maxSize || w.count+count > w.split) {
		if err := w.flush(); err != nil {
			return err
		}
		// Each transaction must be durable before the next is written.
		if err := w.sync(); err != nil {
			return err
		}
	}
	if w.txn == nil {
		w.txn = w.s.db.NewTransaction(true)
		w.size, w.count = 0, 0
	}
	return nil
}

func (w *writer) set(key, value []byte) error {
	if err := w.unit(opSize(key, value), 1); err != nil {
		return err
	}
	return w.setInUnit(key, value)
}

// setInUnit writes within room reserved by unit.
func (w *writer) setInUnit(key, value []byte) error {
	w.size += opSize(key, value)
	w.count++
	if err := w.txn.Set(key, value); err != nil {
		return fmt.Errorf("raftlog: writing key %x: %w", key, err)
	}
	return nil
}

func (w *writer) del(key []byte) error {
	if err := w.unit(opSize(key, nil), 1); err != nil {
		return err
	}
	return w.delInUnit(key)
}

func (w *writer) delInUnit(key []byte) error {
	w.size += opSize(key, nil)
	w.count++
	if err := w.txn.Delete(key); err != nil {
		return fmt.Errorf("raftlog: deleting key %x: %w", key, err)
	}
	return nil
}

// flush commits the current transaction, if any, without syncing.
func (w *writer) flush() error {
	if w.txn == nil {
		return nil
	}
	txn := w.txn
	w.txn = nil
	if err := txn.Commit(); err != nil {
		return fmt.Errorf("raftlog: committing a transaction: %w", err)
	}
	w.txns++
	if w.s.crashAfterTxns > 0 && w.txns == w.s.crashAfterTxns {
		return errSimulatedCrash
	}
	return nil
}

func (w *writer) sync() error {
	if err := w.s.db.Sync(); err != nil {
		return fmt.Errorf("raftlog: syncing: %w", err)
	}
	if err := w.s.syncNewWALs(); err != nil {
		return err
	}
	w.s.syncs.Add(1)
	return nil
}

// finish commits and syncs what was written; it syncs nothing when
// nothing was.
func (w *writer) finish() error {
	if w.txn == nil {
		return nil
	}
	if err := w.flush(); err != nil {
		return err
	}
	return w.sync()
}

// discard drops an unfinished transaction after an error.
func (w *writer) discard() {
	if w.txn != nil {
		w.txn.Discard()
		w.txn = nil
	}
}
