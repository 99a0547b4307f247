package sql

import (
	pg_query "github.com/pganalyze/pg_query_go/v5"
	"github.com/quorumdb/quorumdb/sql/exec"
	"github.com/quorumdb/quorumdb/sql/pgerror"
)

// scope is the set of columns names resolve against while building one
// query level; parent is the enclosing query (correlated references).
type scope struct {
	cols   []exec.Column
	parent *scope
	// agg is set while building expressions that are evaluated after
	// aggregation (select list, HAVING, ORDER BY of a grouped query).
	agg *aggInfo
	// win collects window function calls; set only where they are
	// allowed (the select list and ORDER BY).
	win *exec.WindowInfo
	// winDefs are the named windows of win's query level (WINDOW clause).
	winDefs map[string]*pg_query.WindowDef
	// srf collects set-returning calls; set only where they are allowed
	// (the select list and ORDER BY).
	srf *srfInfo
}

// aggInfo collects the grouping expressions and aggregate calls of a
// grouped query level.
type aggInfo struct {
	input     *scope
	groups    []exec.Expr
	groupKeys []string
	aggs      []*exec.AggCall
	aggKeys   []string
}

// resolveColumn finds table.name (table may be "") in s or its parents.
func (s *scope) resolveColumn(table, name string) (*exec.ColRef, error) {
	level := 0
	for sc := s; sc != nil; sc = sc.parent {
		found := -1
		for i, c := range sc.cols {
			if c.Name != name || (table != "" && c.Table != table) {
				continue
			}
			if table == "" && c.HiddenFor(table) && found >= 0 {
				continue
			}
			if found >= 0 {
				if sc.cols[found].HiddenFor(table) && !c.HiddenFor(table) {
					found = i
					continue
				}
				return nil, pgerror.New(pgerror.AmbiguousColumn, "column reference %q is ambiguous", name)
			}
			found = i
		}
		if found >= 0 {
			return &exec.ColRef{Idx: found, Level: level, T: sc.cols[found].T, Name: name}, nil
		}
		if level > 0 && sc.agg != nil && sc.agg.input != nil {
			// A subquery of an aggregated query sees only its grouped
			// columns (check_ungrouped_columns).
			for _, c := range sc.agg.input.cols {
				if c.Name == name && (table == "" || c.Table == table) {
					qual := c.Name
					if c.Table != "" {
						qual = c.Table + "." + c.Name
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
			if c.Table == table {
				return true
			}
		}
	}
	return false
}

// lowerIdent folds an unquoted identifier; pg_query already folds, so this
// only normalizes names that arrive as strings (e.g. 'public.t'::regclass).
func lowerIdent(s string) string {
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		return s[1 : len(s)-1]
	}
	return lowerASCII(s) // downcase_identifier: ASCII only in UTF8
}
