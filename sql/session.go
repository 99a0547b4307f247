package sql

import (
	"context"
	"errors"
	"math/rand"
	"strings"
	"time"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/quorumdb/quorumdb/kv"
	"github.com/quorumdb/quorumdb/sql/catalog"
	"github.com/quorumdb/quorumdb/sql/exec"
	"github.com/quorumdb/quorumdb/sql/kverror"
	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// maxImplicitRetries bounds how often the server retries a single
// statement outside a transaction block after a serialization failure.
const maxImplicitRetries = 16

// txnState is the session's transaction block state, as ReadyForQuery
// reports it (I, T, E). The transitions, and where they are made:
//
//	txnNone    --BEGIN-------------------> txnOpen     execTransactionStmt (in an
//	                                                    extended batch, BEGIN adopts
//	                                                    the batch's implicit txn)
//	txnOpen    --a statement fails-------> txnAborted  failTxn (the kv transaction
//	                                                    is rolled back unless a
//	                                                    savepoint may still undo it)
//	txnAborted --ROLLBACK TO SAVEPOINT---> txnOpen     execTransactionStmt
//	txnOpen    --COMMIT------------------> txnNone     commitTxn (commit.go), endTxn
//	txnOpen    --ROLLBACK----------------> txnNone     endTxn
//	txnAborted --COMMIT or ROLLBACK------> txnNone     endTxn (COMMIT reports ROLLBACK)
//	any        --Close-------------------> txnNone     Close (rolls back)
//
// In txnNone a statement runs in an implicit transaction of its own, or
// in the extended batch's (extTxn) until Sync; those commit through
// commitTxn too, so every commit of a session takes the one path.
type txnState int

const (
	txnNone txnState = iota
	txnOpen
	txnAborted
)

// Session is one client connection's SQL state: its settings, its open
// transaction and its prepared statements. A Session is used by one
// goroutine at a time (the connection's). Every method taking a ctx stops
// with SQLSTATE 57014 when ctx is canceled (CancelRequest,
// statement_timeout).
type Session struct {
	engine *Engine
	params ConnParams
	user   string
	dbName string
	dbID   uint32
	vars   *sessionVars

	// user above is the current user (current_user, changed by SET
	// ROLE); sessUser is the session user when SET SESSION
	// AUTHORIZATION changed it from the login's (role_switch.go).
	// roleTxn is what the open block's end restores (role_txn.go).
	sessUser string
	roleTxn  *roleTxn

	state txnState
	txn   kv.Txn // the open transaction block's transaction, nil until first use
	// extTxn is the implicit transaction of an extended-protocol batch
	// outside a block, open from its first writing Execute until Sync.
	extTxn   kv.Txn
	txnStart time.Time
	readOnly bool
	// implicitReadOnly is set while an implicit transaction runs
	// read-only because its statement looked like it never writes (see
	// userFuncCall.run).
	implicitReadOnly bool
	// pendingStatus are ParameterStatus changes to report.
	pendingStatus []ParamStatus

	// curQuery is the statement text running now (pg_stat_activity.query).
	curQuery string
	// stream is where the running statement may stream its rows, nil
	// when it may not (stream.go).
	stream *rowStream

	// savepoints are the open transaction block's SAVEPOINTs, oldest first.
	savepoints []savepoint
	// cons is the transaction's SET CONSTRAINTS state and queued
	// constraint checks (constraint_mode.go).
	cons constraintMode
	// cursors are the session's SQL cursors (cursor.go).
	cursors map[string]*sqlCursor

	// rng serves random(); seeding one per statement is expensive.
	rng *rand.Rand

	// currval and lastval are the session's sequence state.
	currval    map[uint32]int64
	lastval    int64
	hasLastval bool

	// txid is txid_current() of transaction txidOf (see funcs_session.go).
	txidOf kv.Txn
	txid   int64

	// prepared are the named prepared statements, shared by the protocol
	// and SQL's PREPARE.
	prepared PreparedStatements

	// catChanges are the catalog objects the current transaction
	// changed, reset when a transaction begins and reported by
	// afterCommit.
	catChanges catalog.Changes

	// startupNotices are sent as the session starts (StartupNotices).
	startupNotices []*pgerror.Error

	// id identifies the session within its engine (temporary schema
	// ownership).
	id uint64
	// temp is the session's temporary schema, nil until its first
	// temporary object (see tempschema.go).
	temp *tempSchema
	// hasOnCommitActions is set once the session created a temporary
	// table with ON COMMIT DELETE ROWS or DROP, so commits look for them.
	hasOnCommitActions bool
}

// Random is the session's random source (random(), setseed()).
func (s *Session) Random() *rand.Rand { return s.random() }

// TypeSettings are the session's settings that values' input and output
// follow (DateStyle, IntervalStyle, TimeZone, extra_float_digits, …).
func (s *Session) TypeSettings() *types.Settings { return s.typeSettings() }

// TxnStart is when the session's transaction began, zero outside one.
func (s *Session) TxnStart() time.Time { return s.txnStart }

func (s *Session) random() *rand.Rand {
	if s.rng == nil {
		s.rng = rand.New(rand.NewSource(time.Now().UnixNano()))
	}
	return s.rng
}

func (s *Session) setCurrval(id uint32, v int64) {
	if s.currval == nil {
		s.currval = map[uint32]int64{}
	}
	s.currval[id] = v
	s.lastval, s.hasLastval = v, true
}

func (s *Session) typeSettings() *types.Settings { return s.vars.typeSettings() }

// InitialParamStatus returns the ParameterStatus messages sent after
// authentication.
func (s *Session) InitialParamStatus() []ParamStatus {
	return s.vars.reported()
}

// StartupNotices are the notices to send the client as its session
// starts: a warning when the session was opened from cached credentials
// because the keyspace had no quorum.
func (s *Session) StartupNotices() []*pgerror.Error { return s.startupNotices }

// TxnStatus is the status ReadyForQuery reports.
func (s *Session) TxnStatus() TxnStatus {
	switch s.state {
	case txnOpen:
		return TxnInTxn
	case txnAborted:
		return TxnFailed
	}
	return TxnIdle
}

// Close releases the session: an open transaction is rolled back.
func (s *Session) Close() {
	s.abortBatch()
	if s.txn != nil {
		s.txn.Rollback()
		s.txn = nil
	}
	s.state = txnNone
	s.closeTempSchema()
}

// Sync ends an extended-protocol batch: the batch's implicit transaction,
// if a statement opened one, commits here.
func (s *Session) Sync(ctx context.Context) error {
	txn := s.extTxn
	if txn == nil {
		return nil
	}
	s.extTxn = nil
	s.txnStart = time.Time{}
	return s.commitTxn(ctx, txn, true)
}

// AbortBatch rolls back an extended-protocol batch's implicit transaction
// after an error of any extended-protocol message (the client skips to
// Sync). Inside a transaction block the error aborts the block, as in
// PostgreSQL, also when it arose in Parse or Bind (PgJDBC sends BEGIN and
// the statement that fails to plan in one batch).
func (s *Session) AbortBatch() {
	s.abortBatch()
	s.failTxn()
}

// abortBatch rolls back an extended-protocol batch's implicit transaction
// after an error (the client skips to Sync).
func (s *Session) abortBatch() {
	if s.extTxn != nil {
		s.extTxn.Rollback()
		s.extTxn = nil
		s.txnStart = time.Time{}
	}
}

// result is what running one statement produced, buffered so that an
// implicit transaction can be retried before anything reaches the client.
type result struct {
	cols []exec.Column
	rows []exec.Row
	tag  string
	// notice and notices are sent before the command tag (e.g. "there is
	// no transaction in progress").
	notice  *pgerror.Error
	notices []*pgerror.Error
	// consumedInput marks a COPY FROM STDIN: its data cannot be read
	// twice, so it is never retried.
	consumedInput bool
	// copyOut, when set, streams COPY TO STDOUT data after commit.
	copyOut *copyOutData
	// streamed is set when the rows went to the client as they were
	// made (stream.go); rows holds none of them.
	streamed bool
}

// ExecSimple runs a simple-protocol Query message: every statement in
// query in order, each ending with w.Complete (or w.EmptyQuery). It
// returns the first statement error; later statements are not run.
func (s *Session) ExecSimple(ctx context.Context, query string, w ResultWriter) error {
	if err := s.engine.refusal(); err != nil {
		s.failTxn()
		return err
	}
	if s.extTxn != nil {
		// A Query message ends an unsynced batch.
		if err := s.Sync(ctx); err != nil {
			return err
		}
	}
	stmts, err := parse(query)
	if err != nil {
		s.failTxn()
		return err
	}
	if len(stmts) == 0 {
		return w.EmptyQuery()
	}
	if len(stmts) > 1 && s.state == txnNone && implicitBlockAllowed(stmts) {
		return s.execImplicitBlock(ctx, query, stmts, w)
	}
	for _, st := range stmts {
		s.stream = &rowStream{w: w, describe: true}
		res, err := s.runStatement(ctx, st, nil, nil, w, nil, false)
		s.stream = nil
		if err != nil {
			if pe, ok := pgerror.As(err); ok && pe.Position > 0 {
				pe.Position += len([]rune(query[:st.offset]))
			}
			return err
		}
		if err := s.flushStatus(w); err != nil {
			return err
		}
		if err := writeResult(s, w, res, nil, true); err != nil {
			return err
		}
	}
	return nil
}

// implicitBlockAllowed reports whether the statements of one Query
// message can run as one implicit transaction: not when they control
// transactions themselves or read COPY data (which cannot be replayed).
func implicitBlockAllowed(stmts []statement) bool {
	for _, st := range stmts {
		switch st.node.Node.(type) {
		case *pg_query.Node_TransactionStmt, *pg_query.Node_CopyStmt, *pg_query.Node_CreatedbStmt,
			*pg_query.Node_DropdbStmt, *pg_query.Node_VacuumStmt:
			return false
		}
	}
	return true
}

// execImplicitBlock runs the statements of one Query message as a single
// implicit transaction, as PostgreSQL does: if one fails, none of them
// takes effect. Results are buffered until the commit, so a serialization
// failure retries the whole message; after a statement error the results
// of the statements before it are still sent, as PostgreSQL sends them.
func (s *Session) execImplicitBlock(ctx context.Context, query string, stmts []statement, w ResultWriter) error {
	for attempt := 0; ; attempt++ {
		s.state, s.txnStart = txnOpen, time.Now()
		var results []*result
		var stmtErr error
		for _, st := range stmts {
			res, err := s.runStatement(ctx, st, nil, nil, w, nil, false)
			if err != nil {
				if pe, ok := pgerror.As(err); ok && pe.Position > 0 {
					pe.Position += len([]rune(query[:st.offset]))
				}
				stmtErr = err
				break
			}
			results = append(results, res)
		}
		txn := s.txn
		s.txn = nil
		s.endTxn()
		var commitErr error
		switch {
		case txn != nil && stmtErr == nil:
			commitErr = s.commitTxn(ctx, txn, true)
		case txn != nil:
			txn.Rollback()
		}
		// A SET ROLE in a failed (or retried) message is undone with it.
		s.endRoleTxn(stmtErr == nil && commitErr == nil)
		if stmtErr == nil && commitErr != nil && kverror.Retryable(commitErr) && !errors.Is(commitErr, kv.ErrCommitUnknown) && attempt < maxImplicitRetries {
			if err := backoff(ctx, attempt); err != nil {
				return err
			}
			continue
		}
		if err := s.flushStatus(w); err != nil {
			return err
		}
		for _, res := range results {
			if err := writeResult(s, w, res, nil, true); err != nil {
				return err
			}
		}
		if stmtErr != nil {
			return stmtErr
		}
		return commitErr
	}
}

func (s *Session) flushStatus(w ResultWriter) error {
	for _, p := range s.pendingStatus {
		if err := w.ParamStatus(p); err != nil {
			return err
		}
	}
	s.pendingStatus = nil
	return nil
}

// failTxn marks an open transaction block as failed after an error. With
// savepoints the kv transaction stays open, so ROLLBACK TO SAVEPOINT can
// undo the failed work and continue.
func (s *Session) failTxn() {
	if s.state == txnOpen {
		s.state = txnAborted
		if s.txn != nil && len(s.savepoints) == 0 {
			s.txn.Rollback()
			s.txn = nil
		}
	}
}

// savepoint is one SAVEPOINT of the open transaction block.
type savepoint struct {
	name string
	mark kv.Savepoint
	cons constraintMark
	role roleMark // what ROLLBACK TO restores (role_txn.go)
}

func (s *Session) findSavepoint(name string) int {
	for i := len(s.savepoints) - 1; i >= 0; i-- {
		if s.savepoints[i].name == name {
			return i
		}
	}
	return -1
}

// execSavepointStmt runs SAVEPOINT, RELEASE SAVEPOINT and ROLLBACK TO
// SAVEPOINT.
func (s *Session) execSavepointStmt(ctx context.Context, ts *pg_query.TransactionStmt) (*result, error) {
	name := ts.SavepointName
	if s.state == txnNone {
		what := "SAVEPOINT"
		switch ts.Kind {
		case pg_query.TransactionStmtKind_TRANS_STMT_RELEASE:
			what = "RELEASE SAVEPOINT"
		case pg_query.TransactionStmtKind_TRANS_STMT_ROLLBACK_TO:
			what = "ROLLBACK TO SAVEPOINT"
		}
		return nil, pgerror.New(pgerror.NoActiveSQLTransaction, "%s can only be used in transaction blocks", what)
	}
	switch ts.Kind {
	case pg_query.TransactionStmtKind_TRANS_STMT_SAVEPOINT:
		if s.state == txnAborted {
			return nil, errInFailedTxn
		}
		txn, err := s.openTxn(ctx)
		if err != nil {
			s.failTxn()
			return nil, err
		}
		mark, err := txn.Savepoint()
		if err != nil {
			s.failTxn()
			return nil, kverror.AsSQL(err)
		}
		s.savepoints = append(s.savepoints, savepoint{name: name, mark: mark, cons: s.cons.mark(), role: s.markRole()})
		return &result{tag: "SAVEPOINT"}, nil
	case pg_query.TransactionStmtKind_TRANS_STMT_RELEASE:
		if s.state == txnAborted {
			return nil, errInFailedTxn
		}
		i := s.findSavepoint(name)
		if i < 0 {
			s.failTxn()
			return nil, pgerror.New(pgerror.InvalidSavepointSpecification, "savepoint %q does not exist", name)
		}
		s.savepoints = s.savepoints[:i]
		return &result{tag: "RELEASE"}, nil
	default: // ROLLBACK TO
		i := s.findSavepoint(name)
		if i < 0 {
			s.failTxn()
			return nil, pgerror.New(pgerror.InvalidSavepointSpecification, "savepoint %q does not exist", name)
		}
		if s.txn == nil {
			return nil, errInFailedTxn
		}
		if err := s.txn.RollbackTo(s.savepoints[i].mark); err != nil {
			// The kv transaction itself was aborted (a serialization
			// failure): only ROLLBACK can end the block now.
			return nil, kverror.AsSQL(err)
		}
		s.cons.restore(s.savepoints[i].cons)
		s.savepoints = s.savepoints[:i+1]
		s.rollbackRole(s.savepoints[i].role)
		s.state = txnOpen
		return &result{tag: "ROLLBACK"}, nil
	}
}

var errInFailedTxn = pgerror.New(pgerror.InFailedSQLTransaction, "current transaction is aborted, commands ignored until end of transaction block")

// runStatement runs one statement with parameters, handling transaction
// control, implicit transactions and their retries. cache is a prepared
// statement's plan cache (nil for a one-off statement); extended is set
// for the extended protocol's Execute, whose writes commit at Sync.
func (s *Session) runStatement(ctx context.Context, st statement, ptypes []types.T, args []types.Datum, w ResultWriter, cache *planCache, extended bool) (*result, error) {
	s.curQuery = st.sql
	if ts, ok := st.node.Node.(*pg_query.Node_TransactionStmt); ok {
		return s.execTransactionStmt(ctx, ts.TransactionStmt)
	}
	if s.state == txnAborted {
		return nil, errInFailedTxn
	}
	if ctx.Err() != nil {
		s.failTxn()
		return nil, ctx.Err()
	}
	if ex := st.node.GetExecuteStmt(); ex != nil {
		return s.runExecute(ctx, ex, w, extended)
	}
	if res, ok, err := s.execSessionStmt(ctx, st); ok {
		if err != nil {
			s.failTxn()
		}
		return res, err
	}
	ctx, cancel := s.vars.statementContext(ctx)
	defer cancel()
	if s.state == txnOpen {
		txn, err := s.openTxn(ctx)
		if err != nil {
			s.failTxn()
			return nil, err
		}
		res, err := s.execInTxn(ctx, txn, st, ptypes, args, w, cache)
		if err != nil {
			s.failTxn()
			return nil, err
		}
		return res, nil
	}
	if extended && s.extTxn != nil {
		// A later statement of an extended-protocol batch: it joins the
		// batch's implicit transaction; an error rolls the batch back.
		res, err := s.execInTxn(ctx, s.extTxn, st, ptypes, args, w, cache)
		if err != nil {
			s.abortBatch()
			return nil, err
		}
		return res, nil
	}
	// Implicit transaction: retried on serialization failures until it
	// commits, as long as the client has seen nothing of it. A commit
	// whose outcome is unknown is never retried. In the extended protocol
	// a writing statement's transaction stays open until Sync, so the
	// statements of a batch commit or fail together, as in PostgreSQL.
	readOnly := isReadOnlyStmt(st)
	// The operator tables with a local view answer without a quorum.
	operator := readOnly && localViewEligible(st)
	for attempt := 0; ; attempt++ {
		s.txnStart = time.Now()
		s.catChanges.Reset()
		s.cons.reset()
		var txn kv.Txn
		var notice *pgerror.Error
		var err error
		if operator {
			txn, notice, err = s.beginOperatorStmt(ctx)
		} else {
			txn, err = s.engine.cfg.DB.Begin(ctx, kv.TxnOptions{ReadOnly: readOnly})
			if err == nil {
				txn = withCatalogReads(txn)
			}
		}
		if err != nil {
			return nil, kverror.AsSQL(err)
		}
		s.implicitReadOnly = readOnly
		res, err := s.execInTxn(ctx, txn, st, ptypes, args, w, cache)
		s.implicitReadOnly = false
		if err == nil && notice != nil && res != nil {
			res.notices = append([]*pgerror.Error{notice}, res.notices...)
		}
		if err == nil && extended && !readOnly && (res == nil || !res.consumedInput) {
			s.extTxn = txn // committed at Sync
			return res, nil
		}
		if err == nil {
			err = s.commitTxn(ctx, txn, !readOnly)
		} else {
			txn.Rollback()
		}
		s.txnStart = time.Time{}
		if err == nil {
			return res, nil
		}
		if s.stream != nil && s.stream.started {
			// The client has rows of this attempt: it cannot be redone.
			return nil, err
		}
		if readOnly && errors.Is(err, kv.ErrReadOnly) && (res == nil || !res.consumedInput) {
			// A SELECT that writes after all (a SQL function's INSERT):
			// nothing was written or sent, run it again read-write.
			readOnly = false
			continue
		}
		if errors.Is(err, kv.ErrCommitUnknown) || !kverror.Retryable(err) || attempt >= maxImplicitRetries || (res != nil && res.consumedInput) {
			return nil, err
		}
		if err := backoff(ctx, attempt); err != nil {
			return nil, err
		}
	}
}

func backoff(ctx context.Context, attempt int) error {
	d := time.Duration(1<<min(attempt, 6)) * 100 * time.Microsecond
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func (s *Session) openTxn(ctx context.Context) (kv.Txn, error) {
	if s.txn == nil {
		s.catChanges.Reset()
		s.cons.reset()
		txn, err := s.engine.cfg.DB.Begin(ctx, kv.TxnOptions{ReadOnly: s.readOnly})
		if err != nil {
			return nil, kverror.AsSQL(err)
		}
		s.txn = withCatalogReads(txn)
	}
	return s.txn, nil
}

// execInTxn plans and runs st in txn. The statement's writes are
// finished before it returns (kv.Flusher): a write that fails after its
// call returned (a pipelined remote InsertFresh) fails this statement,
// not a later one.
func (s *Session) execInTxn(ctx context.Context, txn kv.Txn, st statement, ptypes []types.T, args []types.Datum, w ResultWriter, cache *planCache) (*result, error) {
	res, err := s.planAndRun(ctx, txn, st, ptypes, args, w, cache)
	if err == nil && len(s.cons.pending) > 0 {
		// Queued checks of constraints that are immediate now (a
		// deferrable UNIQUE's) run at the end of the statement.
		ec := newExecCtx(ctx, s, txn, &catalog.Txn{KV: txn, Cache: &s.engine.descs, Changes: &s.catChanges, Session: s})
		err = ec.runPendingChecks(false)
	}
	if f, ok := txn.(kv.Flusher); ok && err == nil {
		if err := f.Flush(ctx); err != nil {
			return nil, kverror.AsSQL(err)
		}
	}
	return res, err
}

// planAndRun plans (or takes from cache) and runs st in txn.
func (s *Session) planAndRun(ctx context.Context, txn kv.Txn, st statement, ptypes []types.T, args []types.Datum, w ResultWriter, cache *planCache) (*result, error) {
	ec := newExecCtx(ctx, s, txn, &catalog.Txn{KV: txn, Cache: &s.engine.descs, Changes: &s.catChanges, Session: s})
	ec.Params, ec.w, ec.Mem = args, w, &exec.Budget{Limit: s.engine.cfg.MaxStatementMemory}
	if cache != nil {
		ok, err := cache.valid(ctx, txn, s.vars.gen)
		if err != nil {
			return nil, err
		}
		if ok {
			return cache.plan.runTop(ec, s.stream)
		}
	}
	var pt *exec.ParamTypes
	if ptypes != nil {
		pt = &exec.ParamTypes{Types: ptypes, Fixed: make([]bool, len(ptypes))}
		for i := range pt.Fixed {
			pt.Fixed[i] = true
		}
	}
	var rec *recordingTxn
	planTxn := txn
	if cache != nil && cacheable(st.node) {
		rec = &recordingTxn{Txn: txn}
		planTxn = rec
	}
	b := s.newBuilder(ctx, planTxn, pt)
	p, err := b.planStatement(st)
	if err != nil && b.foldFailed && len(args) > 0 {
		// A constant failed to fold in the plan for any parameters
		// (CASE WHEN $1 THEN 1 ELSE 1/0 END): plan for these values, as
		// PostgreSQL's custom plans do, so that the branches they rule
		// out are not folded. Such a plan is not kept.
		b = s.newBuilder(ctx, txn, pt)
		b.paramValues = args
		p, err = b.planStatement(st)
		rec = nil
	}
	if err != nil {
		return nil, err
	}
	if cache != nil && cache.described != nil && !sameResultTypes(cache.described, p.cols) {
		return nil, pgerror.New(pgerror.FeatureNotSupported, "cached plan must not change result type")
	}
	if rec != nil && !rec.scanned {
		*cache = planCache{plan: p, deps: rec.reads, gen: s.vars.gen, described: cache.described}
	}
	return p.runTop(ec, s.stream)
}

func (s *Session) newBuilder(ctx context.Context, txn kv.Txn, pt *exec.ParamTypes) *builder {
	if pt == nil {
		pt = &exec.ParamTypes{}
	}
	return &builder{ctx: ctx, sess: s, cat: &catalog.Txn{KV: txn, Cache: &s.engine.descs, Changes: &s.catChanges, Session: s}, params: pt}
}

// execTransactionStmt runs BEGIN, COMMIT, ROLLBACK and friends.
func (s *Session) execTransactionStmt(ctx context.Context, ts *pg_query.TransactionStmt) (*result, error) {
	switch ts.Kind {
	case pg_query.TransactionStmtKind_TRANS_STMT_BEGIN, pg_query.TransactionStmtKind_TRANS_STMT_START:
		// The command tag names the statement, as PostgreSQL's does.
		tag := "BEGIN"
		if ts.Kind == pg_query.TransactionStmtKind_TRANS_STMT_START {
			tag = "START TRANSACTION"
		}
		if s.state == txnNone && s.extTxn != nil {
			// BEGIN inside a batch turns its implicit transaction into
			// the block's, as PostgreSQL does.
			s.txn, s.extTxn = s.extTxn, nil
			s.state = txnOpen
			return &result{tag: tag}, nil
		}
		if s.state != txnNone {
			if s.state == txnAborted {
				return nil, errInFailedTxn
			}
			return &result{tag: tag, notice: pgerror.New(pgerror.ActiveSQLTransaction, "there is already a transaction in progress")}, nil
		}
		s.state = txnOpen
		s.txnStart = time.Now()
		s.readOnly = false
		for _, o := range ts.Options {
			if de := o.GetDefElem(); de != nil && de.Defname == "transaction_read_only" {
				s.readOnly = de.Arg.GetAConst().GetIval().GetIval() == 1
			}
		}
		return &result{tag: tag}, nil
	case pg_query.TransactionStmtKind_TRANS_STMT_COMMIT:
		switch s.state {
		case txnNone:
			if s.extTxn != nil {
				if err := s.Sync(ctx); err != nil {
					return nil, err
				}
			}
			return &result{tag: "COMMIT", notice: pgerror.New(pgerror.NoActiveSQLTransaction, "there is no transaction in progress")}, nil
		case txnAborted:
			s.endTxn()
			s.endRoleTxn(false)
			return &result{tag: "ROLLBACK"}, nil
		}
		txn := s.txn
		s.txn = nil
		s.endTxn()
		committed := false
		defer func() { s.endRoleTxn(committed) }()
		if txn != nil {
			if err := s.commitTxn(ctx, txn, !s.readOnly); err != nil {
				return nil, err
			}
		}
		committed = true
		return &result{tag: "COMMIT"}, nil
	case pg_query.TransactionStmtKind_TRANS_STMT_ROLLBACK:
		if s.state == txnNone {
			s.abortBatch()
			return &result{tag: "ROLLBACK", notice: pgerror.New(pgerror.NoActiveSQLTransaction, "there is no transaction in progress")}, nil
		}
		s.endTxn()
		s.endRoleTxn(false)
		return &result{tag: "ROLLBACK"}, nil
	case pg_query.TransactionStmtKind_TRANS_STMT_SAVEPOINT, pg_query.TransactionStmtKind_TRANS_STMT_RELEASE,
		pg_query.TransactionStmtKind_TRANS_STMT_ROLLBACK_TO:
		return s.execSavepointStmt(ctx, ts)
	case pg_query.TransactionStmtKind_TRANS_STMT_PREPARE, pg_query.TransactionStmtKind_TRANS_STMT_COMMIT_PREPARED,
		pg_query.TransactionStmtKind_TRANS_STMT_ROLLBACK_PREPARED:
		s.failTxn()
		return nil, unsupported("two-phase commit")
	}
	return nil, unsupported("transaction statement")
}

func (s *Session) endTxn() {
	s.savepoints = nil
	s.closeTxnCursors()
	if s.txn != nil {
		s.txn.Rollback()
		s.txn = nil
	}
	s.state = txnNone
	s.txnStart = time.Time{}
	s.readOnly = false
}

// isReadOnlyStmt reports statements that never write, so their implicit
// transaction can skip validation. A SELECT calling set_config or
// nextval writes (outside the transaction, but stay safe); looking for
// the names in the text is cheaper than walking the tree on every
// statement.
func isReadOnlyStmt(st statement) bool {
	switch st.node.Node.(type) {
	case *pg_query.Node_SelectStmt:
		if st.node.GetSelectStmt().IntoClause != nil {
			return false // SELECT … INTO creates a table
		}
		lower := strings.ToLower(st.sql)
		return !strings.Contains(lower, "set_config") && !strings.Contains(lower, "nextval") && !strings.Contains(lower, "setval")
	case *pg_query.Node_VariableShowStmt:
		return true
	}
	return false
}
