package sql

import (
	"encoding/binary"
	"fmt"
	"sort"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/quorumdb/quorumdb/kv"
	"github.com/quorumdb/quorumdb/sql/acl"
	"github.com/quorumdb/quorumdb/sql/catalog"
	"github.com/quorumdb/quorumdb/sql/kverror"
	"github.com/quorumdb/quorumdb/sql/pgerror"
)

// Who may create, alter and drop roles (PostgreSQL 15's CreateRole,
// AlterRole and DropRole): superusers; CREATEROLE holders for roles that
// are not superusers; a role itself only to change its own password.
// Nobody drops the current or session user, the bootstrap superuser, or
// a role that still owns objects or holds privileges.

// roleOptionSet is the attributes a CREATE/ALTER ROLE statement names.
type roleOptionSet map[string]bool

func roleOptions(opts []*pg_query.Node) roleOptionSet {
	s := roleOptionSet{}
	for _, o := range opts {
		if de := o.GetDefElem(); de != nil {
			s[de.Defname] = true
			if de.Defname == "superuser" || de.Defname == "isreplication" || de.Defname == "bypassrls" {
				// NOSUPERUSER counts as naming the attribute too, but
				// CREATE ROLE only cares about granting it.
				s[de.Defname+"_on"] = defElemString(de) != "false" && defElemString(de) != "0"
			}
		}
	}
	return s
}

// checkCreateRole is CreateRole's permission check.
func (b *builder) checkCreateRole(opts []*pg_query.Node) error {
	me, err := b.currentRoleDesc()
	if err != nil {
		return err
	}
	o := roleOptions(opts)
	switch {
	case o["superuser_on"]:
		if !me.Superuser {
			return pgerror.New(pgerror.InsufficientPrivilege, "must be superuser to create superusers")
		}
	case o["isreplication_on"]:
		if !me.Superuser {
			return pgerror.New(pgerror.InsufficientPrivilege, "must be superuser to create replication users")
		}
	case o["bypassrls_on"]:
		if !me.Superuser {
			return pgerror.New(pgerror.InsufficientPrivilege, "must be superuser to create bypassrls users")
		}
	default:
		if !me.Superuser && !me.CreateRole {
			return pgerror.New(pgerror.InsufficientPrivilege, "permission denied to create role")
		}
	}
	return nil
}

// checkAlterRole is AlterRole's: superuser attributes and superuser
// roles need a superuser; other changes CREATEROLE, except a password
// change of one's own role alone.
func (b *builder) checkAlterRole(target *catalog.Role, opts []*pg_query.Node) error {
	me, err := b.currentRoleDesc()
	if err != nil {
		return err
	}
	if me.Superuser {
		return nil
	}
	o := roleOptions(opts)
	switch {
	case target.Superuser || o["superuser"]:
		return pgerror.New(pgerror.InsufficientPrivilege, "must be superuser to alter superuser roles or change superuser attribute")
	case target.Replication || o["isreplication"]:
		return pgerror.New(pgerror.InsufficientPrivilege, "must be superuser to alter replication roles or change replication attribute")
	case target.BypassRLS || o["bypassrls"]:
		return pgerror.New(pgerror.InsufficientPrivilege, "must be superuser to change bypassrls attribute")
	case me.CreateRole:
		return nil
	}
	onlyPassword := len(o) == 1 && o["password"]
	if !onlyPassword || target.Name != b.sess.user {
		return pgerror.New(pgerror.InsufficientPrivilege, "permission denied")
	}
	return nil
}

func (b *builder) planDropRole(ds *pg_query.DropRoleStmt) (*stmtPlan, error) {
	return tagOnly("DROP ROLE", func(ec *execCtx) error {
		me, err := b.currentRoleDesc()
		if err != nil {
			return err
		}
		if !me.Superuser && !me.CreateRole {
			return pgerror.New(pgerror.InsufficientPrivilege, "permission denied to drop role")
		}
		for _, r := range ds.Roles {
			name := r.GetRoleSpec().Rolename
			role, err := b.cat.Role(b.ctx, name)
			if err != nil {
				return err
			}
			if role == nil {
				if ds.MissingOk {
					ec.AddNotice(fmt.Sprintf("role %q does not exist, skipping", name))
					continue
				}
				return pgerror.New(pgerror.UndefinedObject, "role %q does not exist", name)
			}
			switch {
			case name == b.sess.user:
				return pgerror.New(pgerror.ObjectInUse, "current user cannot be dropped")
			case name == b.sess.sessionUser():
				return pgerror.New(pgerror.ObjectInUse, "session user cannot be dropped")
			case role.Superuser && !me.Superuser:
				return pgerror.New(pgerror.InsufficientPrivilege, "must be superuser to drop superusers")
			case role.OID < catalog.FirstUserID: // the bootstrap superuser, the predefined roles
				return pgerror.New(pgerror.DependentObjectsStillExist, "cannot drop role %s because it is required by the database system", name)
			}
			deps, err := b.roleDependencies(name)
			if err != nil {
				return err
			}
			if len(deps) > 0 {
				detail := deps[0]
				for _, d := range deps[1:] {
					detail += "\n" + d
				}
				return pgerror.New(pgerror.DependentObjectsStillExist, "role %q cannot be dropped because some objects depend on it", name).WithDetail("%s", detail)
			}
			if err := b.dropMembershipsOf(name); err != nil {
				return err
			}
			b.cat.Changes.RecordName(KindRole, name)
			if err := b.cat.KV.Delete(b.ctx, catalog.RoleKey(name)); err != nil {
				return kverror.AsSQL(err)
			}
			b.roles = nil
		}
		return nil
	}), nil
}

