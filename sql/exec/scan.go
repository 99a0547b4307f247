package exec

import (
	"context"

	"github.com/quorumdb/quorumdb/kv"
	"github.com/quorumdb/quorumdb/sql/catalog"
	"github.com/quorumdb/quorumdb/sql/kverror"
	"github.com/quorumdb/quorumdb/sql/rowenc"
	"github.com/quorumdb/quorumdb/sql/types"
)

// scanBatch is how many entries one kv Scan call fetches.
const scanBatch = 1024

// ScanNode reads a table's rows, through its primary index or a secondary
// index, optionally constrained: eq gives values for the leading index
// columns and lo/hi bound the next one. The constraint only narrows the
// keys read; the planner keeps the full predicate in a filter above, so
// a loose bound is never wrong.
type ScanNode struct {
	Table  *catalog.Table
	Cols   []Column
	Index  *catalog.Index
	Eq     []Expr
	Lo, Hi Expr
	LoIncl bool
	HiIncl bool
	// reverse scans in descending key order.
	reverse bool
	// forUpdate locks the rows a point lookup reads (UPDATE and DELETE
	// targets), so concurrent writers of one row queue instead of failing
	// serialization.
	ForUpdate bool
}

// lockingReader is implemented by transactions that can lock a key for
// the rest of the transaction as they read it.
type lockingReader interface {
	GetForUpdate(ctx context.Context, key []byte) ([]byte, bool, error)
}

func (n *ScanNode) Columns() []Column { return n.Cols }

// bounds computes the key span to read; empty reports that the constraint
// can match nothing (a NULL in an equality).
func (n *ScanNode) bounds(ec *Ctx) (start, end []byte, point bool, empty bool, err error) {
	idx := n.Index
	prefix := kv.IndexPrefix(n.Table.ID, idx.ID)
	for i, e := range n.Eq {
		d, err := e.Eval(ec, nil)
		if err != nil {
			return nil, nil, false, false, err
		}
		kt := idx.KeyType(n.Table, i)
		if d == nil {
			return nil, nil, false, true, nil
		}
		if d, err = types.Cast(d, e.Typ(), kt, false, ec.Settings()); err != nil {
			return nil, nil, false, true, nil
		}
		desc := i < len(idx.Desc) && idx.Desc[i]
		if prefix, err = rowenc.EncodeKey(prefix, kt, d, desc); err != nil {
			return nil, nil, false, false, err
		}
	}
	start, end = prefix, kv.PrefixEnd(prefix)
	if idx.Primary && len(n.Eq) == len(idx.ColumnIDs) {
		return prefix, nil, true, false, nil
	}
	if n.Lo != nil || n.Hi != nil {
		kt := idx.KeyType(n.Table, len(n.Eq))
		bound := func(e Expr) ([]byte, bool, error) {
			d, err := e.Eval(ec, nil)
			if err != nil || d == nil {
				return nil, d == nil, err
			}
			if d, err = types.Cast(d, e.Typ(), kt, false, ec.Settings()); err != nil {
				// Out of the column's range: leave this side unbounded;
				// the filter above decides.
				return nil, false, nil
			}
			k, err := rowenc.EncodeKey(append([]byte(nil), prefix...), kt, d, false)
			return k, false, err
		}
		if n.Lo != nil {
			k, null, err := bound(n.Lo)
			if err != nil || null {
				return nil, nil, false, null, err
			}
			if k == nil {
				// unbounded
			} else if n.LoIncl {
				start = k
			} else {
				start = kv.PrefixEnd(k)
			}
		}
		if n.Hi != nil {
			k, null, err := bound(n.Hi)
			if err != nil || null {
				return nil, nil, false, null, err
			}
			if k == nil {
				// unbounded
			} else if n.HiIncl {
				end = kv.PrefixEnd(k)
			} else {
				end = k
			}
		}
	}
	return start, end, false, false, nil
}

func (n *ScanNode) Exec(ec *Ctx) (Iter, error) {
	if n.Index == nil {
		n.Index = n.Table.Primary()
	}
	start, end, point, empty, err := n.bounds(ec)
	if err != nil {
		return nil, err
	}
	if empty {
		return &SliceIter{}, nil
	}
	if point {
		get := ec.Txn.Get
		if lr, ok := ec.Txn.(lockingReader); ok && n.ForUpdate {
			get = lr.GetForUpdate
		}
		v, ok, err := get(ec.Context, start)
		if err != nil || !ok {
			return &SliceIter{}, kverror.AsSQL(err)
		}
		r, err := DecodeRowValue(n.Table, v)
		if err != nil {
			return nil, err
		}
		return &SliceIter{Rows: []Row{r}}, nil
	}
	var buf []kv.KeyValue
	done := false
	return &FuncIter{Fn: func() (Row, error) {
		for {
			if len(buf) == 0 {
				if done {
					return nil, nil
				}
				if err := ec.Context.Err(); err != nil {
					return nil, err
				}
				kvs, err := ec.Txn.Scan(ec.Context, start, end, scanBatch, n.reverse)
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
			if n.Index.Primary {
				return DecodeRowValue(n.Table, e.Value)
			}
			pk, err := DecodePrimaryFromIndexKey(n.Table, n.Index, e.Key)
			if err != nil {
				return nil, err
			}
			v, ok, err := ec.Txn.Get(ec.Context, pk)
			if err != nil {
				return nil, kverror.AsSQL(err)
			}
			if !ok {
				continue // index entry without a row cannot happen in a committed state
			}
			return DecodeRowValue(n.Table, v)
		}
	}}, nil
}
