package sql

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/quorumdb/quorumdb/kv"
	"github.com/quorumdb/quorumdb/sql/pgerror"
)

// Answering without quorum. Two things must work on a node whose
// keyspace has no leader (a majority of the replicas is down or cut
// off), because that is when an operator needs them: logging in, and
// reading the operator tables that have a local view
// (cluster_node_heartbeat, cluster_partitions). Both wait for the
// keyspace's leader at most Config.QuorumWait (beginQuorum); past it,
// a login uses the credentials this node last read (credcache.go) and a
// statement on those tables runs on a localViewTxn, which answers no kv
// operation, with each table's rows from the node's own state and a
// NOTICE saying so. Everything else keeps waiting for the leader (the
// router's own bound) and fails with 08006 when there is none.

// DefaultQuorumWait is the default of Config.QuorumWait: longer than a
// leader needs to answer (milliseconds), shorter than an election.
const DefaultQuorumWait = 2 * time.Second

// The source column of the operator tables with a local view.
const (
	// SourceCluster: the statement's transaction reached the keyspace's
	// leader; cluster_node_heartbeat shows the replicated table, and
	// cluster_partitions this node's Raft state while a leader answers.
	SourceCluster = "cluster"
	// SourceLocalView: no leader answered within QuorumWait; the rows are
	// this node's own view (direct heartbeats from its peers, its local
	// Raft state) and may be stale.
	SourceLocalView = "local view"
)

// errQuorumWait is the cause of a bounded wait for the leader that ran
// out.
var errQuorumWait = errors.New("sql: no leader of the keyspace answered in time")

// errNeedsKeyspace is what a localViewTxn answers every kv operation
// with: the statement needs the replicated keyspace, which has no quorum.
var errNeedsKeyspace = fmt.Errorf("%w: no quorum, the statement needs the replicated keyspace", kv.ErrUnavailable)

// noQuorumError is the error of beginQuorum when no leader answered
// within QuorumWait (or one did not a moment ago, see quorumGate). It
// wraps kv.ErrUnavailable, so a caller that does not fall back reports
// 08006.
type noQuorumError struct {
	// wait is the bound that ran out; cause what the router said.
	wait  time.Duration
	cause error
	// cached is set when the answer came from quorumGate without a new
	// attempt; since is then when that attempt failed.
	cached bool
	since  time.Time
}

func (e *noQuorumError) Error() string {
	if e.cached {
		return fmt.Sprintf("no quorum: no leader of the keyspace answered %s ago (%v)", time.Since(e.since).Round(time.Millisecond), e.cause)
	}
	return fmt.Sprintf("no quorum: no leader of the keyspace answered within %s (%v)", e.wait, e.cause)
}

func (e *noQuorumError) Unwrap() error { return kv.ErrUnavailable }

// quorumGate remembers, for QuorumWait, that a bounded wait for the
// leader failed: the next logins and operator statements in that time
// answer at once from the node's own state instead of each waiting
// again (a SCRAM login reads the catalog twice; a driver's query is a
// Parse and an Execute). The first caller after the window waits again,
// so a leader that is back is found within QuorumWait. It is a small
// deterministic core: callers give it the time.
type quorumGate struct {
	mu sync.Mutex
	// downUntil ends the window; failedAt and cause describe the failure
	// that opened it. Guarded by mu.
	downUntil time.Time
	failedAt  time.Time
	cause     error
}

// down reports whether a wait failed less than the window ago, with
// that failure.
func (g *quorumGate) down(now time.Time) (*noQuorumError, bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if !now.Before(g.downUntil) {
		return nil, false
	}
	return &noQuorumError{cause: g.cause, cached: true, since: g.failedAt}, true
}

// failed records a wait that failed at now with cause, opening the
// window for window.
func (g *quorumGate) failed(now time.Time, window time.Duration, cause error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.failedAt, g.cause, g.downUntil = now, cause, now.Add(window)
}

// succeeded closes the window: the leader answered.
func (g *quorumGate) succeeded() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.downUntil = time.Time{}
}

