package sql

import (
	"sort"

	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/rowenc"
	"github.com/quorumdb/quorumdb/sql/types"
)

// valuesNode yields rows computed from expressions (VALUES, and the single
// empty row of a SELECT without FROM).
type valuesNode struct {
	cols []resultCol
	rows [][]expr
}

func (n *valuesNode) columns() []resultCol { return n.cols }
func (n *valuesNode) exec(ec *execCtx) (rowIter, error) {
	i := 0
	return &funcIter{fn: func() (row, error) {
		if i >= len(n.rows) {
			return nil, nil
		}
		exprs := n.rows[i]
		i++
		out := make(row, len(exprs))
		for j, e := range exprs {
			d, err := e.eval(ec, nil)
			if err != nil {
				return nil, err
			}
			out[j] = d
		}
		return out, nil
	}}, nil
}

// rowsNode yields precomputed rows (virtual tables).
type rowsNode struct {
	cols []resultCol
	gen  func(ec *execCtx) ([]row, error)
	// iter, when set instead of gen, streams the rows.
	iter func(ec *execCtx) (rowIter, error)
	// args are a function-in-FROM's arguments (gen evaluates them), kept
	// to tell whether the call reads a LATERAL scope.
	args []expr
}

func (n *rowsNode) columns() []resultCol { return n.cols }
func (n *rowsNode) exec(ec *execCtx) (rowIter, error) {
	if n.iter != nil {
		return n.iter(ec)
	}
	rows, err := n.gen(ec)
	if err != nil {
		return nil, err
	}
	return &sliceIter{rows: rows}, nil
}

// outerShiftNode runs input as if levels fewer queries enclosed it: its
// correlated references were resolved where it was defined (a WITH
// query), not where it runs. The outer rows are copied, not resliced,
// because a subquery inside input appends to ec.outer.
type outerShiftNode struct {
	input  planNode
	levels int
}

func (n *outerShiftNode) columns() []resultCol { return n.input.columns() }
func (n *outerShiftNode) exec(ec *execCtx) (rowIter, error) {
	shifted := func() []row {
		saved := ec.outer
		ec.outer = append([]row(nil), saved[:max(len(saved)-n.levels, 0)]...)
		return saved
	}
	saved := shifted()
	in, err := n.input.exec(ec)
	ec.outer = saved
	if err != nil {
		return nil, err
	}
	return &funcIter{fn: func() (row, error) {
		saved := shifted()
		defer func() { ec.outer = saved }()
		return in.next()
	}, closeFn: in.close}, nil
}

// filterNode keeps the rows for which pred is true.
type filterNode struct {
	input planNode
	pred  expr
}

func (n *filterNode) columns() []resultCol { return n.input.columns() }
func (n *filterNode) exec(ec *execCtx) (rowIter, error) {
	in, err := n.input.exec(ec)
	if err != nil {
		return nil, err
	}
	return &funcIter{fn: func() (row, error) {
		for {
			r, err := in.next()
			if err != nil || r == nil {
				return nil, err
			}
			ok, err := evalBool(ec, n.pred, r)
			if err != nil {
				return nil, err
			}
			if ok {
				return r, nil
			}
		}
	}, closeFn: in.close}, nil
}

// projectNode computes output expressions from each input row.
type projectNode struct {
	input planNode
	exprs []expr
	cols  []resultCol
}

func (n *projectNode) columns() []resultCol { return n.cols }
func (n *projectNode) exec(ec *execCtx) (rowIter, error) {
	in, err := n.input.exec(ec)
	if err != nil {
		return nil, err
	}
	return &funcIter{fn: func() (row, error) {
		r, err := in.next()
		if err != nil || r == nil {
			return nil, err
		}
		out := make(row, len(n.exprs))
		for i, e := range n.exprs {
			if out[i], err = e.eval(ec, r); err != nil {
				return nil, err
			}
		}
		return out, nil
	}, closeFn: in.close}, nil
}

// sortKey is one ORDER BY term over a column of the input.
type sortKey struct {
	col        int
	desc       bool
	nullsFirst bool
}

// sortNode sorts its input in memory.
type sortNode struct {
	input planNode
	keys  []sortKey
}

func (n *sortNode) columns() []resultCol { return n.input.columns() }
func (n *sortNode) exec(ec *execCtx) (rowIter, error) {
	rows, held, err := collectHeld(ec, n.input)
	if err != nil {
		return nil, err
	}
	cols := n.input.columns()
	sort.SliceStable(rows, func(i, j int) bool {
		return compareRows(cols, n.keys, rows[i], rows[j]) < 0
	})
	return &heldIter{rows: rows, mem: ec.mem, held: held}, nil
}

