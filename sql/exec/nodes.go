package exec

import (
	"sort"

	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/rowenc"
	"github.com/quorumdb/quorumdb/sql/types"
)

// ValuesNode yields rows computed from expressions (VALUES, and the single
// empty row of a SELECT without FROM).
type ValuesNode struct {
	Cols []Column
	Rows [][]Expr
}

func (n *ValuesNode) Columns() []Column { return n.Cols }
func (n *ValuesNode) Exec(ec *Ctx) (Iter, error) {
	i := 0
	return &FuncIter{Fn: func() (Row, error) {
		if i >= len(n.Rows) {
			return nil, nil
		}
		exprs := n.Rows[i]
		i++
		out := make(Row, len(exprs))
		for j, e := range exprs {
			d, err := e.Eval(ec, nil)
			if err != nil {
				return nil, err
			}
			out[j] = d
		}
		return out, nil
	}}, nil
}

// OuterShiftNode runs input as if levels fewer queries enclosed it: its
// correlated references were resolved where it was defined (a WITH
// query), not where it runs. The outer rows are copied, not resliced,
// because a subquery inside input appends to ec.outer.
type OuterShiftNode struct {
	Input  Node
	Levels int
}

func (n *OuterShiftNode) Columns() []Column { return n.Input.Columns() }
func (n *OuterShiftNode) Exec(ec *Ctx) (Iter, error) {
	shifted := func() []Row {
		saved := ec.Outer
		ec.Outer = append([]Row(nil), saved[:max(len(saved)-n.Levels, 0)]...)
		return saved
	}
	saved := shifted()
	in, err := n.Input.Exec(ec)
	ec.Outer = saved
	if err != nil {
		return nil, err
	}
	return &FuncIter{Fn: func() (Row, error) {
		saved := shifted()
		defer func() { ec.Outer = saved }()
		return in.Next()
	}, CloseFn: in.Close}, nil
}

// FilterNode keeps the rows for which pred is true.
type FilterNode struct {
	Input Node
	Pred  Expr
}

func (n *FilterNode) Columns() []Column { return n.Input.Columns() }
func (n *FilterNode) Exec(ec *Ctx) (Iter, error) {
	in, err := n.Input.Exec(ec)
	if err != nil {
		return nil, err
	}
	return &FuncIter{Fn: func() (Row, error) {
		for {
			r, err := in.Next()
			if err != nil || r == nil {
				return nil, err
			}
			ok, err := EvalBool(ec, n.Pred, r)
			if err != nil {
				return nil, err
			}
			if ok {
				return r, nil
			}
		}
	}, CloseFn: in.Close}, nil
}

// ProjectNode computes output expressions from each input row.
type ProjectNode struct {
	Input Node
	Exprs []Expr
	Cols  []Column
}

func (n *ProjectNode) Columns() []Column { return n.Cols }
func (n *ProjectNode) Exec(ec *Ctx) (Iter, error) {
	in, err := n.Input.Exec(ec)
	if err != nil {
		return nil, err
	}
	return &FuncIter{Fn: func() (Row, error) {
		r, err := in.Next()
		if err != nil || r == nil {
			return nil, err
		}
		out := make(Row, len(n.Exprs))
		for i, e := range n.Exprs {
			if out[i], err = e.Eval(ec, r); err != nil {
				return nil, err
			}
		}
		return out, nil
	}, CloseFn: in.Close}, nil
}

// SortKey is one ORDER BY term over a column of the input.
type SortKey struct {
	Col        int
	Desc       bool
	NullsFirst bool
}

// SortNode sorts its input in memory.
type SortNode struct {
	Input Node
	Keys  []SortKey
}

func (n *SortNode) Columns() []Column { return n.Input.Columns() }
func (n *SortNode) Exec(ec *Ctx) (Iter, error) {
	rows, held, err := CollectHeld(ec, n.Input)
	if err != nil {
		return nil, err
	}
	cols := n.Input.Columns()
	sort.SliceStable(rows, func(i, j int) bool {
		return compareRows(cols, n.Keys, rows[i], rows[j]) < 0
	})
	return &HeldIter{Rows: rows, Mem: ec.Mem, Held: held}, nil
}

func compareRows(cols []Column, keys []SortKey, a, b Row) int {
	for _, k := range keys {
		if c := compareDatums(cols[k.Col].T, a[k.Col], b[k.Col], k.Desc, k.NullsFirst); c != 0 {
			return c
		}
	}
	return 0
}

// compareDatums orders two values of type t as one ORDER BY key does:
// NULLs first or last, whatever the direction.
func compareDatums(t types.T, x, y types.Datum, desc, nullsFirst bool) int {
	switch {
	case x == nil && y == nil:
		return 0
	case x == nil:
		if nullsFirst {
			return -1
		}
		return 1
	case y == nil:
		if nullsFirst {
			return 1
		}
		return -1
	}
	c := types.Compare(t, x, y)
	if desc {
		return -c
	}
	return c
}

// LimitNode applies LIMIT and OFFSET (evaluated once per execution).
type LimitNode struct {
	Input         Node
	Limit, Offset Expr
}

