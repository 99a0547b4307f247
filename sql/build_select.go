package sql

import (
	"fmt"
	"slices"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/quorumdb/quorumdb/sql/builtins"
	"github.com/quorumdb/quorumdb/sql/exec"
	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// buildSelect plans a SELECT (or VALUES, or a set operation). parent is
// the enclosing query's scope for correlated subqueries, nil at top level.
// The plan's columns are exactly the visible output columns.
func (b *builder) buildSelect(sel *pg_query.SelectStmt, parent *scope) (exec.Node, error) {
	b.beginDefer()
	p, err := b.buildSelectBody(sel, parent)
	if err = b.endDefer(err); err != nil {
		return nil, err
	}
	return p, nil
}

// checkSelectLocking refuses a row-locking clause (FOR UPDATE, FOR
// SHARE, …) on a query whose rows are not table rows, as PostgreSQL's
// CheckSelectLocking does for set operations, DISTINCT, GROUP BY and
// HAVING; it was accepted and ignored.
func checkSelectLocking(sel *pg_query.SelectStmt) error {
	if len(sel.LockingClause) == 0 {
		return nil
	}
	lc := sel.LockingClause[0].GetLockingClause()
	if lc == nil {
		return nil
	}
	what := map[pg_query.LockClauseStrength]string{
		pg_query.LockClauseStrength_LCS_FORKEYSHARE:    "FOR KEY SHARE",
		pg_query.LockClauseStrength_LCS_FORSHARE:       "FOR SHARE",
		pg_query.LockClauseStrength_LCS_FORNOKEYUPDATE: "FOR NO KEY UPDATE",
		pg_query.LockClauseStrength_LCS_FORUPDATE:      "FOR UPDATE",
	}[lc.Strength]
	refuse := func(with string) error {
		return pgerror.New(pgerror.FeatureNotSupported, "%s is not allowed with %s", what, with)
	}
	switch {
	case what == "":
		return nil
	case sel.Op != pg_query.SetOperation_SETOP_NONE:
		return refuse("UNION/INTERSECT/EXCEPT")
	case len(sel.DistinctClause) > 0:
		return refuse("DISTINCT clause")
	case len(sel.GroupClause) > 0:
		return refuse("GROUP BY clause")
	case sel.HavingClause != nil:
		return refuse("HAVING clause")
	}
	return nil
}

func (b *builder) buildSelectBody(sel *pg_query.SelectStmt, parent *scope) (exec.Node, error) {
	if sel.WithClause != nil {
		if err := b.pushCTEs(sel.WithClause, &pg_query.Node{Node: &pg_query.Node_SelectStmt{SelectStmt: sel}}, parent); err != nil {
			return nil, err
		}
		defer func() { b.ctes = b.ctes[:len(b.ctes)-1] }()
	}
	if sel.IntoClause != nil {
		return nil, unsupported("SELECT INTO")
	}
	if err := checkSelectLocking(sel); err != nil {
		return nil, err
	}
	var plan exec.Node
	var err error
	switch {
	case sel.Op != pg_query.SetOperation_SETOP_NONE:
		plan, err = b.buildSetOp(sel, parent)
	case len(sel.ValuesLists) > 0:
		plan, err = b.buildValues(sel.ValuesLists, parent)
	default:
		b.pruneFrames = append(b.pruneFrames, nil)
		p, err := b.buildSimpleSelect(sel, parent)
		top := len(b.pruneFrames) - 1
		if err == nil {
			b.pruneUnused(sel, b.pruneFrames[top])
		}
		b.pruneFrames = b.pruneFrames[:top]
		return p, err
	}
	if err != nil {
		return nil, err
	}
	// ORDER BY and LIMIT of a set operation or VALUES apply to its output.
	return b.orderAndLimit(plan, sel, parent)
}

// pushCTEs builds the WITH queries w of statement stmt.
func (b *builder) pushCTEs(w *pg_query.WithClause, stmt *pg_query.Node, parent *scope) error {
	m := map[string]*cteDef{}
	b.ctes = append(b.ctes, m)
	for _, n := range w.Ctes {
		cte := n.GetCommonTableExpr()
		sel := cte.Ctequery.GetSelectStmt()
		if sel == nil {
			return unsupported("data-modifying statements in WITH")
		}
		// Ignoring these clauses would drop their columns and, for CYCLE,
		// let a cyclic recursion run until the statement timeout.
		if cte.SearchClause != nil {
			return unsupported("SEARCH clause of a WITH query")
		}
		if cte.CycleClause != nil {
			return unsupported("CYCLE clause of a WITH query")
		}
		if w.Recursive && sel.Op == pg_query.SetOperation_SETOP_UNION && cteReferences(sel.Rarg, cte.Ctename) {
			def, err := b.buildRecursiveCTE(cte, sel, parent)
			if err != nil {
				return err
			}
			def.depth = scopeDepth(parent)
			def.correlated = parent != nil && b.isCorrelated(sel)
			m[cte.Ctename] = def
			continue
		}
		start := len(b.deferred)
		p, err := b.buildSelect(sel, parent)
		if err != nil {
			return err
		}
		// A WITH query referenced nowhere is never run; one referenced
		// once, not MATERIALIZED and without volatile functions is
		// inlined by PostgreSQL, so its unused outputs are never
		// computed (prune.go). Others are computed whole.
		switch refs := countRelRefs(stmt, cte.Ctename); {
		case refs == 0:
			for _, f := range b.deferred[start:] {
				f.Dead = true
			}
		case refs > 1 || cte.Ctematerialized == pg_query.CTEMaterialize_CTEMaterializeAlways || queryMaybeVolatile(sel):
			delete(b.outputs, p)
		}
		cols := append([]exec.Column(nil), p.Columns()...)
		for i, a := range cte.Aliascolnames {
			if i < len(cols) {
				cols[i].Name = a.GetString_().GetSval()
			}
		}
		m[cte.Ctename] = &cteDef{plan: p, cols: cols, depth: scopeDepth(parent), correlated: parent != nil && b.isCorrelated(sel)}
	}
	return nil
}

// scopeDepth is the number of queries enclosing the query whose parent
// scope is parent: the outer rows on ec.outer while it runs.
func scopeDepth(parent *scope) int {
	n := 0
	for s := parent; s != nil; s = s.parent {
		n++
	}
	return n
}

// cteItem is a WITH query referenced from a FROM whose query has parent
// scope parent. Referenced from a subquery nested deeper than the WITH,
// its plan still runs against the outer rows of the WITH's own level
// (PostgreSQL's ctelevelsup): exec.OuterShiftNode hides the levels between.
func (b *builder) cteItem(cte *cteDef, parent *scope) exec.Node {
	if shift := scopeDepth(parent) - cte.depth; shift > 0 {
		return &exec.OuterShiftNode{Input: cte.plan, Levels: shift}
	}
	return cte.plan
}

func (b *builder) lookupCTE(name string) *cteDef {
	for i := len(b.ctes) - 1; i >= 0; i-- {
		if c, ok := b.ctes[i][name]; ok {
			return c
		}
	}
	return nil
}

func (b *builder) buildSetOp(sel *pg_query.SelectStmt, parent *scope) (exec.Node, error) {
	l, err := b.buildSelect(sel.Larg, parent)
	if err != nil {
		return nil, err
	}
	r, err := b.buildSelect(sel.Rarg, parent)
	if err != nil {
		return nil, err
	}
	op := map[pg_query.SetOperation]string{
		pg_query.SetOperation_SETOP_UNION:     "union",
		pg_query.SetOperation_SETOP_INTERSECT: "intersect",
		pg_query.SetOperation_SETOP_EXCEPT:    "except",
	}[sel.Op]
	lc, rc := l.Columns(), r.Columns()
	if len(lc) != len(rc) {
		return nil, pgerror.New(pgerror.SyntaxError, "each %s query must have the same number of columns", strings.ToUpper(op))
	}
	cols := make([]exec.Column, len(lc))
	lcast, rcast := make([]exec.Expr, len(lc)), make([]exec.Expr, len(lc))
	needL, needR := false, false
	for i := range lc {
		lt, rt := lc[i].T, rc[i].T
		if lc[i].Untyped {
			lt = types.Unknown
		}
		if rc[i].Untyped {
			rt = types.Unknown
		}
		t, err := commonType([]types.T{lt, rt}, strings.ToUpper(op))
		if err != nil {
			return nil, err
		}
		if lacksOrdering(t) && !(op == "union" && sel.All) {
			return nil, equalityError(t, setOpTarget(sel, i))
		}
		cols[i] = exec.Column{Name: lc[i].Name, T: t}
		lcast[i], rcast[i] = &exec.ColRef{Idx: i, T: lc[i].T}, &exec.ColRef{Idx: i, T: rc[i].T}
		if !lc[i].T.Equal(t) {
			needL = true
			lcast[i] = &exec.CastExpr{E: lcast[i], T: t}
		}
		if !rc[i].T.Equal(t) {
			needR = true
			rcast[i] = &exec.CastExpr{E: rcast[i], T: t}
		}
	}
	lout, rout := b.outputs[l], b.outputs[r]
	if needL {
		l = &exec.ProjectNode{Input: l, Exprs: lcast, Cols: cols}
	}
	if needR {
		r = &exec.ProjectNode{Input: r, Exprs: rcast, Cols: cols}
	}
	n := &exec.SetOpNode{Op: op, All: sel.All, Left: l, Right: r, Cols: cols}
	if op == "union" && sel.All && lout != nil && rout != nil {
		// PostgreSQL flattens UNION ALL into its branches, whose unused
		// outputs are then dropped one by one.
		b.registerOutputs(n, &subqueryOutputs{n: len(cols), branches: []*subqueryOutputs{lout, rout}})
	}
	return n, nil
}

func (b *builder) buildValues(lists []*pg_query.Node, parent *scope) (exec.Node, error) {
	if err := rejectSRF("VALUES", lists...); err != nil {
		return nil, err
	}
	s := &scope{parent: parent}
	var rows [][]exec.Expr
	width := -1
	for _, l := range lists {
		items := l.GetList().GetItems()
		if width >= 0 && len(items) != width {
			return nil, pgerror.New(pgerror.SyntaxError, "VALUES lists must all be the same length")
		}
		width = len(items)
		r := make([]exec.Expr, len(items))
		for i, it := range items {
			if it.GetSetToDefault() != nil {
				return nil, pgerror.New(pgerror.SyntaxError, "DEFAULT is not allowed in this context")
			}
			e, err := b.buildExpr(it, s)
			if err != nil {
				return nil, err
			}
			r[i] = e
		}
		rows = append(rows, r)
	}
	cols := make([]exec.Column, width)
	for c := 0; c < width; c++ {
		ts := make([]types.T, len(rows))
		for i := range rows {
			ts[i] = rows[i][c].Typ()
		}
		t, err := commonType(ts, "VALUES")
		if err != nil {
			return nil, err
		}
		for i := range rows {
			if rows[i][c], err = b.coerce(rows[i][c], t, "VALUES"); err != nil {
				return nil, err
			}
		}
		cols[c] = exec.Column{Name: fmt.Sprintf("column%d", c+1), T: t}
	}
	return &exec.ValuesNode{Cols: cols, Rows: rows}, nil
}

// target is one output column being built.
type target struct {
	e    exec.Expr
	col  exec.Column
	node *pg_query.Node
}

func (b *builder) buildSimpleSelect(sel *pg_query.SelectStmt, parent *scope) (exec.Node, error) {
	if err := rejectSRF("WHERE", sel.WhereClause); err != nil {
		return nil, err
	}
	if err := rejectSRF("HAVING", sel.HavingClause); err != nil {
		return nil, err
	}
	if fc := findSRFCall(sel.WindowClause...); fc != nil {
		return nil, pgerror.New(pgerror.FeatureNotSupported, "set-returning functions in window definitions are not supported").WithPosition(int(fc.Location) + 1)
	}
	input, fromScope, err := b.buildFromWhere(sel.FromClause, sel.WhereClause, parent)
	if err != nil {
		return nil, err
	}
	exprScope := fromScope
	var agg *aggInfo
	groupSRFs := &srfInfo{}
	if len(sel.GroupClause) > 0 || sel.HavingClause != nil || hasAggregate(sel.TargetList) || hasAggregateSort(sel.SortClause) {
		agg = &aggInfo{input: fromScope}
		for _, g := range sel.GroupClause {
			if err := checkSortConst(g, "GROUP BY"); err != nil {
				return nil, err
			}
			gn := b.resolveGroupRef(g, sel.TargetList, fromScope)
			// A set-returning grouping expression runs below the
			// aggregation, each of its rows grouped (as in PostgreSQL).
			fromScope.srf = groupSRFs
			e, err := b.buildScalar(gn, fromScope)
			fromScope.srf = nil
			if err != nil {
				return nil, err
			}
			if lacksOrdering(e.Typ()) {
				return nil, equalityError(e.Typ(), gn)
			}
			agg.groups = append(agg.groups, e)
			agg.groupKeys = append(agg.groupKeys, b.groupKey(gn, e))
		}
		post := &scope{parent: parent, agg: agg}
		for _, g := range agg.groups {
			c := exec.Column{Name: "?column?", T: g.Typ()}
			if ref, ok := g.(*exec.ColRef); ok && ref.Level == 0 {
				c = fromScope.cols[ref.Idx]
			}
			post.cols = append(post.cols, c)
		}
		exprScope = post
	}
	defs, err := resolveWindowClause(sel.WindowClause)
	if err != nil {
		return nil, err
	}
	win := &exec.WindowInfo{}
	srfs := &srfInfo{}
	exprScope.win, exprScope.winDefs, exprScope.srf = win, defs, srfs
	targets, err := b.buildTargets(sel.TargetList, exprScope)
	if err != nil {
		return nil, err
	}
	exprScope.win, exprScope.winDefs, exprScope.srf = nil, nil, nil
	var having exec.Expr
	if sel.HavingClause != nil {
		h, err := b.buildExpr(sel.HavingClause, exprScope)
		if err != nil {
			return nil, err
		}
		if having, err = b.requireBool(h, "HAVING"); err != nil {
			return nil, err
		}
	}
	distinct := len(sel.DistinctClause) > 0
	var distinctOn []*pg_query.Node
	if distinct && !(len(sel.DistinctClause) == 1 && (sel.DistinctClause[0] == nil || sel.DistinctClause[0].Node == nil)) {
		distinctOn, distinct = sel.DistinctClause, false
	}
	if distinct {
		for _, tg := range targets {
			if lacksOrdering(tg.col.T) {
				return nil, equalityError(tg.col.T, tg.node)
			}
		}
	}
	exprScope.win, exprScope.winDefs, exprScope.srf = win, defs, srfs
	keys, extras, err := b.buildSortKeys(sel.SortClause, targets, exprScope, distinct)
	var onKeys []exec.SortKey
	if err == nil && distinctOn != nil {
		// DISTINCT ON terms resolve like ORDER BY terms; their hidden
		// columns follow the ORDER BY extras.
		for _, n := range distinctOn {
			// A term also written in ORDER BY shares its column.
			found := false
			for i, sn := range sel.SortClause {
				if nodeKey(sn.GetSortBy().Node) == nodeKey(n) {
					onKeys = append(onKeys, keys[i])
					found = true
					break
				}
			}
			if found {
				continue
			}
			sorts := []*pg_query.Node{{Node: &pg_query.Node_SortBy{SortBy: &pg_query.SortBy{Node: n}}}}
			k, more, kerr := b.buildSortKeysOf(sorts, targets, exprScope, false, true)
			if kerr != nil {
				err = kerr
				break
			}
			if k[0].Col >= len(targets) {
				k[0].Col = len(targets) + len(extras)
				extras = append(extras, more...)
			}
			onKeys = append(onKeys, k[0])
		}
	}
	exprScope.win, exprScope.winDefs, exprScope.srf = nil, nil, nil
	if err != nil {
		return nil, err
	}
	if distinctOn != nil {
		// ORDER BY must start with the DISTINCT ON expressions; without
		// ORDER BY the rows are sorted by them.
		if len(keys) == 0 {
			keys = append(keys, onKeys...)
		}
		if len(keys) < len(onKeys) {
			return nil, pgerror.New(pgerror.InvalidColumnReference, "SELECT DISTINCT ON expressions must match initial ORDER BY expressions")
		}
		want := map[int]bool{}
		for _, k := range onKeys {
			want[k.Col] = true
		}
		for _, k := range keys[:len(onKeys)] {
			if !want[k.Col] {
				return nil, pgerror.New(pgerror.InvalidColumnReference, "SELECT DISTINCT ON expressions must match initial ORDER BY expressions")
			}
		}
	}
	if agg != nil {
		cols := make([]exec.Column, 0, len(agg.groups)+len(agg.aggs))
		for _, g := range agg.groups {
			cols = append(cols, exec.Column{Name: "group", T: g.Typ()})
		}
		for _, a := range agg.aggs {
			cols = append(cols, exec.Column{Name: "agg", T: a.T})
		}
		input = planProjectSets(input, groupSRFs)
		input = &exec.AggNode{Input: input, Groups: agg.groups, Aggs: agg.aggs, Cols: cols, Scalar: len(agg.groups) == 0}
		if having != nil {
			input = &exec.FilterNode{Input: input, Pred: having}
		}
	}
	if len(win.Calls) > 0 {
		win.Specs = windowOrderSpecs(sel, targets, win.Calls)
		in := input.Columns()
		win.Base = len(in)
		wcols := append([]exec.Column(nil), in...)
		for _, c := range win.Calls {
			wcols = append(wcols, exec.Column{Name: c.Name, T: c.T})
		}
		input = &exec.WindowNode{Input: input, Info: win, Cols: wcols}
	}
	input = planProjectSets(input, srfs)
	exprs := make([]exec.Expr, 0, len(targets)+len(extras))
	cols := make([]exec.Column, 0, len(targets)+len(extras))
	for _, t := range targets {
		exprs = append(exprs, t.e)
		cols = append(cols, t.col)
	}
	for _, e := range extras {
		exprs = append(exprs, e)
		cols = append(cols, exec.Column{Name: "?sort?", T: e.Typ(), Hidden: true})
	}
	proj := &exec.ProjectNode{Input: input, Exprs: exprs, Cols: cols}
	var plan exec.Node = proj
	if distinct {
		plan = &exec.DistinctNode{Input: plan, KeyCols: len(targets)}
	}
	if len(keys) > 0 {
		plan = &exec.SortNode{Input: plan, Keys: keys}
	}
	if distinctOn != nil {
		cols := make([]int, len(onKeys))
		for i, k := range onKeys {
			cols[i] = k.Col
		}
		plan = &exec.DistinctOnNode{Input: plan, KeyIdx: cols}
	}
	if plan, err = b.buildLimit(plan, sel); err != nil {
		return nil, err
	}
	if len(extras) > 0 {
		exprs := make([]exec.Expr, len(targets))
		for i, t := range targets {
			exprs[i] = &exec.ColRef{Idx: i, T: t.col.T}
		}
		plan = &exec.ProjectNode{Input: plan, Exprs: exprs, Cols: cols[:len(targets)]}
	}
	if !distinct {
		out := &subqueryOutputs{proj: proj, n: len(targets), keep: map[int]bool{}}
		for _, k := range append(keys, onKeys...) {
			out.keep[k.Col] = true
		}
		b.registerOutputs(plan, out)
	}
	return plan, nil
}

// orderAndLimit applies ORDER BY/LIMIT of a VALUES or set-operation query
// over its output columns.
func (b *builder) orderAndLimit(plan exec.Node, sel *pg_query.SelectStmt, parent *scope) (exec.Node, error) {
	if len(sel.SortClause) > 0 {
		cols := plan.Columns()
		s := &scope{cols: cols, parent: parent}
		targets := make([]target, len(cols))
		for i, c := range cols {
			targets[i] = target{e: &exec.ColRef{Idx: i, T: c.T}, col: c}
		}
		keys, extras, err := b.buildSortKeys(sel.SortClause, targets, s, false)
		if err != nil {
			return nil, err
		}
		if len(extras) > 0 {
			return nil, pgerror.New(pgerror.FeatureNotSupported, "ORDER BY on a UNION/INTERSECT/EXCEPT result must be on one of the result columns")
		}
		plan = &exec.SortNode{Input: plan, Keys: keys}
	}
	return b.buildLimit(plan, sel)
}

func (b *builder) buildLimit(plan exec.Node, sel *pg_query.SelectStmt) (exec.Node, error) {
	if sel.LimitCount == nil && sel.LimitOffset == nil {
		return plan, nil
	}
	if err := rejectSRF("LIMIT", sel.LimitCount); err != nil {
		return nil, err
	}
	if err := rejectSRF("OFFSET", sel.LimitOffset); err != nil {
		return nil, err
	}
	ln := &exec.LimitNode{Input: plan}
	build := func(n *pg_query.Node, what string) (exec.Expr, error) {
		if n == nil {
			return nil, nil
		}
		if c := n.GetAConst(); c != nil && c.Isnull {
			return nil, nil
		}
		e, err := b.buildExpr(n, &scope{})
		if err != nil {
			return nil, err
		}
		return b.coerce(e, types.Int8, what)
	}
	var err error
	if ln.Limit, err = build(sel.LimitCount, "LIMIT"); err != nil {
		return nil, err
	}
	if ln.Offset, err = build(sel.LimitOffset, "OFFSET"); err != nil {
		return nil, err
	}
	return ln, nil
}

// resolveGroupRef maps GROUP BY 1 and GROUP BY <output alias> to the
// select-list expression they name.
func (b *builder) resolveGroupRef(g *pg_query.Node, targets []*pg_query.Node, input *scope) *pg_query.Node {
	if c := g.GetAConst(); c != nil && c.GetIval() != nil {
		k := int(c.GetIval().Ival)
		if k >= 1 && k <= len(targets) {
			return targets[k-1].GetResTarget().Val
		}
	}
	if cr := g.GetColumnRef(); cr != nil && len(cr.Fields) == 1 {
		name := cr.Fields[0].GetString_().GetSval()
		// An input column of that name wins over an output alias.
		if input != nil {
			if _, err := input.resolveColumn("", name); err == nil {
				return g
			}
		}
		for _, t := range targets {
			rt := t.GetResTarget()
			if rt.Name == name {
				return rt.Val
			}
		}
	}
	return g
}

func (b *builder) groupKey(n *pg_query.Node, e exec.Expr) string {
	if ref, ok := e.(*exec.ColRef); ok {
		return fmt.Sprintf("col:%d:%d", ref.Level, ref.Idx)
	}
	return nodeKey(n)
}

// nodeKey is a canonical text of an expression (its deparsed SQL), used to
// match an expression against GROUP BY and select-list expressions.
func nodeKey(n *pg_query.Node) string {
	stmt := &pg_query.Node{Node: &pg_query.Node_SelectStmt{SelectStmt: &pg_query.SelectStmt{
		TargetList: []*pg_query.Node{{Node: &pg_query.Node_ResTarget{ResTarget: &pg_query.ResTarget{Val: n}}}},
	}}}
	s, err := pg_query.Deparse(&pg_query.ParseResult{Stmts: []*pg_query.RawStmt{{Stmt: stmt}}})
	if err != nil {
		return fmt.Sprintf("%p", n)
	}
	return s
}

// buildPostAggExpr builds an expression evaluated on the aggregated row:
// grouped expressions become references to the group columns, aggregate
// calls references to their results.
func (b *builder) buildPostAggExpr(n *pg_query.Node, s *scope) (exec.Expr, error) {
	info := s.agg
	if cr := n.GetColumnRef(); cr != nil {
		e, err := b.buildColumnRef(cr, info.input)
		if err != nil {
			return nil, err
		}
		if row, ok := e.(*exec.RowExpr); ok {
			return b.postAggWholeRow(n, cr, row, info)
		}
		ref, ok := e.(*exec.ColRef)
		if !ok {
			return e, nil // a SQL function's parameter: the same in every group
		}
		if ref.Level > 0 {
			return ref, nil
		}
		key := fmt.Sprintf("col:0:%d", ref.Idx)
		for i, k := range info.groupKeys {
			if k == key {
				return &exec.ColRef{Idx: i, T: ref.T, Name: ref.Name}, nil
			}
		}
		col := info.input.cols[ref.Idx]
		if dep, err := b.functionallyDependent(info, col); err != nil {
			return nil, err
		} else if dep {
			return b.dependentColumn(info, ref, key), nil
		}
		name := col.Name
		if col.Table != "" {
			name = col.Table + "." + col.Name
		}
		return nil, pgerror.New(pgerror.GroupingError, "column %q must appear in the GROUP BY clause or be used in an aggregate function", name).WithPosition(int(cr.Location) + 1)
	}
	if fc := n.GetFuncCall(); fc != nil {
		if _, name := funcName(fc.Funcname); builtins.IsAggregate(name) && fc.Over == nil {
			return b.buildAggCall(fc, name, s)
		}
	}
	switch n.Node.(type) {
	case *pg_query.Node_AConst, *pg_query.Node_ParamRef:
		return b.buildScalar(n, s)
	}
	if len(info.groups) > 0 {
		key := nodeKey(n)
		for i, k := range info.groupKeys {
			if k == key {
				return &exec.ColRef{Idx: i, T: info.groups[i].Typ()}, nil
			}
		}
	}
	return b.buildScalar(n, s)
}

func (b *builder) buildAggCall(fc *pg_query.FuncCall, name string, s *scope) (exec.Expr, error) {
	info := s.agg
	key := nodeKey(&pg_query.Node{Node: &pg_query.Node_FuncCall{FuncCall: fc}})
	for i, k := range info.aggKeys {
		if k == key {
			return &exec.ColRef{Idx: len(info.groups) + i, T: info.aggs[i].T}, nil
		}
	}
	if err := rejectSRFInExpr("aggregate", append(append(slices.Clone(fc.Args), fc.AggFilter), fc.AggOrder...)...); err != nil {
		return nil, err
	}
	var args []exec.Expr
	var argTypes []types.T
	for _, a := range fc.Args {
		e, err := b.buildScalar(a, info.input)
		if err != nil {
			return nil, err
		}
		args = append(args, e)
		argTypes = append(argTypes, e.Typ())
	}
	if fc.AggStar {
		args, argTypes = nil, nil
	}
	// WITHIN GROUP (ORDER BY ...): the sorted values are the aggregate's
	// arguments after its direct arguments.
	nDirect := -1
	if fc.AggWithinGroup {
		nDirect = len(args)
		for _, o := range fc.AggOrder {
			e, err := b.buildScalar(o.GetSortBy().Node, info.input)
			if err != nil {
				return nil, err
			}
			args = append(args, e)
			argTypes = append(argTypes, e.Typ())
		}
	}
	if outerLevelOnly(args) {
		// PostgreSQL evaluates an aggregate whose arguments read only
		// an enclosing query's columns in that query (agglevelsup), which
		// can turn the enclosing query into an aggregation; quorumdb
		// would compute it here, a different answer.
		return nil, pgerror.New(pgerror.FeatureNotSupported, "aggregate functions of outer-level columns are not supported").WithPosition(int(fc.Location) + 1)
	}
	ag, casts, err := builtins.ResolveAggregate(name, argTypes)
	if err == nil && ag.IsOrderedSet() && nDirect >= 0 && nDirect != ag.Direct {
		err = builtins.NoFunctionError(name, argTypes)
	}
	if err != nil {
		if pe, ok := pgerror.As(err); ok && pe.Position == 0 {
			pe.Position = int(fc.Location) + 1
		}
		return nil, err
	}
	switch {
	case fc.AggWithinGroup && !ag.IsOrderedSet():
		return nil, pgerror.New(pgerror.WrongObjectType, "%s is not an ordered-set aggregate, so it cannot have WITHIN GROUP", name).WithPosition(int(fc.Location) + 1)
	case !fc.AggWithinGroup && ag.IsOrderedSet():
		return nil, pgerror.New(pgerror.WrongObjectType, "WITHIN GROUP is required for ordered-set aggregate %s", name).WithPosition(int(fc.Location) + 1)
	}
	for i := range args {
		if i < len(casts) && casts[i].Family != types.AnyFamily && casts[i].Family != types.UnknownFamily {
			if args[i], err = b.coerce(args[i], casts[i], name); err != nil {
				return nil, err
			}
		} else if args[i].Typ().Family == types.UnknownFamily {
			if args[i], err = b.coerce(args[i], types.Text, name); err != nil {
				return nil, err
			}
		}
		argTypes[i] = args[i].Typ()
	}
	t := ag.Return
	if ag.ReturnFn != nil {
		t = ag.ReturnFn(argTypes)
	}
	call := &exec.AggCall{Agg: ag, Args: args, Distinct: fc.AggDistinct, T: t}
	if fc.AggDistinct {
		for i, a := range args {
			if lacksOrdering(a.Typ()) && i < len(fc.Args) {
				return nil, equalityError(a.Typ(), fc.Args[i])
			}
		}
	}
	if nDirect >= 0 {
		// Direct arguments are evaluated once per group, on the grouped
		// row: they may use only grouped columns (42803 otherwise).
		call.Args = args[nDirect:]
		for _, a := range fc.Args {
			e, err := b.buildExpr(a, s)
			if err != nil {
				return nil, err
			}
			if e, err = b.coerce(e, argTypes[len(call.Direct)], name); err != nil {
				return nil, err
			}
			call.Direct = append(call.Direct, e)
		}
	}
	if call.Order, err = b.buildAggOrder(fc, call, nDirect, info.input); err != nil {
		return nil, err
	}
	if fc.AggFilter != nil {
		f, err := b.buildScalar(fc.AggFilter, info.input)
		if err != nil {
			return nil, err
		}
		if call.Filter, err = b.requireBool(f, "FILTER"); err != nil {
			return nil, err
		}
	}
	info.aggs = append(info.aggs, call)
	info.aggKeys = append(info.aggKeys, key)
	return &exec.ColRef{Idx: len(info.groups) + len(info.aggs) - 1, T: t}, nil
}

// buildAggOrder builds the order in which an aggregate sees its rows:
// WITHIN GROUP's or the call's ORDER BY; for DISTINCT, the ORDER BY
// keys, which must be arguments (42P10), then the other arguments
// ascending, which is how PostgreSQL sorts to find the distinct values
// (so string_agg(DISTINCT x, ',') lists x in order).
func (b *builder) buildAggOrder(fc *pg_query.FuncCall, call *exec.AggCall, nDirect int, input *scope) ([]exec.AggOrder, error) {
	var order []exec.AggOrder
	used := make([]bool, len(call.Args))
	for k, o := range fc.AggOrder {
		sb := o.GetSortBy()
		ao := exec.AggOrder{Arg: -1}
		switch {
		case nDirect >= 0:
			ao.Arg = k
		case fc.AggDistinct:
			key := nodeKey(sb.Node)
			for j, a := range fc.Args {
				if nodeKey(a) == key {
					ao.Arg = j
					break
				}
			}
			if ao.Arg < 0 {
				return nil, pgerror.New(pgerror.InvalidColumnReference, "in an aggregate with DISTINCT, ORDER BY expressions must appear in argument list").WithPosition(nodeLocation(sb.Node, fc.Location) + 1)
			}
		default:
			e, err := b.buildScalar(sb.Node, input)
			if err != nil {
				return nil, err
			}
			if e.Typ().Family == types.UnknownFamily {
				if e, err = b.coerce(e, types.Text, "ORDER BY"); err != nil {
					return nil, err
				}
			}
			ao.E = e
		}
		t := ao.Typ(call)
		if lacksOrdering(t) {
			return nil, orderingError(t, sb.Node)
		}
		var err error
		if ao.Desc, ao.NullsFirst, err = sortDirection(sb, t); err != nil {
			return nil, err
		}
		if ao.Arg >= 0 {
			used[ao.Arg] = true
		}
		order = append(order, ao)
	}
	if fc.AggDistinct {
		for j := range call.Args {
			if !used[j] {
				order = append(order, exec.AggOrder{Arg: j})
			}
		}
	}
	return order, nil
}

// outerLevelOnly reports whether the expressions read columns, all of them
// of enclosing queries.
func outerLevelOnly(es []exec.Expr) bool {
	outer, local := false, false
	for _, e := range es {
		visitExpr(e, func(x exec.Expr) {
			if c, ok := x.(*exec.ColRef); ok {
				if c.Level > 0 {
					outer = true
				} else {
					local = true
				}
			}
		})
	}
	return outer && !local
}

// hasAggregate reports whether any expression calls an aggregate at this
// query level (not inside subqueries).
func hasAggregate(nodes []*pg_query.Node) bool {
	for _, n := range nodes {
		if containsAggregate(n) {
			return true
		}
	}
	return false
}

func hasAggregateSort(sorts []*pg_query.Node) bool {
	for _, n := range sorts {
		if sb := n.GetSortBy(); sb != nil && containsAggregate(sb.Node) {
			return true
		}
	}
	return false
}

func containsAggregate(n *pg_query.Node) bool {
	found := false
	walkNode(n, func(x *pg_query.Node) bool {
		if found {
			return false
		}
		switch v := x.Node.(type) {
		case *pg_query.Node_SubLink:
			// The subquery's aggregates are its own; the left operand of
			// x op ANY (subquery) belongs to this level.
			if v.SubLink.Testexpr != nil && containsAggregate(v.SubLink.Testexpr) {
				found = true
			}
			return false
		case *pg_query.Node_FuncCall:
			if _, name := funcName(v.FuncCall.Funcname); builtins.IsAggregate(name) && v.FuncCall.Over == nil {
				found = true
				return false
			}
		}
		return true
	})
	return found
}

// buildTargets builds the select list, expanding * and naming columns as
// PostgreSQL does.
func (b *builder) buildTargets(list []*pg_query.Node, s *scope) ([]target, error) {
	var out []target
	for _, n := range list {
		rt := n.GetResTarget()
		if cr := rt.Val.GetColumnRef(); cr != nil && len(cr.Fields) > 0 && cr.Fields[len(cr.Fields)-1].GetAStar() != nil {
			qual := ""
			if len(cr.Fields) >= 2 {
				qual = cr.Fields[len(cr.Fields)-2].GetString_().GetSval()
			}
			cols := s.cols
			if s.agg != nil {
				cols = s.agg.input.cols
			}
			matched := false
			for i, c := range cols {
				if c.HiddenFor(qual) || (qual != "" && c.Table != qual) {
					continue
				}
				matched = true
				var e exec.Expr = &exec.ColRef{Idx: i, T: c.T, Name: c.Name}
				if s.agg != nil {
					ref := &pg_query.Node{Node: &pg_query.Node_ColumnRef{ColumnRef: &pg_query.ColumnRef{Fields: colRefFields(c)}}}
					var err error
					if e, err = b.buildExpr(ref, s); err != nil {
						return nil, err
					}
				}
				c.Base = false // an output column, no longer the table's
				out = append(out, target{e: e, col: c})
			}
			if qual != "" && !matched && !s.hasTable(qual) {
				return nil, pgerror.New(pgerror.UndefinedTable, "missing FROM-clause entry for table %q", qual)
			}
			if qual == "" && len(cols) == 0 && s.agg == nil {
				return nil, pgerror.New(pgerror.SyntaxError, "SELECT * with no tables specified is not valid")
			}
			continue
		}
		if ind := rt.Val.GetAIndirection(); ind != nil && ind.Indirection[len(ind.Indirection)-1].GetAStar() != nil {
			expanded, err := b.expandRecordStar(ind, s)
			if err != nil {
				return nil, err
			}
			out = append(out, expanded...)
			continue
		}
		e, err := b.buildExpr(rt.Val, s)
		if err != nil {
			return nil, err
		}
		untyped := false
		if e.Typ().Family == types.UnknownFamily {
			_, untyped = e.(*exec.ConstExpr)
			if e, err = b.coerce(e, types.Text, "SELECT"); err != nil {
				return nil, err
			}
		}
		col := exec.Column{Name: rt.Name, T: e.Typ(), Untyped: untyped}
		if ref, ok := e.(*exec.ColRef); ok && ref.Level == 0 && s.agg == nil {
			src := s.cols[ref.Idx]
			col.TableOID, col.AttNum = src.TableOID, src.AttNum
		}
		if col.Name == "" {
			col.Name = columnName(rt.Val)
		}
		out = append(out, target{e: e, col: col, node: rt.Val})
	}
	return out, nil
}

func colRefFields(c exec.Column) []*pg_query.Node {
	var f []*pg_query.Node
	if c.Table != "" {
		f = append(f, &pg_query.Node{Node: &pg_query.Node_String_{String_: &pg_query.String{Sval: c.Table}}})
	}
	return append(f, &pg_query.Node{Node: &pg_query.Node_String_{String_: &pg_query.String{Sval: c.Name}}})
}

// columnName is the name PostgreSQL gives an unnamed select-list entry
// (FigureColname).
func columnName(n *pg_query.Node) string {
	if name, _ := figureColname(n); name != "" {
		return name
	}
	return "?column?"
}

// figureColname is FigureColnameInternal: a name and how good it is (2:
// a good name, 1: second best such as "case" or a cast's type, 0: none).
func figureColname(n *pg_query.Node) (string, int) {
	if n == nil {
		return "", 0
	}
	switch v := n.Node.(type) {
	case *pg_query.Node_ColumnRef:
		name := ""
		for _, f := range v.ColumnRef.Fields {
			if s := f.GetString_(); s != nil {
				name = s.Sval
			}
		}
		if name != "" {
			return name, 2
		}
	case *pg_query.Node_AIndirection:
		name := ""
		for _, f := range v.AIndirection.Indirection {
			if s := f.GetString_(); s != nil {
				name = s.Sval
			}
		}
		if name != "" {
			return name, 2
		}
		return figureColname(v.AIndirection.Arg)
	case *pg_query.Node_FuncCall:
		_, name := funcName(v.FuncCall.Funcname)
		return name, 2
	case *pg_query.Node_AExpr:
		if v.AExpr.Kind == pg_query.A_Expr_Kind_AEXPR_NULLIF {
			return "nullif", 2
		}
	case *pg_query.Node_TypeCast:
		name, strength := figureColname(v.TypeCast.Arg)
		if strength <= 1 && v.TypeCast.TypeName != nil {
			names := v.TypeCast.TypeName.Names
			return names[len(names)-1].GetString_().GetSval(), 1
		}
		return name, strength
	case *pg_query.Node_CollateClause:
		return figureColname(v.CollateClause.Arg)
	case *pg_query.Node_GroupingFunc:
		return "grouping", 2
	case *pg_query.Node_SubLink:
		switch v.SubLink.SubLinkType {
		case pg_query.SubLinkType_EXISTS_SUBLINK:
			return "exists", 2
		case pg_query.SubLinkType_ARRAY_SUBLINK:
			return "array", 2
		case pg_query.SubLinkType_EXPR_SUBLINK:
			if sel := v.SubLink.Subselect.GetSelectStmt(); sel != nil && len(sel.TargetList) > 0 {
				rt := sel.TargetList[0].GetResTarget()
				if rt.Name != "" {
					return rt.Name, 2
				}
				return columnName(rt.Val), 2
			}
		}
	case *pg_query.Node_CaseExpr:
		name, strength := figureColname(v.CaseExpr.Defresult)
		if strength <= 1 {
			return "case", 1
		}
		return name, strength
	case *pg_query.Node_AArrayExpr:
		return "array", 2
	case *pg_query.Node_RowExpr:
		return "row", 2
	case *pg_query.Node_CoalesceExpr:
		return "coalesce", 2
	case *pg_query.Node_MinMaxExpr:
		if v.MinMaxExpr.Op == pg_query.MinMaxOp_IS_LEAST {
			return "least", 2
		}
		return "greatest", 2
	case *pg_query.Node_SqlvalueFunction:
		name := strings.ToLower(strings.TrimPrefix(v.SqlvalueFunction.Op.String(), "SVFOP_"))
		return strings.TrimSuffix(name, "_n"), 2
	case *pg_query.Node_AConst:
		if v.AConst.GetBoolval() != nil {
			// PostgreSQL 15's grammar makes TRUE and FALSE 'true'::bool.
			return "bool", 1
		}
	}
	return "", 0
}

// buildSortKeys resolves ORDER BY terms to output columns, adding hidden
// extra columns for expressions not in the select list.
func (b *builder) buildSortKeys(sorts []*pg_query.Node, targets []target, s *scope, distinct bool) ([]exec.SortKey, []exec.Expr, error) {
	return b.buildSortKeysOf(sorts, targets, s, distinct, false)
}

// buildSortKeysOf is buildSortKeys; distinctOn says the terms are
// DISTINCT ON's (for error messages).
func (b *builder) buildSortKeysOf(sorts []*pg_query.Node, targets []target, s *scope, distinct, distinctOn bool) ([]exec.SortKey, []exec.Expr, error) {
	var keys []exec.SortKey
	var extras []exec.Expr
	for _, n := range sorts {
		sb := n.GetSortBy()
		clause := "ORDER BY"
		if distinctOn {
			clause = "DISTINCT ON"
		}
		if err := checkSortConst(sb.Node, clause); err != nil {
			return nil, nil, err
		}
		k := exec.SortKey{Col: -1}
		if c := sb.Node.GetAConst(); c != nil && c.GetIval() != nil {
			pos := int(c.GetIval().Ival)
			if pos < 1 || pos > len(targets) {
				return nil, nil, pgerror.New(pgerror.InvalidColumnReference, "ORDER BY position %d is not in select list", pos).WithPosition(int(c.Location) + 1)
			}
			k.Col = pos - 1
		} else if cr := sb.Node.GetColumnRef(); cr != nil && len(cr.Fields) == 1 && cr.Fields[0].GetString_() != nil {
			name := cr.Fields[0].GetString_().Sval
			for i, t := range targets {
				if t.col.Name == name {
					if k.Col >= 0 && nodeKey(targets[k.Col].node) != nodeKey(t.node) {
						return nil, nil, pgerror.New(pgerror.AmbiguousColumn, "ORDER BY %q is ambiguous", name)
					}
					if k.Col < 0 {
						k.Col = i
					}
				}
			}
		}
		if k.Col < 0 {
			key := nodeKey(sb.Node)
			for i, t := range targets {
				if t.node != nil && nodeKey(t.node) == key {
					k.Col = i
					break
				}
			}
		}
		if k.Col < 0 {
			if distinct {
				return nil, nil, pgerror.New(pgerror.InvalidColumnReference, "for SELECT DISTINCT, ORDER BY expressions must appear in select list")
			}
			e, err := b.buildExpr(sb.Node, s)
			if err != nil {
				return nil, nil, err
			}
			if e.Typ().Family == types.UnknownFamily {
				if e, err = b.coerce(e, types.Text, "ORDER BY"); err != nil {
					return nil, nil, err
				}
			}
			extras = append(extras, e)
			k.Col = len(targets) + len(extras) - 1
		}
		var t types.T
		if k.Col < len(targets) {
			t = targets[k.Col].col.T
		} else {
			t = extras[k.Col-len(targets)].Typ()
		}
		if lacksOrdering(t) {
			if distinctOn {
				return nil, nil, equalityError(t, sb.Node)
			}
			return nil, nil, orderingError(t, sb.Node)
		}
		var err error
		if k.Desc, k.NullsFirst, err = sortDirection(sb, t); err != nil {
			return nil, nil, err
		}
		keys = append(keys, k)
	}
	return keys, extras, nil
}
