package sql

import (
	"context"
	"time"

	"github.com/quorumdb/quorumdb/sql/catalog"

	"github.com/quorumdb/quorumdb/kv"
	"github.com/quorumdb/quorumdb/sql/builtins"
	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// execCtx is the state one statement executes with.
type execCtx struct {
	ctx    context.Context
	sess   *Session
	txn    kv.Txn
	cat    *catalog.Txn
	params []types.Datum
	// outer is the stack of enclosing rows while a correlated subquery
	// runs; colRef.level indexes it from the end.
	outer [][]types.Datum
	bctx  *builtins.Context
	// subqueryRows caches the rows of uncorrelated subqueries.
	subqueryRows map[*subqueryExpr][]row
	// w is the client connection, for COPY FROM STDIN.
	w ResultWriter
	// notices are sent with the statement's result.
	notices []*pgerror.Error
	// mem is the statement's memory budget (membudget.go); nil: none.
	mem *memBudget
	// indexCache holds expression and partial indexes compiled for this
	// statement's writes and lookups.
	indexCache map[indexCacheKey]*compiledIndex
	// seqBlocks holds sequence values a multi-row INSERT reserved for
	// its rows' defaults (sequence_prefetch.go).
	seqBlocks map[uint32]*seqBlock
}

func (ec *execCtx) addNotice(msg string) {
	ec.notices = append(ec.notices, &pgerror.Error{Severity: "NOTICE", Code: pgerror.SuccessfulCompletion, Message: msg})
}

func (ec *execCtx) settings() *types.Settings { return ec.sess.typeSettings() }

func (ec *execCtx) builtinCtx() *builtins.Context {
	if ec.bctx == nil {
		now := time.Now()
		txnTime := now
		if ec.sess != nil && !ec.sess.txnStart.IsZero() {
			txnTime = ec.sess.txnStart
		}
		ec.bctx = &builtins.Context{
			Ctx:      ec.ctx,
			Settings: ec.settings(),
			TxnTime:  txnTime,
			StmtTime: now,
			Rand:     ec.sess.random(),
		}
	}
	return ec.bctx
}

// rowIter yields the rows of a plan node; next returns nil at the end.
type rowIter interface {
	next() (row, error)
	close()
}

// resultCol describes one column a plan node produces.
type resultCol struct {
	name string
	t    types.T
	// table is the alias or name of the table the column comes from
	// (for qualified references), "" for computed columns.
	table    string
	tableOID uint32
	attNum   int16
	hidden   bool
	// base marks a column read straight from a table of this FROM list
	// (not through a subquery or view): GROUP BY the table's primary key
	// makes it functionally dependent (groupdep.go).
	base bool
	// untyped marks a text column that was an untyped literal ('1',
	// NULL): a set operation takes its type from the other branch, as
	// PostgreSQL resolves such a literal only there.
	untyped bool
	// merged marks a side's column of a JOIN ... USING (or NATURAL): its
	// unqualified name and * mean the merged column instead; t.col and
	// t.* still reach it.
	merged bool
}

// hiddenFor reports whether c is out of reach of a reference qualified by
// table ("" for none).
func (c resultCol) hiddenFor(table string) bool {
	return c.hidden || table == "" && c.merged
}

// planNode is a relational operator. exec builds a fresh iterator each
// time, so a plan can run many times (prepared statements, subqueries).
type planNode interface {
	columns() []resultCol
	exec(ec *execCtx) (rowIter, error)
}

// sliceIter yields materialized rows.
type sliceIter struct {
	rows []row
	i    int
}

func (it *sliceIter) next() (row, error) {
	if it.i >= len(it.rows) {
		return nil, nil
	}
	r := it.rows[it.i]
	it.i++
	return r, nil
}
func (it *sliceIter) close() {}

// collect drains a plan into memory.
//
// The rows stay accounted in the statement's memory budget until it ends;
// an operator that lets go of them earlier uses collectHeld.
func collect(ec *execCtx, p planNode) ([]row, error) {
	rows, _, err := collectHeld(ec, p)
	return rows, err
}

// collectHeld is collect, also returning the bytes accounted for the
// rows, which the caller gives back (ec.mem.shrink) when it drops them.
func collectHeld(ec *execCtx, p planNode) ([]row, int64, error) {
	it, err := p.exec(ec)
	if err != nil {
		return nil, 0, err
	}
	defer it.close()
	var out []row
	var held int64
	for {
		if err := ec.ctx.Err(); err != nil {
			ec.mem.shrink(held)
			return nil, 0, err
		}
		r, err := it.next()
		if err == nil && r != nil {
			n := rowBytes(r)
			if err = ec.mem.grow(n); err == nil {
				held += n
			}
		}
		if err != nil {
			ec.mem.shrink(held)
			return nil, 0, err
		}
		if r == nil {
			return out, held, nil
		}
		out = append(out, r)
	}
}

// funcIter adapts a closure to rowIter.
type funcIter struct {
	fn      func() (row, error)
	closeFn func()
}

func (it *funcIter) next() (row, error) { return it.fn() }
func (it *funcIter) close() {
	if it.closeFn != nil {
		it.closeFn()
	}
}