// quorumWait is the configured bound, or its default.
func (e *Engine) quorumWait() time.Duration {
	if e.cfg.QuorumWait > 0 {
		return e.cfg.QuorumWait
	}
	return DefaultQuorumWait
}

// beginQuorum begins a transaction for a reader that can do without the
// keyspace, waiting at most QuorumWait for its leader. It returns a
// *noQuorumError when none answered (or none did a moment ago), ctx's
// error when ctx ended, and any other Begin error as it is. The
// transaction itself is not bound by the wait: only Begin is.
func (e *Engine) beginQuorum(ctx context.Context, opts kv.TxnOptions) (kv.Txn, error) {
	wait := e.quorumWait()
	qctx, cancel := context.WithTimeoutCause(ctx, wait, errQuorumWait)
	defer cancel()
	return e.beginWithin(ctx, qctx, wait, opts)
}

// beginWithin is beginQuorum under qctx, ctx bounded by wait with the
// cause errQuorumWait, which the caller may go on using for the
// transaction's reads.
func (e *Engine) beginWithin(ctx, qctx context.Context, wait time.Duration, opts kv.TxnOptions) (kv.Txn, error) {
	if nq, ok := e.quorum.down(time.Now()); ok {
		return nil, nq
	}
	txn, err := e.cfg.DB.Begin(qctx, opts)
	if err == nil {
		// A partitioned keyspace begins lazily, reaching no partition
		// yet: reach the system partition, which every reader here goes
		// on to read (the catalog, the heartbeats, the roles), within the
		// bound. Its part of the transaction stays for those reads.
		if _, _, err = txn.Get(qctx, kv.ProbeKey); err != nil {
			txn.Rollback()
		}
	}
	if err == nil {
		e.quorum.succeeded()
		return txn, nil
	}
	if !noLeader(ctx, qctx, err) {
		return nil, err
	}
	e.quorum.failed(time.Now(), wait, err)
	return nil, &noQuorumError{wait: wait, cause: err}
}

// noLeader reports whether err, from an operation under qctx (derived
// from ctx by a QuorumWait bound), means that the keyspace's leader
// could not be reached: the bound ran out while ctx is still live, or
// the router or the transaction reported it unavailable.
func noLeader(ctx, qctx context.Context, err error) bool {
	if ctx.Err() != nil {
		return false
	}
	if errors.Is(context.Cause(qctx), errQuorumWait) {
		return true
	}
	return errors.Is(err, kv.ErrUnavailable) || errors.Is(err, kv.ErrNotLeader)
}

// noQuorumNotice is the NOTICE sent with rows from the local view.
func (e *Engine) noQuorumNotice(cause error) *pgerror.Error {
	return &pgerror.Error{
		Severity: "NOTICE",
		Code:     pgerror.SuccessfulCompletion,
		Message:  fmt.Sprintf("node %d has no quorum: rows come from its local view", e.cfg.NodeID),
		Detail:   cause.Error(),
		Hint: "Rows with source '" + SourceLocalView + "' come from the heartbeats this node receives directly from its peers " +
			"and from its own Raft state; they may be stale. Other statements fail until a majority of the replicas is back.",
	}
}

// localViewEligible reports whether st may run on the local view when
// the keyspace has no quorum: a plain SELECT outside any transaction
// block whose every relation is an operator table with a local view,
// naming at least one. Anything else (a user table, pg_catalog, a CTE)
// needs the keyspace and keeps waiting for it. The text check first
// keeps the parse tree walk off every other statement's path.
func localViewEligible(st statement) bool {
	sel := st.node.GetSelectStmt()
	if sel == nil || sel.IntoClause != nil || len(sel.LockingClause) > 0 || sel.WithClause != nil {
		return false
	}
	mentioned := false
	for _, name := range localViewTableNames() {
		mentioned = mentioned || containsFold(st.sql, name)
	}
	if !mentioned {
		return false
	}
	tables, ok := 0, true
	walkNode(st.node, func(n *pg_query.Node) bool {
		switch v := n.Node.(type) {
		case *pg_query.Node_RangeVar:
			vt := lookupVirtualTable(v.RangeVar.Schemaname, v.RangeVar.Relname)
			if vt == nil || vt.local == nil {
				ok = false
			}
			tables++
		case *pg_query.Node_InsertStmt, *pg_query.Node_UpdateStmt, *pg_query.Node_DeleteStmt,
			*pg_query.Node_CommonTableExpr:
			ok = false
		}
		return ok
	})
	return ok && tables > 0
}