func (n *LimitNode) Columns() []Column { return n.Input.Columns() }
func (n *LimitNode) Exec(ec *Ctx) (Iter, error) {
	limit, offset := int64(-1), int64(0)
	if n.Limit != nil {
		d, err := n.Limit.Eval(ec, nil)
		if err != nil {
			return nil, err
		}
		if d != nil {
			limit = d.(int64)
			if limit < 0 {
				return nil, pgerror.New(pgerror.InvalidRowCountInLimit, "LIMIT must not be negative")
			}
		}
	}
	if n.Offset != nil {
		d, err := n.Offset.Eval(ec, nil)
		if err != nil {
			return nil, err
		}
		if d != nil {
			offset = d.(int64)
			if offset < 0 {
				return nil, pgerror.New(pgerror.InvalidRowCountInResultOffset, "OFFSET must not be negative")
			}
		}
	}
	in, err := n.Input.Exec(ec)
	if err != nil {
		return nil, err
	}
	var seen int64
	return &FuncIter{Fn: func() (Row, error) {
		for {
			if limit >= 0 && seen >= offset+limit {
				return nil, nil
			}
			r, err := in.Next()
			if err != nil || r == nil {
				return nil, err
			}
			seen++
			if seen > offset {
				return r, nil
			}
		}
	}, CloseFn: in.Close}, nil
}

// DatumKey returns a string that is equal for equal values of t (used for
// hashing in DISTINCT, GROUP BY, set operations and hash joins).
func DatumKey(buf []byte, t types.T, d types.Datum) []byte {
	if d == nil {
		return append(buf, 0)
	}
	out, err := rowenc.EncodeKey(append(buf, 1), t, d, false)
	if err == nil {
		return out
	}
	s := types.FormatText(t, d, types.DefaultSettings())
	buf = append(buf, 2)
	buf = append(buf, s...)
	return append(buf, 0, 0)
}

func RowKey(cols []Column, r Row, n int) string {
	var buf []byte
	for i := 0; i < n; i++ {
		buf = DatumKey(buf, cols[i].T, r[i])
	}
	return string(buf)
}

// DistinctNode removes duplicate rows (over the first keyCols columns).
type DistinctNode struct {
	Input   Node
	KeyCols int
}

func (n *DistinctNode) Columns() []Column { return n.Input.Columns() }
func (n *DistinctNode) Exec(ec *Ctx) (Iter, error) {
	in, err := n.Input.Exec(ec)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var held int64
	cols := n.Input.Columns()
	return &FuncIter{Fn: func() (Row, error) {
		for {
			r, err := in.Next()
			if err != nil || r == nil {
				return nil, err
			}
			k := RowKey(cols, r, n.KeyCols)
			if !seen[k] {
				if err := ec.Mem.grow(int64(len(k)) + 48); err != nil {
					return nil, err
				}
				held += int64(len(k)) + 48
				seen[k] = true
				return r, nil
			}
		}
	}, CloseFn: func() { ec.Mem.Shrink(held); held = 0; in.Close() }}, nil
}

// SetOpNode is UNION, INTERSECT or EXCEPT (with or without ALL).
type SetOpNode struct {
	Op          string // "union", "intersect", "except"
	All         bool
	Left, Right Node
	Cols        []Column
}

func (n *SetOpNode) Columns() []Column { return n.Cols }
func (n *SetOpNode) Exec(ec *Ctx) (Iter, error) {
	lrows, lheld, err := CollectHeld(ec, n.Left)
	if err != nil {
		return nil, err
	}
	rrows, rheld, err := CollectHeld(ec, n.Right)
	if err != nil {
		ec.Mem.Shrink(lheld)
		return nil, err
	}
	w := len(n.Cols)
	var out []Row
	switch n.Op {
	case "union":
		if n.All {
			out = append(lrows, rrows...)
			break
		}
		seen := map[string]bool{}
		for _, set := range [][]Row{lrows, rrows} {
			for _, r := range set {
				k := RowKey(n.Cols, r, w)
				if !seen[k] {
					seen[k] = true
					out = append(out, r)
				}
			}
		}
	case "intersect", "except":
		counts := map[string]int{}
		for _, r := range rrows {
			counts[RowKey(n.Cols, r, w)]++
		}
		emitted := map[string]bool{}
		for _, r := range lrows {
			k := RowKey(n.Cols, r, w)
			inRight := counts[k] > 0
			if n.Op == "intersect" {
				if !inRight {
					continue
				}
				if n.All {
					counts[k]--
				} else if emitted[k] {
					continue
				}
			} else {
				if n.All {
					if inRight {
						counts[k]--
						continue
					}
				} else if inRight || emitted[k] {
					continue
				}
			}
			emitted[k] = true
			out = append(out, r)
		}
	}
	// The output rows are the inputs' rows; both inputs are held until
	// the output is read.
	return &HeldIter{Rows: out, Mem: ec.Mem, Held: lheld + rheld}, nil
}

// DistinctOnNode keeps the first row of each run of rows equal on the
// key columns (its input is sorted by them): SELECT DISTINCT ON.
type DistinctOnNode struct {
	Input  Node
	KeyIdx []int
}

func (n *DistinctOnNode) Columns() []Column { return n.Input.Columns() }
func (n *DistinctOnNode) Exec(ec *Ctx) (Iter, error) {
	in, err := n.Input.Exec(ec)
	if err != nil {
		return nil, err
	}
	cols := n.Input.Columns()
	var last string
	first := true
	return &FuncIter{Fn: func() (Row, error) {
		for {
			r, err := in.Next()
			if err != nil || r == nil {
				return nil, err
			}
			var kb []byte
			for _, i := range n.KeyIdx {
				kb = DatumKey(kb, cols[i].T, r[i])
			}
			if first || string(kb) != last {
				first, last = false, string(kb)
				return r, nil
			}
		}
	}, CloseFn: in.Close}, nil
}
