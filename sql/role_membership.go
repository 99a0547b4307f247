package sql

import (
	"fmt"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/quorumdb/quorumdb/sql/catalog"
	"github.com/quorumdb/quorumdb/sql/exec"
	"github.com/quorumdb/quorumdb/sql/pgerror"
)

// Role membership: GRANT role TO role [WITH ADMIN OPTION], REVOKE. A
// membership is stored on the member's catalog.Role (MemberOf), so that the
// privilege checks, which start from the current user, read only the
// roles on the way up; pg_auth_members lists them all.

// invalidGrantOperation is SQLSTATE 0LP01.
const invalidGrantOperation = "0LP01"

// hasCreateRole is have_createrole_privilege: CREATEROLE or superuser.
func (b *builder) hasCreateRole() (bool, error) {
	r, err := b.currentRoleDesc()
	if err != nil {
		return false, err
	}
	return r.Superuser || r.CreateRole, nil
}

// isAdminOf is is_admin_of_role: a superuser, or a role holding role WITH
// ADMIN OPTION directly or through the roles it is a member of.
func (g *roleGraph) isAdminOf(member, role string) (bool, error) {
	if su, err := g.superuser(member); err != nil || su {
		return su, err
	}
	c, err := g.closure(member, false)
	if err != nil {
		return false, err
	}
	for m := range c {
		r, err := g.role(m)
		if err != nil {
			return false, err
		}
		if r == nil {
			continue
		}
		for _, mg := range r.MemberOf {
			if mg.Role == role && mg.Admin {
				return true, nil
			}
		}
	}
	return false, nil
}

// checkRoleGrantable is the permission GRANT/REVOKE role needs: a
// superuser for a superuser role, else CREATEROLE or ADMIN OPTION on it.
func (b *builder) checkRoleGrantable(role *catalog.Role) error {
	g := b.roleGraph()
	if role.Superuser {
		su, err := g.superuser(b.sess.user)
		if err != nil {
			return err
		}
		if !su {
			return pgerror.New(pgerror.InsufficientPrivilege, "must be superuser to alter superusers")
		}
		return nil
	}
	cr, err := b.hasCreateRole()
	if err != nil || cr {
		return err
	}
	admin, err := g.isAdminOf(b.sess.user, role.Name)
	if err != nil {
		return err
	}
	if !admin {
		return pgerror.New(pgerror.InsufficientPrivilege, "must have admin option on role %q", role.Name)
	}
	return nil
}

func (b *builder) planGrantRole(gr *pg_query.GrantRoleStmt) (*stmtPlan, error) {
	tag := "GRANT ROLE"
	if !gr.IsGrant {
		tag = "REVOKE ROLE"
	}
	admin := false
	for _, o := range gr.Opt {
		// GRANT ... WITH ADMIN OPTION is admin=true; REVOKE ADMIN OPTION
		// FOR carries admin=false and revokes only the option.
		if de := o.GetDefElem(); de != nil && de.Defname == "admin" {
			admin = !gr.IsGrant || defElemString(de) != "false"
		}
	}
	return tagOnly(tag, func(ec *execCtx) error {
		g := b.roleGraph()
		for _, gn := range gr.GrantedRoles {
			name := gn.GetAccessPriv().GetPrivName()
			role, err := g.role(name)
			if err != nil {
				return err
			}
			if role == nil {
				return pgerror.New(pgerror.UndefinedObject, "role %q does not exist", name)
			}
			if err := b.checkRoleGrantable(role); err != nil {
				return err
			}
			for _, mn := range gr.GranteeRoles {
				mname, err := b.roleSpecName(mn.GetRoleSpec())
				if err != nil {
					return err
				}
				member, err := g.role(mname)
				if err != nil {
					return err
				}
				member = catalog.CloneRole(member)
				if gr.IsGrant {
					err = b.addMembership(ec, role, member, admin)
				} else {
					err = b.dropMembership(ec, role, member, admin)
				}
				if err != nil {
					return err
				}
				b.roles = nil // memberships changed
			}
		}
		return nil
	}), nil
}

