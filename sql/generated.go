package sql

import (
	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/quorumdb/quorumdb/sql/catalog"
	"github.com/quorumdb/quorumdb/sql/exec"
	"github.com/quorumdb/quorumdb/sql/pgerror"
)

// Generated columns (GENERATED ALWAYS AS (expr) STORED) hold a value
// computed from the other columns of their row whenever the row is
// written: rowChecker.check computes them before the constraints are
// checked, on every write path (INSERT, UPDATE, ON CONFLICT, COPY).
// Users may write only DEFAULT into them (428C9).

// validateGenerated checks column col's generation expression against
// t's columns as PostgreSQL does: immutable (42P17), no other generated
// column (42P17), no subquery or aggregate, a type the column accepts.
func (b *builder) validateGenerated(t *catalog.Table, col *catalog.Column) error {
	n, err := parseExprText(col.Generated)
	if err != nil {
		return err
	}
	if err := checkIndexExpr(n, "expression"); err != nil {
		if pgerror.CodeOf(err) == pgerror.InvalidObjectDefinition {
			return pgerror.New(pgerror.InvalidObjectDefinition, "generation expression is not immutable")
		}
		return err
	}
	var refErr error
	walkNode(n, func(n *pg_query.Node) bool {
		if cr := n.GetColumnRef(); cr != nil && refErr == nil {
			name := cr.Fields[len(cr.Fields)-1].GetString_().GetSval()
			if _, c := t.ColumnByName(name); c != nil && c.Generated != "" {
				refErr = pgerror.New(pgerror.InvalidObjectDefinition, "cannot use generated column %q in column generation expression", name).
					WithDetail("A generated column cannot reference another generated column.")
			}
		}
		return refErr == nil
	})
	if refErr != nil {
		return refErr
	}
	e, err := b.buildExpr(n, &scope{cols: tableCols(t, t.Name)})
	if err != nil {
		return err
	}
	_, err = b.assignExpr(e, col)
	return err
}

// generatedExprs builds t's generation expressions, by column index.
func (b *builder) generatedExprs(t *catalog.Table) (map[int]exec.Expr, error) {
	var out map[int]exec.Expr
	for i := range t.Columns {
		c := &t.Columns[i]
		if c.Generated == "" {
			continue
		}
		n, err := parseExprText(c.Generated)
		if err != nil {
			return nil, err
		}
		e, err := b.buildExpr(n, &scope{cols: tableCols(t, t.Name)})
		if err != nil {
			return nil, err
		}
		if e, err = b.assignExpr(e, c); err != nil {
			return nil, err
		}
		if out == nil {
			out = map[int]exec.Expr{}
		}
		out[i] = e
	}
	return out, nil
}

// computeGenerated stores the generated columns' values in r.
func (rc *rowChecker) computeGenerated(ec *execCtx, r exec.Row) error {
	for i, e := range rc.generated {
		v, err := e.Eval(ec.Ctx, r)
		if err != nil {
			return err
		}
		r[i] = v
	}
	return nil
}

// generatedInsertError is PostgreSQL's refusal of a value other than
// DEFAULT for a generated column in INSERT.
func generatedInsertError(c *catalog.Column) error {
	return pgerror.New(pgerror.GeneratedAlways, "cannot insert a non-DEFAULT value into column %q", c.Name).
		WithDetail("Column %q is a generated column.", c.Name)
}

// generatedUpdateError is the same refusal for UPDATE ... SET.
func generatedUpdateError(c *catalog.Column) error {
	return pgerror.New(pgerror.GeneratedAlways, "column %q can only be updated to DEFAULT", c.Name).
		WithDetail("Column %q is a generated column.", c.Name)
}

// columnUsedByGenerated names a generated column of t whose expression
// reads column name, "" if none.
func columnUsedByGenerated(t *catalog.Table, name string) string {
	for _, c := range t.Columns {
		if c.Generated == "" {
			continue
		}
		n, err := parseExprText(c.Generated)
		if err != nil {
			continue
		}
		found := false
		walkNode(n, func(n *pg_query.Node) bool {
			if cr := n.GetColumnRef(); cr != nil && cr.Fields[len(cr.Fields)-1].GetString_().GetSval() == name {
				found = true
			}
			return !found
		})
		if found {
			return c.Name
		}
	}
	return ""
}
