package sql

import (
	"context"

	"github.com/quorumdb/quorumdb/sql/acl"
	"github.com/quorumdb/quorumdb/sql/catalog"
	"github.com/quorumdb/quorumdb/sql/pgerror"
)

// Privilege checks, as PostgreSQL makes them. Every check reads the
// roles and descriptors through the statement's transaction, so a
// GRANT, REVOKE or role change committed by another session is seen by
// the next statement, and a prepared plan, which records those reads, is
// replanned (and rechecked) when one of them changes.

// roleGraph answers membership questions within one transaction.
type roleGraph struct {
	ctx   context.Context
	cat   *catalog.Txn
	roles map[string]*catalog.Role
}

func newRoleGraph(ctx context.Context, cat *catalog.Txn) *roleGraph {
	return &roleGraph{ctx: ctx, cat: cat, roles: map[string]*catalog.Role{}}
}

// role returns the named role, nil if it does not exist.
func (g *roleGraph) role(name string) (*catalog.Role, error) {
	if r, ok := g.roles[name]; ok {
		return r, nil
	}
	r, err := g.cat.Role(g.ctx, name)
	if err != nil {
		return nil, err
	}
	g.roles[name] = r
	return r, nil
}

func (g *roleGraph) superuser(name string) (bool, error) {
	r, err := g.role(name)
	return r != nil && r.Superuser, err
}

// closure is the set of roles name is a member of, directly or not,
// itself included. With privs, only the memberships of roles that
// INHERIT are followed (roles_is_member_of with ROLERECURSE_PRIVS): the
// roles whose privileges name has.
func (g *roleGraph) closure(name string, privs bool) (map[string]bool, error) {
	out := map[string]bool{name: true}
	queue := []string{name}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		r, err := g.role(n)
		if err != nil {
			return nil, err
		}
		if r == nil || (privs && r.NoInherit) {
			continue
		}
		for _, m := range r.MemberOf {
			if !out[m.Role] {
				out[m.Role] = true
				queue = append(queue, m.Role)
			}
		}
	}
	return out, nil
}

// hasPrivsOf is has_privs_of_role: member has role's privileges (itself,
// a superuser, or inheriting them through memberships).
func (g *roleGraph) hasPrivsOf(member, role string) (bool, error) {
	if member == role {
		return true, nil
	}
	if su, err := g.superuser(member); err != nil || su {
		return su, err
	}
	c, err := g.closure(member, true)
	return c[role], err
}

// isMemberOf is is_member_of_role: member may SET ROLE to role, whether
// or not it inherits its privileges.
func (g *roleGraph) isMemberOf(member, role string) (bool, error) {
	if member == role {
		return true, nil
	}
	if su, err := g.superuser(member); err != nil || su {
		return su, err
	}
	c, err := g.closure(member, false)
	return c[role], err
}

// aclMask is the privileges in want that role holds under acl: those
// granted to it, to PUBLIC or to roles whose privileges it inherits
// (pg_database_owner standing for dbOwner). A superuser holds all.
func (g *roleGraph) aclMask(list []acl.Item, role, dbOwner string, want acl.Mode) (acl.Mode, error) {
	if su, err := g.superuser(role); err != nil || su {
		return want, err
	}
	c, err := g.closure(role, true)
	if err != nil {
		return 0, err
	}
	var have acl.Mode
	for _, it := range list {
		if it.Grantee == "" || c[it.Grantee] || (it.Grantee == "pg_database_owner" && c[dbOwner]) {
			have |= it.Privs
		}
	}
	return have & want, nil
}

// grantOptions is the privileges role may grant: all of them for the
// owner (or a member inheriting its privileges), else those it holds
// WITH GRANT OPTION.
func (g *roleGraph) grantOptions(list []acl.Item, role, owner string) (acl.Mode, error) {
	if own, err := g.hasPrivsOf(role, owner); err != nil || own {
		return ^acl.Mode(0), err
	}
	c, err := g.closure(role, true)
	if err != nil {
		return 0, err
	}
	var have acl.Mode
	for _, it := range list {
		if it.Grantee == "" || c[it.Grantee] {
			have |= it.Grant
		}
	}
	return have, nil
}

// permissionDenied is aclcheck_error's ACLCHECK_NO_PRIV.
func permissionDenied(k acl.ObjectKind, name string) error {
	return pgerror.New(pgerror.InsufficientPrivilege, "permission denied for %s %s", k.Noun(), name)
}

// mustBeOwner is aclcheck_error's ACLCHECK_NOT_OWNER.
func mustBeOwner(k acl.ObjectKind, name string) error {
	return pgerror.New(pgerror.InsufficientPrivilege, "must be owner of %s %s", k.Noun(), name)
}

