package sql

import (
	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/quorumdb/quorumdb/sql/acl"
	"github.com/quorumdb/quorumdb/sql/pgerror"
)

// onlyChangesOwner reports whether an ALTER TABLE/VIEW/SEQUENCE only sets
// the owner. pg_dump writes ALTER TABLE ... OWNER TO for views and
// sequences too, which PostgreSQL accepts for any relation.
func onlyChangesOwner(at *pg_query.AlterTableStmt) bool {
	for _, c := range at.Cmds {
		if c.GetAlterTableCmd().GetSubtype() != pg_query.AlterTableType_AT_ChangeOwner {
			return false
		}
	}
	return len(at.Cmds) > 0
}

func (b *builder) planAlterRelationOwner(at *pg_query.AlterTableStmt) (*stmtPlan, error) {
	tag := "ALTER TABLE"
	switch at.Objtype {
	case pg_query.ObjectType_OBJECT_VIEW:
		tag = "ALTER VIEW"
	case pg_query.ObjectType_OBJECT_SEQUENCE:
		tag = "ALTER SEQUENCE"
	case pg_query.ObjectType_OBJECT_TABLE:
	default:
		return nil, pgerror.New(pgerror.FeatureNotSupported, "ALTER %s is not supported", at.Objtype)
	}
	return tagOnly(tag, func(ec *execCtx) error {
		schema, err := b.relationSchema(at.Relation.Schemaname, at.Relation.Relname)
		if err != nil {
			return err
		}
		t, err := b.cat.TableByName(b.ctx, b.sess.dbID, schema, at.Relation.Relname)
		if err != nil {
			return err
		}
		if t == nil {
			if at.MissingOk {
				ec.AddNotice("relation \"" + at.Relation.Relname + "\" does not exist, skipping")
				return nil
			}
			return pgerror.New(pgerror.UndefinedTable, "relation %q does not exist", qualifiedName(at.Relation))
		}
		t = t.Clone()
		for _, c := range at.Cmds {
			owner, err := b.roleSpecName(c.GetAlterTableCmd().GetNewowner())
			if err != nil {
				return err
			}
			if err := b.checkAlterOwner(t, owner); err != nil {
				return err
			}
			t.SetPrivilegesIfSet(acl.NewOwner(t.Privileges(), t.Owner, owner))
			t.Owner = owner
		}
		return b.cat.WriteTable(b.ctx, t)
	}), nil
}

// roleSpecName resolves OWNER TO's role: a name that must exist, or
// CURRENT_USER/SESSION_USER/CURRENT_ROLE.
func (b *builder) roleSpecName(rs *pg_query.RoleSpec) (string, error) {
	switch rs.GetRoletype() {
	case pg_query.RoleSpecType_ROLESPEC_CSTRING:
	case pg_query.RoleSpecType_ROLESPEC_PUBLIC:
		return "", pgerror.New(pgerror.UndefinedObject, "role \"public\" does not exist")
	default:
		return b.sess.user, nil
	}
	r, err := b.cat.Role(b.ctx, rs.Rolename)
	if err != nil {
		return "", err
	}
	if r == nil {
		return "", pgerror.New(pgerror.UndefinedObject, "role %q does not exist", rs.Rolename)
	}
	return rs.Rolename, nil
}
