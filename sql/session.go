package sql

import (
	"context"

	"github.com/quorumdb/quorumdb/sql/pgerror"
)

// Session is one client connection's SQL state: its settings, its open
// transaction and its prepared statements. A Session is used by one
// goroutine at a time (the connection's). Every method taking a ctx
// stops with SQLSTATE 57014 when ctx is canceled (CancelRequest,
// statement_timeout).
type Session struct {
	engine *Engine
	params ConnParams
}

// InitialParamStatus returns the ParameterStatus messages sent after
// authentication.
func (s *Session) InitialParamStatus() []ParamStatus {
	return nil
}

// ExecSimple runs a simple-protocol Query message: every statement in
// query in order, each ending with w.Complete (or w.EmptyQuery). It
// returns the first statement error; later statements are not run.
// Outside a transaction block the statements of one message run as one
// implicit transaction unless they contain BEGIN/COMMIT, as in PostgreSQL.
func (s *Session) ExecSimple(ctx context.Context, query string, w ResultWriter) error {
	return pgerror.New(pgerror.FeatureNotSupported, "not implemented")
}

// Prepare parses and plans query (Parse message). paramOids may be
// shorter than the number of parameters or hold 0 for unspecified types;
// the returned statement reports every parameter's inferred type.
func (s *Session) Prepare(ctx context.Context, query string, paramOids []uint32) (*PreparedStatement, error) {
	return nil, pgerror.New(pgerror.FeatureNotSupported, "not implemented")
}

// Bind binds parameter values (Bind message). params[i] nil is NULL;
// paramFormats and resultFormats follow the protocol's rules (empty: all
// text; one element: applies to all).
func (s *Session) Bind(ctx context.Context, ps *PreparedStatement, params [][]byte, paramFormats, resultFormats []int16) (*Portal, error) {
	return nil, pgerror.New(pgerror.FeatureNotSupported, "not implemented")
}

// Execute runs portal p (Execute message), sending at most maxRows rows
// (0: all). It returns suspended=true when rows remain (PortalSuspended);
// otherwise it has called w.Complete. A portal of a statement without a
// row limit runs to completion on its first Execute.
func (s *Session) Execute(ctx context.Context, p *Portal, maxRows int, w ResultWriter) (suspended bool, err error) {
	return false, pgerror.New(pgerror.FeatureNotSupported, "not implemented")
}

// Sync ends an extended-protocol batch (Sync message): an implicit
// transaction opened by the batch commits here.
func (s *Session) Sync(ctx context.Context) error { return nil }

// TxnStatus is the status ReadyForQuery reports.
func (s *Session) TxnStatus() TxnStatus { return TxnIdle }

// Close releases the session: an open transaction is rolled back.
func (s *Session) Close() {}

type prepared struct{}
type portal struct{}
