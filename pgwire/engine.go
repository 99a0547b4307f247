package pgwire

import (
	"context"

	"github.com/quorumdb/quorumdb/sql/api"
	"github.com/quorumdb/quorumdb/sql/pgerror"
)

// Engine is what pgwire needs from the SQL layer to open sessions. The
// composition root adapts *sql.Engine to it (Connect returns
// *sql.Session, which satisfies Session). It must be safe for concurrent
// use: every connection goroutine calls it.
type Engine interface {
	// RolePassword (api.Authenticator) is asked during password and md5
	// authentication; it is not called under trust.
	api.Authenticator
	// Connect opens the session of an authenticated client. Its error is
	// sent to the client as a FATAL ErrorResponse (28000 unknown role,
	// 3D000 unknown database) and the connection closes. ctx is the
	// connection's context: canceled when the server shuts down.
	Connect(ctx context.Context, p api.ConnParams) (Session, error)
}

// Session is one client's SQL state, as pgwire drives it. pgwire calls it
// from the connection goroutine only, one call at a time; ResultWriter
// callbacks happen on that goroutine during the call. Every ctx is the
// current statement's: it is canceled by a matching CancelRequest and by
// server shutdown, and the session then returns an error with SQLSTATE
// 57014 (or context.Canceled, which pgwire reports as 57014).
//
// Errors are *pgerror.Error or plain errors (reported as XX000 unless
// they wrap a context error); an error returned because a ResultWriter
// method failed is recognised by pgwire as a broken connection.
type Session interface {
	// InitialParamStatus is sent as ParameterStatus messages after
	// AuthenticationOk.
	InitialParamStatus() []api.ParamStatus
	// StartupNotices are sent as NoticeResponse messages after them (a
	// session opened from cached credentials says so); usually none.
	StartupNotices() []*pgerror.Error
	// ExecSimple runs a Query message's statements, reporting through w.
	ExecSimple(ctx context.Context, query string, w api.ResultWriter) error
	// Prepare parses and plans a Parse message's query.
	Prepare(ctx context.Context, query string, paramOids []uint32) (*api.PreparedStatement, error)
	// Statements are the session's named prepared statements, which
	// Parse, Bind, Describe and Close use and SQL PREPARE shares.
	Statements() *api.PreparedStatements
	// Bind makes a portal of ps with the given parameter values.
	Bind(ctx context.Context, ps *api.PreparedStatement, params [][]byte, paramFormats, resultFormats []int16) (*api.Portal, error)
	// Execute runs p for at most maxRows rows (0: all); suspended means
	// rows remain and a later Execute continues.
	Execute(ctx context.Context, p *api.Portal, maxRows int, w api.ResultWriter) (suspended bool, err error)
	// Sync ends an extended-protocol batch.
	Sync(ctx context.Context) error
	// AbortBatch tells the session an extended-protocol batch failed in
	// pgwire itself (an unknown statement or portal, a malformed Bind):
	// its implicit transaction must roll back at Sync, as any error does.
	AbortBatch()
	// TxnStatus is reported by every ReadyForQuery.
	TxnStatus() api.TxnStatus
	// Close releases the session (rolling back an open transaction). It
	// is called exactly once, when the connection ends for any reason.
	Close()
}
