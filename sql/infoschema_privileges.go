package sql

import (
	"github.com/quorumdb/quorumdb/sql/acl"
	"github.com/quorumdb/quorumdb/sql/catalog"
	"github.com/quorumdb/quorumdb/sql/exec"
)

// information_schema.table_privileges and role_table_grants, as
// PostgreSQL 15 defines them: one row per privilege of each aclitem of a
// table's or view's ACL (its default when none was stored), the grantee
// PUBLIC included, shown when the current user has the privileges of the
// grantor or of the grantee, or the grantee is PUBLIC. role_table_grants
// keeps the rows whose grantor or grantee is such a role (enabled_roles).
// PostgreSQL also lists its system catalogs' ACLs; quorumdb's catalogs
// are virtual and carry none, so only the database's relations appear.

// registerInfoschemaPrivileges adds this file's relations and functions to the engine's
// registries (registry.go calls it).
func registerInfoschemaPrivileges() {
	cols := []vcol{
		{"grantor", isIdent}, {"grantee", isIdent}, {"table_catalog", isIdent},
		{"table_schema", isIdent}, {"table_name", isIdent}, {"privilege_type", isChars},
		{"is_grantable", isYesNo}, {"with_hierarchy", isYesNo},
	}
	for _, name := range []string{"table_privileges", "role_table_grants"} {
		roleGrants := name == "role_table_grants"
		registerVirtualTable(&virtualTable{schema: "information_schema", name: name, cols: cols,
			rows: func(ec *execCtx) ([]exec.Row, error) { return tablePrivilegeRows(ec, roleGrants) }})
	}
}

func tablePrivilegeRows(ec *execCtx, roleGrants bool) ([]exec.Row, error) {
	s, err := loadPGSnapshot(ec)
	if err != nil {
		return nil, err
	}
	g := newRoleGraph(ec.Context, ec.Catalog)
	// enabled is pg_has_role(role, 'USAGE') for the current user.
	enabled := map[string]bool{}
	isEnabled := func(role string) (bool, error) {
		if v, ok := enabled[role]; ok {
			return v, nil
		}
		v, err := g.hasPrivsOf(ec.sess.user, role)
		enabled[role] = v
		return v, err
	}
	yesNo := func(b bool) string {
		if b {
			return "YES"
		}
		return "NO"
	}
	var out []exec.Row
	for _, t := range s.rels {
		if t.Kind != catalog.KindTable && t.Kind != catalog.KindView {
			continue
		}
		owner := t.Owner
		if owner == "" {
			owner = "postgres"
		}
		for _, it := range acl.OrDefault(t.Privileges(), acl.Table, owner) {
			grantee := it.Grantee
			if grantee == "" {
				grantee = "PUBLIC"
			}
			grantorOn, err := isEnabled(it.Grantor)
			if err != nil {
				return nil, err
			}
			granteeOn := false
			if it.Grantee != "" {
				if granteeOn, err = isEnabled(it.Grantee); err != nil {
					return nil, err
				}
			}
			if roleGrants && !grantorOn && !granteeOn {
				continue
			}
			if !roleGrants && !grantorOn && !granteeOn && it.Grantee != "" {
				continue
			}
			// The owner's privileges (and a superuser's) are grantable.
			ownerPrivs := false
			if it.Grantee != "" {
				if ownerPrivs, err = g.hasPrivsOf(it.Grantee, owner); err != nil {
					return nil, err
				}
			}
			for i, kw := range acl.Keywords {
				bit := acl.Mode(1) << i
				if it.Privs&bit == 0 || bit&acl.AllTable == 0 {
					continue
				}
				out = append(out, exec.Row{it.Grantor, grantee, s.dbName, t.Schema, t.Name, kw,
					yesNo(ownerPrivs || it.Grant&bit != 0), yesNo(bit == acl.Select)})
			}
		}
	}
	return out, nil
}

// infoRelVisible is information_schema's filter on tables and columns:
// the user has the privileges of the relation's owner or holds some
// privilege on it (column privileges do not exist here).
func infoRelVisible(ec *execCtx, g *roleGraph, t *catalog.Table) (bool, error) {
	if t.Temporary() {
		return true, nil
	}
	if ok, err := g.hasPrivsOf(ec.sess.user, t.Owner); err != nil || ok {
		return ok, err
	}
	have, err := g.aclMask(acl.OrDefault(t.Privileges(), catalog.ACLKind(t), t.Owner), ec.sess.user, "", acl.AllTable)
	if err == nil && have == 0 {
		have, err = g.predefinedPrivs(true, ec.sess.user, acl.AllTable)
	}
	return have != 0, err
}
