package sql

import (
	"sort"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/quorumdb/quorumdb/kv"
	"github.com/quorumdb/quorumdb/sql/acl"
	"github.com/quorumdb/quorumdb/sql/catalog"
	"github.com/quorumdb/quorumdb/sql/exec"
	"github.com/quorumdb/quorumdb/sql/kverror"
	"github.com/quorumdb/quorumdb/sql/pgerror"
)

// ALTER DEFAULT PRIVILEGES, as PostgreSQL 15 has it for tables (views
// included) and sequences: per database, an entry per role, schema (""
// for the global one) and object type holds an ACL (pg_default_acl). A
// global entry replaces the built-in default ACL of the role's new
// objects and is removed when it comes back to it; a schema's entry adds
// to it and is removed when empty. A new relation gets the merge of the
// two, stored only when it differs from the built-in default
// (get_user_default_acl).

// defaclObjtype is pg_default_acl.defaclobjtype for GRANT's object type.
func defaclObjtype(t pg_query.ObjectType) (byte, bool) {
	switch t {
	case pg_query.ObjectType_OBJECT_TABLE:
		return 'r', true
	case pg_query.ObjectType_OBJECT_SEQUENCE:
		return 'S', true
	case pg_query.ObjectType_OBJECT_FUNCTION, pg_query.ObjectType_OBJECT_ROUTINE, pg_query.ObjectType_OBJECT_PROCEDURE:
		return 'f', true
	case pg_query.ObjectType_OBJECT_TYPE, pg_query.ObjectType_OBJECT_DOMAIN:
		return 'T', true
	case pg_query.ObjectType_OBJECT_SCHEMA:
		return 'n', true
	}
	return 0, false
}

// defaclAll and defaclBuiltin are, per defaclobjtype, the privileges the
// objects carry and acldefault's ACL for owner. Functions and types are
// only recorded: quorumdb does not check EXECUTE or USAGE on them.
func defaclAll(objtype byte) acl.Mode {
	switch objtype {
	case 'r':
		return acl.AllTable
	case 'S':
		return acl.AllSequence
	case 'f':
		return acl.Execute
	case 'T':
		return acl.Usage
	}
	return acl.AllSchema
}

func defaclBuiltin(objtype byte, owner string) []acl.Item {
	own := acl.Item{Grantee: owner, Grantor: owner, Privs: defaclAll(objtype)}
	switch objtype {
	case 'f', 'T':
		return []acl.Item{{Grantee: "", Grantor: owner, Privs: defaclAll(objtype)}, own}
	}
	return []acl.Item{own}
}

// defaclPrivileges is the statement's privilege list for objtype.
func defaclPrivileges(gs *pg_query.GrantStmt, objtype byte) (acl.Mode, error) {
	all := defaclAll(objtype)
	if len(gs.Privileges) == 0 {
		return all, nil
	}
	var m acl.Mode
	for _, p := range gs.Privileges {
		ap := p.GetAccessPriv()
		if len(ap.Cols) > 0 {
			return 0, unsupported("column privileges")
		}
		bit, ok := acl.Names[strings.ToLower(ap.PrivName)]
		if !ok {
			return 0, pgerror.New(pgerror.SyntaxError, "unrecognized privilege type %q", ap.PrivName)
		}
		if bit&all == 0 {
			noun := map[byte]string{'r': "relation", 'S': "sequence", 'f': "function", 'T': "type", 'n': "schema"}[objtype]
			return 0, pgerror.New(invalidGrantOperation, "invalid privilege type %s for %s", strings.ToUpper(ap.PrivName), noun)
		}
		m |= bit
	}
	return m, nil
}

// defaclDescription is getObjectDescription's text for an entry.
func defaclDescription(e catalog.DefaultACLEntry) string {
	what := map[byte]string{'r': "relations", 'S': "sequences", 'f': "functions", 'T': "types", 'n': "schemas"}[e.ObjType]
	d := "default privileges on new " + what + " belonging to role " + e.Role
	if e.Schema != "" {
		d += " in schema " + e.Schema
	}
	return d
}

