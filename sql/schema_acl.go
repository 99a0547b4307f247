package sql

import (
	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/quorumdb/quorumdb/sql/acl"
	"github.com/quorumdb/quorumdb/sql/catalog"
	"github.com/quorumdb/quorumdb/sql/pgerror"
)

// A schema's owner and privileges are kept beside its oid entry, under
//
//	schemameta/<db id>/<name> → catalog.SchemaMeta (JSON)
//
// so that the oid entry, which many readers decode as 4 bytes, keeps its
// format. A schema without the entry (public, and schemas made before
// privileges existed) has the defaults PostgreSQL 15 gives it.

// dbOwner is the owner of the session's database (whom pg_database_owner
// stands for).
func (b *builder) dbOwner() (string, error) {
	d, err := b.cat.Database(b.ctx, b.sess.dbName)
	if err != nil || d == nil {
		return "", err
	}
	return d.Owner, nil
}

// ownsSchema reports whether the current user has the privileges of the
// schema's owner.
func (b *builder) ownsSchema(m *catalog.SchemaMeta) (bool, error) {
	owner := m.Owner
	if owner == catalog.PgDatabaseOwner {
		var err error
		if owner, err = b.dbOwner(); err != nil {
			return false, err
		}
	}
	return b.roleGraph().hasPrivsOf(b.sess.user, owner)
}

// checkSchemaOwner refuses DROP SCHEMA (and the like) to all but the
// owner.
func (b *builder) checkSchemaOwner(name string) error {
	if catalog.IsTempSchemaName(name) {
		return nil
	}
	m, err := b.cat.SchemaMeta(b.ctx, b.sess.dbID, name)
	if err != nil {
		return err
	}
	own, err := b.ownsSchema(m)
	if err != nil {
		return err
	}
	if !own {
		return mustBeOwner(acl.Schema, name)
	}
	return nil
}

// checkSchemaPrivs refuses unless the current user holds want on the
// schema: CREATE to create in it.
func (b *builder) checkSchemaPrivs(name string, want acl.Mode) error {
	return b.checkSchemaPrivsAs(b.sess.user, name, want)
}

func (b *builder) checkSchemaPrivsAs(role, name string, want acl.Mode) error {
	if catalog.IsTempSchemaName(name) {
		return nil
	}
	m, err := b.cat.SchemaMeta(b.ctx, b.sess.dbID, name)
	if err != nil {
		return err
	}
	owner, err := b.dbOwner()
	if err != nil {
		return err
	}
	have, err := b.roleGraph().aclMask(m.ACL, role, owner, want)
	if err != nil {
		return err
	}
	if have != want {
		extra, err := b.roleGraph().predefinedPrivs(false, role, want)
		if err != nil {
			return err
		}
		have |= extra
	}
	if have != want {
		return permissionDenied(acl.Schema, name)
	}
	return nil
}

// checkCreateSchema is CREATE SCHEMA's privilege side: CREATE on the
// database is needed, and AUTHORIZATION names a role the current user
// must be a member of. It returns the new schema's owner.
func (b *builder) checkCreateSchema(cs *pg_query.CreateSchemaStmt) (string, error) {
	if err := b.checkDatabasePrivs(acl.Create); err != nil {
		return "", err
	}
	owner := b.sess.user
	if cs.Authrole != nil {
		var err error
		if owner, err = b.roleSpecName(cs.Authrole); err != nil {
			return "", err
		}
		if err := b.checkMemberOf(owner); err != nil {
			return "", err
		}
	}
	return owner, nil
}

// checkMemberOf refuses unless the current user may act as role
// (check_is_member_of_role): to give it objects or create them for it.
func (b *builder) checkMemberOf(role string) error {
	ok, err := b.roleGraph().isMemberOf(b.sess.user, role)
	if err != nil {
		return err
	}
	if !ok {
		return pgerror.New(pgerror.InsufficientPrivilege, "must be member of role %q", role)
	}
	return nil
}

// schemaUsable is the USAGE check PostgreSQL makes when a name is
// resolved in a schema (LookupExplicitNamespace, and the search path,
// which leaves out schemas the user may not use): false when the current
// user lacks USAGE on an existing user schema. The system schemas, the
// operator schema and temporary schemas are usable by all, and a view's
// query, which PostgreSQL resolved when the view was made, is not
// checked again.
func (b *builder) schemaUsable(name string) (bool, error) {
	switch {
	case b.viewDepth > 0, catalog.IsTempSchemaName(name), name == "pg_temp", name == "pg_catalog",
		name == "information_schema", name == "quorumdb":
		return true, nil
	}
	// A superuser (the common case) may use every schema: no reads of
	// the schema's entries on each name resolved.
	if su, err := b.roleGraph().superuser(b.sess.user); err != nil || su {
		return true, err
	}
	if _, ok, err := b.schemaOIDIn(b.sess.dbID, name); err != nil || (!ok && name != "public") {
		return true, err // a missing schema is reported by the lookup
	}
	err := b.checkSchemaPrivs(name, acl.Usage)
	if pe, ok := pgerror.As(err); ok && pe.Code == pgerror.InsufficientPrivilege {
		return false, nil
	}
	return err == nil, err
}

// checkSchemaUsage refuses a name qualified with a schema the current
// user may not use (42501 permission denied for schema s).
func (b *builder) checkSchemaUsage(name string) error {
	ok, err := b.schemaUsable(name)
	if err == nil && !ok {
		err = permissionDenied(acl.Schema, name)
	}
	return err
}

// withRelPosition gives an error raised while opening the relation rv
// names (a schema refused, say) rv's position, as PostgreSQL's
// parserOpenTable does for relations in FROM and a write's target.
func withRelPosition(err error, rv *pg_query.RangeVar) error {
	if pe, ok := pgerror.As(err); ok && pe.Position == 0 && rv.Location >= 0 {
		pe.Position = int(rv.Location) + 1
	}
	return err
}
