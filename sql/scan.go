package sql

import (
	"context"

	"github.com/quorumdb/quorumdb/sql/catalog"

	"github.com/quorumdb/quorumdb/sql/kverror"

	"github.com/quorumdb/quorumdb/kv"
	"github.com/quorumdb/quorumdb/sql/rowenc"
	"github.com/quorumdb/quorumdb/sql/types"
)

// scanBatch is how many entries one kv Scan call fetches.
const scanBatch = 1024

// scanNode reads a table's rows, through its primary index or a secondary
// index, optionally constrained: eq gives values for the leading index
// columns and lo/hi bound the next one. The constraint only narrows the
// keys read; the planner keeps the full predicate in a filter above, so
// a loose bound is never wrong.
type scanNode struct {
	table  *catalog.Table
	cols   []resultCol
	index  *catalog.Index
	eq     []expr
	lo, hi expr
	loIncl bool
	hiIncl bool
	// reverse scans in descending key order.
	reverse bool
	// forUpdate locks the rows a point lookup reads (UPDATE and DELETE
	// targets), so concurrent writers of one row queue instead of failing
	// serialization.
	forUpdate bool
}

// lockingReader is implemented by transactions that can lock a key for
// the rest of the transaction as they read it.
type lockingReader interface {
	GetForUpdate(ctx context.Context, key []byte) ([]byte, bool, error)
}

func (n *scanNode) columns() []resultCol { return n.cols }

// bounds computes the key span to read; empty reports that the constraint
// can match nothing (a NULL in an equality).
func (n *scanNode) bounds(ec *execCtx) (start, end []byte, point bool, empty bool, err error) {
	idx := n.index
	prefix := kv.IndexPrefix(n.table.ID, idx.ID)
	for i, e := range n.eq {
		d, err := e.eval(ec, nil)
		if err != nil {
			return nil, nil, false, false, err
		}
		kt := idx.KeyType(n.table, i)
		if d == nil {
			return nil, nil, false, true, nil
		}
		if d, err = types.Cast(d, e.typ(), kt, false, ec.settings()); err != nil {
			return nil, nil, false, true, nil
		}
		desc := i < len(idx.Desc) && idx.Desc[i]
		if prefix, err = rowenc.EncodeKey(prefix, kt, d, desc); err != nil {
			return nil, nil, false, false, err
		}
	}
	start, end = prefix, kv.PrefixEnd(prefix)
	if idx.Primary && len(n.eq) == len(idx.ColumnIDs) {
		return prefix, nil, true, false, nil
	}
	if n.lo != nil || n.hi != nil {
		kt := idx.KeyType(n.table, len(n.eq))
		bound := func(e expr) ([]byte, bool, error) {
			d, err := e.eval(ec, nil)
			if err != nil || d == nil {
				return nil, d == nil, err
			}
			if d, err = types.Cast(d, e.typ(), kt, false, ec.settings()); err != nil {
				// Out of the column's range: leave this side unbounded;
				// the filter above decides.
				return nil, false, nil
			}
			k, err := rowenc.EncodeKey(append([]byte(nil), prefix...), kt, d, false)
			return k, false, err
		}
		if n.lo != nil {
			k, null, err := bound(n.lo)
			if err != nil || null {
				return nil, nil, false, null, err
			}
			if k == nil {
				// unbounded
			} else if n.loIncl {
				start = k
			} else {
				start = kv.PrefixEnd(k)
			}
		}
		if n.hi != nil {
			k, null, err := bound(n.hi)
			if err != nil || null {
				return nil, nil, false, null, err
			}
			if k == nil {
				// unbounded
			} else if n.hiIncl {
				end = kv.PrefixEnd(k)
			} else {
				end = k
			}
		}
	}
	return start, end, false, false, nil
}

func (n *scanNode) exec(ec *execCtx) (rowIter, error) {
	if n.index == nil {
		n.index = n.table.Primary()
	}
	start, end, point, empty, err := n.bounds(ec)
	if err != nil {
		return nil, err
	}
	if empty {
		return &sliceIter{}, nil
	}
	if point {
		get := ec.txn.Get
		if lr, ok := ec.txn.(lockingReader); ok && n.forUpdate {
			get = lr.GetForUpdate
		}
		v, ok, err := get(ec.ctx, start)
		if err != nil || !ok {
			return &sliceIter{}, kverror.AsSQL(err)
		}
		r, err := decodeRowValue(n.table, v)
		if err != nil {
			return nil, err
		}
		return &sliceIter{rows: []row{r}}, nil
	}
	var buf []kv.KeyValue
	done := false
	return &funcIter{fn: func() (row, error) {
		for {
			if len(buf) == 0 {
				if done {
					return nil, nil
				}
				if err := ec.ctx.Err(); err != nil {
					return nil, err
				}
				kvs, err := ec.txn.Scan(ec.ctx, start, end, scanBatch, n.reverse)
				if err != nil {
					return nil, kverror.AsSQL(err)
				}
				if len(kvs) < scanBatch {
					done = true
				} else if last := kvs[len(kvs)-1].Key; n.reverse {
					end = append([]byte(nil), last...)
				} else {
					start = append(append([]byte(nil), last...), 0)
				}
				buf = kvs
				if len(buf) == 0 {
					return nil, nil
				}
			}
			e := buf[0]
			buf = buf[1:]
			if n.index.Primary {
				return decodeRowValue(n.table, e.Value)
			}
			pk, err := decodePrimaryFromIndexKey(n.table, n.index, e.Key)
			if err != nil {
				return nil, err
			}
			v, ok, err := ec.txn.Get(ec.ctx, pk)
			if err != nil {
				return nil, kverror.AsSQL(err)
			}
			if !ok {
				continue // index entry without a row cannot happen in a committed state
			}
			return decodeRowValue(n.table, v)
		}
	}}, nil
}
