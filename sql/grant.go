package sql

import (
	"fmt"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/quorumdb/quorumdb/sql/acl"
	"github.com/quorumdb/quorumdb/sql/catalog"
	"github.com/quorumdb/quorumdb/sql/pgerror"
)

// GRANT and REVOKE of privileges on tables, views, sequences, schemas and
// databases (ExecuteGrantStmt). The grantor recorded is the object's
// owner when the current user has the owner's privileges (a superuser
// acts as the owner, as in PostgreSQL), else the current user, who can
// grant only what it holds WITH GRANT OPTION.

// grantTarget is one object a GRANT or REVOKE changes: its ACL and how
// to store it back.
type grantTarget struct {
	kind  acl.ObjectKind
	name  string
	owner string
	acl   []acl.Item
	store func(list []acl.Item) error
}

func (b *builder) planGrant(gs *pg_query.GrantStmt) (*stmtPlan, error) {
	tag := "GRANT"
	if !gs.IsGrant {
		tag = "REVOKE"
	}
	return tagOnly(tag, func(ec *execCtx) error {
		targets, err := b.grantTargets(gs)
		if err != nil {
			return err
		}
		var grantees []string
		for _, g := range gs.Grantees {
			rs := g.GetRoleSpec()
			if rs.GetRoletype() == pg_query.RoleSpecType_ROLESPEC_PUBLIC {
				if gs.IsGrant && gs.GrantOption {
					return pgerror.New(invalidGrantOperation, "grant options can only be granted to roles")
				}
				grantees = append(grantees, "")
				continue
			}
			name, err := b.roleSpecName(rs)
			if err != nil {
				return err
			}
			grantees = append(grantees, name)
		}
		for _, t := range targets {
			if err := b.grantOn(ec, gs, t, grantees); err != nil {
				return err
			}
		}
		return nil
	}), nil
}

// grantPrivileges is the statement's privilege list for an object of
// kind k: ALL (every privilege the kind has) or the named ones, which
// must apply to it.
func grantPrivileges(gs *pg_query.GrantStmt, k acl.ObjectKind, name string, ec *execCtx) (acl.Mode, bool, error) {
	if len(gs.Privileges) == 0 {
		return k.All(), true, nil
	}
	var m acl.Mode
	for _, p := range gs.Privileges {
		ap := p.GetAccessPriv()
		if len(ap.Cols) > 0 {
			return 0, false, unsupported("column privileges")
		}
		bit, ok := acl.Names[strings.ToLower(ap.PrivName)]
		if !ok {
			return 0, false, pgerror.New(pgerror.SyntaxError, "unrecognized privilege type %q", ap.PrivName)
		}
		m |= bit
	}
	if m&^k.All() != 0 {
		if k == acl.Sequence && gs.Objtype == pg_query.ObjectType_OBJECT_TABLE {
			// GRANT ... ON TABLE naming a sequence: PostgreSQL warns and
			// grants what a sequence has.
			ec.Notices = append(ec.Notices, &pgerror.Error{Severity: "WARNING", Code: pgerror.Warning,
				Message: fmt.Sprintf("sequence %q only supports USAGE, SELECT, and UPDATE privileges", name)})
			return m & k.All(), false, nil
		}
		for i := 0; i < len(acl.Keywords); i++ {
			if bit := acl.Mode(1) << i; m&bit != 0 && k.All()&bit == 0 {
				return 0, false, pgerror.New(invalidGrantOperation, "invalid privilege type %s for %s", acl.Keywords[i], k.Noun())
			}
		}
	}
	return m, false, nil
}

func (b *builder) grantOn(ec *execCtx, gs *pg_query.GrantStmt, t grantTarget, grantees []string) error {
	privs, all, err := grantPrivileges(gs, t.kind, t.name, ec)
	if err != nil {
		return err
	}
	g := b.roleGraph()
	list := t.acl
	owner := t.owner
	if owner == catalog.PgDatabaseOwner {
		if owner, err = b.dbOwner(); err != nil {
			return err
		}
	}
	grantor := b.sess.user
	options := ^acl.Mode(0)
	if own, err := g.hasPrivsOf(b.sess.user, owner); err != nil {
		return err
	} else if own {
		grantor = t.owner
	} else {
		if options, err = g.grantOptions(list, b.sess.user, owner); err != nil {
			return err
		}
		if options&privs == 0 {
			held, err := g.aclMask(list, b.sess.user, owner, t.kind.All())
			if err != nil {
				return err
			}
			if held == 0 {
				return permissionDenied(t.kind, t.name)
			}
		}
	}
	this := privs & options
	warn := func(format string) {
		ec.Notices = append(ec.Notices, &pgerror.Error{Severity: "WARNING", Code: "01007", Message: fmt.Sprintf(format, t.name)})
	}
	switch {
	case this == 0 && gs.IsGrant:
		warn("no privileges were granted for %q")
	case this == 0:
		warn("no privileges could be revoked for %q")
	case !all && this != privs && gs.IsGrant:
		warn("not all privileges were granted for %q")
	case !all && this != privs:
		warn("not all privileges could be revoked for %q")
	}
	if this == 0 {
		return nil
	}
	for _, grantee := range grantees {
		if !gs.IsGrant && gs.Behavior != pg_query.DropBehavior_DROP_CASCADE && grantee != "" &&
			acl.RevokeDependents(list, grantee, grantor, this) {
			return pgerror.New(pgerror.DependentObjectsStillExist, "dependent privileges exist").
				WithHint("Use CASCADE to revoke them too.")
		}
		if gs.IsGrant {
			list = acl.Grant(list, grantee, grantor, this, gs.GrantOption)
		} else {
			list = acl.Revoke(list, grantee, grantor, this, gs.GrantOption)
		}
	}
	return t.store(list)
}

