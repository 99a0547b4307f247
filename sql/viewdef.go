package sql

import (
	"github.com/quorumdb/quorumdb/sql/types"
)

// viewDef implements pg_get_viewdef(oid): the view's defining SELECT as
// stored at CREATE VIEW, led by a space and ended by a semicolon as
// PostgreSQL prints it (pg_dump strips the semicolon). NULL for anything
// but a view of the session's database.
func (ec *execCtx) viewDef(oid int64) (types.Datum, error) {
	if oid < firstUserID || oid >= derivedFlag {
		return nil, nil
	}
	t, err := ec.cat.tableByID(ec.ctx, uint32(oid))
	if err != nil || t == nil || t.Kind != kindView || t.DBID != ec.sess.dbID {
		return nil, err
	}
	return " " + t.ViewQuery + ";", nil
}
