// Package kv owns the transactional, ordered key-value layer that the sql
// layer runs on: the DB/Txn interfaces, the order-preserving key encoding
// and the compact value (row) encoding, MVCC versions at hybrid-logical-
// clock commit timestamps, serializable validation of transactions, and
// the single-node store on badger/v4 in managed mode (LocalStore).
//
// Imports point down: kv knows nothing of SQL types; the sql layer maps its
// datums onto the primitive encodings here.
//
// # Files
//
//	kv.go          the contract: DB, Txn, Timestamp, sentinel errors
//	multiget.go    MultiGetter, GetMany: several Gets in one request
//	keys.go        key spaces (0x00 reserved, 0x01 system, 0x10 tables)
//	hlc.go         Clock: hybrid logical clock (Now, Update)
//	config.go      LocalConfig: defaults and Validate
//	engine.go      Engine: one badger shared by a node's partitions, each
//	               store's keys under its partition's prefix
//	store.go       LocalStore: Open, Close, Begin, maintenance goroutine,
//	               checkpoints, MVCC garbage collection
//	txn.go         localTxn: Get, GetForUpdate, Put, Delete, DeleteRange,
//	               Rollback
//	insert.go      Insert, InsertFresh: unlocked writes of new keys
//	hotkeys.go     the cache of system keys' newest versions (catalog reads)
//	lock.go        lockTable: write locks, FIFO wait queues, deadlock
//	               detection
//	refresh.go     taking a transaction's lock; read refresh
//	scan.go        Scan: merge of the badger snapshot and own writes
//	writebuf.go    writeBuffer: a transaction's writes (btree + ranges)
//	span.go        key ranges and sorted-key set operations
//	conflict.go    recent-commit list, read-set validation, refresh
//	               checks, open txns
//	commit.go      the commit pipeline and apply-to-badger
//	watermark.go   the visible timestamp over out-of-order applies
//	wal.go         walWriter: redo log, group commit, torn-tail repair
//	walrecord.go   WAL record format (chunked, checksummed)
//	recover.go     replay of the WAL at Open
//	diskspace.go   the free-space guard: ErrDiskFull below MinFreeBytes
//	               (diskspace_unix.go, diskspace_other.go: statfs)
//	stats.go       LocalStats counters
//	savepoint.go   savepoints: marks in the write buffer, rollback to them
//	replica.go     replicated mode: OpenReplica, OpenPartitionReplica,
//	               Attach, LeaderChanged,
//	               Begin's ReadIndex (the lease, in cluster/multiraft)
//	replicacommit.go the commit pipeline of the leader: propose, wait for
//	               the apply (proposeWrites, shared with Prepare)
//	participant.go a partition's part of a distributed transaction
//	               (kv/dist): BeginAt, RefreshTo, Prepare, ValidateAt;
//	               Resolve, Decide, Forget, Prepared
//	recentcommits.go the timestamps of the last commits applied, for
//	               BeginAt's uncertainty check
//	txnapply.go    prepared parts and transaction records: applying
//	               their log entries, persisting, reloading; the
//	               conflict tracker's queue of changes from the applier
//	replicaapply.go Apply (committed entries), checkpoints, Snapshot,
//	               Restore
//	snapshot.go    ValidateSnapshot: a snapshot is checked before the store
//	               is replaced
//
// # LocalStore
//
// Versions live in badger opened with OpenManaged: a commit writes its
// keys at its commit timestamp, a delete is a tombstone at that
// timestamp, and a transaction reads through a badger read transaction
// at its read timestamp. Reads see the transaction's own writes, which
// stay in a writeBuffer until Commit.
//
// Begin takes the visible timestamp as the read timestamp: the highest
// commit timestamp such that every commit at or below it is fully
// applied. Commits apply in parallel, so the watermark advances over the
// applied prefix only; a half-applied commit is never visible, and a
// commit's Commit returns only once the watermark covers it, so every
// Begin after it sees it.
//
// Commit of a read-write transaction (commit.go):
//
//  1. Under commitMu: validate, take the commit timestamp (Clock.Now,
//     strictly increasing) and register it with the watermark in one
//     step, add the commit to the recent list, and queue it to the WAL
//     writer. Queueing
//     under the lock keeps the WAL in timestamp order.
//  2. The WAL writer goroutine appends every queued commit and fsyncs
//     once for the group (group commit), outside commitMu: validation of
//     later transactions proceeds during the fsync, and counts the
//     not-yet-durable commits as conflicting.
//  3. The committer applies its writes to badger (versions at the commit
//     timestamp fed in key order through badger's KVLoader, not synced:
//     the WAL is the redo log, so badger's own transactions would only
//     add per-key map work).
//  4. It marks the commit applied and waits for the watermark.
//
// Validation (conflict.go) is backward optimistic validation: a
// transaction fails with ErrConflict if a commit with a timestamp above
// its read timestamp wrote a key it read (Get, found or not), a key in a
// span it scanned (only up to the last key returned when a limit stopped
// the scan), a key it writes, or into a range it deleted. The recent list
// keeps commits down to the oldest open read timestamp; when it exceeds
// maxRecentKeys the oldest are dropped anyway and a transaction reading
// below that horizon fails validation. Read-only transactions, and
// read-write ones that wrote nothing, never validate.
//
// # Engines and partitions
//
// A store keeps its versions in an Engine, one badger in managed mode.
// Open and OpenReplica give the store an engine of its own (Dir/data),
// whose keys are the store's keys. The replicas of a node's partitions
// share one engine (OpenPartitionReplica): partition p's keys carry the
// 4-byte prefix PartitionPrefix(p), so each partition is one contiguous
// range that its snapshot streams (badger's Stream with the prefix), its
// restore drops (DropPrefix) and its markers live in. Badger refuses
// every write while a DropPrefix runs, so writes to the engine hold
// Engine.writeMu for reading and a drop holds it for writing: the other
// partitions' applies wait for the drop instead of failing (which
// stopped a node catching up several partitions by snapshot at once). Everything above badger —
// locks, the conflict tracker, the watermark, the hot-key cache — stays
// per store; the node's hybrid logical clock is shared
// (ReplicaConfig.Clock). Badger's discard timestamp is the lowest read
// timestamp any store on the engine still needs.
//
// # Parts of distributed transactions
//
// In a partitioned keyspace each partition's leader serves parts of
// transactions that kv/dist coordinates (participant.go). BeginAt reads
// at the coordinator's timestamp instead of the visible one: it waits
// for the parts prepared here to be resolved and for every commit at or
// below the timestamp to apply, and advances the clock past it. The
// advance is a fence (watermark.closeAt): it and a commit's taking and
// registering of its timestamp (watermark.beginNow) happen under the
// watermark's lock, so a commit either takes a timestamp above the fence
// or is pending when the wait begins. Done in two steps, a reader slipped
// between them and read a snapshot that the commit changed afterwards.
//
// Prepare is Commit's validation and proposal with a different entry
// kind: the part's writes go through the log as a prepared part
// (entryPrepare), which every replica records in memory and in badger's
// metadata space (\x00prep/<id>) instead of applying. Until a txnOp
// entry resolves it, the part:
//
//   - holds a pending slot in the watermark at its prepare timestamp p,
//     so nothing at or above p becomes visible (it may commit anywhere
//     from p up) — registered again on every replica after a leadership
//     change, and at Open;
//   - is in the conflict tracker as a commit at p, so a transaction that
//     read or wrote its keys from a snapshot below p fails validation,
//     on this leader and on the next;
//   - keeps the write locks of the transaction that prepared it, on the
//     replica where it was prepared.
//
// Resolving applies the writes at the commit timestamp C (or drops
// them), moves the tracker's record to C, and frees the slot and the
// locks. Decide is the record partition's commit point: commit at C
// unless the record says aborted, or abort unless it says committed,
// both persisted (\x00txn/<id>) and answered with the state they left;
// if the record partition holds a part too, the same entry resolves it.
// Every txnOp is idempotent, so a coordinator or a recovering leader
// repeats it after a leadership change.
//
// The conflict tracker is guarded by commitMu, which a proposer holds
// while the log takes its entries; the applier therefore never waits for
// it and queues its tracker changes instead (trackerOp), applied by the
// next holder of commitMu before any use. Metadata versions stay above
// the applied timestamp and badger's discard timestamp (metaVersion;
// garbage collection never passes the oldest prepared part), since
// badger refuses writes below the discard timestamp.
//
// # Write locks and read refresh
//
// Validation alone makes writers of a hot row (pgbench's branch balance)
// fail: both read it at their snapshot and the second to commit loses.
// So, as PostgreSQL and CockroachDB do, writers queue on a per-key lock.
// GetForUpdate, Put and Delete take an exclusive, re-entrant lock on
// their key (lock.go), held until Commit or Rollback; DeleteRange takes
// none and is only validated. Read-only transactions never lock. Keys
// with a buffered point write are known locked without asking the table;
// otherwise an uncontended lock is a map insert under one of 16 shard
// mutexes. Locks cost memory (about 64 bytes plus the key each) and count
// towards MaxTxnBytes.
//
// A transaction finding the key locked queues behind the holder. Release
// hands the lock to the first waiter (FIFO, no barging). A committing
// holder releases only after its commit is visible, so the next holder
// can see it. The wait ends with ctx's error (the transaction stays
// open), ErrClosed when the store closes, or ErrDeadlock (below).
//
// Once the lock is newly held, if a commit after the transaction's read
// timestamp wrote the key (the previous holder's, typically), reading
// the key at the read timestamp would be stale and Commit would fail.
// Instead the transaction tries a read refresh (refresh.go): if no
// commit in (read timestamp, visible timestamp] wrote anything it read
// (keys, scanned spans) or into its deleted ranges, each of its reads
// returns the same at the visible timestamp, so the read timestamp moves
// there (new badger snapshot, re-registered with the open-transaction
// set) and serializability holds as if it had begun there. Otherwise it
// fails with ErrConflict and is aborted, releasing its locks at once.
// The key check uses the recent-commit list when it is short and asks
// badger for the key's newest version (tombstones included) otherwise.
// While the lock is held no other point write to the key can commit, so
// a read-modify-write through GetForUpdate never fails on that key at
// Commit; a DeleteRange over it still can, and validation catches it.
// Commit validation itself is unchanged: plain reads, scans and ranges
// still depend on it (write skew is still refused).
//
// # Unlocked inserts
//
// A new row's key needs no lock to queue on: nobody else can be
// updating a row that does not exist yet. Insert (and InsertFresh, for
// keys the caller knows are absent from the snapshot: generated row ids,
// a just-created index) writes such keys with no lock and no read
// record, so a bulk load costs a buffer insert per key. Safety comes
// from validation: the key is in the write set, so any commit after the
// read timestamp that wrote it fails this transaction's Commit; and a
// read refresh is refused if a commit in its window wrote an unlocked
// key (conflictTracker.refreshable), since moving past that commit would
// hide the write-write conflict. Concurrent inserts of one key thus end
// with the second committer getting ErrConflict instead of waiting. The
// entry carries its unlocked mark for the rest of the transaction.
//
// Deadlocks: a blocked transaction waits for exactly one key, so the
// waits-for graph is a set of chains waiter -> holder of its key. A
// transaction about to block registers its edge and follows the chain
// under lockTable.waitMu; reaching itself means it closes a cycle, and
// it fails at once with ErrDeadlock (SQLSTATE 40P01) and is aborted, so
// the others proceed. Transactions on a chain cannot release or take
// locks while the walker holds waitMu (they are blocked, or woken and
// about to clear their edge under waitMu), so the walk never reports a
// cycle that is not there, and of concurrent waiters closing one cycle
// the last to register sees it. LockTimeout (default 10 s) is the
// fallback for waits the graph cannot see (one goroutine driving two
// transactions, a client idle in a transaction): the waiter then also
// gets ErrDeadlock and is aborted.
//
// Lock order in kv: closeMu, then commitMu, then watermark.mu or
// activeSet.mu, then Clock.mu; lockTable.waitMu, then a lock shard's mu. No lock is
// held while waiting for a write lock; in particular not closeMu, which
// a holder's Commit needs while a Close may be queued for it.
//
// DeleteRange keeps the range in the write buffer; at apply it becomes a
// tombstone per key present just below the commit timestamp (the same
// keys the transaction saw, since validation rejects any commit into the
// range after its read timestamp, refreshed or not). The range counts as
// read and written.
//
// # Recovery
//
// A commit is durable when its WAL record is synced; badger is a cache
// of the WAL's effect. Checkpoints (after CheckpointBytes of WAL, every
// MaintenanceInterval if anything was written, and on Close) sync
// badger, write the applied marker (key 0x00"applied" = the visible
// timestamp A) and sync again, then truncate the WAL through the
// previous checkpoint's marker. That one checkpoint of slack is
// deliberate: badger's Sync covers its active memtable and value log,
// while a memtable already queued for flush relies on the kernel
// writing back its mmap'd log; by the next checkpoint it is normally in
// a synced table. (A machine crash during that window after two quick
// checkpoints could still lose it — when Raft replaces the WAL, the Raft
// log's retention will give the same slack by applied index.)
//
// Open replays every complete WAL commit above the marker in log order,
// at its own timestamp; re-applying is idempotent. A torn tail is cut: a
// partial tidwall/wal entry (internal/walrepair), entries failing our CRC, or
// a commit whose last chunk is missing — none of them was acknowledged.
// Damage followed by valid entries is refused as corruption. The clock
// is advanced past every version on disk.
//
// # Failures
//
// A commit that fails after taking its timestamp (WAL write or fsync
// error, badger apply error) returns ErrCommitUnknown and stops the
// store: Begin and Commit return ErrUnavailable from then on and the
// watermark never advances again. Retrying an fsync is unsafe (the
// kernel may have dropped the dirty pages and report success next time),
// and appending after a record of unknown fate could replay a commit
// that was reported failed, so, as PostgreSQL does on fsync failure, the
// process must restart and let recovery decide from what is on disk.
//
// # Disk full
//
// badger writes its memtable log, value log and tables through mmap over
// files sized in advance (sparse), so on a full disk a write is SIGBUS,
// not an error; and an ENOSPC from the WAL would stop the store (above).
// So a read-write commit first asks the free-space guard (diskspace.go),
// before validation and before anything is queued: if the free space of
// Dir's filesystem (and, in replicated mode, the Raft log's), less twice
// the sizes of the commits admitted since the last measurement and twice
// this one's (the log, and badger's memtable log), would fall below
// MinFreeBytes, Commit returns a *DiskFullError (ErrDiskFull) and nothing
// happened. The measurement is a statfs cached for 200 ms and refreshed
// by the commit path itself, so commits pass again by themselves once
// space is freed. Read-only transactions never ask. The reserve (default
// max(256 MiB, 3 memtables)) is what accepted commits still need: badger
// flushing the memtable they filled and compacting, checkpoints, WAL
// replay at the next Open. A replica asks CheckDiskSpace before taking
// new log entries (cluster/multiraft's NodeConfig.AcceptEntries). The guard
// logs one Warn entering the full state and one Info leaving it.
//
// # Lifecycle and goroutines
//
// Open starts two goroutines, both stopped by Close: the WAL writer
// (walWriter.run, ends when its request channel is closed) and the
// maintenance loop (checkpoints, badger's discard timestamp for MVCC
// garbage collection). Close refuses new operations, waits for in-flight
// commits (they hold closeMu shared), ends every lock wait with
// ErrClosed (waiters watch the stop channel), stops both goroutines,
// checkpoints and closes badger and the WAL. A blocked lock wait is the
// only other place a caller's goroutine parks inside kv; it starts no
// goroutine and leaves a timer only while it waits.
//
// # Towards Raft
//
// The WAL writer plus apply is the seam: a Raft group's log replaces the
// walWriter (a proposal instead of a request, the committed entry instead
// of the fsync), the apply step becomes the state machine's, and the
// applied marker becomes the applied index.
//
// # Debugging
//
// Stats reports commits, conflicts, lock waits, deadlocks, read
// refreshes, WAL group syncs and the visible timestamp. Replay and tail repair log at Info/Warn with component=kv;
// badger's own messages are logged one level lower with
// component=badger.
package kv
