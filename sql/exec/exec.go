package exec

import (
	"context"
	"math/rand"
	"time"

	"github.com/quorumdb/quorumdb/kv"
	"github.com/quorumdb/quorumdb/sql/builtins"
	"github.com/quorumdb/quorumdb/sql/catalog"
	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// Session is what a running statement's operators and expressions
// ask of its session.
type Session interface {
	Random() *rand.Rand
	TypeSettings() *types.Settings
	// TxnStart is when the session's transaction began (now() and
	// friends), zero outside one.
	TxnStart() time.Time
}

// Ctx is what operators and expressions run with.
type Ctx struct {
	Context context.Context
	// session is the statement's session; nil for statements run
	// outside one (constant folding, bootstrap work).
	Session Session
	Txn     kv.Txn
	Catalog *catalog.Txn
	Params  []types.Datum
	// outer is the stack of enclosing rows while a correlated subquery
	// runs; ColRef.level indexes it from the end.
	Outer [][]types.Datum
	bctx  *builtins.Context
	// subqueryRows caches the rows of uncorrelated subqueries.
	subqueryRows map[*SubqueryExpr][]Row
	// notices are sent with the statement's result.
	Notices []*pgerror.Error
	// mem is the statement's memory budget (membudget.go); nil: none.
	Mem *Budget
	// host is the SQL layer's state of the statement (its *execCtx), for
	// the expressions that call back into it: user-defined functions
	// plan and run their bodies.
	Host any
}

func (ec *Ctx) AddNotice(msg string) {
	ec.Notices = append(ec.Notices, &pgerror.Error{Severity: "NOTICE", Code: pgerror.SuccessfulCompletion, Message: msg})
}

func (ec *Ctx) Settings() *types.Settings {
	if ec.Session == nil {
		return types.DefaultSettings()
	}
	return ec.Session.TypeSettings()
}

func (ec *Ctx) BuiltinCtx() *builtins.Context {
	if ec.bctx == nil {
		now := time.Now()
		txnTime := now
		var rng *rand.Rand
		if ec.Session != nil {
			if t := ec.Session.TxnStart(); !t.IsZero() {
				txnTime = t
			}
			rng = ec.Session.Random()
		}
		var regName func(types.Oid, int64) string
		if rn, ok := ec.Session.(interface {
			RegName(types.Oid, int64) string
		}); ok {
			regName = rn.RegName
		}
		ec.bctx = &builtins.Context{
			Ctx:      ec.Context,
			Settings: ec.Settings(),
			TxnTime:  txnTime,
			StmtTime: now,
			Rand:     rng,
			RegName:  regName,
		}
	}
	return ec.bctx
}

// Iter yields the rows of a plan node; next returns nil at the end.
type Iter interface {
	Next() (Row, error)
	Close()
}

// Column describes one column a plan node produces.
type Column struct {
	Name string
	T    types.T
	// table is the alias or name of the table the column comes from
	// (for qualified references), "" for computed columns.
	Table    string
	TableOID uint32
	AttNum   int16
	Hidden   bool
	// base marks a column read straight from a table of this FROM list
	// (not through a subquery or view): GROUP BY the table's primary key
	// makes it functionally dependent (groupdep.go).
	Base bool
	// untyped marks a text column that was an untyped literal ('1',
	// NULL): a set operation takes its type from the other branch, as
	// PostgreSQL resolves such a literal only there.
	Untyped bool
	// merged marks a side's column of a JOIN ... USING (or NATURAL): its
	// unqualified name and * mean the merged column instead; t.col and
	// t.* still reach it.
	Merged bool
}

// HiddenFor reports whether c is out of reach of a reference qualified by
// table ("" for none).
func (c Column) HiddenFor(table string) bool {
	return c.Hidden || table == "" && c.Merged
}

// Node is a relational operator. exec builds a fresh iterator each
// time, so a plan can run many times (prepared statements, subqueries).
type Node interface {
	Columns() []Column
	Exec(ec *Ctx) (Iter, error)
}

// SliceIter yields materialized rows.
type SliceIter struct {
	Rows []Row
	i    int
}

func (it *SliceIter) Next() (Row, error) {
	if it.i >= len(it.Rows) {
		return nil, nil
	}
	r := it.Rows[it.i]
	it.i++
	return r, nil
}
func (it *SliceIter) Close() {}

// Collect drains a plan into memory.
//
// The rows stay accounted in the statement's memory budget until it ends;
// an operator that lets go of them earlier uses CollectHeld.
func Collect(ec *Ctx, p Node) ([]Row, error) {
	rows, _, err := CollectHeld(ec, p)
	return rows, err
}

// CollectHeld is collect, also returning the bytes accounted for the
// rows, which the caller gives back (ec.mem.shrink) when it drops them.
func CollectHeld(ec *Ctx, p Node) ([]Row, int64, error) {
	it, err := p.Exec(ec)
	if err != nil {
		return nil, 0, err
	}
	defer it.Close()
	var out []Row
	var held int64
	for {
		if err := ec.Context.Err(); err != nil {
			ec.Mem.Shrink(held)
			return nil, 0, err
		}
		r, err := it.Next()
		if err == nil && r != nil {
			n := rowBytes(r)
			if err = ec.Mem.grow(n); err == nil {
				held += n
			}
		}
		if err != nil {
			ec.Mem.Shrink(held)
			return nil, 0, err
		}
		if r == nil {
			return out, held, nil
		}
		out = append(out, r)
	}
}

// FuncIter adapts a closure to Iter.
type FuncIter struct {
	Fn      func() (Row, error)
	CloseFn func()
}

func (it *FuncIter) Next() (Row, error) { return it.Fn() }
func (it *FuncIter) Close() {
	if it.CloseFn != nil {
		it.CloseFn()
	}
}
