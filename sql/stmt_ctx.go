package sql

import (
	"context"

	"github.com/quorumdb/quorumdb/kv"
	"github.com/quorumdb/quorumdb/sql/catalog"
	"github.com/quorumdb/quorumdb/sql/exec"
)

// execCtx is the state one statement executes with: what its operators
// and expressions need (exec.Ctx) and what only the SQL layer's own
// statements use (the session, the client, write-side caches).
type execCtx struct {
	*exec.Ctx
	sess *Session
	// w is the client connection, for COPY FROM STDIN.
	w ResultWriter
	// indexCache holds expression and partial indexes compiled for this
	// statement's writes and lookups.
	indexCache map[indexCacheKey]*compiledIndex
	// seqBlocks holds sequence values a multi-row INSERT reserved for
	// its rows' defaults (sequence_prefetch.go).
	seqBlocks map[uint32]*seqBlock
}

// newExecCtx is the execution state of a statement of session s (nil
// for none) in txn.
func newExecCtx(ctx context.Context, s *Session, txn kv.Txn, cat *catalog.Txn) *execCtx {
	ec := &execCtx{Ctx: &exec.Ctx{Context: ctx, Txn: txn, Catalog: cat}, sess: s}
	if s != nil {
		ec.Session = s
	}
	ec.Host = ec
	return ec
}

// sqlCtx is the SQL layer's state of the statement ec runs for: what an
// expression or node that calls back into the layer (a session function,
// a user-defined function, a virtual table's rows) needs.
func sqlCtx(ec *exec.Ctx) *execCtx { return ec.Host.(*execCtx) }
