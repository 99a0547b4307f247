// Package replication fans cluster-state invalidation events (descriptor,
// role, setting and plan changes) out to every peer through persistent
// local queues, so that other nodes' caches converge in milliseconds
// instead of waiting for a miss. Events are hints carrying versions;
// correctness never depends on their delivery (see DESIGN.md, "Heartbeats
// and cluster state replication").
//
// # Parts
//
//	manager.go     Manager: New/Start/Close, Enqueue (fan-out to one queue
//	               per peer), FreshStart/Epoch, adding and removing peers.
//	membership.go  Membership (implemented by heartbeat/ over
//	               cluster_node_heartbeat) and the polling loop (shell).
//	peers.go       peerTable: the deterministic core deciding add /
//	               readdress / remove from successive active-peer sets.
//	queue.go       queue: one tidwall/wal log per queue, group commit,
//	               acknowledgement and truncation.
//	queuefile.go   queue.meta (incarnation), localq/EPOCH, torn tails are cut by internal/walrepair.
//	window.go      window: the deterministic core of a dispatcher (what to
//	               send, what an ack means, what to resend).
//	dispatcher.go  dispatcher: the goroutine shell around window, one per
//	               queue, one gRPC stream each, backoff.
//	peerconn.go    peerConn: the client connection shared by a peer's
//	               dispatchers (each has its own stream on it).
//	receiver.go    Receiver: the Deliver service; dedup, ordering, acks.
//	marks.go       mark: the receiver's persisted high-water marks.
//	handler.go     Handler, Resetter, Handlers (registry by Kind).
//	stats.go       QueueStats, Stats, the statistics line (statsReporter
//	               core + loop).
//	metrics.go     the Prometheus collector.
//	config.go      Config, defaults, Validate; backoff.go: named policies.
//	naming.go      queue names, PeerHash, QueueIndex.
//	event.go       Event: one invalidation hint (kind, key, version,
//	               payload), and its replicationpb form.
//	errors.go      the sentinel errors (ErrClosed, ErrQueueBroken,
//	               ErrRejected, ErrWrongNode, ...).
//	replicationpb/ the wire (and on-disk) format; regenerate with
//	               go generate (generate.go).
//
// # On disk
//
//	<buffer_directory>/localq/
//	  EPOCH                                this node's queue-state epoch
//	  queue_<peer>_<n>_<hash>/             one per peer and n in 0..queues_per_peer-1
//	    queue.meta                         incarnation, peer, index
//	    00000000000000000001 ...           wal segments: entry index = Seq
//	  received/<origin>_<queue>.hwm        receiver marks, one per sender queue
//
// hash is PeerHash(peer): the first 8 hex characters of the SHA-256 of the
// peer id in decimal (queue_2_0_d4735e3a).
//
// # Event flow
//
//  1. A session changes cached state and calls Enqueue(ctx, sessionID, ev).
//     For every known peer, the request goes to the committer goroutine of
//     queue QueueIndex(sessionID, queues_per_peer) towards that peer. The
//     committer takes every request waiting, writes them as one wal batch
//     with one fsync (group commit), assigns Seq = log index and answers.
//     Queues of different peers commit in parallel, so Enqueue costs about
//     one fsync whatever the number of peers. Enqueue never touches the
//     network.
//  2. The committer kicks the queue's dispatcher, which opens (or reuses)
//     its own Deliver stream to the peer and sends entries acked+1..., at
//     most Window unacknowledged, as Batches.
//  3. The peer's Receiver applies each event through the Handler of its
//     Kind, in order, skipping seq <= its mark for (origin, queue), then
//     persists the mark (fsync) and sends a cumulative Ack.
//  4. The dispatcher advances its window and the queue truncates the log
//     front (at once when the queue is empty, else every 256 entries).
//  5. A broken stream, an unreachable peer or a rejecting Ack (a handler
//     error) ends the stream; the dispatcher logs it with peer and queue,
//     waits per the backoff policy (DispatchBackoff: 50 ms doubling to 5 s,
//     reset after progress) and resends from acked+1.
//
// # Invariants
//
//   - An entry leaves a queue only after the peer acknowledged it; Enqueue
//     returns only after the entry is fsynced.
//   - Within a queue, events are applied in Seq order, across reconnects
//     and restarts of either side: the dispatcher always resends from the
//     first unacknowledged entry, and the receiver lets only the newest
//     stream of a (origin, queue) apply (an older one is canceled).
//   - Each (origin, queue, seq) is applied once: the receiver skips seq <=
//     its persisted mark. The one exception is a crash of the receiver
//     between applying a batch and fsyncing its mark: those events apply
//     again after restart. Versions make that harmless, which is also why
//     the mark is written once per batch, not once per event.
//   - One session's events go to one queue per peer, hence keep their
//     order; there is no order between sessions.
//   - An unknown Kind is logged and acknowledged; it never blocks a queue.
//   - Every goroutine has an owner: committers and dispatchers belong to
//     their peer's set (stopped by peer removal or Close), the membership
//     and statistics loops to the Manager, a stream's receive goroutine to
//     its dispatcher. Close stops, in order: the loops, the dispatchers,
//     the committers (after draining), the logs, the Receiver.
//
// # Peers, retention, fresh start and epochs
//
// A peer listed by Membership for the first time gets its queues. A peer
// absent from the active set keeps its queues (entries wait on disk and
// are delivered when it returns) until it has been absent for
// peer_retention, measured on this node's clock; then its queues are
// deleted with what they held (logged with the count). Queues found on
// disk at startup are reopened and wait until their peer is seen.
//
// Losing events is detected on both sides:
//   - Sender side: every queue has an incarnation (random, in queue.meta).
//     A queue deleted and created again has a new one. A receiver whose
//     mark holds another incarnation knows that events may have been lost
//     and calls Reset(origin) on every handler implementing Resetter before
//     applying the new incarnation's events.
//   - Local side: localq/EPOCH is created with a random epoch when the node
//     finds no queue state. FreshStart then returns true: the node may have
//     missed events while its state was gone and must not trust any cache
//     it kept. Epoch is meant for the heartbeat row, so that operators and
//     peers can see a node's state restart.
//
// Events enqueued before a peer is first seen are not sent to it: a new
// node starts with empty caches and loads current state.
//
// # Debugging
//
//   - select * from cluster_replication_queues (Stats): waiting, delivered,
//     failed, oldest age, last error and connected per queue. The same
//     figures are Prometheus metrics quorumdb_replication_queue_*.
//   - The log: "replication: queue stats" every stats_interval per peer;
//     "replication: entries stuck" (WARN) when an entry waited longer than
//     stuck_after; "replication: delivery failed" (WARN at the first
//     failure and then at doubling attempt counts) with peer, queue,
//     address and error; receiver lines for rejections, sequence gaps,
//     unknown kinds and queue recreation.
//   - A queue directory can be inspected offline: queue.meta is text, and
//     each segment is a sequence of uvarint length + replicationpb.Event.
//   - Waiting grows while the peer is ACTIVE: look at last_error (a
//     handler rejecting, a wrong node at the address: ErrWrongNode).
package replication
