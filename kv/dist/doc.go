// Package dist coordinates transactions over a partitioned keyspace
// (DESIGN.md, "Transactions"): the node a client is connected to runs
// its transactions itself, sending each operation to the leaseholder of
// the partition that holds the key, and commits them atomically across
// partitions. There is no cluster-wide leader.
//
// # Reads
//
// A transaction takes its read timestamp from the node's hybrid logical
// clock at Begin and begins a part (kv.ParticipantTxn, through
// kv.LocalStore.BeginAt) on each partition it touches, lazily, all at
// that timestamp, so its reads form one snapshot across partitions. A
// partition serves a part only once every commit at or below the
// timestamp is applied there, including prepared transactions (whose
// commit timestamp it does not know yet), and advances its clock past
// it, so nothing later commits below.
//
// Clocks differ between nodes: a commit that finished before the
// transaction began may carry a timestamp above its read timestamp, by
// up to the maximum clock offset. BeginAt refuses to start a part when
// its partition has a commit in that window (the uncertainty window,
// bounded by the transaction's first read timestamp plus
// Config.MaxClockOffset), and the transaction moves its read timestamp
// past it first. Moving the read timestamp (refreshAll) is also what a
// part asks for when it takes a lock on a key written after the
// snapshot (kv.RefreshNeededError): every part moves together, provided
// nothing any of them read changed in between, so the parts never read
// at different timestamps. Otherwise the transaction aborts with
// kv.ErrConflict (40001).
//
// Scans over several partitions run on all of them in parallel, each
// with the scan's limit, and are merged in key order.
//
// # Commit
//
// A transaction that wrote nothing commits by ending its parts. One
// that wrote in a single partition and read nowhere else commits there
// alone, in one Raft proposal (the path of single-row statements). Any
// other commits in two phases through a transaction record kept in the
// partition of its first write (commit.go):
//
//  1. every written part is prepared (validated, its writes replicated
//     as a prepared part that holds its locks, at a prepare timestamp);
//  2. every part validates its reads up to the commit timestamp C, the
//     highest prepare timestamp, and its partition's clock passes C;
//  3. the record partition decides commit at C unless the record is
//     aborted already — the commit point;
//  4. the other written parts are resolved, and the record dropped — in
//     the background, after Commit returned (DB.Close waits for it):
//     until a part is resolved its partition holds readers back and the
//     part keeps its locks, so nobody sees the transaction half done.
//
// A failure before the decision drops every written part, writing no
// record (only the coordinator decides commit, so an absent record means
// abort): the transaction did not commit, and the client may retry.
// Every record is dropped once the parts are resolved. A decision whose
// answer is lost is kv.ErrCommitUnknown (40003), never a false failure.
//
// # Failures
//
// A coordinator that dies leaves prepared parts behind; they hold back
// readers of their partitions and keep their locks. Recover, run by the
// node leading each partition for the parts older than a timeout,
// decides abort in the record unless it says committed, and resolves
// the part as the record says: nothing stays locked, and a transaction
// is committed everywhere or nowhere. Prepared parts and records are
// replicated through the partitions' logs and survive restarts and
// leadership changes (kv/txnapply.go).
//
// Deadlocks between parts of transactions whose partitions are led by
// one node are found as they form: the parts of a transaction on a node
// share one identity (kv.TxnOptions.ID) in the lock tables' waits-for
// walk. A cycle through several nodes is invisible to each node's walk,
// which ends at a part whose transaction is blocked elsewhere (or
// running); a waiter still blocked after half a second gives way if it
// is younger (kv.TxnOptions.Start) than that part's transaction, with
// kv.ErrDeadlock (40P01). The youngest transaction of every cycle is
// such a waiter, so every cycle ends, at the price of occasionally
// aborting a younger waiter behind an older transaction that is merely
// slow for more than half a second.
//
// # Files
//
//	db.go      DB, Config, Partitions and Participant; leaseholder retries;
//	           Stats (commits by kind, restarts by cause, read moves,
//	           recovered parts), which the server exports as metrics
//	txn.go     txn: routing of each operation, parts, refreshAll, savepoints
//	scan.go    scans across partitions: parallel parts, merge
//	commit.go  Commit: one-phase and two-phase, aborts, dropping records
//	recover.go Recover: resolving abandoned prepared parts
//	route.go   KeyPlacement: which partition holds a key (the system
//	           keyspace in partition 0; table keys by table, index and
//	           first key column, whose end the SQL layer's registered
//	           ColumnSkipper finds)
package dist