// grantTargets resolves the statement's objects.
func (b *builder) grantTargets(gs *pg_query.GrantStmt) ([]grantTarget, error) {
	var out []grantTarget
	switch gs.Objtype {
	case pg_query.ObjectType_OBJECT_TABLE, pg_query.ObjectType_OBJECT_SEQUENCE:
		if gs.Targtype == pg_query.GrantTargetType_ACL_TARGET_ALL_IN_SCHEMA {
			all, err := b.cat.Tables(b.ctx, b.sess.dbID)
			if err != nil {
				return nil, err
			}
			for _, o := range gs.Objects {
				schema := o.GetString_().GetSval()
				if _, err := b.schemaFor(schema); err != nil {
					return nil, err
				}
				for _, t := range all {
					isSeq := t.Kind == catalog.KindSequence
					if t.Schema == schema && isSeq == (gs.Objtype == pg_query.ObjectType_OBJECT_SEQUENCE) {
						out = append(out, b.relGrantTarget(t))
					}
				}
			}
			return out, nil
		}
		if gs.Targtype != pg_query.GrantTargetType_ACL_TARGET_OBJECT {
			return nil, unsupported("ALTER DEFAULT PRIVILEGES")
		}
		for _, o := range gs.Objects {
			rv := o.GetRangeVar()
			schema, err := b.relationSchema(rv.Schemaname, rv.Relname)
			if err != nil {
				return nil, err
			}
			t, err := b.cat.TableByName(b.ctx, b.sess.dbID, schema, rv.Relname)
			if err != nil {
				return nil, err
			}
			if t == nil {
				return nil, pgerror.New(pgerror.UndefinedTable, "relation %q does not exist", qualifiedName(rv))
			}
			if gs.Objtype == pg_query.ObjectType_OBJECT_SEQUENCE && t.Kind != catalog.KindSequence {
				return nil, pgerror.New(pgerror.WrongObjectType, "%q is not a sequence", rv.Relname)
			}
			out = append(out, b.relGrantTarget(t))
		}
	case pg_query.ObjectType_OBJECT_SCHEMA:
		for _, o := range gs.Objects {
			name := o.GetString_().GetSval()
			schemas, err := b.cat.Schemas(b.ctx, b.sess.dbID)
			if err != nil {
				return nil, err
			}
			if _, ok := schemas[name]; !ok {
				return nil, pgerror.New(pgerror.InvalidSchemaName, "schema %q does not exist", name)
			}
			m, err := b.cat.SchemaMeta(b.ctx, b.sess.dbID, name)
			if err != nil {
				return nil, err
			}
			out = append(out, grantTarget{kind: acl.Schema, name: name, owner: m.Owner, acl: m.ACL, store: func(list []acl.Item) error {
				m.ACL, m.ACLSet = list, true
				return b.cat.PutSchemaMeta(b.ctx, b.sess.dbID, name, m)
			}})
		}
	case pg_query.ObjectType_OBJECT_DATABASE:
		for _, o := range gs.Objects {
			name := o.GetString_().GetSval()
			d, err := b.cat.Database(b.ctx, name)
			if err != nil {
				return nil, err
			}
			if d == nil {
				return nil, pgerror.New(pgerror.InvalidCatalogName, "database %q does not exist", name)
			}
			out = append(out, grantTarget{kind: acl.Database, name: name, owner: d.Owner, acl: acl.OrDefault(d.Privileges(), acl.Database, d.Owner), store: func(list []acl.Item) error {
				d.SetPrivileges(list)
				b.cat.Changes.RecordName(KindDatabase, name)
				return b.cat.PutJSON(b.ctx, catalog.DatabaseKey(name), d)
			}})
		}
	default:
		return nil, pgerror.New(pgerror.FeatureNotSupported, "GRANT on %s is not supported", strings.TrimPrefix(gs.Objtype.String(), "OBJECT_"))
	}
	return out, nil
}

func (b *builder) relGrantTarget(t *catalog.Table) grantTarget {
	k := catalog.ACLKind(t)
	return grantTarget{kind: k, name: t.Name, owner: t.Owner, acl: acl.OrDefault(t.Privileges(), k, t.Owner), store: func(list []acl.Item) error {
		c := t.Clone()
		c.SetPrivileges(list)
		return b.cat.WriteTable(b.ctx, c)
	}}
}
