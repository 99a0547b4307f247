package sql

import (
	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// json has no equality or ordering in PostgreSQL (no btree or hash
// operator class), so sorting, grouping, DISTINCT and set operations
// that compare json values are 42883 there; quorumdb answered them by
// comparing the text. jsonb has both.

// lacksOrdering reports whether values of t cannot be compared: json or
// an array of json.
func lacksOrdering(t types.T) bool {
	if t.Family == types.ArrayFamily && t.Elem != nil {
		return lacksOrdering(*t.Elem)
	}
	return t.Oid == types.OidJSON
}

// orderingError is PostgreSQL's error for sorting by a value of type t,
// at the expression n (nil: no position).
func orderingError(t types.T, n *pg_query.Node) error {
	e := pgerror.New(pgerror.UndefinedFunction, "could not identify an ordering operator for type %s", types.TypeName(t)).
		WithHint("Use an explicit ordering operator or modify the query.")
	return withNodePosition(e, n)
}

// equalityError is PostgreSQL's error for grouping or deduplicating
// values of type t, at the expression n (nil: no position).
func equalityError(t types.T, n *pg_query.Node) error {
	return withNodePosition(pgerror.New(pgerror.UndefinedFunction, "could not identify an equality operator for type %s", types.TypeName(t)), n)
}

func withNodePosition(e *pgerror.Error, n *pg_query.Node) *pgerror.Error {
	if n != nil {
		if p := exprStart(n); p >= 0 {
			e.Position = p + 1
		}
	}
	return e
}

// setOpTarget returns the expression of column i of the leftmost query
// of a set operation, where PostgreSQL reports a column's errors.
func setOpTarget(sel *pg_query.SelectStmt, i int) *pg_query.Node {
	for sel != nil && sel.Op != pg_query.SetOperation_SETOP_NONE {
		sel = sel.Larg
	}
	if sel == nil || i >= len(sel.TargetList) {
		return nil
	}
	if rt := sel.TargetList[i].GetResTarget(); rt != nil {
		return rt.Val
	}
	return nil
}
