package sql

import (
	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// scope is the set of columns names resolve against while building one
// query level; parent is the enclosing query (correlated references).
type scope struct {
	cols   []resultCol
	parent *scope
	// agg is set while building expressions that are evaluated after
	// aggregation (select list, HAVING, ORDER BY of a grouped query).
	agg *aggInfo
	// win collects window function calls; set only where they are
	// allowed (the select list and ORDER BY).
	win *windowInfo
	// srf collects set-returning calls; set only where they are allowed
	// (the select list and ORDER BY).
	srf *srfInfo
}

// aggInfo collects the grouping expressions and aggregate calls of a
// grouped query level.
type aggInfo struct {
	input     *scope
	groups    []expr
	groupKeys []string
	aggs      []*aggCall
	aggKeys   []string
}

// resolveColumn finds table.name (table may be "") in s or its parents.
func (s *scope) resolveColumn(table, name string) (*colRef, error) {
	level := 0
	for sc := s; sc != nil; sc = sc.parent {
		found := -1
		for i, c := range sc.cols {
			if c.name != name || (table != "" && c.table != table) {
				continue
			}
			if table == "" && c.hiddenFor(table) && found >= 0 {
				continue
			}
			if found >= 0 {
				if sc.cols[found].hiddenFor(table) && !c.hiddenFor(table) {
					found = i
					continue
				}
				return nil, pgerror.New(pgerror.AmbiguousColumn, "column reference %q is ambiguous", name)
			}
			found = i
		}
		if found >= 0 {
			return &colRef{idx: found, level: level, t: sc.cols[found].t, name: name}, nil
		}
		if level > 0 && sc.agg != nil && sc.agg.input != nil {
			// A subquery of an aggregated query sees only its grouped
			// columns (check_ungrouped_columns).
			for _, c := range sc.agg.input.cols {
				if c.name == name && (table == "" || c.table == table) {
					qual := c.name
					if c.table != "" {
						qual = c.table + "." + c.name
					}
					return nil, pgerror.New(pgerror.GroupingError, "subquery uses ungrouped column %q from outer query", qual)
				}
			}
		}
		level++
	}
	if table != "" {
		if !s.hasTable(table) {
			return nil, pgerror.New(pgerror.UndefinedTable, "missing FROM-clause entry for table %q", table)
		}
		return nil, pgerror.New(pgerror.UndefinedColumn, "column %s.%s does not exist", table, name)
	}
	return nil, pgerror.New(pgerror.UndefinedColumn, "column %q does not exist", name)
}

func (s *scope) hasTable(table string) bool {
	for sc := s; sc != nil; sc = sc.parent {
		for _, c := range sc.cols {
			if c.table == table {
				return true
			}
		}
	}
	return false
}

// paramTypes are a statement's parameter types, filled in as they are
// inferred from context; Unknown until then.
type paramTypes struct {
	types []types.T
	// fixed marks types given by the client in Parse.
	fixed []bool
}

func (p *paramTypes) ensure(n int) {
	for len(p.types) < n {
		p.types = append(p.types, types.Unknown)
		p.fixed = append(p.fixed, false)
	}
}

// lowerIdent folds an unquoted identifier; pg_query already folds, so this
// only normalizes names that arrive as strings (e.g. 'public.t'::regclass).
func lowerIdent(s string) string {
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		return s[1 : len(s)-1]
	}
	return lowerASCII(s) // downcase_identifier: ASCII only in UTF8
}