func (b *builder) addMembership(ec *execCtx, role, member *catalog.Role, admin bool) error {
	// No cycles: role must not already be a member of member.
	inRole, err := b.roleGraph().closure(role.Name, false)
	if err != nil {
		return err
	}
	if inRole[member.Name] {
		return pgerror.New(invalidGrantOperation, "role %q is a member of role %q", role.Name, member.Name)
	}
	for i, m := range member.MemberOf {
		if m.Role != role.Name {
			continue
		}
		if !admin || m.Admin {
			ec.AddNotice(fmt.Sprintf("role %q is already a member of role %q", member.Name, role.Name))
			return nil
		}
		member.MemberOf[i].Admin = true
		return b.putRole(member)
	}
	member.MemberOf = append(member.MemberOf, catalog.RoleGrant{Role: role.Name, Admin: admin, Grantor: b.grantorOf()})
	return b.putRole(member)
}

func (b *builder) dropMembership(ec *execCtx, role, member *catalog.Role, adminOnly bool) error {
	for i, m := range member.MemberOf {
		if m.Role != role.Name {
			continue
		}
		if adminOnly {
			member.MemberOf[i].Admin = false
		} else {
			member.MemberOf = append(member.MemberOf[:i], member.MemberOf[i+1:]...)
		}
		return b.putRole(member)
	}
	ec.Notices = append(ec.Notices, &pgerror.Error{Severity: "WARNING", Code: pgerror.Warning,
		Message: fmt.Sprintf("role %q is not a member of role %q", member.Name, role.Name)})
	return nil
}

// grantorOf is the grantor recorded for a membership: the current user
// (PostgreSQL 15 records the bootstrap superuser for grants made by
// superusers).
func (b *builder) grantorOf() string {
	if su, _ := b.roleGraph().superuser(b.sess.user); su {
		return "postgres"
	}
	return b.sess.user
}

func (b *builder) putRole(r *catalog.Role) error {
	b.cat.Changes.RecordName(KindRole, r.Name)
	return b.cat.PutJSON(b.ctx, catalog.RoleKey(r.Name), r)
}

// pgAuthMembersRows lists every membership.
func pgAuthMembersRows(ec *execCtx) ([]exec.Row, error) {
	roles, err := ec.Catalog.Roles(ec.Context)
	if err != nil {
		return nil, err
	}
	oids := map[string]int64{}
	for _, r := range roles {
		oids[r.Name] = int64(r.OID)
	}
	var out []exec.Row
	for _, r := range roles {
		for _, m := range r.MemberOf {
			grantor, ok := oids[m.Grantor]
			if !ok {
				grantor = catalog.OIDPostgresRole
			}
			out = append(out, exec.Row{oids[m.Role], int64(r.OID), grantor, m.Admin})
		}
	}
	return out, nil
}

// addCreateRoleMembers applies CREATE ROLE's IN ROLE (the new role joins
// each listed role), ROLE and ADMIN (each listed role joins the new one,
// ADMIN with the admin option), with GRANT role's permission checks, as
// PostgreSQL's CreateRole does after storing the role.
func (b *builder) addCreateRoleMembers(ec *execCtx, created string, opts []*pg_query.Node) error {
	for _, o := range opts {
		de := o.GetDefElem()
		if de == nil || (de.Defname != "addroleto" && de.Defname != "rolemembers" && de.Defname != "adminmembers") {
			continue
		}
		for _, item := range de.Arg.GetList().GetItems() {
			name, err := b.roleSpecName(item.GetRoleSpec())
			if err != nil {
				return err
			}
			roleName, memberName := created, name
			if de.Defname == "addroleto" {
				roleName, memberName = name, created
			}
			b.roles = nil // the new role, or the previous item's membership
			g := b.roleGraph()
			role, err := g.role(roleName)
			if err != nil {
				return err
			}
			member, err := g.role(memberName)
			if err != nil {
				return err
			}
			if role == nil || member == nil {
				return pgerror.New(pgerror.UndefinedObject, "role %q does not exist", name)
			}
			if de.Defname == "addroleto" {
				if err := b.checkRoleGrantable(role); err != nil {
					return err
				}
			}
			if err := b.addMembership(ec, role, catalog.CloneRole(member), de.Defname == "adminmembers"); err != nil {
				return err
			}
		}
	}
	b.roles = nil
	return nil
}
