package sql

import (
	"strconv"
	"strings"

	"github.com/quorumdb/quorumdb/sql/acl"
	"github.com/quorumdb/quorumdb/sql/catalog"
	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// The catalog side of privileges: has_table_privilege() and friends,
// pg_has_role(), pg_namespace's owner and nspacl, pg_auth_members.

// registerPrivilegeFuncs adds this file's relations and functions to the engine's
// registries (registry.go calls it).
func registerPrivilegeFuncs() {
	text, b := types.Text, types.Bool
	def := func(kind string) *sessionFuncDef {
		return &sessionFuncDef{minArgs: 2, maxArgs: 3, argTypes: []types.T{text, text, text}, ret: b,
			fn: func(ec *execCtx, args []types.Datum) (types.Datum, error) { return hasPrivilege(ec, kind, args) }}
	}
	sessionFuncs["has_table_privilege"] = def("table")
	sessionFuncs["has_sequence_privilege"] = def("sequence")
	sessionFuncs["has_schema_privilege"] = def("schema")
	sessionFuncs["has_database_privilege"] = def("database")
	sessionFuncs["pg_has_role"] = def("role")
	sessionFuncs["acldefault"] = &sessionFuncDef{minArgs: 2, maxArgs: 2, argTypes: []types.T{types.Char, types.OidT}, ret: pgACL, fn: aclDefaultFunc}

	registerVirtualTable(&virtualTable{schema: "pg_catalog", name: "pg_auth_members", oid: 1261, cols: []vcol{
		{"roleid", pgOid}, {"member", pgOid}, {"grantor", pgOid}, {"admin_option", pgBool},
	}, rows: pgAuthMembersRows})
}

// roleArg resolves a role given by name or oid.
func roleArg(ec *execCtx, v string) (string, error) {
	if strings.EqualFold(v, "public") {
		return "", nil
	}
	if id, err := strconv.ParseInt(v, 10, 64); err == nil {
		roles, err := ec.Catalog.Roles(ec.Context)
		if err != nil {
			return "", err
		}
		for _, r := range roles {
			if int64(r.OID) == id {
				return r.Name, nil
			}
		}
		return "", pgerror.New(pgerror.UndefinedObject, "role with OID %d does not exist", id)
	}
	r, err := ec.Catalog.Role(ec.Context, v)
	if err != nil {
		return "", err
	}
	if r == nil {
		return "", pgerror.New(pgerror.UndefinedObject, "role %q does not exist", v)
	}
	return v, nil
}

// privList parses has_*_privilege's privilege text: a comma-separated
// list, each optionally WITH GRANT OPTION; true if any is held.
func privList(s string, allowed acl.Mode, roleMode bool) ([]acl.Mode, []bool, error) {
	var privs []acl.Mode
	var grant []bool
	for _, p := range strings.Split(s, ",") {
		p = strings.ToLower(strings.TrimSpace(p))
		g := false
		if strings.HasSuffix(p, " with grant option") {
			p, g = strings.TrimSpace(strings.TrimSuffix(p, " with grant option")), true
		}
		if strings.HasSuffix(p, " with admin option") && roleMode {
			p, g = strings.TrimSpace(strings.TrimSuffix(p, " with admin option")), true
		}
		var bit acl.Mode
		switch {
		case roleMode && (p == "member" || p == "usage" || p == "set"):
			bit = map[string]acl.Mode{"member": acl.Create, "usage": acl.Usage, "set": acl.Select}[p]
		case !roleMode:
			bit = acl.Names[p]
		}
		if bit == 0 || (!roleMode && bit&allowed == 0) {
			return nil, nil, pgerror.New(pgerror.InvalidParameterValue, "unrecognized privilege type: %q", p)
		}
		privs = append(privs, bit)
		grant = append(grant, g)
	}
	return privs, grant, nil
}

func hasPrivilege(ec *execCtx, kind string, args []types.Datum) (types.Datum, error) {
	for _, a := range args {
		if a == nil {
			return nil, nil
		}
	}
	user := ec.sess.user
	if len(args) == 3 {
		var err error
		if user, err = roleArg(ec, args[0].(string)); err != nil {
			return nil, err
		}
		args = args[1:]
	}
	obj, privText := args[0].(string), args[1].(string)
	g := newRoleGraph(ec.Context, ec.Catalog)
	b := &builder{ctx: ec.Context, sess: ec.sess, cat: ec.Catalog}
	var list []acl.Item
	var owner, dbOwner string
	var allowed acl.Mode
	switch kind {
	case "role":
		target, err := roleArg(ec, obj)
		if err != nil {
			return nil, err
		}
		privs, grant, err := privList(privText, 0, true)
		if err != nil {
			return nil, err
		}
		for i, p := range privs {
			var ok bool
			switch {
			case grant[i]:
				ok, err = g.isAdminOf(user, target)
			case p == acl.Usage:
				ok, err = g.hasPrivsOf(user, target)
			default:
				ok, err = g.isMemberOf(user, target)
			}
			if err != nil || ok {
				return ok, err
			}
		}
		return false, nil
	case "table", "sequence":
		id, err := b.resolveRegclass(obj)
		if err != nil {
			return nil, err
		}
		t, err := ec.Catalog.TableByID(ec.Context, uint32(id))
		if err != nil {
			return nil, err
		}
		if t == nil {
			// System catalogs: readable by everyone.
			return !strings.Contains(strings.ToLower(privText), "insert") && !strings.Contains(strings.ToLower(privText), "update") && !strings.Contains(strings.ToLower(privText), "delete"), nil
		}
		k := catalog.ACLKind(t)
		if kind == "sequence" && k != acl.Sequence {
			return nil, pgerror.New(pgerror.WrongObjectType, "%q is not a sequence", obj)
		}
		list, owner, allowed = acl.OrDefault(t.Privileges(), k, t.Owner), t.Owner, k.All()
		if kind == "table" {
			allowed = acl.AllTable | acl.AllSequence
		}
	case "schema":
		m, err := ec.Catalog.SchemaMeta(ec.Context, ec.sess.dbID, obj)
		if err != nil {
			return nil, err
		}
		schemas, err := ec.Catalog.Schemas(ec.Context, ec.sess.dbID)
		if err != nil {
			return nil, err
		}
		if _, ok := schemas[obj]; !ok {
			return nil, pgerror.New(pgerror.InvalidSchemaName, "schema %q does not exist", obj)
		}
		list, owner, allowed = m.ACL, m.Owner, acl.AllSchema
		if dbOwner, err = b.dbOwner(); err != nil {
			return nil, err
		}
	case "database":
		d, err := ec.Catalog.Database(ec.Context, obj)
		if err != nil {
			return nil, err
		}
		if d == nil {
			return nil, pgerror.New(pgerror.InvalidCatalogName, "database %q does not exist", obj)
		}
		list, owner, allowed, dbOwner = acl.OrDefault(d.Privileges(), acl.Database, d.Owner), d.Owner, acl.AllDatabase, d.Owner
	}
	if owner == catalog.PgDatabaseOwner {
		owner = dbOwner
	}
	privs, grant, err := privList(privText, allowed, false)
	if err != nil {
		return nil, err
	}
	for i, p := range privs {
		if grant[i] {
			opts, err := g.grantOptions(list, user, owner)
			if err != nil {
				return nil, err
			}
			if su, _ := g.superuser(user); su || opts&p != 0 {
				return true, nil
			}
			continue
		}
		have, err := g.aclMask(list, user, dbOwner, p)
		if err != nil {
			return nil, err
		}
		if have == 0 && kind != "database" {
			if have, err = g.predefinedPrivs(kind != "schema", user, p); err != nil {
				return nil, err
			}
		}
		if have != 0 {
			return true, nil
		}
	}
	return false, nil
}

// namespaceACL is pg_namespace's nspowner and nspacl for schema n: the
// stored owner and ACL; NULL until a GRANT or REVOKE stored one.
func namespaceACL(ec *execCtx, s *pgSnapshot, n string) (int64, any, error) {
	if catalog.IsTempSchemaName(n) || n == "quorumdb" {
		return catalog.OIDPostgresRole, nil, nil
	}
	m, err := ec.Catalog.SchemaMeta(ec.Context, ec.sess.dbID, n)
	if err != nil {
		return 0, nil, err
	}
	owner := int64(catalog.OIDPostgresRole)
	if o := s.roleOID(m.Owner); o != 0 {
		owner = o
	}
	// The built-in schemas' defaults show as NULL too, so that pg_dump,
	// comparing nspacl with acldefault, dumps nothing for them.
	if !m.ACLSet {
		return owner, nil, nil
	}
	return owner, aclDatum(m.ACL), nil
}

// aclDefaultFunc is acldefault(objtype, owner): the ACL an object of
// that kind has before any GRANT (pg_dump compares it with the stored
// one to know what to dump).
func aclDefaultFunc(ec *execCtx, args []types.Datum) (types.Datum, error) {
	if args[0] == nil || args[1] == nil {
		return nil, nil
	}
	owner, err := roleArg(ec, strconv.FormatInt(args[1].(int64), 10))
	if err != nil {
		owner = "postgres"
	}
	switch args[0].(string) {
	case "r":
		return aclDatum(acl.Default(acl.Table, owner)), nil
	case "s":
		return aclDatum(acl.Default(acl.Sequence, owner)), nil
	case "n":
		return aclDatum(acl.Default(acl.Schema, owner)), nil
	case "d":
		return aclDatum(acl.Default(acl.Database, owner)), nil
	case "f", "p":
		return aclDatum([]acl.Item{{Grantor: owner, Privs: acl.Execute}, {Grantee: owner, Grantor: owner, Privs: acl.Execute}}), nil
	case "T", "l":
		return aclDatum([]acl.Item{{Grantor: owner, Privs: acl.Usage}, {Grantee: owner, Grantor: owner, Privs: acl.Usage}}), nil
	}
	return aclDatum([]acl.Item{{Grantee: owner, Grantor: owner}}), nil
}
