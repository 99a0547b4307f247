package kv

import (
	"context"
	"errors"
)

// Sentinel errors of the kv layer. The sql layer maps each to a SQLSTATE
// in one table (sql/errors.go); a test checks that every one is mapped.
var (
	// ErrConflict means the transaction lost a read-write or write-write
	// conflict and was aborted; the client may retry it (SQLSTATE 40001).
	ErrConflict = errors.New("kv: transaction conflict, restart transaction")
	// ErrTxnDone means Commit or Rollback was already called.
	ErrTxnDone = errors.New("kv: transaction already finished")
	// ErrTxnTooLarge means the transaction's write set exceeds the limit
	// (SQLSTATE 54000).
	ErrTxnTooLarge = errors.New("kv: transaction too large")
	// ErrReadOnly means a write was attempted in a read-only transaction
	// (SQLSTATE 25006).
	ErrReadOnly = errors.New("kv: write in a read-only transaction")
	// ErrUnavailable means the data cannot be reached now (no quorum, store
	// closed); the statement failed without effect (SQLSTATE 08006).
	ErrUnavailable = errors.New("kv: data unavailable")
	// ErrCommitUnknown means the commit may or may not have taken effect
	// (SQLSTATE 40003). A statement is never retried after it.
	ErrCommitUnknown = errors.New("kv: transaction commit result is ambiguous")
	// ErrClosed means the DB was closed.
	ErrClosed = errors.New("kv: store closed")
	// ErrDeadlock means the transaction waited for a write lock and the
	// wait closed a cycle of transactions waiting for each other's locks
	// (or exceeded the store's lock-wait timeout); the transaction was
	// aborted so the others can proceed, and the client may retry it
	// (SQLSTATE 40P01).
	ErrDeadlock = errors.New("kv: deadlock detected")
	// ErrKeyExists means Insert or InsertFresh found the key already has
	// a value; nothing was written and the transaction stays usable (the
	// sql layer reports its own 23505 with the constraint's details).
	ErrKeyExists = errors.New("kv: key already exists")
	// ErrNotLeader means Begin reached a replica that is not the leader
	// of its Raft group, which alone runs transactions; the caller tries
	// the leader instead (a NotLeaderError names it when known).
	ErrNotLeader = errors.New("kv: not the leader")
	// ErrBusy means a leader began waiting for commits that precede the
	// caller's snapshot and are still being applied (a big transaction's
	// parts, resolved but not yet written), and answers after busyWait
	// while it still holds its lease, so that a caller bounding how long
	// it waits for a leader (kv/dist's LeaderWait) can tell a leader that
	// is working from one that is gone, and ask again.
	ErrBusy = errors.New("kv: the leader is still applying earlier commits")
)

// NotLeaderError is ErrNotLeader with the address of the leader as the
// refusing replica knows it ("" if it does not), so that a router can go
// there directly instead of trying every replica.
type NotLeaderError struct {
	Leader string
}

func (e *NotLeaderError) Error() string {
	if e.Leader == "" {
		return ErrNotLeader.Error()
	}
	return ErrNotLeader.Error() + " (leader: " + e.Leader + ")"
}

// Unwrap makes errors.Is(err, ErrNotLeader) hold.
func (e *NotLeaderError) Unwrap() error { return ErrNotLeader }

// Timestamp is a hybrid-logical-clock timestamp: the physical part in the
// high 48 bits (milliseconds since the Unix epoch) and a logical counter
// in the low 16 bits. Timestamps order commits: a version written at
// commit timestamp c is visible to a reader at timestamp r iff c <= r.
type Timestamp uint64

// KeyValue is one entry returned by Scan.
type KeyValue struct {
	Key   []byte
	Value []byte
}

// TxnOptions configure a transaction at Begin.
type TxnOptions struct {
	// ReadOnly transactions never write, never conflict and never
	// validate; they read a consistent snapshot at their read timestamp.
	ReadOnly bool
	// ID names the distributed transaction a part begun with BeginAt
	// belongs to. The parts of one transaction in the partitions of one
	// node count as one transaction for deadlock detection; its
	// coordinator uses the same ID for the two-phase commit.
	ID TxnID
	// UncertaintyLimit is, for a part begun with BeginAt, the read
	// timestamp its transaction began with plus the cluster's maximum
	// clock offset: a commit below it may have finished before the
	// transaction began, on a node whose clock runs ahead.
	UncertaintyLimit Timestamp
	// Start is a distributed transaction's first read timestamp: its age
	// when a lock wait may close a cycle through another node, where the
	// younger transaction gives way.
	Start Timestamp
}

// DB is the transactional, ordered key-value store the sql layer runs on.
// Implementations: LocalStore (one node, badger) and later the
// partitioned, replicated store. DB is safe for concurrent use.
type DB interface {
	// Begin starts a transaction reading at a snapshot that includes every
	// transaction whose Commit has returned before Begin was called.
	Begin(ctx context.Context, opts TxnOptions) (Txn, error)
}