// currentRole is the role whose privileges the builder checks: the
// session's current user, or inside a view's query the view's owner
// (PostgreSQL checks a view's tables as its owner).
func (b *builder) currentRole() string {
	if b.privRole != "" {
		return b.privRole
	}
	return b.sess.user
}

func (b *builder) roleGraph() *roleGraph {
	if b.roles == nil || b.roles.cat != b.cat {
		b.roles = newRoleGraph(b.ctx, b.cat)
	}
	return b.roles
}

// checkRelPrivs refuses with 42501 unless the current role holds every
// privilege of want on relation t. Describing (Parse/Describe) checks
// nothing: PostgreSQL checks privileges when a statement executes.
func (b *builder) checkRelPrivs(t *catalog.Table, want acl.Mode) error {
	if b.describing || t.Temporary() {
		return nil
	}
	return b.checkRelPrivsAs(b.currentRole(), t, want)
}

func (b *builder) checkRelPrivsAs(role string, t *catalog.Table, want acl.Mode) error {
	k := catalog.ACLKind(t)
	have, err := b.roleGraph().aclMask(acl.OrDefault(t.Privileges(), k, t.Owner), role, "", want)
	if err != nil {
		return err
	}
	if have != want {
		extra, err := b.roleGraph().predefinedPrivs(true, role, want)
		if err != nil {
			return err
		}
		have |= extra
	}
	if have != want {
		return permissionDenied(k, t.Name)
	}
	return nil
}

// checkSequenceUse is nextval's, currval's and setval's check: any of
// want suffices (nextval: USAGE or UPDATE; currval: SELECT or USAGE;
// setval: UPDATE).
func checkSequenceUse(ec *execCtx, t *catalog.Table, want acl.Mode) error {
	if t.Temporary() {
		return nil
	}
	g := newRoleGraph(ec.Context, ec.Catalog)
	have, err := g.aclMask(acl.OrDefault(t.Privileges(), acl.Sequence, t.Owner), ec.sess.user, "", want)
	if err != nil {
		return err
	}
	if have == 0 {
		if have, err = g.predefinedPrivs(true, ec.sess.user, want); err != nil {
			return err
		}
	}
	if have == 0 {
		return permissionDenied(acl.Sequence, t.Name)
	}
	return nil
}

// checkOwner refuses with 42501 "must be owner of ..." unless the
// current user has the privileges of t's owner (or is a superuser):
// ALTER, DROP, CREATE INDEX, COMMENT, GRANT's owner rights.
func (b *builder) checkOwner(t *catalog.Table) error {
	if t.Temporary() {
		return nil
	}
	own, err := b.roleGraph().hasPrivsOf(b.sess.user, t.Owner)
	if err != nil {
		return err
	}
	if !own {
		return mustBeOwner(catalog.ACLKind(t), t.Name)
	}
	return nil
}

// checkDatabasePrivs refuses unless the current user holds want on the
// session's database.
func (b *builder) checkDatabasePrivs(want acl.Mode) error {
	d, err := b.cat.Database(b.ctx, b.sess.dbName)
	if err != nil || d == nil {
		return err
	}
	have, err := b.roleGraph().aclMask(acl.OrDefault(d.Privileges(), acl.Database, d.Owner), b.sess.user, d.Owner, want)
	if err != nil {
		return err
	}
	if have != want {
		return permissionDenied(acl.Database, d.Name)
	}
	return nil
}

// requireRoleAttr reads the current user's role for the attribute checks
// of CREATE DATABASE and role management.
func (b *builder) currentRoleDesc() (*catalog.Role, error) {
	r, err := b.roleGraph().role(b.sess.user)
	if err != nil {
		return nil, err
	}
	if r == nil {
		return &catalog.Role{Name: b.sess.user}, nil
	}
	return r, nil
}

// mayConnect is the CONNECT check at login. Without a catalog (a login
// from the cached credentials while the keyspace has no quorum) only
// grants to the role itself and to PUBLIC count.
func mayConnect(ctx context.Context, c *catalog.Txn, user string, db *catalog.Database) (bool, error) {
	list := acl.OrDefault(db.Privileges(), acl.Database, db.Owner)
	if c == nil {
		for _, it := range list {
			if (it.Grantee == "" || it.Grantee == user) && it.Privs&acl.Connect != 0 {
				return true, nil
			}
		}
		return false, nil
	}
	have, err := newRoleGraph(ctx, c).aclMask(list, user, db.Owner, acl.Connect)
	return have != 0, err
}
