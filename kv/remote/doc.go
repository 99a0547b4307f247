// Package remote runs the parts of one node's transactions on the
// partitions other nodes lead, over gRPC: a coordinator (kv/dist) reaches
// a partition's leaseholder on another node through a Participant
// (DESIGN.md, "Transactions"). The Txn service also serves whole
// transactions on a kv.DB (Client.Begin), which the tests of the wire
// protocol use.
//
// # Protocol
//
// One bidirectional Txn stream per transaction (kvpb/kv.proto): the
// client's Begin opens it with OP_BEGIN and waits for the answer (the
// read timestamp, or the server's Begin error such as kv.ErrNotLeader);
// then each kv.Txn call is one request and one response (a Scan's result
// comes in chunks of about 1 MiB, so that a full-table scan never nears
// gRPC's message limit), except InsertFresh, which is sent in batches
// without waiting when the client can tell from its own writes that it
// will not fail with kv.ErrKeyExists (pipeline.go: which later call
// reports a batch's failure); Commit's response ends the stream, Rollback is
// sent without waiting. The server rolls the transaction back whenever
// the stream ends before Commit: the client closed it, its node died
// (keepalive pings notice), or the Server was closed.
//
// Errors cross the wire as a code naming the kv sentinel plus the
// server's text (errors.go), so errors.Is answers on the client as it did
// on the server, and *kv.NotLeaderError keeps its hint. A broken stream
// turns into kv.ErrUnavailable for the failing call and every later one,
// except a Commit already sent, whose outcome is unknown:
// kv.ErrCommitUnknown.
//
// Leadership moves: the client keeps every part's stream it has open, or
// is opening, by address and partition. When this node's replica of a
// partition sees its leader change (PartitionLeaderMoved, called by the
// server from the partition's Raft group), the partition's parts on any
// other address are given up at once: their waiting and later calls fail
// with kv.ErrConflict when a new leader is known (the old one cannot
// commit them any more), kv.ErrUnavailable when none is,
// kv.ErrCommitUnknown for a Commit in flight, and a Begin being attempted
// there with kv.ErrNotLeader so that the coordinator moves on. Without
// it, a call waiting on a paused or cut-off leader would wait for the
// client's silence bound.
//
// Silence: a call that hears nothing from the server for the client's
// silence timeout (the node's cluster.unavailable_timeout) gives the
// stream up with kv.ErrUnavailable (kv.ErrCommitUnknown for a Commit).
// That is what ends a wait on a leader that was paused or cut off when no
// local replica reports the leadership moving (a node holding no replica).
// So that a long operation is not taken for silence, the server sends a
// progress message every second while one runs (a lock wait, a large
// commit); the client skips it.
//
// Contexts: the stream lives until Commit or Rollback, independent of the
// ctx of Begin or of any call. When a call's ctx ends (a lock wait of
// GetForUpdate or Put, say), a context.AfterFunc sends OP_CANCEL naming
// the operation; the server runs each operation under its own cancelable
// context, so the wait ends with ctx's error and the transaction stays
// open. If the server does not answer within cancelGrace, the stream is
// given up.
//
// Cost: calls run on the caller's goroutine (no goroutine per call);
// requests and responses are reused. The server has one extra goroutine
// per transaction, receiving requests so that it can see a cancel while
// an operation waits. A round trip on loopback costs about 30 µs, nearly
// all of it gRPC's system calls (bench_test.go).
//
// # Partitions
//
// In a partitioned keyspace (kv/dist) a stream may instead carry one
// partition's part of a distributed transaction: its OP_BEGIN names the
// partition, the read timestamp, the transaction's id, uncertainty limit
// and start, and the server begins the part on its replica
// (Server.ServePartitions, kv.LocalStore.BeginAt). Such a stream also
// takes OP_REFRESH_TO, OP_PREPARE and OP_VALIDATE_AT; a
// kv.RefreshNeededError crosses the wire with its target timestamp.
// Resolutions and decisions of the record are unary TxnOp calls. The
// responses of a part's begin and prepare and of TxnOp carry the
// server's hybrid logical clock, which updates the coordinator's. The
// client side is Participant (participant.go). Participant.BeginWith
// sends a part's OP_BEGIN and its first operation without waiting in
// between, so both are answered in one round trip (a begin that fails
// ends the stream before the operation runs); the server of a writing
// part takes a savepoint as the part begins and names it in the begin's
// answer (savepoint 1), the mark a coordinator rolls the part back to,
// which saves an OP_SAVEPOINT round trip. A leader that waited busyWait
// for earlier commits answers kv.ErrBusy (ERROR_BUSY) and the
// coordinator asks again.
//
// # Parts
//
//	server.go   Server: the Txn service over a kv.DB; ServerOptions;
//	            ServePartitions and TxnOp.
//	participant.go Participant: a partition's replica on another node;
//	            the part steps of a remote txn.
//	client.go   Client: connections per address, Begin, the parts'
//	            streams given up on PartitionLeaderMoved.
//	txn.go      txn: the client-side kv.Txn.
//	pipeline.go InsertFresh pipelining: local duplicate check, batches.
//	errors.go   wire error codes <-> kv sentinels.
//	kvpb/       the wire format; regenerate with go generate (generate.go).
package remote
