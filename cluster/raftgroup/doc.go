// Package raftgroup replicates one Raft group across the nodes of a
// cluster: consensus is go.etcd.io/raft/v3 (this package only stores,
// ships and applies what the library decides), the log is durable on
// disk, and peers talk over a gRPC stream. The caller supplies a
// StateMachine; committed entries reach it through Apply, in log order.
//
// # Files
//
//   - group.go: Config, Open (restore from disk), and the API the
//     replicated store uses: Propose, ReadIndex, LeaseValid, Leader/Term/IsLeader,
//     Compact, TransferLeadership, Close.
//   - core.go: the deterministic core: raft's RawNode, tick spacing,
//     read rounds, the lease's bookkeeping, the vote refusal after a
//     start, leadership transfer. No goroutines, no wall clock.
//   - lease.go: the leader lease — the argument for it, its timing
//     (lease duration, vote grace) derived from the tick configuration.
//   - clock.go: the Clock the core reads (internal/bootclock by default:
//     CLOCK_BOOTTIME on Linux) and the drift the lease allows for.
//   - loop.go: the shell: the loop goroutine that feeds the core and
//     handles each Ready (disk, transport, applier).
//   - apply.go: the applier goroutine.
//   - storage.go: what is on disk and how it is written.
//   - transport.go: the gRPC transport (senders, receiver); how a peer
//     is dialed and the cluster fingerprint are cluster/peerlink's.
//   - fingerprint.go: the stream header carrying the fingerprint.
//   - raftgrouppb: the protobuf messages and service (generated code is
//     committed); generate.go: its go:generate line (protoc), which
//     `make proto` runs.
//   - sim_test.go, lease_test.go: a deterministic simulation of several
//     cores (real time, per-node clock rates, latency, cuts, pauses,
//     restarts) and the scripted lease scenarios run on it.
//
// # Core and shell
//
// raft's RawNode is not safe for concurrent use, so one goroutine owns
// it: the loop (run). The core (core.go) wraps the RawNode with the
// decisions the group adds to raft and is called only by the loop — or,
// in tests, by a script that moves a simulated clock. The loop is the
// shell: it owns the ticker, the channels from the API and the
// transport, the disk storage, and the hand-off to the applier. Every
// input reaches the core through the loop:
//
//   - ticker: the peers' messages already received are stepped first (a
//     follower that was busy hears the leader before its election timer
//     counts another tick), then core.tick: one raft tick, unless the
//     last was less than 90% of TickInterval ago on the Clock (the lease
//     relies on that spacing), and a new read round;
//   - inbox: messages from the transport's receivers (the receiver waits
//     when the inbox is full);
//   - propc: Propose calls, drained together so a burst is one Ready;
//   - readc: ReadIndex callers without a lease, who join the next read
//     round; transferc: TransferLeadership; reportc: messages the
//     transport could not deliver and snapshot outcomes.
//
// After each input the loop handles every Ready in the order that keeps
// promises durable:
//
//  1. save: a snapshot received from the leader, the new entries and the
//     hard state (when its term or vote changed) are written and fsynced
//     (storage.go); a leader sends its appends before its own fsync
//     (Raft thesis 10.2.1), since it counts itself in a majority only
//     after Advance;
//  2. the same goes into raft.MemoryStorage, which serves raft's reads;
//  3. send: only now the other messages leave, since votes and append
//     acknowledgements promise what step 1 made durable;
//  4. apply the received snapshot (StateMachine.Restore, after the
//     applier drained);
//  5. committed entries: conf changes are applied to raft, normal
//     entries above the applied index go to the applier;
//  6. read callers whose read index is applied are released; Advance.
//
// A disk or state machine error stops the loop; the group then returns
// that error from every call. That is safe for a failed log append or
// fsync: the messages depending on the entries were not sent (a leader's
// early appends count for nobody until its own Advance), and the unsynced
// tail is cut at the next Open; but the group stays stopped until a
// restart. So a follower asks Config.AcceptEntries before stepping a
// MsgApp carrying entries, and the transport asks it before accepting a
// snapshot: the replicated store refuses while its disk is below its
// free-space reserve. The append is dropped (the snapshot refused, so
// the leader hears it failed); raft's leader resends after the next
// heartbeat answer even when its whole in-flight window was lost, so the
// follower, which still answers heartbeats and votes, lags and catches
// up once it accepts again.
//
// # Reads and the lease
//
// Proposals are accepted only on the leader (raft's
// DisableProposalForwarding): the caller must route to the leader, which
// OnLeaderChange and Leader tell it. ReadIndex is the read barrier of a
// linearizable read. raft runs with ReadOnlySafe: its ReadIndex answers
// only after a quorum acknowledged a heartbeat sent for the request. The
// core sends such a request, a read round, at every tick while it leads,
// noting the Clock before it; when raft answers, the leader holds a lease
// until that reading plus the lease duration (lease.go explains why no
// other leader can exist before then, and what it assumes: a bounded
// clock-RATE drift, no bound on offsets). Group.ReadIndex checks the
// lease against a fresh Clock reading on the caller's goroutine and
// returns at once while it holds (and everything of earlier terms is
// applied); otherwise the caller joins the next read round and returns
// once the leader has applied the index raft answered. So the common
// read costs no round trip, and a leader that was paused, cut off, or
// whose loop fell behind reads through a quorum or not at all. A node
// refuses votes for an election timeout after it opens its group, and a
// leader that starts a transfer gives up its lease for the rest of the
// term: the two ways around the followers' promise.
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
// to 1 s, with jitter). A snapshot sent completely is reported as
// finished.
//
// A received snapshot is checked before raft sees it (checkSnapshot):
// its data must match the SHA-256 the sender computed, be at most
// maxSnapshotBytes (refused before anything is allocated), come from the
// node this one knows as the leader, and satisfy the state machine's
// ValidateSnapshot when it has one (SnapshotValidator). A refused one
// ends the stream; the sender reports the snapshot failed and raft tries
// again later. With peer TLS (SetAuthorizer) a stream is accepted only
// from a caller whose certificate names the node its header claims.
//
// Dead connections are found quickly, because a partition must not cost
// more than the election it causes. A stream idle for 250 ms carries an
// empty batch (the receiver skips it): the stream between two followers
// is otherwise silent between elections, and a connection that died
// meanwhile (cut, or given up by the far end's keepalive) would swallow
// the next election's vote requests. Connections to peers are dialed
// with TCP_USER_TIMEOUT 2 s (Linux): data unacknowledged that long means
// the network is gone — a paused peer's kernel still acknowledges — and
// the connection is dropped and dialed again, each attempt bounded to
// 1 s so that one begun during a cut does not outlast it by seconds of
// SYN retransmissions (cluster/peerlink's Dial and DialOptions).
//
// # Goroutines
//
//   - Group.run, one per group: the loop, the only goroutine that touches
//     the core, the RawNode and the disk storage. Started by Open,
//     stopped by Close (which waits for it).
//   - Group.runApplier, one per group: calls StateMachine.Apply for the
//     committed entries the loop hands it, so a long Apply (a commit of
//     a million rows) does not stop ticks and heartbeats. Started by
//     Open; ends when the loop closes its queue on the way out.
//   - peer.run, one per peer of the transport: started when a group first
//     names the peer, stopped by Transport.Close (which waits for them).
//   - Raft.Send handlers run on the gRPC server's goroutines; they end
//     with their stream (the server's Stop, or the peer's Close), and
//     return Unavailable at their next message once the transport is
//     closed.
package raftgroup
