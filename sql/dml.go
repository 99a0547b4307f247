package sql

import (
	"fmt"
	"slices"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/quorumdb/quorumdb/sql/catalog"
	"github.com/quorumdb/quorumdb/sql/exec"
	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// rowChecker enforces a table's NOT NULL and CHECK constraints.
type rowChecker struct {
	t      *catalog.Table
	checks []exec.Expr
	// generated are the generation expressions by column index, computed
	// by check before the constraints.
	generated map[int]exec.Expr
}

func (b *builder) newRowChecker(t *catalog.Table) (*rowChecker, error) {
	rc := &rowChecker{t: t}
	s := &scope{cols: tableCols(t, t.Name)}
	for _, c := range t.Checks {
		n, err := parseExprText(c.Expr)
		if err != nil {
			return nil, err
		}
		e, err := b.buildExpr(n, s)
		if err != nil {
			return nil, err
		}
		rc.checks = append(rc.checks, e)
	}
	var err error
	if rc.generated, err = b.generatedExprs(t); err != nil {
		return nil, err
	}
	return rc, nil
}

func failingRow(ec *execCtx, t *catalog.Table, r exec.Row) string {
	var vals []string
	for i, c := range t.Columns {
		if c.Hidden {
			continue
		}
		if r[i] == nil {
			vals = append(vals, "null")
		} else {
			vals = append(vals, types.FormatText(c.Type, r[i], ec.Settings()))
		}
	}
	return "Failing row contains (" + strings.Join(vals, ", ") + ")."
}

func (rc *rowChecker) check(ec *execCtx, r exec.Row) error {
	if err := rc.computeGenerated(ec, r); err != nil {
		return err
	}
	for i, c := range rc.t.Columns {
		if c.NotNull && r[i] == nil {
			return pgerror.New(pgerror.NotNullViolation, "null value in column %q of relation %q violates not-null constraint", c.Name, rc.t.Name).
				WithDetail("%s", failingRow(ec, rc.t, r)).
				WithColumn(rc.t.Schema, rc.t.Name, c.Name)
		}
	}
	for i, e := range rc.checks {
		d, err := e.Eval(ec.Ctx, r)
		if err != nil {
			return err
		}
		if d == false {
			return pgerror.New(pgerror.CheckViolation, "new row for relation %q violates check constraint %q", rc.t.Name, rc.t.Checks[i].Name).
				WithDetail("%s", failingRow(ec, rc.t, r))
		}
	}
	return nil
}

// assignCast converts a value for storage in column c (assignment cast).
func (b *builder) assignExpr(e exec.Expr, c *catalog.Column) (exec.Expr, error) {
	from := e.Typ()
	if from.Equal(c.Type) {
		return e, nil
	}
	if err := checkAssignable(e, c); err != nil {
		return nil, err
	}
	if k, ok := e.(*exec.ConstExpr); ok && k.T.Family == types.UnknownFamily {
		return b.coerce(e, c.Type, "INSERT")
	}
	if p, ok := e.(*exec.ParamExpr); ok && !b.params.Fixed[p.Idx] && b.params.Types[p.Idx].Family == types.UnknownFamily {
		b.params.Types[p.Idx] = c.Type
		return p, nil
	}
	return b.fold(&exec.CastExpr{E: e, T: c.Type}, []exec.Expr{e}, false)
}

// multipleAssignments is PostgreSQL's error for a SET list that assigns
// one column twice (UPDATE t SET x = 3, x = 4).
func multipleAssignments(rt *pg_query.ResTarget) error {
	return pgerror.New(pgerror.SyntaxError, "multiple assignments to same column %q", rt.Name)
}

// checkAssignable reports a 42804 error when e's type has no assignment
// cast to column c's type.
func checkAssignable(e exec.Expr, c *catalog.Column) error {
	from := e.Typ()
	if from.Family != types.UnknownFamily && !types.CanCast(from, c.Type, types.Assignment) {
		if _, isParam := e.(*exec.ParamExpr); !isParam {
			return pgerror.New(pgerror.DatatypeMismatch, "column %q is of type %s but expression is of type %s", c.Name, types.TypeName(c.Type), types.TypeName(from)).
				WithHint("You will need to rewrite or cast the expression.")
		}
	}
	return nil
}

// assignDefaultExpr is assignExpr for a column's DEFAULT. PostgreSQL
// converts a default to the column type when a row uses it, so a default
// the conversion rejects (239040928093 for a smallint) is accepted by
// CREATE TABLE and fails only the INSERT that needs it. The cast is
// therefore folded when it can be and otherwise left to run time. Quoted
// literals are still parsed at once, as PostgreSQL does.
func (b *builder) assignDefaultExpr(e exec.Expr, c *catalog.Column) (exec.Expr, error) {
	if k, ok := e.(*exec.ConstExpr); ok && k.T.Family == types.UnknownFamily {
		return b.assignExpr(e, c)
	}
	if e.Typ().Equal(c.Type) {
		return e, nil
	}
	if err := checkAssignable(e, c); err != nil {
		return nil, err
	}
	cast := &exec.CastExpr{E: e, T: c.Type}
	if folded, err := b.fold(cast, []exec.Expr{e}, false); err == nil {
		return folded, nil
	}
	return cast, nil
}

// defaultExpr builds column c's DEFAULT (NULL when it has none) for the
// rows an INSERT or UPDATE writes; see assignDefaultExpr.
func (b *builder) defaultExpr(t *catalog.Table, c *catalog.Column) (exec.Expr, error) {
	return b.buildDefault(t, c, b.assignDefaultExpr)
}

// addColumnDefault builds the DEFAULT of a column ALTER TABLE ADD COLUMN
// adds. PostgreSQL evaluates a constant one once as the ALTER runs, so a
// default that does not fit the column fails the ALTER, even on an empty
// table.
func (b *builder) addColumnDefault(t *catalog.Table, c *catalog.Column) (exec.Expr, error) {
	return b.buildDefault(t, c, b.assignExpr)
}

// buildDefault builds column c's DEFAULT, converted by assign.
func (b *builder) buildDefault(t *catalog.Table, c *catalog.Column, assign func(exec.Expr, *catalog.Column) (exec.Expr, error)) (exec.Expr, error) {
	if c.Hidden {
		return &goFuncExpr{name: "unique_rowid", t: types.Int8, fn: func(ec *execCtx, _ []types.Datum) (types.Datum, error) {
			return ec.sess.engine.uniqueRowID(), nil
		}}, nil
	}
	if c.Default == "" || c.Generated != "" {
		return &exec.ConstExpr{T: c.Type}, nil
	}
	n, err := parseExprText(c.Default)
	if err != nil {
		return nil, err
	}
	e, err := b.buildExpr(n, &scope{})
	if err != nil {
		return nil, err
	}
	return assign(e, c)
}

// returningPlan builds RETURNING expressions over the table's row.
func (b *builder) buildReturning(list []*pg_query.Node, t *catalog.Table, s *scope) ([]target, []exec.Column, error) {
	if len(list) == 0 {
		return nil, nil, nil
	}
	if err := rejectSRF("RETURNING", list...); err != nil {
		return nil, nil, err
	}
	targets, err := b.buildTargets(list, s)
	if err != nil {
		return nil, nil, err
	}
	cols := make([]exec.Column, len(targets))
	for i, tg := range targets {
		cols[i] = tg.col
	}
	return targets, cols, nil
}

func evalTargets(ec *execCtx, targets []target, r exec.Row) (exec.Row, error) {
	out := make(exec.Row, len(targets))
	for i, t := range targets {
		d, err := t.e.Eval(ec.Ctx, r)
		if err != nil {
			return nil, err
		}
		out[i] = d
	}
	return out, nil
}

func (b *builder) planInsert(ins *pg_query.InsertStmt) (*stmtPlan, error) {
	if ins.WithClause != nil {
		if err := b.pushCTEs(ins.WithClause, &pg_query.Node{Node: &pg_query.Node_InsertStmt{InsertStmt: ins}}, nil); err != nil {
			return nil, err
		}
		defer func() { b.ctes = b.ctes[:len(b.ctes)-1] }()
	}
	b.dmlWant = insertWants(ins)
	t, err := b.lookupWriteTarget(ins.Relation, "INSERT into")
	if err != nil {
		return nil, err
	}
	// Target columns, in the order the values come.
	var targetIdx []int
	if len(ins.Cols) == 0 {
		for i, c := range t.Columns {
			if !c.Hidden {
				targetIdx = append(targetIdx, i)
			}
		}
	} else {
		seen := map[int]bool{}
		for _, n := range ins.Cols {
			rt := n.GetResTarget()
			i, c := t.ColumnByName(rt.Name)
			if c == nil || c.Hidden {
				return nil, pgerror.New(pgerror.UndefinedColumn, "column %q of relation %q does not exist", rt.Name, t.Name).WithPosition(int(rt.Location) + 1)
			}
			if seen[i] {
				return nil, pgerror.New(pgerror.DuplicateColumn, "column %q specified more than once", rt.Name)
			}
			seen[i] = true
			targetIdx = append(targetIdx, i)
		}
	}
	defaults := make([]exec.Expr, len(t.Columns))
	for i := range t.Columns {
		if defaults[i], err = b.defaultExpr(t, &t.Columns[i]); err != nil {
			return nil, err
		}
	}
	// The source: VALUES rows built per column with assignment casts, or
	// any query whose values are cast at run time.
	var source exec.Node
	var valueRows [][]exec.Expr
	sel := ins.SelectStmt.GetSelectStmt()
	if sel != nil && len(sel.ValuesLists) == 1 && findSRFCall(sel.ValuesLists[0]) != nil {
		// PostgreSQL plans INSERT's single VALUES row as a select list,
		// so a set-returning call there inserts one row per value.
		sel = valuesRowAsSelect(sel)
	}
	switch {
	case sel == nil:
		valueRows = [][]exec.Expr{{}} // DEFAULT VALUES
	case len(sel.ValuesLists) > 0 && sel.Op == pg_query.SetOperation_SETOP_NONE && len(sel.SortClause) == 0 && sel.LimitCount == nil:
		if err := rejectSRF("VALUES", sel.ValuesLists...); err != nil {
			return nil, err
		}
		for _, l := range sel.ValuesLists {
			// Checked before the target columns, as PostgreSQL does:
			// VALUES (1), (11, 12) is malformed whatever the table.
			if len(l.GetList().GetItems()) != len(sel.ValuesLists[0].GetList().GetItems()) {
				return nil, pgerror.New(pgerror.SyntaxError, "VALUES lists must all be the same length")
			}
		}
		for _, l := range sel.ValuesLists {
			items := l.GetList().GetItems()
			if len(items) > len(targetIdx) {
				return nil, pgerror.New(pgerror.SyntaxError, "INSERT has more expressions than target columns")
			}
			if len(items) < len(targetIdx) && len(ins.Cols) > 0 {
				return nil, pgerror.New(pgerror.SyntaxError, "INSERT has more target columns than expressions")
			}
			r := make([]exec.Expr, len(items))
			for i, it := range items {
				c := &t.Columns[targetIdx[i]]
				if it.GetSetToDefault() != nil || (c.Identity != "" && ins.Override == pg_query.OverridingKind_OVERRIDING_USER_VALUE) {
					r[i] = defaults[targetIdx[i]]
					continue
				}
				if c.Generated != "" {
					return nil, generatedInsertError(c)
				}
				if c.Identity == "a" && ins.Override != pg_query.OverridingKind_OVERRIDING_SYSTEM_VALUE {
					return nil, identityInsertError(c)
				}
				e, err := b.buildExpr(it, &scope{})
				if err != nil {
					return nil, err
				}
				if r[i], err = b.assignExpr(e, c); err != nil {
					return nil, err
				}
			}
			valueRows = append(valueRows, r)
		}
	default:
		p, err := b.buildSelect(sel, nil)
		if err != nil {
			return nil, err
		}
		pc := p.Columns()
		if len(pc) > len(targetIdx) {
			return nil, pgerror.New(pgerror.SyntaxError, "INSERT has more expressions than target columns")
		}
		exprs := make([]exec.Expr, len(pc))
		cols := make([]exec.Column, len(pc))
		for i := range pc {
			c := &t.Columns[targetIdx[i]]
			if c.Generated != "" {
				return nil, generatedInsertError(c)
			}
			if c.Identity == "a" && ins.Override != pg_query.OverridingKind_OVERRIDING_SYSTEM_VALUE && ins.Override != pg_query.OverridingKind_OVERRIDING_USER_VALUE {
				return nil, identityInsertError(c)
			}
			if c.Identity != "" && ins.Override == pg_query.OverridingKind_OVERRIDING_USER_VALUE {
				exprs[i] = defaults[targetIdx[i]]
			} else if exprs[i], err = b.assignExpr(&exec.ColRef{Idx: i, T: pc[i].T}, c); err != nil {
				return nil, err
			}
			cols[i] = exec.Column{Name: c.Name, T: c.Type}
		}
		source = &exec.ProjectNode{Input: p, Exprs: exprs, Cols: cols}
	}
	checker, err := b.newRowChecker(t)
	if err != nil {
		return nil, err
	}
	tableScope := &scope{cols: tableCols(t, t.Name)}
	if ins.Relation.Alias != nil {
		tableScope = &scope{cols: tableCols(t, ins.Relation.Alias.Aliasname)}
	}
	returning, retCols, err := b.buildReturning(ins.ReturningList, t, tableScope)
	if err != nil {
		return nil, err
	}
	onConflict, err := b.buildOnConflict(ins.OnConflictClause, t, tableScope)
	if err != nil {
		return nil, err
	}
	run := func(ec *execCtx) (*result, error) {
		res := &result{cols: retCols}
		var n int
		ins, err := newRowInserter(t)
		if err != nil {
			return nil, err
		}
		var affected map[string]bool // DO UPDATE: rows this statement wrote
		if onConflict != nil && !onConflict.doNothing {
			affected = map[string]bool{}
		}
		insertOne := func(vals exec.Row) error {
			full := make(exec.Row, len(t.Columns))
			provided := make([]bool, len(t.Columns))
			for i, v := range vals {
				full[targetIdx[i]] = v
				provided[targetIdx[i]] = true
			}
			for i := range t.Columns {
				if !provided[i] {
					d, err := defaults[i].Eval(ec.Ctx, nil)
					if err != nil {
						return err
					}
					full[i] = d
				}
			}
			if err := checker.check(ec, full); err != nil {
				return err
			}
			conflictIdx, err := ins.insert(ec, full)
			if err != nil {
				if conflictIdx == nil || onConflict == nil || !onConflict.matches(conflictIdx) {
					return err
				}
				updated, ok, err := onConflict.apply(ec, t, conflictIdx, full, checker, affected)
				if err != nil || !ok {
					return err
				}
				full = updated
			}
			if affected != nil {
				pk, err := primaryKey(t, full)
				if err != nil {
					return err
				}
				affected[string(pk)] = true
			}
			if err := checkChildRow(ec, t, full); err != nil {
				return err
			}
			n++
			return appendReturning(ec, res, returning, full)
		}
		if source != nil {
			rows, err := exec.Collect(ec.Ctx, source)
			if err != nil {
				return nil, err
			}
			if len(rows) > 1 {
				if err := prefetchDefaults(ec, defaults, selectDefaultUses(len(rows), targetIdx[:len(source.Columns())], len(t.Columns))); err != nil {
					return nil, err
				}
			}
			if onConflict == nil {
				if err := ins.prefetchAbsent(ec, rows, targetIdx); err != nil {
					return nil, err
				}
			}
			for _, r := range rows {
				if err := insertOne(r); err != nil {
					return nil, err
				}
			}
		} else {
			// Rows of constants and parameters (what a driver's multi-row
			// INSERT sends) are evaluated first, so that their keys can be
			// looked up at once; anything else row by row, as before.
			var pre []exec.Row
			if len(valueRows) > 1 {
				if err := prefetchDefaults(ec, defaults, valuesDefaultUses(valueRows, targetIdx, defaults)); err != nil {
					return nil, err
				}
			}
			if len(valueRows) > 1 && onConflict == nil && allConstant(valueRows) {
				pre = make([]exec.Row, len(valueRows))
				for j, exprs := range valueRows {
					vals := make(exec.Row, len(exprs))
					for i, e := range exprs {
						d, err := e.Eval(ec.Ctx, nil)
						if err != nil {
							return nil, err
						}
						vals[i] = d
					}
					pre[j] = vals
				}
				if err := ins.prefetchAbsent(ec, pre, targetIdx); err != nil {
					return nil, err
				}
			}
			for j, exprs := range valueRows {
				if pre != nil {
					if err := insertOne(pre[j]); err != nil {
						return nil, err
					}
					continue
				}
				vals := make(exec.Row, len(exprs))
				for i, e := range exprs {
					d, err := e.Eval(ec.Ctx, nil)
					if err != nil {
						return nil, err
					}
					vals[i] = d
				}
				if err := insertOne(vals); err != nil {
					return nil, err
				}
			}
		}
		res.tag = fmt.Sprintf("INSERT 0 %d", n)
		return res, nil
	}
	return &stmtPlan{cols: retCols, run: run}, nil
}

// onConflict is a planned ON CONFLICT clause.
type onConflict struct {
	doNothing bool
	// arbiter is the index named by the conflict target; nil means any.
	arbiter *catalog.Index
	sets    []int // column index per set expression
	exprs   []exec.Expr
	where   exec.Expr
}

func (oc *onConflict) matches(idx *catalog.Index) bool {
	return oc.arbiter == nil || oc.arbiter.ID == idx.ID
}

func (b *builder) buildOnConflict(c *pg_query.OnConflictClause, t *catalog.Table, s *scope) (*onConflict, error) {
	if c == nil {
		return nil, nil
	}
	oc := &onConflict{doNothing: c.Action == pg_query.OnConflictAction_ONCONFLICT_NOTHING}
	if c.Infer != nil {
		if c.Infer.Conname != "" {
			for i := range t.Indexes {
				if t.Indexes[i].Name == c.Infer.Conname {
					oc.arbiter = &t.Indexes[i]
				}
			}
			if oc.arbiter == nil {
				return nil, pgerror.New(pgerror.UndefinedObject, "constraint %q for table %q does not exist", c.Infer.Conname, t.Name)
			}
		} else {
			arbiter, err := b.inferArbiter(c.Infer, t)
			if err != nil {
				return nil, err
			}
			oc.arbiter = arbiter
			if oc.arbiter == nil {
				return nil, pgerror.New(pgerror.InvalidColumnReference, "there is no unique or exclusion constraint matching the ON CONFLICT specification")
			}
		}
	} else if !oc.doNothing {
		return nil, pgerror.New(pgerror.SyntaxError, "ON CONFLICT DO UPDATE requires inference specification or constraint name").WithHint("For example, ON CONFLICT (column_name).")
	}
	if oc.doNothing {
		return oc, nil
	}
	// SET expressions see the existing row and the proposed one as
	// "excluded".
	us := &scope{cols: append(append([]exec.Column(nil), s.cols...), tableCols(t, "excluded")...)}
	for _, n := range c.TargetList {
		i, e, err := b.buildSetTarget(t, n.GetResTarget(), us, oc.sets)
		if err != nil {
			return nil, err
		}
		oc.sets = append(oc.sets, i)
		oc.exprs = append(oc.exprs, e)
	}
	if c.WhereClause != nil {
		w, err := b.buildExpr(c.WhereClause, us)
		if err != nil {
			return nil, err
		}
		if oc.where, err = b.requireBool(w, "WHERE"); err != nil {
			return nil, err
		}
	}
	return oc, nil
}

// inferArbiter finds the unique index an ON CONFLICT (elements) [WHERE
// predicate] names, as PostgreSQL's infer_arbiter_indexes does: its key
// elements are the given columns and expressions (in any order), and a
// partial index qualifies only when the WHERE implies its predicate.
func (b *builder) inferArbiter(infer *pg_query.InferClause, t *catalog.Table) (*catalog.Index, error) {
	s := &scope{cols: tableCols(t, t.Name)}
	var ids []uint32
	var exprs []exec.Expr
	for _, n := range infer.IndexElems {
		el := n.GetIndexElem()
		name := el.Name
		if cr := el.Expr.GetColumnRef(); cr != nil && len(cr.Fields) == 1 {
			name = cr.Fields[0].GetString_().GetSval()
		}
		if name != "" {
			_, col := t.ColumnByName(name)
			if col == nil {
				return nil, pgerror.New(pgerror.UndefinedColumn, "column %q does not exist", name)
			}
			ids = append(ids, col.ID)
			continue
		}
		e, err := b.buildExpr(el.Expr, s)
		if err != nil {
			return nil, err
		}
		exprs = append(exprs, e)
	}
	var where []exec.Expr
	if infer.WhereClause != nil {
		w, err := b.buildExpr(infer.WhereClause, s)
		if err != nil {
			return nil, err
		}
		where = conjunctsOf(w)
	}
	var arbiter *catalog.Index
	for i := range t.Indexes {
		idx := &t.Indexes[i]
		if !idx.Unique && !idx.Primary {
			continue
		}
		if idx.Plain() {
			if len(exprs) == 0 && sameIDs(idx.ColumnIDs, ids) {
				arbiter = idx
			}
			continue
		}
		ci, err := b.compileIndex(t, idx)
		if err != nil {
			return nil, err
		}
		if ci.pred != nil && !impliesPredicate(where, ci.pred) {
			continue
		}
		var cols []uint32
		for _, id := range idx.ColumnIDs {
			if id != 0 {
				cols = append(cols, id)
			}
		}
		if sameIDs(cols, ids) && sameExprSet(ci.exprs, exprs) {
			arbiter = idx
		}
	}
	return arbiter, nil
}

// sameExprSet reports whether a and b hold the same expressions, in any
// order.
func sameExprSet(a, b []exec.Expr) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range a {
		found := false
		for _, y := range b {
			if sameExpr(x, y) {
				found = true
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func sameIDs(a, b []uint32) bool {
	if len(a) != len(b) {
		return false
	}
	m := map[uint32]bool{}
	for _, x := range a {
		m[x] = true
	}
	for _, x := range b {
		if !m[x] {
			return false
		}
	}
	return true
}

// apply handles a conflicting proposed row: nothing, or update the
// existing row. ok reports whether a row was inserted or updated.
// affected holds the primary keys of the rows this statement inserted or
// updated so far: DO UPDATE may not touch one of them again, as in
// PostgreSQL (which rows win would depend on the order of the input).
func (oc *onConflict) apply(ec *execCtx, t *catalog.Table, idx *catalog.Index, proposed exec.Row, checker *rowChecker, affected map[string]bool) (exec.Row, bool, error) {
	if oc.doNothing {
		return nil, false, nil
	}
	existing, err := fetchByIndex(ec, t, idx, proposed)
	if err != nil || existing == nil {
		return nil, false, err
	}
	if pk, err := primaryKey(t, existing); err != nil {
		return nil, false, err
	} else if affected[string(pk)] {
		return nil, false, pgerror.New(pgerror.CardinalityViolation, "ON CONFLICT DO UPDATE command cannot affect row a second time").
			WithHint("Ensure that no rows proposed for insertion within the same command have duplicate constrained values.")
	}
	both := append(append(exec.Row(nil), existing...), proposed...)
	if oc.where != nil {
		ok, err := exec.EvalBool(ec.Ctx, oc.where, both)
		if err != nil || !ok {
			return nil, false, err
		}
	}
	updated := append(exec.Row(nil), existing...)
	for i, ci := range oc.sets {
		d, err := oc.exprs[i].Eval(ec.Ctx, both)
		if err != nil {
			return nil, false, err
		}
		updated[ci] = d
	}
	if err := checker.check(ec, updated); err != nil {
		return nil, false, err
	}
	if err := updateRow(ec, t, existing, updated); err != nil {
		return nil, false, err
	}
	return updated, true, nil
}

// fetchByIndex returns the row whose idx columns equal those of r.
func fetchByIndex(ec *execCtx, t *catalog.Table, idx *catalog.Index, r exec.Row) (exec.Row, error) {
	sc := &exec.ScanNode{Table: t, Cols: tableCols(t, t.Name), Index: idx}
	vals, err := indexKeyValues(ec, t, idx, r)
	if err != nil {
		return nil, err
	}
	for i, v := range vals {
		sc.Eq = append(sc.Eq, &exec.ConstExpr{Value: v, T: idx.KeyType(t, i)})
	}
	rows, err := exec.Collect(ec.Ctx, sc)
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	return rows[0], nil
}

// lookupWriteTarget resolves the table an INSERT, UPDATE or DELETE
// writes. PostgreSQL writes through simple views (automatically updatable
// ones); quorumdb does not yet, and says so with 0A000 rather than
// claiming the view does not exist. verb names the statement ("DELETE
// from").
func (b *builder) lookupWriteTarget(rv *pg_query.RangeVar, verb string) (*catalog.Table, error) {
	t, err := b.lookupTable(rv)
	if err == nil {
		b.privTarget = rv
		return t, b.checkRelPrivs(t, b.dmlWant)
	}
	schema, serr := b.relationSchema(rv.Schemaname, rv.Relname)
	if serr != nil {
		return nil, withRelPosition(serr, rv)
	}
	if v, verr := b.cat.TableByName(b.ctx, b.sess.dbID, schema, rv.Relname); verr == nil && v != nil && v.Kind == catalog.KindView {
		return nil, unsupported(verb + " a view")
	}
	return nil, err
}

// planTargetScan plans the rows an UPDATE or DELETE affects: the target
// table's rows (first in the row layout), joined with FROM/USING items.
func (b *builder) planTargetScan(verb string, rel *pg_query.RangeVar, extra []*pg_query.Node, where *pg_query.Node) (*catalog.Table, exec.Node, *scope, error) {
	t, err := b.lookupWriteTarget(rel, verb)
	if err != nil {
		return nil, nil, nil, err
	}
	from := append([]*pg_query.Node{{Node: &pg_query.Node_RangeVar{RangeVar: rel}}}, extra...)
	p, s, err := b.buildFromWhere(from, where, nil)
	if err != nil {
		return nil, nil, nil, err
	}
	markForUpdate(p, t)
	return t, p, s, nil
}

func (b *builder) planUpdate(up *pg_query.UpdateStmt) (*stmtPlan, error) {
	if up.WithClause != nil {
		if err := b.pushCTEs(up.WithClause, &pg_query.Node{Node: &pg_query.Node_UpdateStmt{UpdateStmt: up}}, nil); err != nil {
			return nil, err
		}
		defer func() { b.ctes = b.ctes[:len(b.ctes)-1] }()
	}
	b.dmlWant = updateWants(up)
	t, p, s, err := b.planTargetScan("UPDATE of", up.Relation, up.FromClause, up.WhereClause)
	if err != nil {
		return nil, err
	}
	var sets []int
	var exprs []exec.Expr
	if err := rejectSRF("UPDATE", up.TargetList...); err != nil {
		return nil, err
	}
	for _, n := range up.TargetList {
		i, e, err := b.buildSetTarget(t, n.GetResTarget(), s, sets)
		if err != nil {
			return nil, err
		}
		sets = append(sets, i)
		exprs = append(exprs, e)
	}
	checker, err := b.newRowChecker(t)
	if err != nil {
		return nil, err
	}
	returning, retCols, err := b.buildReturning(up.ReturningList, t, &scope{cols: s.cols[:len(t.Columns)]})
	if err != nil {
		return nil, err
	}
	run := func(ec *execCtx) (*result, error) {
		res := &result{cols: retCols}
		n := 0
		err := forEachTargetRow(ec, t, p, func(r, old exec.Row) error {
			updated := append(exec.Row(nil), old...)
			for i, ci := range sets {
				var err error
				if updated[ci], err = exprs[i].Eval(ec.Ctx, r); err != nil {
					return err
				}
			}
			if err := checker.check(ec, updated); err != nil {
				return err
			}
			if err := updateRow(ec, t, old, updated); err != nil {
				return err
			}
			if err := checkChildRowChanged(ec, t, old, updated); err != nil {
				return err
			}
			if err := onParentChange(ec, t, old, updated, 0); err != nil {
				return err
			}
			n++
			return appendReturning(ec, res, returning, updated)
		})
		if err != nil {
			return nil, err
		}
		res.tag = fmt.Sprintf("UPDATE %d", n)
		return res, nil
	}
	return &stmtPlan{cols: retCols, run: run}, nil
}

func (b *builder) planDelete(del *pg_query.DeleteStmt) (*stmtPlan, error) {
	if del.WithClause != nil {
		if err := b.pushCTEs(del.WithClause, &pg_query.Node{Node: &pg_query.Node_DeleteStmt{DeleteStmt: del}}, nil); err != nil {
			return nil, err
		}
		defer func() { b.ctes = b.ctes[:len(b.ctes)-1] }()
	}
	b.dmlWant = deleteWants(del)
	t, p, s, err := b.planTargetScan("DELETE from", del.Relation, del.UsingClause, del.WhereClause)
	if err != nil {
		return nil, err
	}
	returning, retCols, err := b.buildReturning(del.ReturningList, t, &scope{cols: s.cols[:len(t.Columns)]})
	if err != nil {
		return nil, err
	}
	run := func(ec *execCtx) (*result, error) {
		res := &result{cols: retCols}
		n := 0
		err := forEachTargetRow(ec, t, p, func(_, old exec.Row) error {
			if err := deleteRow(ec, t, old); err != nil {
				return err
			}
			if err := onParentChange(ec, t, old, nil, 0); err != nil {
				return err
			}
			n++
			return appendReturning(ec, res, returning, old)
		})
		if err != nil {
			return nil, err
		}
		res.tag = fmt.Sprintf("DELETE %d", n)
		return res, nil
	}
	return &stmtPlan{cols: retCols, run: run}, nil
}

// markForUpdate makes the scan of the target table lock the rows it reads
// by primary key.
func markForUpdate(p exec.Node, t *catalog.Table) {
	switch n := p.(type) {
	case *exec.ScanNode:
		if n.Table.ID == t.ID {
			n.ForUpdate = true
		}
	case *exec.FilterNode:
		markForUpdate(n.Input, t)
	case *exec.ProjectNode:
		markForUpdate(n.Input, t)
	case *exec.JoinNode:
		markForUpdate(n.Left, t)
		markForUpdate(n.Right, t)
	}
}

// forEachTargetRow calls fn once per distinct target row of an UPDATE or
// DELETE with the whole joined row and the table's part of it. The rows
// are materialized first so the scan never sees the statement's own
// writes (the Halloween problem), and a row that a FROM/USING join
// matched several times is visited once, as PostgreSQL does.
func forEachTargetRow(ec *execCtx, t *catalog.Table, p exec.Node, fn func(r, old exec.Row) error) error {
	rows, err := exec.Collect(ec.Ctx, p)
	if err != nil {
		return err
	}
	width := len(t.Columns)
	done := make(map[string]bool, len(rows))
	for _, r := range rows {
		old := r[:width]
		key, err := primaryKey(t, old)
		if err != nil {
			return err
		}
		if done[string(key)] {
			continue
		}
		done[string(key)] = true
		if err := fn(r, old); err != nil {
			return err
		}
	}
	return nil
}

// appendReturning adds the RETURNING row for r, if the statement has one.
func appendReturning(ec *execCtx, res *result, returning []target, r exec.Row) error {
	if returning == nil {
		return nil
	}
	rr, err := evalTargets(ec, returning, r)
	if err != nil {
		return err
	}
	res.rows = append(res.rows, rr)
	return nil
}

// allConstant reports whether every value of a VALUES list is a constant
// or a parameter (nothing volatile to evaluate in order).
func allConstant(rows [][]exec.Expr) bool {
	for _, r := range rows {
		for _, e := range r {
			switch v := e.(type) {
			case *exec.ConstExpr, *exec.ParamExpr:
			case *exec.CastExpr:
				switch v.E.(type) {
				case *exec.ConstExpr, *exec.ParamExpr:
				default:
					return false
				}
			default:
				return false
			}
		}
	}
	return true
}

// buildSetTarget builds one `col = value` of an UPDATE's or ON CONFLICT DO
// UPDATE's SET list against table t, with s the scope its value reads:
// the column's index and the value converted to its type (assignExpr).
// sets are the columns already assigned, each of which may appear once.
func (b *builder) buildSetTarget(t *catalog.Table, rt *pg_query.ResTarget, s *scope, sets []int) (int, exec.Expr, error) {
	i, col := t.ColumnByName(rt.Name)
	if len(rt.Indirection) > 0 && (col == nil || col.Type.Oid != types.OidJSONB) {
		return 0, nil, unsupported("UPDATE of array elements or fields")
	}
	if col == nil || col.Hidden {
		return 0, nil, pgerror.New(pgerror.UndefinedColumn, "column %q of relation %q does not exist", rt.Name, t.Name).WithPosition(int(rt.Location) + 1)
	}
	if slices.Contains(sets, i) {
		return 0, nil, multipleAssignments(rt)
	}
	if len(rt.Indirection) > 0 && rt.Val.GetSetToDefault() != nil {
		return 0, nil, pgerror.New(pgerror.FeatureNotSupported, "cannot set an array element to DEFAULT").WithPosition(int(rt.Location) + 1)
	}
	if len(rt.Indirection) > 0 && col.Generated == "" && col.Identity != "a" {
		e, err := b.jsonbSubscriptAssign(col, rt, s)
		return i, e, err
	}
	var e exec.Expr
	var err error
	switch {
	case rt.Val.GetSetToDefault() != nil:
		e, err = b.defaultExpr(t, col)
	case col.Generated != "":
		return 0, nil, generatedUpdateError(col)
	case col.Identity == "a":
		return 0, nil, identityUpdateError(col)
	default:
		e, err = b.buildExpr(rt.Val, s)
	}
	if err != nil {
		return 0, nil, err
	}
	if e, err = b.assignExpr(e, col); err != nil {
		return 0, nil, err
	}
	return i, e, nil
}
