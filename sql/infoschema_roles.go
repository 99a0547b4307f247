package sql

import (
	"sort"

	"github.com/quorumdb/quorumdb/sql/acl"
	"github.com/quorumdb/quorumdb/sql/catalog"
	"github.com/quorumdb/quorumdb/sql/exec"
)

// information_schema.enabled_roles and applicable_roles, as PostgreSQL 15
// defines them: the roles whose privileges the current user has (itself,
// those it inherits; every role for a superuser), and the memberships of
// those roles (the database owner's implicit one in pg_database_owner
// included).

// registerInfoschemaRoles adds this file's relations and functions to the engine's
// registries (registry.go calls it).
func registerInfoschemaRoles() {
	registerVirtualTable(&virtualTable{schema: "information_schema", name: "enabled_roles",
		cols: []vcol{{"role_name", isIdent}}, rows: enabledRolesRows})
	registerVirtualTable(&virtualTable{schema: "information_schema", name: "applicable_roles",
		cols: []vcol{{"grantee", isIdent}, {"role_name", isIdent}, {"is_grantable", isYesNo}},
		rows: applicableRolesRows})
}

// enabledRoles is pg_has_role(role, 'USAGE') for every role, in name
// order.
func enabledRoles(ec *execCtx) ([]catalog.Role, error) {
	roles, err := ec.Catalog.Roles(ec.Context)
	if err != nil {
		return nil, err
	}
	g := newRoleGraph(ec.Context, ec.Catalog)
	var out []catalog.Role
	for _, r := range roles {
		ok, err := g.hasPrivsOf(ec.sess.user, r.Name)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

func enabledRolesRows(ec *execCtx) ([]exec.Row, error) {
	roles, err := enabledRoles(ec)
	if err != nil {
		return nil, err
	}
	out := make([]exec.Row, 0, len(roles))
	for _, r := range roles {
		out = append(out, exec.Row{r.Name})
	}
	return out, nil
}

func applicableRolesRows(ec *execCtx) ([]exec.Row, error) {
	roles, err := enabledRoles(ec)
	if err != nil {
		return nil, err
	}
	d, err := ec.Catalog.Database(ec.Context, ec.sess.dbName)
	if err != nil {
		return nil, err
	}
	var out []exec.Row
	for _, r := range roles {
		for _, m := range r.MemberOf {
			out = append(out, exec.Row{r.Name, m.Role, map[bool]string{true: "YES", false: "NO"}[m.Admin]})
		}
		if d != nil && d.Owner == r.Name {
			out = append(out, exec.Row{r.Name, catalog.PgDatabaseOwner, "NO"})
		}
	}
	return out, nil
}

// schemataOwner is information_schema.schemata's schema_owner for schema
// n, and whether the current user sees the row: PostgreSQL 15 shows the
// schemas whose owner's privileges the user has, or on which it holds
// USAGE or CREATE.
func schemataOwner(ec *execCtx, s *pgSnapshot, n string) (string, bool, error) {
	if catalog.IsTempSchemaName(n) || n == "quorumdb" {
		return "postgres", true, nil
	}
	m, err := ec.Catalog.SchemaMeta(ec.Context, ec.sess.dbID, n)
	if err != nil {
		return "", false, err
	}
	g := newRoleGraph(ec.Context, ec.Catalog)
	owner := m.Owner
	if owner == catalog.PgDatabaseOwner {
		if d, err := ec.Catalog.Database(ec.Context, ec.sess.dbName); err != nil {
			return "", false, err
		} else if d != nil {
			owner = d.Owner
		}
	}
	if ok, err := g.hasPrivsOf(ec.sess.user, owner); err != nil || ok {
		return m.Owner, ok, err
	}
	have, err := g.aclMask(m.ACL, ec.sess.user, owner, acl.AllSchema)
	if err == nil && have == 0 {
		have, err = g.predefinedPrivs(false, ec.sess.user, acl.AllSchema)
	}
	return m.Owner, have != 0, err
}
