// Package raftgroup replicates one Raft group across the nodes of a
// cluster: consensus is go.etcd.io/raft/v3 (this package only stores,
// ships and applies what the library decides), the log is durable on
// disk, and peers talk over a gRPC stream. The caller supplies a
// StateMachine; committed entries reach it through Apply, in log order.
//
// # Files
//
//   - group.go: Config, Open (restore from disk), and the API the lead
//     uses: Propose, ReadIndex, Leader/Term/IsLeader, Compact,
//     TransferLeadership, Close.
//   - loop.go: the group's loop goroutine and the handling of a Ready.
//   - storage.go: what is on disk and how it is written.
//   - transport.go: the gRPC transport (senders, receiver).
//   - fingerprint.go: the cluster settings both ends of a stream compare.
//   - raftgrouppb: the protobuf messages and service (generated code is
//     committed; `make proto` regenerates it).
//
// # The loop
//
// Each Group has one goroutine (run) that owns the raft.Node's Ready
// channel, the disk storage and every call into the StateMachine. It
// ticks raft every TickInterval and handles each Ready in the order that
// keeps promises durable:
//
//  1. save: a snapshot received from the leader, the new entries and the
//     hard state (when its term or vote changed) are written and fsynced
//     (storage.go);
//  2. the same goes into raft.MemoryStorage, which serves raft's reads;
//  3. send: only now the messages leave, since votes and append
//     acknowledgements promise what step 1 made durable;
//  4. apply the received snapshot (StateMachine.Restore);
//  5. apply the committed entries: conf changes to raft, normal entries
//     above the applied index to StateMachine.Apply;
//  6. answer read-index waiters whose index is now applied; Advance.
//
// The same goroutine serves Compact and ReadIndex requests (through
// channels) so that nothing else touches the storage or the state
// machine. Propose and incoming messages go straight to raft.Node, which
// is safe for concurrent use. A disk or state machine error stops the
// loop; the group then returns that error from every call.
//
// Proposals are accepted only on the leader (raft's
// DisableProposalForwarding): the caller must route to the leader, which
// OnLeaderChange and Leader tell it. Reads use raft's ReadIndex with
// ReadOnlyLeaseBased and CheckQuorum: one raft request is in flight at a
// time and every caller arriving meanwhile shares the next one, so a
// burst of reads costs one request per round.
//
// # On disk (Config.Dir)
//
//   - hardstate: raftpb.HardState (term, vote; its commit index is
//     rewritten only along with them, and Open raises a stale one to
//     what the state machine applied).
//   - snapshot: the metadata (index, term, voters) of the last snapshot,
//     the base index of the current log and, when the snapshot came from
//     a leader, its data (kept until the next compaction, so a crash
//     between saving it and StateMachine.Restore is repaired at Open).
//   - log-<base>/: tidwall/wal segments holding the entries after base
//     (wal index i = Raft index base+i).
//
// The two small files are replaced atomically (write tmp, fsync, rename,
// fsync the directory) and carry a CRC-32C. Entries are appended with one
// fsync per Ready; a conflicting suffix (a new leader overwrote
// uncommitted entries) is cut with TruncateBack first, and compaction
// drops a prefix with TruncateFront after the snapshot file names the new
// start. Because tidwall/wal cannot start at an arbitrary index, a
// snapshot from the leader starts a new log directory named after it;
// the snapshot file (written first) says which directory is current and
// Open deletes any other.
//
// Open loads the snapshot metadata, hard state and entries into
// raft.MemoryStorage. If the state machine is behind a stored snapshot
// (see above) it is restored from the snapshot data. Entries at or below
// max(snapshot index, StateMachine.AppliedIndex()) are not applied again.
// raft.Config.Applied stays at the snapshot index so that raft replays
// the committed conf changes after it: the voter set is rebuilt from
// them, while the normal entries among them are skipped.
//
// A fresh Dir bootstraps the group with raft.StartNode and Config.Peers
// as voters (each node writes the same initial conf changes); membership
// is fixed after that.
//
// # Compaction and snapshots
//
// The state machine says through Compact(index) that it holds everything
// through index durably. The loop then records a snapshot (metadata only,
// no data) at index-CompactionSlack (at most the applied index) and drops
// the log up to it; the slack lets a briefly slow follower catch up with
// appends. When raft needs to send a follower a snapshot (MsgSnap), the
// loop calls StateMachine.Snapshot and sends its data with the index it
// reflects (and that index's term) as the snapshot's metadata, like
// etcd's merged snapshot: the state machine may be ahead of the raft
// snapshot, and the follower continues right after what it received.
// StateMachine.Snapshot runs on the loop, so a slow one delays the group.
//
// Size limits: a snapshot travels in 1 MiB chunks, so the gRPC message
// limit does not bound it, but it is held in memory whole on both sides
// (StateMachine.Snapshot returns a []byte). Regular messages travel in
// batches of at most 1 MiB; a single entry is never split, so Propose
// refuses data over 3 MiB (ErrProposalTooLarge) to stay under gRPC's
// default 4 MiB receive limit of the node's server.
//
// # Transport
//
// One Transport per node serves all its groups (the wire carries a group
// id, 0 for now). For every peer a sender goroutine owns a bounded queue
// (4096 messages; when full, messages are dropped and raft is told the
// peer is unreachable, which it handles by retrying) and a client stream
// (Raft.Send): the first message carries the sender's id, the id it means
// to reach and the ClusterFingerprint; the receiver refuses a stream
// whose target is another node or whose fingerprint differs, with a
// FailedPrecondition status naming the setting (for example
// "cluster.replication_factor differs: 3 here, 2 on node 2"), and logs
// it; the sender logs the refusal at Error, other stream failures at
// Warn, each at most once per 10 s. After a failure the sender reports
// the undelivered messages (ReportUnreachable, and ReportSnapshot failure
// for a snapshot) and reconnects with capped exponential backoff (50 ms
// to 2 s, with jitter). A snapshot sent completely is reported as
// finished.
//
// # Goroutines
//
//   - Group.run, one per group: started by Open, stopped by Close (which
//     waits for it, then stops raft.Node's own goroutine).
//   - peer.run, one per peer of the transport: started when a group first
//     names the peer, stopped by Transport.Close (which waits for them).
//   - Raft.Send handlers run on the gRPC server's goroutines; they end
//     with their stream (the server's Stop, or the peer's Close), and
//     return Unavailable at their next message once the transport is
//     closed.
package raftgroup
