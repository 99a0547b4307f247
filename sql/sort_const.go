package sql

import (
	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/quorumdb/quorumdb/sql/pgerror"
)

// checkSortConst rejects a constant other than an integer as an ORDER BY,
// GROUP BY or DISTINCT ON term, as findTargetlistEntrySQL92 does
// (ORDER BY false, ORDER BY 'x', ORDER BY NULL): 42601. An integer is a
// select-list position; a constant inside an expression ((false), 1 + 1)
// is an ordinary expression.
func checkSortConst(n *pg_query.Node, clause string) error {
	c := n.GetAConst()
	if c == nil || c.GetIval() != nil {
		return nil
	}
	return pgerror.New(pgerror.SyntaxError, "non-integer constant in %s", clause).WithPosition(int(c.Location) + 1)
}