// localViewTableNames lists the virtual tables with a local view (all
// registered by registerBuiltins before the first engine is made).
var localViewTableNames = sync.OnceValue(func() []string {
	var names []string
	for _, vt := range virtualTables {
		if vt.local != nil {
			names = append(names, vt.name)
		}
	}
	return names
})

// containsFold reports whether s contains the lower-case ASCII word w in
// any case, without allocating (it runs for every SELECT).
func containsFold(s, w string) bool {
	for i := 0; i+len(w) <= len(s); i++ {
		j := 0
		for ; j < len(w); j++ {
			c := s[i+j]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != w[j] {
				break
			}
		}
		if j == len(w) {
			return true
		}
	}
	return false
}

// localViewTxn is the transaction of a statement answered from the
// local view: it has no snapshot of the keyspace, so every kv operation
// fails with 08006 (errNeedsKeyspace) at once instead of waiting for a
// leader. The operator tables with a local view read nothing through it.
type localViewTxn struct {
	nodeID int
}

var _ kv.Txn = localViewTxn{}

func (t localViewTxn) err() error {
	return pgerror.Wrap(errNeedsKeyspace, pgerror.ConnectionFailure,
		fmt.Sprintf("node %d has no quorum: this statement needs the replicated keyspace", t.nodeID)).
		WithHint("Only cluster_node_heartbeat and cluster_partitions answer from the node's local view without a quorum.")
}

func (t localViewTxn) Get(context.Context, []byte) ([]byte, bool, error) { return nil, false, t.err() }
func (t localViewTxn) GetForUpdate(context.Context, []byte) ([]byte, bool, error) {
	return nil, false, t.err()
}
func (t localViewTxn) Put(context.Context, []byte, []byte) error         { return t.err() }
func (t localViewTxn) Insert(context.Context, []byte, []byte) error      { return t.err() }
func (t localViewTxn) InsertFresh(context.Context, []byte, []byte) error { return t.err() }
func (t localViewTxn) Delete(context.Context, []byte) error              { return t.err() }
func (t localViewTxn) DeleteRange(context.Context, []byte, []byte) error { return t.err() }
func (t localViewTxn) Scan(context.Context, []byte, []byte, int, bool) ([]kv.KeyValue, error) {
	return nil, t.err()
}
func (t localViewTxn) Commit(context.Context) error                 { return nil }
func (t localViewTxn) Rollback()                                    {}
func (t localViewTxn) Exists(context.Context, []byte) (bool, error) { return false, t.err() }
func (t localViewTxn) Savepoint() (kv.Savepoint, error)             { return kv.Savepoint{}, t.err() }
func (t localViewTxn) RollbackTo(kv.Savepoint) error                { return t.err() }
func (t localViewTxn) ReadTimestamp() kv.Timestamp                  { return 0 }

// localView reports whether the statement runs on the local view.
func (ec *execCtx) localView() bool {
	_, ok := ec.Txn.(localViewTxn)
	return ok
}

// beginOperatorStmt begins the implicit transaction of a statement that
// localViewEligible accepted: the keyspace's when its leader answers
// within QuorumWait, else a localViewTxn and the NOTICE to send with the
// rows.
func (s *Session) beginOperatorStmt(ctx context.Context) (kv.Txn, *pgerror.Error, error) {
	txn, err := s.engine.beginQuorum(ctx, kv.TxnOptions{ReadOnly: true})
	var nq *noQuorumError
	if errors.As(err, &nq) {
		return localViewTxn{nodeID: s.engine.cfg.NodeID}, s.engine.noQuorumNotice(nq), nil
	}
	return txn, nil, err
}