// dropMembershipsOf removes the dropped role from every role's
// memberships (PostgreSQL deletes its pg_auth_members rows).
func (b *builder) dropMembershipsOf(name string) error {
	roles, err := b.cat.Roles(b.ctx)
	if err != nil {
		return err
	}
	for i := range roles {
		r := &roles[i]
		kept := r.MemberOf[:0:0]
		for _, m := range r.MemberOf {
			if m.Role != name {
				kept = append(kept, m)
			}
		}
		if len(kept) != len(r.MemberOf) {
			r.MemberOf = kept
			if err := b.putRole(r); err != nil {
				return err
			}
		}
	}
	return nil
}

// roleDependencies lists what keeps role from being dropped, as
// checkSharedDependencies words it: databases first, then the session
// database's objects in oid order, then a count per other database.
func (b *builder) roleDependencies(role string) ([]string, error) {
	dbs, err := b.cat.Databases(b.ctx)
	if err != nil {
		return nil, err
	}
	type dep struct {
		oid  uint32
		text string
	}
	// Databases (shared objects) and the current database's objects come
	// in one list ordered by oid, an approximation of PostgreSQL's
	// pg_shdepend order (when the dependency was recorded).
	var shared []dep
	for _, d := range dbs {
		if d.Owner == role {
			shared = append(shared, dep{d.ID, "owner of database " + d.Name})
		}
		if acl.Mentions(d.Privileges(), role, d.Owner) {
			shared = append(shared, dep{d.ID, "privileges for database " + d.Name})
		}
	}
	var local []dep
	var others []string
	// A relation outside the search path is named with its schema, as
	// getObjectDescription does.
	path := searchPathSchemas(b.sess.vars.get("search_path"), b.sess.user)
	for _, d := range dbs {
		var here []dep
		tables, err := b.cat.Tables(b.ctx, d.ID)
		if err != nil {
			return nil, err
		}
		for _, t := range tables {
			noun := catalog.ACLKind(t).Noun()
			name := t.Name
			if !path[t.Schema] {
				name = t.Schema + "." + t.Name
			}
			if acl.Mentions(t.Privileges(), role, t.Owner) {
				here = append(here, dep{t.ID, "privileges for " + noun + " " + name})
			}
			if t.Owner == role {
				here = append(here, dep{t.ID, "owner of " + noun + " " + name})
			}
		}
		defacls, err := b.cat.DefaultACLs(b.ctx, d.ID)
		if err != nil {
			return nil, err
		}
		for _, e := range defacls {
			if e.Role == role {
				here = append(here, dep{e.OID, "owner of " + defaclDescription(e)})
			} else if acl.Mentions(e.ACL, role, e.Role) {
				here = append(here, dep{e.OID, "privileges for " + defaclDescription(e)})
			}
		}
		metas, err := b.schemaMetas(d.ID)
		if err != nil {
			return nil, err
		}
		for name, m := range metas {
			oid, _, err := b.schemaOIDIn(d.ID, name)
			if err != nil {
				return nil, err
			}
			if m.ACLSet && acl.Mentions(m.ACL, role, m.Owner) {
				here = append(here, dep{oid, "privileges for schema " + name})
			}
			if m.Owner == role {
				here = append(here, dep{oid, "owner of schema " + name})
			}
		}
		if d.ID == b.sess.dbID {
			local = here
		} else if len(here) > 0 {
			others = append(others, fmt.Sprintf("%d objects in database %s", len(here), d.Name))
		}
	}
	local = append(shared, local...)
	sort.SliceStable(local, func(i, j int) bool { return local[i].oid < local[j].oid })
	var out []string
	for _, d := range local {
		out = append(out, d.text)
	}
	return append(out, others...), nil
}

// schemaMetas reads the stored schema entries of database db.
func (b *builder) schemaMetas(db uint32) (map[string]*catalog.SchemaMeta, error) {
	prefix := kv.SystemKey([]byte("schemameta/"), catalog.EncodeID(db))
	kvs, err := b.cat.KV.Scan(b.ctx, prefix, kv.PrefixEnd(prefix), 0, false)
	if err != nil {
		return nil, kverror.AsSQL(err)
	}
	out := map[string]*catalog.SchemaMeta{}
	for _, e := range kvs {
		name := string(e.Key[len(prefix):])
		m, err := b.cat.SchemaMeta(b.ctx, db, name)
		if err != nil {
			return nil, err
		}
		out[name] = m
	}
	return out, nil
}

// schemaOIDIn is the oid of schema name of database db, read from its
// stored entry; ok is false when there is none.
func (b *builder) schemaOIDIn(db uint32, name string) (uint32, bool, error) {
	v, ok, err := b.cat.KV.Get(b.ctx, catalog.SchemaKey(db, name))
	if err != nil || !ok || len(v) < 4 {
		return catalog.OIDPublicSchema, ok, kverror.AsSQL(err)
	}
	return binary.BigEndian.Uint32(v), true, nil
}

// applyRoleAttr sets the attributes CREATE/ALTER ROLE name besides
// SUPERUSER, LOGIN and PASSWORD.
func applyRoleAttr(r *catalog.Role, de *pg_query.DefElem) {
	on := defElemString(de) != "0" && defElemString(de) != "false"
	switch de.Defname {
	case "createdb":
		r.CreateDB = on
	case "createrole":
		r.CreateRole = on
	case "inherit":
		r.NoInherit = !on
	case "isreplication":
		r.Replication = on
	case "bypassrls":
		r.BypassRLS = on
	}
}
