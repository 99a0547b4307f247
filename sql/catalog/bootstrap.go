package catalog

import (
	"context"

	"github.com/quorumdb/quorumdb/kv"
)

// FirstUserID is the first object id handed out; PostgreSQL's user objects
// also start here, so our ids double as pg_class/pg_database oids.
const FirstUserID = 16384

// Fixed oids of the bootstrap objects, as in PostgreSQL.
const (
	OIDPostgresRole    = 10
	OIDPostgresDB      = 5
	OIDPublicSchema    = 2200
	OIDPgCatalogSchema = 11
	OIDInfoSchema      = 13000
)

// Bootstrap creates the initial catalog (the postgres role, the postgres
// and quorumdb databases) in txn unless a previous bootstrap committed.
func Bootstrap(ctx context.Context, txn kv.Txn) error {
	_, done, err := txn.Get(ctx, keyBootstrap)
	if err != nil || done {
		return err
	}
	c := &Txn{KV: txn}
	if err := c.PutJSON(ctx, RoleKey("postgres"), Role{OID: OIDPostgresRole, Name: "postgres", Superuser: true, Login: true,
		CreateDB: true, CreateRole: true, Replication: true, BypassRLS: true}); err != nil {
		return err
	}
	if err := c.PutJSON(ctx, DatabaseKey("postgres"), Database{ID: OIDPostgresDB, Name: "postgres", Owner: "postgres"}); err != nil {
		return err
	}
	id, err := c.NewID(ctx)
	if err != nil {
		return err
	}
	if err := c.PutJSON(ctx, DatabaseKey("quorumdb"), Database{ID: id, Name: "quorumdb", Owner: "postgres"}); err != nil {
		return err
	}
	return txn.Put(ctx, keyBootstrap, []byte{1})
}
