package exec

import (
	"github.com/quorumdb/quorumdb/sql/builtins"
	"github.com/quorumdb/quorumdb/sql/types"
)

// WindowOrder is one ORDER BY term of a window.
type WindowOrder struct {
	E          Expr
	Desc       bool
	NullsFirst bool
}

// WindowCall is one window function call of a query level.
type WindowCall struct {
	Name      string
	Agg       *builtins.Aggregate
	Args      []Expr
	Partition []Expr
	Order     []WindowOrder
	Frame     WindowFrame
	Filter    Expr // FILTER (WHERE ...) of an aggregate, or nil
	T         types.T
	// partKeys and orderKeys identify the PARTITION BY and ORDER BY
	// expressions (their parse trees), for the output order (window_order.go).
	PartKeys, OrderKeys []string
}

// WindowInfo collects a query level's window calls; their results are
// appended to the input row at base (known once the input is planned).
type WindowInfo struct {
	Calls []*WindowCall
	Base  int
	// specs are the distinct windows in the order PostgreSQL computes
	// them; the rows come out sorted by the last (window_order.go).
	Specs []WindowSpec
}

// WindowRef reads a window function's result from the row.
type WindowRef struct {
	Info *WindowInfo
	K    int
	T    types.T
}

func (e *WindowRef) Typ() types.T { return e.T }

func (e *WindowRef) Eval(_ *Ctx, r Row) (types.Datum, error) {
	return r[e.Info.Base+e.K], nil
}

// PartitionDirection is how PARTITION BY term i is sorted: ascending,
// NULLS LAST, unless the window's ORDER BY has the same expression, whose
// direction it then takes (transformGroupClauseExpr).
func (c *WindowCall) PartitionDirection(i int) (desc, nullsFirst bool) {
	for j, k := range c.OrderKeys {
		if k == c.PartKeys[i] {
			return c.Order[j].Desc, c.Order[j].NullsFirst
		}
	}
	return false, false
}

// SortItem is one key of a window's sort (SortGroupClause): the
// expression's sort-group reference, direction and NULLS placement.
type SortItem struct {
	Ref        int
	Desc       bool
	NullsFirst bool
}

// WindowSpec is one distinct window of a query level: a call that has it
// and its sort items (uniqueOrder: PARTITION BY, then ORDER BY, without
// repeats).
type WindowSpec struct {
	Call  *WindowCall
	Items []SortItem
}
