// Package raftlog stores the Raft state of all the groups of one node —
// each group's log entries, hard state and snapshot metadata (and the
// data of a snapshot received from a leader until the state machine has
// compacted past it) — in one badger instance, so that the multi-raft
// scheduler can persist one cycle's writes for all groups with one
// fsync.
//
// The package owns the directory given to Open and everything in it. It
// does not run raft, apply entries or move snapshots between nodes: the
// scheduler (cluster/multiraft) drives raft's RawNodes and hands each
// cycle's Readys to a Batch; Store.Commit persists the batch and then
// updates each group's raft.MemoryStorage mirror, which serves raft's
// reads (GroupStorage).
//
// # Files
//
//   - store.go: Store, Open (format version check, interrupted drops),
//     Close, Groups, Storage.
//   - groupstorage.go: GroupStorage, the raft.Storage of one group.
//   - batch.go: Batch and Commit: planning a batch against the groups'
//     state, the order of its disk writes, updating the mirrors.
//   - compact.go: Compact, SnapshotData, DropGroup.
//   - load.go: reading a group from disk, completing what a crash
//     interrupted.
//   - writer.go: badger transactions and the fsync (DB.Sync).
//   - dirsync.go: the directory fsync when badger created a WAL file.
//   - keys.go, records.go: the key layout and the encoded values.
//   - badger.go: badger's options (its logging, and the removal of the
//     empty files a crash can leave, are internal/badgerutil's).
//
// # On disk
//
// One badger database. Each key starts with a byte naming its kind, then
// the group id (8 bytes, big-endian), then, for entries and snapshot
// data, the index (8 bytes, big-endian): a group's entries are
// contiguous and in index order, so loading or dropping them is a prefix
// iteration.
//
//   - 'v': the format version (4 bytes). Written when the directory is
//     created; Open refuses any other version.
//   - 'g' group: empty; the group has state on disk (Groups lists these).
//   - 'h' group: the raftpb.HardState.
//   - 's' group: the snapshot record: raftpb.SnapshotMetadata of the
//     last snapshot (received from a leader, or made by Compact), the
//     length of its data when it was received and not yet compacted
//     past, and a "clearing" flag (see below).
//   - 'd' group index chunk: the data of the received snapshot at index,
//     in chunks of 256 KiB.
//   - 'e' group index [chunk]: a marshalled raftpb.Entry, split into
//     chunks of 256 KiB (chunk 0 has no suffix; each chunk's first byte
//     says whether another follows). Most entries are one chunk.
//   - 'x' group: DropGroup started; Open finishes it.
//
// Values are chunked so that every value is below badger's value
// threshold: they all live in the LSM tree and its memtable WAL, and
// badger's value log stays empty. The durability argument below relies
// on it (a value in the value log is synced by a second msync after the
// WAL's, and DB.Sync's own comment leaves a WAL entry pointing at value
// log bytes that never reached the disk "to be handled during
// recovery", which nothing does), and there is no value-log garbage to
// collect, so the store needs no periodic maintenance call: deleted
// entries are tombstones that badger's compactions drop
// (NumVersionsToKeep 1).
//
// # Durability
//
// Badger is opened with SyncWrites false. Commit writes the batch as one
// badger transaction (txn.Commit returns once the entries are in the
// memtable and written to its WAL, a memory-mapped file) and then calls
// DB.Sync once: that is the fsync. From badger v4.9.6's source:
//
//   - DB.Sync msyncs the active memtable's WAL (memTable.SyncWAL) and
//     the current value-log file (valueLog.sync); the value log is empty
//     here.
//   - The WAL is replayed at Open transaction by transaction
//     (logFile.iterate): entries of a transaction are applied only when
//     its commit marker is read, and the replay stops at the first entry
//     whose checksum fails. So a transaction whose sync did not complete
//     is either replayed whole or not at all.
//   - When a memtable is full, the next write moves it to the flush
//     queue and starts a new WAL (DB.ensureRoomForWrite) without syncing
//     the old one; the flush writes an SST (msynced) and the manifest
//     (fsynced) before deleting the old WAL. Badger does not sync the
//     directory entry of the new WAL; dirsync.go does when one appears.
//
// So the store keeps one rule: nothing is written to badger while an
// earlier write is unsynced. Every write (Commit, Compact, DropGroup,
// the repairs at load) ends with DB.Sync, under the store's lock, and a
// batch too large for one badger transaction (badger allows 15% of the
// 32 MiB memtable, 4.8 MiB, and 52 428 keys; the writer stops at 15/16
// of that) is split into several, each
// synced before the next (writer.go). Then when a WAL is replaced, all
// of it was synced; the only unsynced data is the one transaction in
// flight; and after a crash the disk holds a prefix of the sequence of
// transactions. A Commit that returned is durable; one interrupted
// before its sync is lost entirely (if it was one transaction) or back
// to a transaction boundary.
//
// Every such prefix is a state a restart accepts, because of the order
// in which a group's writes are made (batch.go). A group is loaded (and
// what a crash interrupted completed) on first use, by Storage or a
// Commit touching it; Open itself only finishes interrupted drops.
//
//   - compaction: the snapshot record first, then the entries through
//     its index, oldest first. Loading deletes any entry at or below the
//     snapshot index.
//   - received snapshot: its data chunks (under its own index, so the
//     old record does not name them), the record marked clearing, the
//     deletion of all the group's entries, the record without the mark.
//     Loading deletes the entries of a group whose record is marked, and
//     snapshot data the record does not name.
//   - entries: a replaced suffix is deleted newest first, then the new
//     entries written oldest first; all chunks of one entry are in one
//     transaction. Any prefix leaves a log without a gap.
//   - hard state: last, so a durable hard state never commits an entry
//     that is not durable. (Loading raises a commit index below the
//     snapshot index to it: a hard state written before a snapshot was
//     received may say less.)
//   - DropGroup: the 'x' mark first and deleted last.
//
// Loading treats anything else (a gap above the snapshot, an incomplete
// entry, a hard state committing past the log) as corruption and
// returns an error rather than repairing it.
//
// What the tests show: round trips through Close and reopen; batches cut
// at every transaction boundary (cut_test.go: the reopened store loads,
// every snapshot, hard state and entry is the old or the new one, and
// nothing committed is missing); and a process killed (SIGKILL, no
// Close) while committing, after which every acknowledged batch is there
// and the one in flight is there whole or not at all (crash_test.go;
// that test found the empty files internal/badgerutil removes). A killed process
// loses nothing the kernel holds, so it exercises badger's WAL replay
// and the write order, not a power failure; the power-failure argument
// rests on the badger source as read above and on msync/fsync doing
// what they promise. A second Open of a directory in use fails (badger's
// directory lock), even in the same process, so a crash cannot be
// imitated by reopening without Close.
//
// # Use
//
// One goroutine (the scheduler) normally makes all writes; the Store is
// nevertheless safe for concurrent use, and GroupStorage (a
// raft.MemoryStorage underneath) may be read concurrently with Commit.
// Per cycle: Ready of each group → Batch.ApplySnapshot, Append,
// SetHardState → Store.Commit → only then send the Readys' messages
// (they promise what Commit made durable), restore a received snapshot
// into the state machine, apply committed entries, Advance. A Commit
// error leaves the store refusing further use: the node must stop and
// reopen it (a failed fsync cannot be retried).
//
// Limits: an entry's chunks share one transaction, so an entry may be
// up to about 4.4 MiB marshalled (Propose refuses more than 3 MiB
// upstream); the memtable size of 32 MiB is the smallest power of two
// that allows 3 MiB. Memory: up to three memtables (about 42 MiB of
// arena each, touched as filled) and an 8 MiB block cache.
//
// The mirror holds the entries since the last compaction in memory: the
// caller bounds memory by compacting (Compact,
// or Batch.Compact to ride on the cycle's fsync). The mirror's Snapshot
// has no data; the caller supplies its state machine's when raft sends
// one. A received snapshot's data stays on disk until a compaction
// passes its index, so that a crash between Commit and the state
// machine's restore is repaired at start: SnapshotData returns it, and
// the caller restores when its state machine is behind.
//
// # Goroutines
//
// The package starts none. Badger runs its own (memtable flush,
// compactions: two compactors), which Close stops.
package raftlog
