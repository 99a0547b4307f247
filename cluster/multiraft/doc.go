// Package multiraft drives the many Raft groups of one node — one per
// partition of the keyspace — as one: a single core steps every group's
// go.etcd.io/raft/v3 RawNode, sends one batch per peer per cycle (the
// heartbeats of all groups coalesced into a few words each), lets idle
// groups go quiet, and carries liveness and leases once per node pair
// instead of once per group. Consensus is raft's; this package decides
// only when to tick, what to send together, and when a leader may read
// locally.
//
// # Files
//
//   - core.go: Core, the deterministic part: AddGroup, Tick, Step,
//     Propose, ReadIndex, TransferLeadership, Ready/Advance. No
//     goroutines, no wall clock, no disk, no network.
//   - support.go: beats, the followers' support and the leaders' leases
//     — the argument for them is written there.
//   - quiesce.go: when a leader stops ticking a group, and what wakes it.
//   - rebalance.go: leadership placement — a leader hands its group to
//     the group's preferred node once that node is healthy, unless it
//     asked to be spared (SetUnwilling).
//   - batch.go: Batch, what one node sends another in one cycle.
//   - config.go: Config, Clock, and the timing derived from them.
//   - node.go: Node, the shell: Start (open every group from the
//     cluster/raftlog store), Propose, ReadIndex, LeaseValid, Compact,
//     TransferLeadership, Close; the StateMachine a group applies to.
//   - loop.go: the loop goroutine that feeds the core and handles each
//     Ready (one fsync for all groups, send, restore, apply), the
//     appliers (one goroutine per group), read rounds, compaction.
//   - transport.go: the gRPC transport: two lanes per peer, each a
//     sender goroutine streaming its part of each cycle's batch (data:
//     appends and snapshots; control: everything else, never queued
//     behind a bulk load's appends), snapshots in chunks, the receiver
//     checking the stream's header (cluster/peerlink's fingerprint, peer
//     TLS) and every message before the node sees it.
//   - multiraftpb: the protobuf messages and service (generated code is
//     committed); generate.go: its go:generate line, which `make proto`
//     runs.
//   - sim_test.go, core_test.go, testdata/: a simulated cluster of cores
//     driven by datadriven scripts (github.com/cockroachdb/datadriven):
//     elections in many groups, quiescence and its traffic, coalescing,
//     a killed leader, a paused leader with drifting clocks, a cut-off
//     leader stepping down, a follower caught up by snapshot, a
//     leadership transfer, leadership returning to preferred nodes. Every step checks that no lease outlives the
//     promises it rests on.
//   - random_test.go: random schedules of kills, restarts, pauses, cuts
//     and clock-rate changes over 40 seeds, with the same check and, once
//     healed, one leader per group and identical applied sequences.
//   - node_test.go: three real nodes over loopback gRPC with their
//     stores on disk: 64 groups elect, replicate, read under leases and
//     fall silent when idle; a stopped node's groups fail over and it
//     catches up by snapshot after a restart; a follower refusing
//     entries (full disk) lags, then catches up.
//   - split_test.go: what leaves before the cycle's fsync;
//     snapshot_test.go: what a received snapshot is checked for.
//   - transport_test.go: a returning peer reached at once, a one-voter
//     group, a mismatched configuration refused; fuzz_test.go:
//     FuzzDecodeBatch, what the receiver accepts from the wire.
//
// # Goroutines
//
//   - Node.run, one per node: the loop, the only goroutine that touches
//     the Core and writes the store. Started by Start, stopped by Close
//     (which waits for it), or by an error (Err).
//   - groupState.runApplier, one per group: calls StateMachine.Apply, so
//     a long apply in one group stops neither ticks nor other groups.
//     Ended by the loop closing its queue on the way out.
//   - sender.run, two per peer of the transport (the lanes): started by
//     NewTransport, stopped by Transport.Close (which waits for them).
//   - MultiRaft.Send handlers run on the gRPC server's goroutines and end
//     with their stream.
//
// # The cycle
//
// The caller (the shell: the node's scheduler goroutine) calls Tick every
// TickInterval and Step for every batch a peer sends, then, while
// HasReady, takes a Ready and handles it in the order that keeps raft's
// promises: send a leader's appends and heartbeats and the beats; persist
// every group's snapshot, entries and hard state with one fsync for all;
// send the rest; apply the committed entries (re-applying conf changes,
// skipping normal entries the state machine already holds); Advance.
// Votes and append acknowledgements leave only after the fsync that
// backs them.
//
// # Why beats, and not raft's heartbeats, keep groups alive
//
// A raft follower campaigns when it stops hearing heartbeats, so an idle
// group must either keep sending them — 64 groups × every tick × every
// follower — or its followers need another reason not to campaign. Here
// that reason is the beat: one message per node pair per tick, listing
// the groups the sender leads there. A follower that hears its leader's
// beat supports it (does not tick the group, drops vote requests) for an
// election timeout; the leader's acknowledged beats give it a lease in
// every group a quorum supports, so reads stay local in a quiesced
// group; and when beats stop, support runs out and the followers elect a
// new leader. support.go gives the safety argument, quiesce.go the
// quiescence rules.
//
// # Starting and restarting
//
// A group whose storage is empty is bootstrapped with its voters (every
// replica does the same); raft refuses to campaign until the shell has
// applied those conf changes from the first Ready. A group with state is
// opened at its snapshot index: raft hands out the entries after it
// again, so the voters are rebuilt from the conf changes among them, and
// it grants no vote for voteGrace after the start, since it may have
// supported a leader before a crash it cannot remember.
package multiraft
