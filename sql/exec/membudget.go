package exec

import (
	"fmt"
	"time"

	"github.com/cockroachdb/apd/v3"

	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// A statement's memory budget (Config.MaxStatementMemory, the node's
// sql.max_statement_memory). The operators that hold rows — sorts, the
// build side of hash joins, aggregation groups, DISTINCT and set
// operations, window partitions, recursive CTEs, materialised subqueries
// and gathered results — account for them here while they hold them and
// give them back when they close, so the figure is the statement's live
// row memory, not its total. Past the budget the statement fails with
// 53200, naming the setting, and the node and its other sessions go on:
// one statement cannot take the node's memory. The sizes are estimates of
// Go's representation (headers, boxed values, string bytes), not exact.

// Budget is one statement's account. It belongs to the statement's
// goroutine: no locking.
type Budget struct {
	Limit int64 // 0: no limit
	used  int64
}

// grow accounts n more bytes, or fails with 53200 when that passes the
// limit (leaving the account as it was).
func (m *Budget) grow(n int64) error {
	if m == nil {
		return nil
	}
	m.used += n
	if m.Limit > 0 && m.used > m.Limit {
		m.used -= n
		return pgerror.New(pgerror.OutOfMemory, "out of memory").
			WithDetail("The statement needed more than sql.max_statement_memory (%s) to hold its rows.", formatBytes(m.Limit)).
			WithHint("Reduce what the statement sorts, groups or holds at once, or raise sql.max_statement_memory.")
	}
	return nil
}

// Shrink gives n bytes back.
func (m *Budget) Shrink(n int64) {
	if m != nil {
		m.used -= n
	}
}

func formatBytes(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%dGB", n>>30)
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%dMB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%dkB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// rowBytes estimates the memory a held row takes.
func rowBytes(r Row) int64 {
	n := int64(24 + 16*len(r))
	for _, d := range r {
		n += datumBytes(d)
	}
	return n
}

func datumBytes(d types.Datum) int64 {
	switch v := d.(type) {
	case nil, bool:
		return 0
	case int64, float64:
		return 8
	case string:
		return 16 + int64(len(v))
	case []byte:
		return 24 + int64(len(v))
	case *apd.Decimal:
		return 48 + int64(len(v.Coeff.Bits()))*8
	case time.Time:
		return 24
	case types.JSON:
		return 16 + int64(len(v))
	case *types.Array:
		n := int64(64)
		for _, e := range v.Elems {
			n += 16 + datumBytes(e)
		}
		return n
	}
	return 32
}

// HeldIter is an iterator over rows an operator holds; closing it gives
// their memory back.
type HeldIter struct {
	Rows []Row
	i    int
	Mem  *Budget
	Held int64
}

func (it *HeldIter) Next() (Row, error) {
	if it.i >= len(it.Rows) {
		return nil, nil
	}
	r := it.Rows[it.i]
	it.i++
	return r, nil
}

func (it *HeldIter) Close() {
	it.Mem.Shrink(it.Held)
	it.Held = 0
	it.Rows = nil
}
