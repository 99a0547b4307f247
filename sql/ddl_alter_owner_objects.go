package sql

import (
	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/quorumdb/quorumdb/sql/acl"
	"github.com/quorumdb/quorumdb/sql/catalog"
	"github.com/quorumdb/quorumdb/sql/pgerror"
)

// planAlterOwner is ALTER SCHEMA/DATABASE ... OWNER TO, with PostgreSQL
// 15's checks (AlterSchemaOwner_internal, AlterDatabaseOwner): a
// superuser may always; others must own the object, be a member of the
// new owner, and hold CREATE on the database (for a schema) or CREATEDB
// (for a database). The ACL follows the owner as aclnewowner makes it.
// Other objects (functions, types: pg_dump writes their OWNER TO) have no
// owner here, and the statement changes nothing, as before.
func (b *builder) planAlterOwner(as *pg_query.AlterOwnerStmt) (*stmtPlan, error) {
	name := as.GetObject().GetString_().GetSval()
	switch as.ObjectType {
	case pg_query.ObjectType_OBJECT_SCHEMA:
		return tagOnly("ALTER SCHEMA", func(ec *execCtx) error { return b.alterSchemaOwner(name, as.Newowner) }), nil
	case pg_query.ObjectType_OBJECT_DATABASE:
		return tagOnly("ALTER DATABASE", func(ec *execCtx) error { return b.alterDatabaseOwner(name, as.Newowner) }), nil
	}
	return tagOnly("ALTER", nil), nil
}

func (b *builder) alterSchemaOwner(name string, newOwner *pg_query.RoleSpec) error {
	schemas, err := b.cat.Schemas(b.ctx, b.sess.dbID)
	if err != nil {
		return err
	}
	if _, ok := schemas[name]; !ok {
		return pgerror.New(pgerror.InvalidSchemaName, "schema %q does not exist", name)
	}
	owner, err := b.roleSpecName(newOwner)
	if err != nil {
		return err
	}
	m, err := b.cat.SchemaMeta(b.ctx, b.sess.dbID, name)
	if err != nil || m.Owner == owner {
		return err
	}
	if su, err := b.roleGraph().superuser(b.sess.user); err != nil {
		return err
	} else if !su {
		if err := b.checkSchemaOwner(name); err != nil {
			return err
		}
		if err := b.checkMemberOf(owner); err != nil {
			return err
		}
		if err := b.checkDatabasePrivs(acl.Create); err != nil {
			return err
		}
	}
	if m.ACLSet {
		m.ACL = acl.NewOwner(m.ACL, m.Owner, owner)
	}
	m.Owner = owner
	return b.cat.PutSchemaMeta(b.ctx, b.sess.dbID, name, m)
}

func (b *builder) alterDatabaseOwner(name string, newOwner *pg_query.RoleSpec) error {
	d, err := b.cat.Database(b.ctx, name)
	if err != nil {
		return err
	}
	if d == nil {
		return pgerror.New(pgerror.InvalidCatalogName, "database %q does not exist", name)
	}
	owner, err := b.roleSpecName(newOwner)
	if err != nil || d.Owner == owner {
		return err
	}
	g := b.roleGraph()
	if su, err := g.superuser(b.sess.user); err != nil {
		return err
	} else if !su {
		if own, err := g.hasPrivsOf(b.sess.user, d.Owner); err != nil {
			return err
		} else if !own {
			return mustBeOwner(acl.Database, name)
		}
		if err := b.checkMemberOf(owner); err != nil {
			return err
		}
		me, err := b.currentRoleDesc()
		if err != nil {
			return err
		}
		if !me.CreateDB {
			return pgerror.New(pgerror.InsufficientPrivilege, "permission denied to change owner of database")
		}
	}
	if list := d.Privileges(); list != nil {
		d.SetPrivileges(acl.NewOwner(list, d.Owner, owner))
	}
	d.Owner = owner
	b.cat.Changes.RecordName(KindDatabase, name)
	return b.cat.PutJSON(b.ctx, catalog.DatabaseKey(name), d)
}
