package sql

import (
	"fmt"

	pg_query "github.com/pganalyze/pg_query_go/v5"
	"google.golang.org/protobuf/proto"

	"github.com/quorumdb/quorumdb/sql/exec"
	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// stmtPlan is a planned statement: its result columns (nil when it
// returns no rows) and how to run it.
type stmtPlan struct {
	cols []exec.Column
	run  func(ec *execCtx) (*result, error)
	// query is a SELECT's plan, which the session may stream (see
	// runTop); nil for other statements.
	query exec.Node
}

// runTop runs p as the client's statement: a SELECT streams its rows to
// stream when there is one (stream.go). A plan run from inside another
// (a SQL function's body) goes through run, and never streams.
func (p *stmtPlan) runTop(ec *execCtx, stream *rowStream) (*result, error) {
	if p.query != nil && stream != nil {
		return runQuery(ec, p.query, stream)
	}
	return p.run(ec)
}

// planStatement plans one statement (not transaction control or session
// statements, which the session handles itself).
func (b *builder) planStatement(st statement) (*stmtPlan, error) {
	switch v := st.node.Node.(type) {
	case *pg_query.Node_SelectStmt:
		if into := v.SelectStmt.IntoClause; into != nil {
			// The parse tree is kept for replanning: build from a copy.
			q := proto.Clone(v.SelectStmt).(*pg_query.SelectStmt)
			q.IntoClause = nil
			return b.planCreateTableAs(into, q, false)
		}
		p, err := b.buildSelect(v.SelectStmt, nil)
		if err != nil {
			return nil, err
		}
		return queryPlan(p), nil
	case *pg_query.Node_InsertStmt:
		return b.planInsert(v.InsertStmt)
	case *pg_query.Node_UpdateStmt:
		return b.planUpdate(v.UpdateStmt)
	case *pg_query.Node_DeleteStmt:
		return b.planDelete(v.DeleteStmt)
	case *pg_query.Node_ExplainStmt:
		return b.planExplain(v.ExplainStmt)
	case *pg_query.Node_CopyStmt:
		return b.planCopy(v.CopyStmt)
	}
	return b.planDDL(st)
}

// queryPlan runs a SELECT and buffers its rows.
func queryPlan(p exec.Node) *stmtPlan {
	return &stmtPlan{cols: p.Columns(), query: p, run: func(ec *execCtx) (*result, error) {
		return runQuery(ec, p, nil)
	}}
}

func selectTag(n int) string { return fmt.Sprintf("SELECT %d", n) }

// tagOnly is a plan for a statement that only reports a tag.
func tagOnly(tag string, run func(ec *execCtx) error) *stmtPlan {
	return &stmtPlan{run: func(ec *execCtx) (*result, error) {
		if run != nil {
			if err := run(ec); err != nil {
				return nil, err
			}
		}
		return &result{tag: tag, notices: ec.Notices}, nil
	}}
}

// isUtility reports statements whose Describe needs no planning.
func isUtility(n *pg_query.Node) bool {
	switch n.Node.(type) {
	case *pg_query.Node_VariableSetStmt, *pg_query.Node_VariableShowStmt, *pg_query.Node_TransactionStmt,
		*pg_query.Node_DiscardStmt, *pg_query.Node_DeallocateStmt, *pg_query.Node_PrepareStmt,
		*pg_query.Node_ClosePortalStmt:
		return true
	}
	return false
}

// utilityColumns are the result columns of utility statements.
func utilityColumns(n *pg_query.Node) []exec.Column {
	if show := n.GetVariableShowStmt(); show != nil {
		if show.Name == "all" {
			return []exec.Column{{Name: "name", T: types.Text}, {Name: "setting", T: types.Text}, {Name: "description", T: types.Text}}
		}
		return []exec.Column{{Name: show.Name, T: types.Text}}
	}
	return nil
}

// explainPlan renders a plan tree, one operator per line.
func explainPlan(p exec.Node, depth int, out []string) []string {
	indent := ""
	for i := 0; i < depth; i++ {
		indent += "  "
	}
	arrow := ""
	if depth > 0 {
		arrow = "->  "
	}
	line := indent + arrow
	var children []exec.Node
	switch n := p.(type) {
	case *exec.ScanNode:
		idx := n.Index
		if idx == nil {
			idx = n.Table.Primary()
		}
		switch {
		case idx.Primary && len(n.Eq) == len(idx.ColumnIDs):
			line += fmt.Sprintf("Point Lookup on %s using %s", n.Table.Name, idx.Name)
		case len(n.Eq) > 0 || n.Lo != nil || n.Hi != nil:
			line += fmt.Sprintf("Index Scan using %s on %s", idx.Name, n.Table.Name)
		default:
			line += fmt.Sprintf("Seq Scan on %s", n.Table.Name)
		}
	case *exec.FilterNode:
		line += "Filter"
		children = []exec.Node{n.Input}
	case *exec.ProjectNode:
		line += "Project"
		children = []exec.Node{n.Input}
	case *exec.SortNode:
		line += "Sort"
		children = []exec.Node{n.Input}
	case *exec.LimitNode:
		line += "Limit"
		children = []exec.Node{n.Input}
	case *exec.DistinctNode:
		line += "HashAggregate (distinct)"
		children = []exec.Node{n.Input}
	case *exec.AggNode:
		if n.Scalar {
			line += "Aggregate"
		} else {
			line += "HashAggregate"
		}
		children = []exec.Node{n.Input}
	case *exec.JoinNode:
		kind := map[exec.JoinKind]string{exec.JoinInner: "Inner", exec.JoinLeft: "Left", exec.JoinRight: "Right", exec.JoinFull: "Full"}[n.Kind]
		if len(n.LeftKeys) > 0 {
			line += "Hash Join (" + kind + ")"
		} else {
			line += "Nested Loop (" + kind + ")"
		}
		children = []exec.Node{n.Left, n.Right}
	case *exec.SetOpNode:
		line += "SetOp " + n.Op
		children = []exec.Node{n.Left, n.Right}
	case *exec.ValuesNode:
		line += "Values"
	case *rowsNode:
		line += "Virtual Table"
	case *projectSetNode:
		line += "ProjectSet"
		children = []exec.Node{n.input}
	case *lateralJoinNode:
		line += "Nested Loop Lateral (" + map[exec.JoinKind]string{exec.JoinInner: "Inner", exec.JoinLeft: "Left"}[n.kind] + ")"
		children = []exec.Node{n.left, n.right}
	default:
		line += fmt.Sprintf("%T", p)
	}
	out = append(out, line)
	for _, c := range children {
		out = explainPlan(c, depth+1, out)
	}
	return out
}

func (b *builder) planExplain(ex *pg_query.ExplainStmt) (*stmtPlan, error) {
	for _, o := range ex.Options {
		if de := o.GetDefElem(); de != nil && de.Defname == "analyze" {
			return nil, unsupported("EXPLAIN ANALYZE")
		}
	}
	var lines []string
	switch q := ex.Query.Node.(type) {
	case *pg_query.Node_SelectStmt:
		p, err := b.buildSelect(q.SelectStmt, nil)
		if err != nil {
			return nil, err
		}
		lines = explainPlan(p, 0, nil)
	default:
		sp, err := b.planStatement(statement{node: ex.Query})
		if err != nil {
			return nil, err
		}
		_ = sp
		lines = []string{fmt.Sprintf("%s", nodeName(ex.Query))}
	}
	cols := []exec.Column{{Name: "QUERY PLAN", T: types.Text}}
	return &stmtPlan{cols: cols, run: func(ec *execCtx) (*result, error) {
		rows := make([]exec.Row, len(lines))
		for i, l := range lines {
			rows[i] = exec.Row{l}
		}
		return &result{cols: cols, rows: rows, tag: "EXPLAIN"}, nil
	}}, nil
}

// notSupportedStmt names a statement type quorumdb does not run.
func notSupportedStmt(n *pg_query.Node) error {
	return pgerror.New(pgerror.FeatureNotSupported, "statement %s is not supported", nodeName(n))
}
