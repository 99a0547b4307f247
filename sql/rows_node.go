package sql

import "github.com/quorumdb/quorumdb/sql/exec"

// rowsNode yields precomputed rows (virtual tables).
type rowsNode struct {
	cols []exec.Column
	gen  func(ec *execCtx) ([]exec.Row, error)
	// iter, when set instead of gen, streams the rows.
	iter func(ec *execCtx) (exec.Iter, error)
	// args are a function-in-FROM's arguments (gen evaluates them), kept
	// to tell whether the call reads a LATERAL scope.
	args []exec.Expr
}

func (n *rowsNode) Columns() []exec.Column { return n.cols }

func (n *rowsNode) Exec(ec *exec.Ctx) (exec.Iter, error) {
	if n.iter != nil {
		return n.iter(sqlCtx(ec))
	}
	rows, err := n.gen(sqlCtx(ec))
	if err != nil {
		return nil, err
	}
	return &exec.SliceIter{Rows: rows}, nil
}