// Txn is a serializable transaction. A Txn is used by one goroutine at a
// time. Keys and values passed in are not retained after the call
// returns (the implementation copies them); slices returned belong to the
// caller. Keys are non-empty and never start with 0x00: that byte is
// reserved for the store's own metadata (see keys.go).
//
// Serializability: a read-write transaction commits only if nothing it
// read (keys from Get, key ranges from Scan, including keys absent at the
// time) was changed by a transaction that committed after this one's read
// timestamp; otherwise Commit returns ErrConflict. Read-only transactions
// always commit.
//
// Write locks: GetForUpdate, Put and Delete take an exclusive lock on
// their key (except a key this transaction wrote with Insert or
// InsertFresh, which stays unlocked), held until Commit or Rollback, so transactions writing the
// same key queue instead of failing validation. When a lock is taken on
// a key changed since the read timestamp, the transaction moves its read
// timestamp forward (a read refresh) if nothing else it read changed in
// between, or fails with ErrConflict. A lock wait that would deadlock
// fails with ErrDeadlock. Operations failing with ErrConflict or
// ErrDeadlock abort the transaction (later calls return ErrTxnDone).
type Txn interface {
	// Get returns the value of key, or (nil, false, nil) if absent. It
	// sees this transaction's own writes.
	Get(ctx context.Context, key []byte) (value []byte, found bool, err error)
	// GetForUpdate is Get after taking key's write lock (SELECT ... FOR
	// UPDATE; the read of UPDATE). It waits while another transaction
	// holds the lock, returning ctx.Err() if ctx ends first (the
	// transaction stays open). Once the lock is held, nobody else can
	// write key until this transaction finishes, so a read-modify-write
	// through GetForUpdate never loses a write-write conflict. If key
	// changed after the read timestamp, the read timestamp is refreshed
	// as described above (ErrConflict if it cannot be). Read-only
	// transactions get ErrReadOnly.
	GetForUpdate(ctx context.Context, key []byte) (value []byte, found bool, err error)
	// Put sets key to value. value must not be nil. It takes key's write
	// lock like GetForUpdate (waiting, refresh, errors).
	Put(ctx context.Context, key, value []byte) error
	// Insert sets key, which must have no value in this transaction's
	// view (its own writes over its snapshot), to value, or fails with
	// ErrKeyExists. It is the write path of new rows: unlike Put it takes
	// no write lock and so never waits or refreshes. A concurrent writer
	// of the same key is caught by commit validation instead (whichever
	// commits second gets ErrConflict), and the read timestamp is never
	// refreshed past a commit that wrote an inserted key. The key stays
	// unlocked for the rest of the transaction: a later Put, Delete or
	// GetForUpdate of it does not take the lock either.
	Insert(ctx context.Context, key, value []byte) error
	// InsertFresh is Insert for a key the caller knows has no value at
	// the snapshot — one generated unique (a row id), or in a key range
	// no one can have written yet (an index created by this
	// transaction) — so only this transaction's writes are checked for
	// it: a bulk load then costs no read of the store per key.
	InsertFresh(ctx context.Context, key, value []byte) error
	// Delete removes key; deleting an absent key is not an error. It
	// takes key's write lock like Put.
	Delete(ctx context.Context, key []byte) error
	// DeleteRange removes every key with start <= key < end (nil end: no
	// upper bound) as seen by this transaction, including its own earlier
	// writes in the range. For conflict detection the whole range counts as
	// both read and written, so the transaction commits only if no other
	// transaction wrote into the range after this one's read timestamp.
	// Writes made after DeleteRange in the same range take effect. It
	// takes no locks: it is validated at Commit only.
	DeleteRange(ctx context.Context, start, end []byte) error
	// Scan returns up to limit entries (limit <= 0: no limit) with
	// start <= key < end in ascending key order (descending if reverse),
	// merging this transaction's own writes. A nil end means no upper
	// bound. To continue a limited scan, call again with start set to
	// the last key followed by 0x00 (or, in reverse, end set to the last
	// key).
	Scan(ctx context.Context, start, end []byte, limit int, reverse bool) ([]KeyValue, error)
	// Commit makes the writes durable (synced to disk) and visible to
	// transactions that begin after it returns, or fails without effect.
	Commit(ctx context.Context) error
	// Rollback discards the transaction. It is safe to call after Commit
	// (no-op) and more than once.
	Rollback()
	// Exists reports whether key has a value. A key found is recorded
	// for its existence only: the transaction conflicts with a later
	// delete of it but not with updates of its value (what PostgreSQL's
	// KEY SHARE lock gives a foreign-key check). An absent key is
	// recorded like a Get, conflicting with any later write.
	Exists(ctx context.Context, key []byte) (bool, error)
	// Savepoint marks the transaction's writes so far; RollbackTo undoes
	// every write made after the mark (SQL's SAVEPOINT and ROLLBACK TO).
	// Reads, read timestamps and locks taken after the mark are kept:
	// that can only cause extra waiting or conflicts, never a wrong
	// result. Marks are cheap (copy-on-write) and stay valid until the
	// transaction ends.
	Savepoint() (Savepoint, error)
	RollbackTo(sp Savepoint) error
	// ReadTimestamp is the snapshot this transaction reads at. A read
	// refresh (see above) moves it forward.
	ReadTimestamp() Timestamp
}

// Flusher is implemented by a Txn whose writes may return before they
// are done (kv/remote pipelines InsertFresh): Flush waits for every
// write made so far and returns the first failure of one that has not
// been returned yet. The SQL layer flushes at the end of each statement,
// so that a write's failure is the failure of the statement that made
// it. A Txn without Flush finishes every write before returning.
type Flusher interface {
	Flush(ctx context.Context) error
}

// Savepoint is an opaque mark of a transaction's writes (Txn.Savepoint).
type Savepoint struct {
	state any
}

// NewSavepoint wraps an implementation's own mark. It is for Txn
// implementations outside this package (kv/remote, whose marks are
// numbers the serving node hands out); LocalStore does not use it.
func NewSavepoint(state any) Savepoint { return Savepoint{state: state} }

// State returns the mark NewSavepoint wrapped.
func (sp Savepoint) State() any { return sp.state }