func (b *builder) planAlterDefaultPrivileges(st *pg_query.AlterDefaultPrivilegesStmt) (*stmtPlan, error) {
	gs := st.Action
	objtype, ok := defaclObjtype(gs.Objtype)
	if !ok {
		return nil, unsupported("ALTER DEFAULT PRIVILEGES on " + gs.Objtype.String())
	}
	return tagOnly("ALTER DEFAULT PRIVILEGES", func(ec *execCtx) error {
		roles := []string{b.sess.user}
		schemas := []string{""}
		for _, o := range st.Options {
			de := o.GetDefElem()
			switch de.GetDefname() {
			case "roles":
				roles = roles[:0]
				for _, it := range de.Arg.GetList().GetItems() {
					name, err := b.roleSpecName(it.GetRoleSpec())
					if err != nil {
						return err
					}
					roles = append(roles, name)
				}
			case "schemas":
				schemas = schemas[:0]
				all, err := b.cat.Schemas(b.ctx, b.sess.dbID)
				if err != nil {
					return err
				}
				if objtype == 'n' {
					return pgerror.New(invalidGrantOperation, "cannot use IN SCHEMA clause when using GRANT/REVOKE ON SCHEMAS")
				}
				for _, it := range de.Arg.GetList().GetItems() {
					name := it.GetString_().GetSval()
					if _, ok := all[name]; !ok {
						return pgerror.New(pgerror.InvalidSchemaName, "schema %q does not exist", name)
					}
					schemas = append(schemas, name)
				}
			}
		}
		privs, err := defaclPrivileges(gs, objtype)
		if err != nil {
			return err
		}
		grantees, err := b.granteeNames(gs)
		if err != nil {
			return err
		}
		for _, role := range roles {
			if err := b.checkMemberOf(role); err != nil {
				return err
			}
			for _, schema := range schemas {
				if err := b.setDefaultACL(role, schema, objtype, gs, privs, grantees); err != nil {
					return err
				}
			}
		}
		return nil
	}), nil
}

// granteeNames resolves GRANT's grantees, "" standing for PUBLIC.
func (b *builder) granteeNames(gs *pg_query.GrantStmt) ([]string, error) {
	var out []string
	for _, g := range gs.Grantees {
		rs := g.GetRoleSpec()
		if rs.GetRoletype() == pg_query.RoleSpecType_ROLESPEC_PUBLIC {
			if gs.IsGrant && gs.GrantOption {
				return nil, pgerror.New(invalidGrantOperation, "grant options can only be granted to roles")
			}
			out = append(out, "")
			continue
		}
		name, err := b.roleSpecName(rs)
		if err != nil {
			return nil, err
		}
		out = append(out, name)
	}
	return out, nil
}

// setDefaultACL is SetDefaultACL for one role and schema.
func (b *builder) setDefaultACL(role, schema string, objtype byte, gs *pg_query.GrantStmt, privs acl.Mode, grantees []string) error {
	cur, err := b.cat.DefaultACL(b.ctx, b.sess.dbID, role, schema, objtype)
	if err != nil {
		return err
	}
	var list []acl.Item
	switch {
	case cur != nil:
		list = cur.ACL
	case schema == "":
		list = defaclBuiltin(objtype, role)
	}
	for _, g := range grantees {
		if gs.IsGrant {
			list = acl.Grant(list, g, role, privs, gs.GrantOption)
		} else {
			list = acl.Revoke(list, g, role, privs, gs.GrantOption)
		}
	}
	if list, err = b.sortACL(list); err != nil {
		return err
	}
	key := catalog.DefaultACLKey(b.sess.dbID, role, schema, objtype)
	def, err := b.sortACL(defaclBuiltin(objtype, role))
	if err != nil {
		return err
	}
	if (schema == "" && aclEqual(list, def)) || (schema != "" && len(list) == 0) {
		if cur == nil {
			return nil
		}
		return kverror.AsSQL(b.cat.KV.Delete(b.ctx, key))
	}
	d := catalog.DefaultACL{ACL: list}
	if cur != nil {
		d.OID = cur.OID
	} else if d.OID, err = b.cat.NewID(b.ctx); err != nil {
		return err
	}
	return b.cat.PutJSON(b.ctx, key, d)
}

