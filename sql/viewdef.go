package sql

import (
	"fmt"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/quorumdb/quorumdb/sql/catalog"
	"github.com/quorumdb/quorumdb/sql/types"
)

// viewDef implements pg_get_viewdef(oid): the view's defining SELECT as
// stored at CREATE VIEW, led by a space and ended by a semicolon as
// PostgreSQL prints it (pg_dump strips the semicolon). NULL for anything
// but a view of the session's database.
func (ec *execCtx) viewDef(oid int64) (types.Datum, error) {
	if oid < catalog.FirstUserID || oid >= derivedFlag {
		return nil, nil
	}
	t, err := ec.Catalog.TableByID(ec.Context, uint32(oid))
	if err != nil || t == nil || t.Kind != catalog.KindView || t.DBID != ec.sess.dbID {
		return nil, err
	}
	res, err := boundViewQuery(ec, t, true)
	if err != nil {
		return nil, err
	}
	text, err := pg_query.Deparse(res)
	if err != nil {
		return nil, fmt.Errorf("sql: printing view %s: %w", t.Name, err)
	}
	return " " + text + ";", nil
}
