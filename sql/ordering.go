package sql

import (
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// sortDirection reads one ORDER BY term's direction and NULLS placement
// (the same for a query's ORDER BY, a window's and an aggregate's):
// ASC NULLS LAST and DESC NULLS FIRST by default, as in PostgreSQL.
// USING takes the btree ordering operators of the key's type t: < (and,
// for text, ~<~, the same order under the C collation) sorts ascending,
// > and ~>~ descending, NULLS placed as for ASC and DESC. Any other
// operator is 42809, as in PostgreSQL, when it is a comparison; 0A000
// otherwise.
func sortDirection(sb *pg_query.SortBy, t types.T) (desc, nullsFirst bool, err error) {
	switch sb.SortbyDir {
	case pg_query.SortByDir_SORTBY_DESC:
		desc = true
	case pg_query.SortByDir_SORTBY_USING:
		op, qualified := "", ""
		for i, n := range sb.UseOp {
			s := n.GetString_().GetSval()
			if i == len(sb.UseOp)-1 {
				op = s
			} else {
				qualified = s
			}
		}
		if qualified != "" && qualified != "pg_catalog" {
			return false, false, unsupported("ORDER BY ... USING an operator outside pg_catalog")
		}
		isText := t.Oid == types.OidText || t.Oid == types.OidVarchar
		switch {
		case op == "<" || op == "~<~" && isText:
		case op == ">" || op == "~>~" && isText:
			desc = true
		case strings.Trim(op, "<>=!~") == "":
			return false, false, pgerror.New(pgerror.WrongObjectType, "operator %s is not a valid ordering operator", op).
				WithHint(`Ordering operators must be "<" or ">" members of btree operator families.`)
		default:
			return false, false, unsupported("ORDER BY ... USING " + op)
		}
	}
	nullsFirst = desc
	switch sb.SortbyNulls {
	case pg_query.SortByNulls_SORTBY_NULLS_FIRST:
		nullsFirst = true
	case pg_query.SortByNulls_SORTBY_NULLS_LAST:
		nullsFirst = false
	}
	return desc, nullsFirst, nil
}

// nodeLocation is the parse position of an expression node (0-based), or
// def for kinds that do not carry one here.
func nodeLocation(n *pg_query.Node, def int32) int {
	switch v := n.Node.(type) {
	case *pg_query.Node_ColumnRef:
		return int(v.ColumnRef.Location)
	case *pg_query.Node_AConst:
		return int(v.AConst.Location)
	case *pg_query.Node_FuncCall:
		return int(v.FuncCall.Location)
	case *pg_query.Node_AExpr:
		return int(v.AExpr.Location)
	case *pg_query.Node_TypeCast:
		return int(v.TypeCast.Location)
	}
	return int(def)
}
