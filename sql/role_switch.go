package sql

import (
	"context"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/quorumdb/quorumdb/sql/catalog"
	"github.com/quorumdb/quorumdb/sql/pgerror"
)

// SET ROLE and SET SESSION AUTHORIZATION. The login's role is the
// session user until a superuser login changes it with SET SESSION
// AUTHORIZATION; the current user, whose privileges every check uses and
// who owns what is created, is the session user until SET ROLE names
// another role the session user is a member of. A switch in a
// transaction block is undone when the block rolls back (role_txn.go).

// sessionUser is session_user.
func (s *Session) sessionUser() string {
	if s.sessUser != "" {
		return s.sessUser
	}
	return s.params.User
}

// execRoleSwitch runs SET/RESET ROLE and SET/RESET SESSION
// AUTHORIZATION; ok is false for every other SET.
func (s *Session) execRoleSwitch(ctx context.Context, vs *pg_query.VariableSetStmt) (*result, bool, error) {
	name := strings.ToLower(vs.Name)
	if name != "role" && name != "session_authorization" {
		return nil, false, nil
	}
	if vs.Kind == pg_query.VariableSetKind_VAR_RESET_ALL {
		return nil, false, nil
	}
	target := ""
	if vs.Kind == pg_query.VariableSetKind_VAR_SET_VALUE && len(vs.Args) > 0 {
		target = setArgString(vs.Args[0])
	}
	if name == "role" && strings.EqualFold(target, "none") {
		target = ""
	}
	tag := "SET"
	if vs.Kind == pg_query.VariableSetKind_VAR_RESET {
		tag = "RESET"
	}
	prev := s.currentRoleState()
	var su bool
	err := s.engine.loginRead(ctx, func(ctx context.Context, c *catalog.Txn) error {
		g := newRoleGraph(ctx, c)
		if target != "" {
			r, err := g.role(target)
			if err != nil {
				return err
			}
			if r == nil {
				return pgerror.New(pgerror.UndefinedObject, "role %q does not exist", target)
			}
		}
		if name == "session_authorization" {
			if target != "" && target != s.params.User {
				ok, err := g.superuser(s.params.User)
				if err != nil {
					return err
				}
				if !ok {
					return pgerror.New(pgerror.InsufficientPrivilege, "permission denied to set session authorization %q", target)
				}
			}
			s.sessUser = target
			s.user = s.sessionUser()
		} else {
			if target == "" {
				target = s.sessionUser()
			}
			ok, err := g.isMemberOf(s.sessionUser(), target)
			if err != nil {
				return err
			}
			if !ok {
				return pgerror.New(pgerror.InsufficientPrivilege, "permission denied to set role %q", target)
			}
			s.user = target
		}
		var err error
		su, err = g.superuser(s.user)
		return err
	})
	if err != nil {
		return nil, true, err
	}
	s.applyRoleState(roleState{user: s.user, sessUser: s.sessUser, superuser: su})
	switch {
	case s.state == txnOpen:
		s.noteRoleSwitch(prev, vs.IsLocal)
	case vs.IsLocal:
		// Outside a block SET LOCAL lasts for its own statement only.
		s.applyRoleState(prev)
		return &result{tag: tag, notice: &pgerror.Error{Severity: "WARNING", Code: pgerror.NoActiveSQLTransaction,
			Message: "SET LOCAL can only be used in transaction blocks"}}, true, nil
	}
	return &result{tag: tag}, true, nil
}
