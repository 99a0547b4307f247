package sql

import (
	"fmt"
	"sort"
	"strings"

	"github.com/quorumdb/quorumdb/sql/exec"

	pg_query "github.com/pganalyze/pg_query_go/v5"
)

// The order of a window query's rows. PostgreSQL computes each distinct
// window (PARTITION BY and ORDER BY) over rows sorted for it, one
// WindowAgg above the other, so without an ORDER BY of their own the
// query's rows come out in the order of the last window computed, which
// LIMIT and the client see: SELECT id, row_number() OVER (ORDER BY b, id)
// FROM t LIMIT 5 returns the five first rows in that order. The
// exec.WindowNode sorts its output the same way: by each window in the order
// PostgreSQL's select_active_windows computes them (common_prefix_cmp),
// stably, so that a window whose keys are a prefix of an earlier one's
// keeps that finer order, as PostgreSQL skips presorted sorts.

// sortGroupRefs assigns references to expressions as PostgreSQL's
// parser does (assignSortGroupRef): first the query's ORDER BY, GROUP BY
// and DISTINCT expressions, then each window's ORDER BY and PARTITION BY
// in the order the windows were defined.
type sortGroupRefs map[string]int

func (r sortGroupRefs) ref(key string) int {
	if n, ok := r[key]; ok {
		return n
	}
	r[key] = len(r) + 1
	return r[key]
}

// windowOrderSpecs returns the query level's distinct windows in the
// order PostgreSQL computes them (the last one decides the rows' order).
// sel is the SELECT, targets its select list.
func windowOrderSpecs(sel *pg_query.SelectStmt, targets []target, calls []*exec.WindowCall) []exec.WindowSpec {
	refs := sortGroupRefs{}
	targetKey := func(n *pg_query.Node) string {
		if c := n.GetAConst(); c != nil && c.GetIval() != nil {
			if pos := int(c.GetIval().Ival); pos >= 1 && pos <= len(targets) && targets[pos-1].node != nil {
				return nodeKey(targets[pos-1].node)
			}
		}
		if cr := n.GetColumnRef(); cr != nil && len(cr.Fields) == 1 && cr.Fields[0].GetString_() != nil {
			for _, t := range targets {
				if t.col.Name == cr.Fields[0].GetString_().Sval && t.node != nil {
					return nodeKey(t.node)
				}
			}
		}
		return nodeKey(n)
	}
	for _, n := range sel.SortClause {
		refs.ref(targetKey(n.GetSortBy().Node))
	}
	for _, n := range sel.GroupClause {
		refs.ref(targetKey(n))
	}
	if len(sel.DistinctClause) > 0 {
		for _, n := range sel.DistinctClause {
			if n != nil && n.Node != nil {
				refs.ref(targetKey(n))
			}
		}
		if len(sel.DistinctClause) == 1 && (sel.DistinctClause[0] == nil || sel.DistinctClause[0].Node == nil) {
			for _, t := range targets {
				if t.node != nil {
					refs.ref(nodeKey(t.node))
				}
			}
		}
	}
	// The WINDOW clause's windows come first, then the others in the
	// order of their first call.
	for _, n := range sel.WindowClause {
		d := n.GetWindowDef()
		for _, o := range d.OrderClause {
			refs.ref(nodeKey(o.GetSortBy().Node))
		}
		for _, p := range d.PartitionClause {
			refs.ref(nodeKey(p))
		}
	}
	var specs []exec.WindowSpec
	seen := map[string]bool{}
	for _, c := range calls {
		for _, k := range c.OrderKeys {
			refs.ref(k)
		}
		for _, k := range c.PartKeys {
			refs.ref(k)
		}
		var items []exec.SortItem
		used := map[int]bool{}
		var sig strings.Builder
		add := func(key string, desc, nullsFirst bool) {
			ref := refs.ref(key)
			if used[ref] {
				return
			}
			used[ref] = true
			items = append(items, exec.SortItem{Ref: ref, Desc: desc, NullsFirst: nullsFirst})
			fmt.Fprintf(&sig, "%d/%v/%v,", ref, desc, nullsFirst)
		}
		for i, k := range c.PartKeys {
			desc, nullsFirst := c.PartitionDirection(i)
			add(k, desc, nullsFirst)
		}
		for i, k := range c.OrderKeys {
			add(k, c.Order[i].Desc, c.Order[i].NullsFirst)
		}
		if seen[sig.String()] {
			continue
		}
		seen[sig.String()] = true
		specs = append(specs, exec.WindowSpec{Call: c, Items: items})
	}
	sort.SliceStable(specs, func(i, j int) bool { return commonPrefixCmp(specs[i].Items, specs[j].Items) < 0 })
	return specs
}

// commonPrefixCmp is PostgreSQL's common_prefix_cmp: higher references
// first, then descending before ascending (the > operator's oid is the
// larger), NULLS FIRST before LAST, then the longer list first.
func commonPrefixCmp(a, b []exec.SortItem) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		x, y := a[i], b[i]
		switch {
		case x.Ref != y.Ref:
			if x.Ref > y.Ref {
				return -1
			}
			return 1
		case x.Desc != y.Desc:
			if x.Desc {
				return -1
			}
			return 1
		case x.NullsFirst != y.NullsFirst:
			if x.NullsFirst {
				return -1
			}
			return 1
		}
	}
	switch {
	case len(a) > len(b):
		return -1
	case len(a) < len(b):
		return 1
	}
	return 0
}