func compareRows(cols []resultCol, keys []sortKey, a, b row) int {
	for _, k := range keys {
		if c := compareDatums(cols[k.col].t, a[k.col], b[k.col], k.desc, k.nullsFirst); c != 0 {
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

// limitNode applies LIMIT and OFFSET (evaluated once per execution).
type limitNode struct {
	input         planNode
	limit, offset expr
}

func (n *limitNode) columns() []resultCol { return n.input.columns() }
func (n *limitNode) exec(ec *execCtx) (rowIter, error) {
	limit, offset := int64(-1), int64(0)
	if n.limit != nil {
		d, err := n.limit.eval(ec, nil)
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
	if n.offset != nil {
		d, err := n.offset.eval(ec, nil)
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
	in, err := n.input.exec(ec)
	if err != nil {
		return nil, err
	}
	var seen int64
	return &funcIter{fn: func() (row, error) {
		for {
			if limit >= 0 && seen >= offset+limit {
				return nil, nil
			}
			r, err := in.next()
			if err != nil || r == nil {
				return nil, err
			}
			seen++
			if seen > offset {
				return r, nil
			}
		}
	}, closeFn: in.close}, nil
}

// datumKey returns a string that is equal for equal values of t (used for
// hashing in DISTINCT, GROUP BY, set operations and hash joins).
func datumKey(buf []byte, t types.T, d types.Datum) []byte {
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

func rowKey(cols []resultCol, r row, n int) string {
	var buf []byte
	for i := 0; i < n; i++ {
		buf = datumKey(buf, cols[i].t, r[i])
	}
	return string(buf)
}

// distinctNode removes duplicate rows (over the first keyCols columns).
type distinctNode struct {
	input   planNode
	keyCols int
}

func (n *distinctNode) columns() []resultCol { return n.input.columns() }
func (n *distinctNode) exec(ec *execCtx) (rowIter, error) {
	in, err := n.input.exec(ec)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var held int64
	cols := n.input.columns()
	return &funcIter{fn: func() (row, error) {
		for {
			r, err := in.next()
			if err != nil || r == nil {
				return nil, err
			}
			k := rowKey(cols, r, n.keyCols)
			if !seen[k] {
				if err := ec.mem.grow(int64(len(k)) + 48); err != nil {
					return nil, err
				}
				held += int64(len(k)) + 48
				seen[k] = true
				return r, nil
			}
		}
	}, closeFn: func() { ec.mem.shrink(held); held = 0; in.close() }}, nil
}

// setOpNode is UNION, INTERSECT or EXCEPT (with or without ALL).
type setOpNode struct {
	op          string // "union", "intersect", "except"
	all         bool
	left, right planNode
	cols        []resultCol
}

func (n *setOpNode) columns() []resultCol { return n.cols }
func (n *setOpNode) exec(ec *execCtx) (rowIter, error) {
	lrows, lheld, err := collectHeld(ec, n.left)
	if err != nil {
		return nil, err
	}
	rrows, rheld, err := collectHeld(ec, n.right)
	if err != nil {
		ec.mem.shrink(lheld)
		return nil, err
	}
	w := len(n.cols)
	var out []row
	switch n.op {
	case "union":
		if n.all {
			out = append(lrows, rrows...)
			break
		}
		seen := map[string]bool{}
		for _, set := range [][]row{lrows, rrows} {
			for _, r := range set {
				k := rowKey(n.cols, r, w)
				if !seen[k] {
					seen[k] = true
					out = append(out, r)
				}
			}
		}
	case "intersect", "except":
		counts := map[string]int{}
		for _, r := range rrows {
			counts[rowKey(n.cols, r, w)]++
		}
		emitted := map[string]bool{}
		for _, r := range lrows {
			k := rowKey(n.cols, r, w)
			inRight := counts[k] > 0
			if n.op == "intersect" {
				if !inRight {
					continue
				}
				if n.all {
					counts[k]--
				} else if emitted[k] {
					continue
				}
			} else {
				if n.all {
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
	return &heldIter{rows: out, mem: ec.mem, held: lheld + rheld}, nil
}

// distinctOnNode keeps the first row of each run of rows equal on the
// key columns (its input is sorted by them): SELECT DISTINCT ON.
type distinctOnNode struct {
	input  planNode
	keyIdx []int
}

func (n *distinctOnNode) columns() []resultCol { return n.input.columns() }
func (n *distinctOnNode) exec(ec *execCtx) (rowIter, error) {
	in, err := n.input.exec(ec)
	if err != nil {
		return nil, err
	}
	cols := n.input.columns()
	var last string
	first := true
	return &funcIter{fn: func() (row, error) {
		for {
			r, err := in.next()
			if err != nil || r == nil {
				return nil, err
			}
			var kb []byte
			for _, i := range n.keyIdx {
				kb = datumKey(kb, cols[i].t, r[i])
			}
			if first || string(kb) != last {
				first, last = false, string(kb)
				return r, nil
			}
		}
	}, closeFn: in.close}, nil
}