// newRelationACL is the ACL a relation of kind created by owner in
// schema starts with: nil (the built-in default) unless default
// privileges say otherwise.
func (b *builder) newRelationACL(kind acl.ObjectKind, owner, schema string) ([]acl.Item, error) {
	objtype := byte('r')
	if kind == acl.Sequence {
		objtype = 'S'
	}
	glob, err := b.cat.DefaultACL(b.ctx, b.sess.dbID, owner, "", objtype)
	if err != nil {
		return nil, err
	}
	sch, err := b.cat.DefaultACL(b.ctx, b.sess.dbID, owner, schema, objtype)
	if err != nil || (glob == nil && sch == nil) {
		return nil, err
	}
	list := acl.Default(kind, owner)
	if glob != nil {
		list = append([]acl.Item(nil), glob.ACL...)
	}
	if sch != nil {
		for _, it := range sch.ACL {
			list = acl.Grant(list, it.Grantee, it.Grantor, it.Privs, false)
			if it.Grant != 0 {
				list = acl.Grant(list, it.Grantee, it.Grantor, it.Grant, true)
			}
		}
	}
	if list, err = b.sortACL(list); err != nil {
		return nil, err
	}
	def, err := b.sortACL(acl.Default(kind, owner))
	if err != nil || aclEqual(list, def) {
		return nil, err
	}
	return list, nil
}

// applyDefaultACL gives a new table, view or sequence its default
// privileges.
func (b *builder) applyDefaultACL(t *catalog.Table) error {
	if t.Temporary() {
		return nil
	}
	list, err := b.newRelationACL(catalog.ACLKind(t), t.Owner, t.Schema)
	if err != nil || list == nil {
		return err
	}
	t.SetPrivileges(list)
	return nil
}

// sortACL orders an ACL as aclitemsort does: by grantee's oid (PUBLIC
// first), then grantor's.
func (b *builder) sortACL(list []acl.Item) ([]acl.Item, error) {
	g := b.roleGraph()
	oid := func(name string) (uint32, error) {
		if name == "" {
			return 0, nil
		}
		r, err := g.role(name)
		if err != nil || r == nil {
			return 0, err
		}
		return r.OID, nil
	}
	type keyed struct {
		it     acl.Item
		ge, gr uint32
	}
	ks := make([]keyed, len(list))
	for i, it := range list {
		ge, err := oid(it.Grantee)
		if err != nil {
			return nil, err
		}
		gr, err := oid(it.Grantor)
		if err != nil {
			return nil, err
		}
		ks[i] = keyed{it, ge, gr}
	}
	sort.SliceStable(ks, func(i, j int) bool {
		if ks[i].ge != ks[j].ge {
			return ks[i].ge < ks[j].ge
		}
		return ks[i].gr < ks[j].gr
	})
	out := make([]acl.Item, len(ks))
	for i, k := range ks {
		out[i] = k.it
	}
	return out, nil
}

func aclEqual(a, b []acl.Item) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// registerDefaultPrivileges adds this file's relations and functions to the engine's
// registries (registry.go calls it).
func registerDefaultPrivileges() {
	registerVirtualTable(&virtualTable{schema: "pg_catalog", name: "pg_default_acl", oid: 826, cols: []vcol{
		{"oid", pgOid}, {"defaclrole", pgOid}, {"defaclnamespace", pgOid}, {"defaclobjtype", pgChar}, {"defaclacl", pgACL},
	}, rows: func(ec *execCtx) ([]exec.Row, error) {
		s, err := loadPGSnapshot(ec)
		if err != nil {
			return nil, err
		}
		ents, err := ec.Catalog.DefaultACLs(ec.Context, ec.sess.dbID)
		if err != nil {
			return nil, err
		}
		out := make([]exec.Row, 0, len(ents))
		for _, e := range ents {
			ns := int64(0)
			if e.Schema != "" {
				ns = s.nsOID(e.Schema)
			}
			out = append(out, exec.Row{int64(e.OID), s.roleOID(e.Role), ns, string(e.ObjType), aclDatum(e.ACL)})
		}
		return out, nil
	}})
}

// dropSchemaDefaultACLs removes the schema's default privilege entries
// with the schema, as PostgreSQL's dependency on it does.
func (b *builder) dropSchemaDefaultACLs(schema string) error {
	ents, err := b.cat.DefaultACLs(b.ctx, b.sess.dbID)
	if err != nil {
		return err
	}
	for _, e := range ents {
		if e.Schema == schema {
			if err := b.cat.KV.Delete(b.ctx, catalog.DefaultACLKey(b.sess.dbID, e.Role, e.Schema, e.ObjType)); err != nil {
				return kverror.AsSQL(err)
			}
		}
	}
	return nil
}

// dropDatabaseDefaultACLs removes a dropped database's default privilege
// entries.
func (b *builder) dropDatabaseDefaultACLs(db uint32) error {
	prefix := catalog.DefaultACLPrefix(db)
	return kverror.AsSQL(b.cat.KV.DeleteRange(b.ctx, prefix, kv.PrefixEnd(prefix)))
}
