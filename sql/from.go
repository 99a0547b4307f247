package sql

import (
	"fmt"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/quorumdb/quorumdb/sql/acl"
	"github.com/quorumdb/quorumdb/sql/catalog"
	"github.com/quorumdb/quorumdb/sql/exec"
	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// fromItem is one entry of a FROM list: its plan and output columns.
type fromItem struct {
	plan exec.Node
	cols []exec.Column
}

// buildFromWhere plans FROM and WHERE: it builds each FROM item, splits
// WHERE into conjuncts, pushes single-item conjuncts into their item (and
// into index constraints of table scans), and joins the items in an order
// that lets equality conjuncts drive hash joins. The returned plan's row
// layout is the FROM items' columns in written order, described by the
// returned scope.
func (b *builder) buildFromWhere(from []*pg_query.Node, where *pg_query.Node, parent *scope) (exec.Node, *scope, error) {
	var items []fromItem
	for _, n := range from {
		if len(items) > 0 && isLateral(n) {
			// A LATERAL item sees the items before it: they are joined
			// first and the item runs once per row of theirs.
			left, err := b.crossJoinInOrder(items)
			if err != nil {
				return nil, nil, err
			}
			right, ok, err := b.buildLateralItem(n, left, parent)
			if err != nil {
				return nil, nil, err
			}
			if ok {
				items = []fromItem{lateralJoin(exec.JoinInner, left, right, nil)}
				continue
			}
		}
		it, err := b.buildFromItem(n, parent)
		if err != nil {
			return nil, nil, err
		}
		items = append(items, it)
	}
	s := &scope{parent: parent}
	for _, it := range items {
		s.cols = append(s.cols, it.cols...)
	}
	if len(items) == 0 {
		items = []fromItem{{plan: &exec.ValuesNode{Rows: [][]exec.Expr{{}}}}}
	}
	var conjuncts []exec.Expr
	if where != nil {
		if containsAggregate(where) {
			return nil, nil, pgerror.New(pgerror.GroupingError, "aggregate functions are not allowed in WHERE")
		}
		w, err := b.buildExpr(where, s)
		if err != nil {
			return nil, nil, err
		}
		if w, err = b.requireBool(w, "WHERE"); err != nil {
			return nil, nil, err
		}
		conjuncts = splitAnd(w, nil)
	}
	plan, err := b.joinItems(items, conjuncts)
	if err != nil {
		return nil, nil, err
	}
	return plan, s, nil
}

func splitAnd(e exec.Expr, out []exec.Expr) []exec.Expr {
	if a, ok := e.(*exec.AndExpr); ok {
		return splitAnd(a.R, splitAnd(a.L, out))
	}
	if c, ok := e.(*exec.ConstExpr); ok && c.Value == true {
		return out
	}
	return append(out, e)
}

func andAll(es []exec.Expr) exec.Expr {
	if len(es) == 0 {
		return nil
	}
	e := es[0]
	for _, x := range es[1:] {
		e = &exec.AndExpr{L: e, R: x}
	}
	return e
}

// conjInfo records which FROM items a conjunct references.
type conjInfo struct {
	e     exec.Expr
	items map[int]bool
	// opaque conjuncts (subqueries) are applied last, on the original
	// row layout, because their correlated references use it.
	opaque bool
	used   bool
}

func (b *builder) joinItems(items []fromItem, conjuncts []exec.Expr) (exec.Node, error) {
	// Column ranges of each item in the original layout.
	offsets := make([]int, len(items)+1)
	for i, it := range items {
		offsets[i+1] = offsets[i] + len(it.cols)
	}
	itemOf := func(col int) int {
		for i := range items {
			if col < offsets[i+1] {
				return i
			}
		}
		return len(items) - 1
	}
	infos := make([]*conjInfo, len(conjuncts))
	for i, c := range conjuncts {
		info := &conjInfo{e: c, items: map[int]bool{}}
		cols, opaque := exprColumns(c)
		info.opaque = opaque
		for col := range cols {
			info.items[itemOf(col)] = true
		}
		infos[i] = info
	}
	// Push single-item conjuncts into their item.
	plans := make([]exec.Node, len(items))
	for i, it := range items {
		var local []exec.Expr
		for _, info := range infos {
			if info.opaque || info.used || len(info.items) > 1 || (len(info.items) == 1 && !info.items[i]) {
				continue
			}
			if len(info.items) == 0 && i != 0 {
				continue
			}
			info.used = true
			local = append(local, shiftCols(info.e, -offsets[i]))
		}
		plans[i] = b.applyFilter(it.plan, local)
	}
	if len(items) == 1 {
		return b.finishFilter(plans[0], infos), nil
	}
	// Greedy join order: start with item 0, then repeatedly prefer an item
	// connected to the joined set by an equality conjunct.
	joined := map[int]bool{0: true}
	order := []int{0}
	// pos maps an original column index to its position in the current
	// joined row.
	pos := map[int]int{}
	for c := offsets[0]; c < offsets[1]; c++ {
		pos[c] = c
	}
	width := offsets[1]
	plan := plans[0]
	for len(order) < len(items) {
		next := -1
		for cand := range items {
			if joined[cand] {
				continue
			}
			if next < 0 {
				next = cand
			}
			if b.connects(infos, joined, cand, offsets, itemOf) {
				next = cand
				break
			}
		}
		// Equality conjuncts between the joined set and next become hash
		// keys; other conjuncts whose items are all joined become the ON.
		var lkeys, rkeys []exec.Expr
		var ktypes []types.T
		var rest []exec.Expr
		rightPos := map[int]int{}
		for c := offsets[next]; c < offsets[next+1]; c++ {
			rightPos[c] = c - offsets[next]
		}
		for _, info := range infos {
			if info.used || info.opaque || !info.items[next] {
				continue
			}
			all := true
			for it := range info.items {
				if it != next && !joined[it] {
					all = false
				}
			}
			if !all {
				continue
			}
			info.used = true
			if l, r, t, ok := equiKey(info.e, func(col int) bool { return itemOf(col) == next }); ok {
				lkeys = append(lkeys, remapCols(l, pos))
				rkeys = append(rkeys, remapCols(r, rightPos))
				ktypes = append(ktypes, t)
				continue
			}
			rest = append(rest, info.e)
		}
		newPos := map[int]int{}
		for k, v := range pos {
			newPos[k] = v
		}
		for c := offsets[next]; c < offsets[next+1]; c++ {
			newPos[c] = width + c - offsets[next]
		}
		var on exec.Expr
		if len(rest) > 0 {
			on = remapCols(andAll(rest), newPos)
		}
		cols := append(append([]exec.Column(nil), plan.Columns()...), plans[next].Columns()...)
		plan = &exec.JoinNode{Kind: exec.JoinInner, Left: plan, Right: plans[next], LeftKeys: lkeys, RightKeys: rkeys, KeyTypes: ktypes, On: on, Cols: cols}
		pos = newPos
		width += offsets[next+1] - offsets[next]
		joined[next] = true
		order = append(order, next)
	}
	// Restore the written column order if the join reordered items.
	inOrder := true
	for i, o := range order {
		if o != i {
			inOrder = false
		}
	}
	if !inOrder {
		var exprs []exec.Expr
		var cols []exec.Column
		pc := plan.Columns()
		for c := 0; c < offsets[len(items)]; c++ {
			exprs = append(exprs, &exec.ColRef{Idx: pos[c], T: pc[pos[c]].T})
			cols = append(cols, pc[pos[c]])
		}
		plan = &exec.ProjectNode{Input: plan, Exprs: exprs, Cols: cols}
	}
	return b.finishFilter(plan, infos), nil
}

// finishFilter applies the conjuncts not yet placed.
func (b *builder) finishFilter(plan exec.Node, infos []*conjInfo) exec.Node {
	var rest []exec.Expr
	for _, info := range infos {
		if !info.used {
			info.used = true
			rest = append(rest, info.e)
		}
	}
	if len(rest) == 0 {
		return plan
	}
	return &exec.FilterNode{Input: plan, Pred: andAll(rest)}
}

func (b *builder) connects(infos []*conjInfo, joined map[int]bool, cand int, offsets []int, itemOf func(int) int) bool {
	for _, info := range infos {
		if info.used || info.opaque || !info.items[cand] || len(info.items) != 2 {
			continue
		}
		for it := range info.items {
			if it != cand && joined[it] {
				if _, _, _, ok := equiKey(info.e, func(col int) bool { return itemOf(col) == cand }); ok {
					return true
				}
			}
		}
	}
	return false
}

// equiKey splits "l = r" where one side references only columns for
// which isRight is true and the other none of them.
func equiKey(e exec.Expr, isRight func(col int) bool) (left, right exec.Expr, t types.T, ok bool) {
	f, isFunc := e.(*exec.FuncExpr)
	if !isFunc || f.Name != "=" || len(f.Args) != 2 {
		return nil, nil, t, false
	}
	side := func(x exec.Expr) int { // 1 right only, 2 left only, 0 mixed/none
		cols, opaque := exprColumns(x)
		if opaque || len(cols) == 0 {
			return 0
		}
		r, l := false, false
		for c := range cols {
			if isRight(c) {
				r = true
			} else {
				l = true
			}
		}
		switch {
		case r && !l:
			return 1
		case l && !r:
			return 2
		}
		return 0
	}
	a, bb := f.Args[0], f.Args[1]
	if !a.Typ().Equal(bb.Typ()) {
		return nil, nil, t, false
	}
	sa, sb := side(a), side(bb)
	switch {
	case sa == 2 && sb == 1:
		return a, bb, a.Typ(), true
	case sa == 1 && sb == 2:
		return bb, a, a.Typ(), true
	}
	return nil, nil, t, false
}

// applyFilter places conjuncts over one FROM item, turning what it can into
// an index constraint when the item is a table scan.
func (b *builder) applyFilter(p exec.Node, conjuncts []exec.Expr) exec.Node {
	if len(conjuncts) == 0 {
		return p
	}
	if sc, ok := p.(*exec.ScanNode); ok {
		b.chooseIndex(sc, conjuncts)
	}
	return &exec.FilterNode{Input: p, Pred: andAll(conjuncts)}
}

func (b *builder) buildFromItem(n *pg_query.Node, parent *scope) (fromItem, error) {
	switch v := n.Node.(type) {
	case *pg_query.Node_RangeVar:
		it, err := b.buildRangeVar(v.RangeVar, parent)
		if err == nil {
			b.candidate(n, it.plan, it.cols) // a view or a WITH query
		}
		return it, err
	case *pg_query.Node_RangeSubselect:
		rs := v.RangeSubselect
		p, err := b.buildSelect(rs.Subquery.GetSelectStmt(), parent)
		if err != nil {
			return fromItem{}, err
		}
		alias := ""
		var colNames []*pg_query.Node
		if rs.Alias != nil {
			alias, colNames = rs.Alias.Aliasname, rs.Alias.Colnames
		}
		if err := checkColumnAliases(p.Columns(), alias, colNames); err != nil {
			return fromItem{}, err
		}
		it := aliasItem(fromItem{plan: p, cols: p.Columns()}, alias, colNames)
		b.candidate(n, p, it.cols)
		return it, nil
	case *pg_query.Node_JoinExpr:
		return b.buildJoinExpr(v.JoinExpr, parent)
	case *pg_query.Node_RangeFunction:
		return b.buildRangeFunction(v.RangeFunction, parent)
	}
	return fromItem{}, pgerror.New(pgerror.FeatureNotSupported, "FROM item %s is not supported", nodeName(n))
}

// aliasItem renames an item's table (and optionally its columns). The
// sides' own columns of a USING join are out of the alias's reach.
// checkColumnAliases refuses more column aliases than the relation,
// subquery, view or WITH query has visible columns (42P10), as
// PostgreSQL does, instead of dropping the extra names.
func checkColumnAliases(cols []exec.Column, alias string, colNames []*pg_query.Node) error {
	visible := 0
	for _, c := range cols {
		if !c.HiddenFor("") {
			visible++
		}
	}
	if len(colNames) > visible {
		return pgerror.New(pgerror.InvalidColumnReference, "table %q has %d columns available but %d columns specified", alias, visible, len(colNames))
	}
	return nil
}

func aliasItem(it fromItem, alias string, colNames []*pg_query.Node) fromItem {
	cols := make([]exec.Column, len(it.cols))
	copy(cols, it.cols)
	n := 0 // column aliases name the visible columns in order
	for i := range cols {
		if alias != "" && cols[i].Merged {
			cols[i].Table, cols[i].Hidden = "", true
			continue
		}
		if alias != "" {
			cols[i].Table = alias
		}
		if cols[i].HiddenFor("") {
			continue
		}
		if n < len(colNames) {
			cols[i].Name = colNames[n].GetString_().GetSval()
		}
		n++
	}
	it.cols = cols
	return it
}

func (b *builder) buildRangeVar(rv *pg_query.RangeVar, parent *scope) (fromItem, error) {
	alias := rv.Relname
	var colNames []*pg_query.Node
	if rv.Alias != nil {
		alias, colNames = rv.Alias.Aliasname, rv.Alias.Colnames
	}
	if rv.Schemaname == "" {
		if cte := b.lookupCTE(rv.Relname); cte != nil {
			if err := checkColumnAliases(cte.cols, alias, colNames); err != nil {
				return fromItem{}, err
			}
			return aliasItem(fromItem{plan: b.cteItem(cte, parent), cols: cte.cols}, alias, colNames), nil
		}
	}
	if vt := lookupVirtualTable(rv.Schemaname, rv.Relname); vt != nil {
		p := b.virtualTablePlan(vt)
		return aliasItem(fromItem{plan: p, cols: p.Columns()}, alias, colNames), nil
	}
	if v, err := b.lookupView(rv); err != nil || v != nil {
		if err != nil {
			return fromItem{}, withRelPosition(err, rv)
		}
		b.bindRel(rv, v.ID)
		if err := b.checkRelPrivs(v, acl.Select); err != nil {
			return fromItem{}, err
		}
		return b.viewItemAs(v, alias, colNames)
	}
	if it, ok, err := b.sequenceItem(rv, alias, colNames); err != nil || ok {
		if ok && err == nil {
			b.bindRel(rv, it.cols[0].TableOID)
		}
		return it, err
	}
	t, err := b.lookupTable(rv)
	if err != nil {
		return fromItem{}, err
	}
	if rv != b.privTarget {
		if err := b.checkRelPrivs(t, acl.Select); err != nil {
			return fromItem{}, err
		}
	}
	b.bindRel(rv, t.ID)
	cols := tableCols(t, alias)
	if err := checkColumnAliases(cols, alias, colNames); err != nil {
		return fromItem{}, err
	}
	sc := &exec.ScanNode{Table: t, Cols: cols, Index: t.Primary()}
	return aliasItem(fromItem{plan: sc, cols: cols}, "", colNames), nil
}

func (b *builder) buildJoinExpr(j *pg_query.JoinExpr, parent *scope) (fromItem, error) {
	l, err := b.buildFromItem(j.Larg, parent)
	if err != nil {
		return fromItem{}, err
	}
	if isLateral(j.Rarg) && (j.Jointype == pg_query.JoinType_JOIN_RIGHT || j.Jointype == pg_query.JoinType_JOIN_FULL) {
		// Allowed only when the item does not actually read the left side.
		if _, err := b.buildFromItem(j.Rarg, parent); err != nil {
			return fromItem{}, pgerror.New(pgerror.InvalidColumnReference, "invalid reference to FROM-clause entry").
				WithDetail("The combining JOIN type must be INNER or LEFT for a LATERAL reference.")
		}
	} else if isLateral(j.Rarg) {
		r, ok, err := b.buildLateralItem(j.Rarg, l, parent)
		if err != nil {
			return fromItem{}, err
		}
		if ok {
			return b.buildLateralJoin(j, l, r, parent)
		}
	}
	r, err := b.buildFromItem(j.Rarg, parent)
	if err != nil {
		return fromItem{}, err
	}
	kind := map[pg_query.JoinType]exec.JoinKind{
		pg_query.JoinType_JOIN_INNER: exec.JoinInner, pg_query.JoinType_JOIN_LEFT: exec.JoinLeft,
		pg_query.JoinType_JOIN_RIGHT: exec.JoinRight, pg_query.JoinType_JOIN_FULL: exec.JoinFull,
	}
	k, ok := kind[j.Jointype]
	if !ok {
		return fromItem{}, unsupported("join type " + j.Jointype.String())
	}
	cols := append(append([]exec.Column(nil), l.cols...), r.cols...)
	s := &scope{cols: cols, parent: parent}
	var conds []exec.Expr
	using := j.UsingClause
	if j.IsNatural {
		for _, lc := range l.cols {
			for _, rc := range r.cols {
				if lc.Name == rc.Name && !lc.HiddenFor("") && !rc.HiddenFor("") {
					using = append(using, &pg_query.Node{Node: &pg_query.Node_String_{String_: &pg_query.String{Sval: lc.Name}}})
				}
			}
		}
	}
	var merged []usingCol
	for _, u := range using {
		name := u.GetString_().GetSval()
		li, ri := -1, -1
		for i, c := range l.cols {
			if c.Name == name && !c.HiddenFor("") {
				li = i
			}
		}
		for i, c := range r.cols {
			if c.Name == name && !c.HiddenFor("") {
				ri = i
			}
		}
		if li < 0 || ri < 0 {
			return fromItem{}, pgerror.New(pgerror.UndefinedColumn, "column %q specified in USING clause does not exist in %s table", name, map[bool]string{true: "left", false: "right"}[li < 0])
		}
		eq, err := b.binaryOp("=", &exec.ColRef{Idx: li, T: l.cols[li].T}, &exec.ColRef{Idx: len(l.cols) + ri, T: r.cols[ri].T})
		if err != nil {
			return fromItem{}, err
		}
		conds = append(conds, eq)
		merged = append(merged, usingCol{name: name, l: li, r: len(l.cols) + ri})
	}
	if j.Quals != nil {
		if err := rejectSRF("JOIN conditions", j.Quals); err != nil {
			return fromItem{}, err
		}
		q, err := b.buildExpr(j.Quals, s)
		if err != nil {
			return fromItem{}, err
		}
		if q, err = b.requireBool(q, "JOIN/ON"); err != nil {
			return fromItem{}, err
		}
		conds = append(conds, splitAnd(q, nil)...)
	}
	jn := &exec.JoinNode{Kind: k, Left: l.plan, Right: r.plan, Cols: cols}
	var rest []exec.Expr
	for _, c := range conds {
		if le, re, t, ok := equiKey(c, func(col int) bool { return col >= len(l.cols) }); ok {
			jn.LeftKeys = append(jn.LeftKeys, le)
			jn.RightKeys = append(jn.RightKeys, shiftCols(re, -len(l.cols)))
			jn.KeyTypes = append(jn.KeyTypes, t)
			continue
		}
		rest = append(rest, c)
	}
	jn.On = andAll(rest)
	it := fromItem{plan: jn, cols: cols}
	if len(merged) > 0 {
		var err error
		if it, err = b.mergeUsing(it, merged, k); err != nil {
			return fromItem{}, err
		}
	}
	if j.Alias != nil {
		it = aliasItem(it, j.Alias.Aliasname, j.Alias.Colnames)
	}
	return it, nil
}

// lookupView returns the view rv names, nil when it is not a view.
func (b *builder) lookupView(rv *pg_query.RangeVar) (*catalog.Table, error) {
	schema, err := b.relationSchema(rv.Schemaname, rv.Relname)
	if err != nil {
		return nil, err
	}
	t, err := b.cat.TableByName(b.ctx, b.sess.dbID, schema, rv.Relname)
	if err != nil || t == nil || t.Kind != catalog.KindView {
		return nil, err
	}
	if t.Temporary() {
		b.usedTemp = true
	}
	return t, nil
}

// bindRel records what rv resolved to while a view is being created.
func (b *builder) bindRel(rv *pg_query.RangeVar, id uint32) {
	if b.boundRels != nil {
		b.boundRels[rv] = id
	}
}

// viewItem plans a view's query as a FROM item.
func (b *builder) viewItem(v *catalog.Table, alias string, colNames []*pg_query.Node) (fromItem, error) {
	res, err := boundViewQuery(b.foldCtx(), v, false)
	if err != nil {
		return fromItem{}, err
	}
	if res.Stmts[0].Stmt.GetSelectStmt() == nil {
		return fromItem{}, fmt.Errorf("sql: view %s has an invalid definition", v.Name)
	}
	b.viewDepth++
	p, err := b.buildSelect(res.Stmts[0].Stmt.GetSelectStmt(), nil)
	b.viewDepth--
	if err != nil {
		return fromItem{}, err
	}
	cols := append([]exec.Column(nil), p.Columns()...)
	for i := range cols {
		if i < len(v.Columns) {
			cols[i].Name = v.Columns[i].Name
		}
		cols[i].Table = v.Name
	}
	if err := checkColumnAliases(cols, alias, colNames); err != nil {
		return fromItem{}, err
	}
	return aliasItem(fromItem{plan: p, cols: cols}, alias, colNames), nil
}

// usingCol is one column of JOIN ... USING: its name and its positions in
// the left and the right side.
type usingCol struct {
	name string
	l, r int
}

// mergeUsing gives a USING (or NATURAL) join PostgreSQL's columns: first
// each merged column, in USING order, of the two sides' common type and
// value — the left's for INNER and LEFT joins, the right's for RIGHT,
// COALESCE(left, right) for FULL — then the other columns of the left
// side and of the right. The sides' own columns stay reachable by
// qualified name (t.a, t.*).
func (b *builder) mergeUsing(it fromItem, using []usingCol, k exec.JoinKind) (fromItem, error) {
	var exprs []exec.Expr
	var cols []exec.Column
	isUsing := map[int]bool{}
	for _, u := range using {
		isUsing[u.l], isUsing[u.r] = true, true
		lc, rc := it.cols[u.l], it.cols[u.r]
		t, err := commonType([]types.T{lc.T, rc.T}, "JOIN/USING")
		if err != nil {
			return fromItem{}, err
		}
		l, err := b.coerce(&exec.ColRef{Idx: u.l, T: lc.T}, t, "JOIN/USING")
		if err != nil {
			return fromItem{}, err
		}
		r, err := b.coerce(&exec.ColRef{Idx: u.r, T: rc.T}, t, "JOIN/USING")
		if err != nil {
			return fromItem{}, err
		}
		var e exec.Expr
		switch k {
		case exec.JoinRight:
			e = r
		case exec.JoinFull:
			e = &exec.CoalesceExpr{Args: []exec.Expr{l, r}, T: t}
		default:
			e = l
		}
		exprs = append(exprs, e)
		cols = append(cols, exec.Column{Name: u.name, T: t})
	}
	for i, c := range it.cols {
		exprs = append(exprs, &exec.ColRef{Idx: i, T: c.T})
		if isUsing[i] {
			c.Merged = true
		}
		cols = append(cols, c)
	}
	return fromItem{plan: &exec.ProjectNode{Input: it.plan, Exprs: exprs, Cols: cols}, cols: cols}, nil
}
