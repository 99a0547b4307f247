package sql

// SET ROLE and SET SESSION AUTHORIZATION are transactional, as every SET
// is in PostgreSQL: made in a transaction block that rolls back, they are
// undone, as they are by ROLLBACK TO a savepoint set before them; SET
// LOCAL lasts until the block ends, commit or not. (Other settings are
// not transactional here yet.)

// roleState is what a role switch changes.
type roleState struct {
	user, sessUser string
	superuser      bool
}

// roleTxn is the role state a transaction block must restore: atBegin on
// rollback, committed (the last plain SET's) on commit.
type roleTxn struct {
	atBegin, committed roleState
}

func (s *Session) currentRoleState() roleState {
	return roleState{user: s.user, sessUser: s.sessUser, superuser: s.vars.values["is_superuser"] == "on"}
}

// noteRoleSwitch records a switch made from prev inside a transaction
// block, so that the block's end can undo it.
func (s *Session) noteRoleSwitch(prev roleState, local bool) {
	if s.roleTxn == nil {
		s.roleTxn = &roleTxn{atBegin: prev, committed: prev}
	}
	if !local {
		s.roleTxn.committed = s.currentRoleState()
	}
}

// endRoleTxn restores the role state at the end of a transaction block.
func (s *Session) endRoleTxn(committed bool) {
	rt := s.roleTxn
	s.roleTxn = nil
	if rt == nil {
		return
	}
	want := rt.atBegin
	if committed {
		want = rt.committed
	}
	if want != s.currentRoleState() {
		s.applyRoleState(want)
	}
}

// applyRoleState makes st the session's role state and reports it to
// the client as a switch does.
func (s *Session) applyRoleState(st roleState) {
	s.user, s.sessUser = st.user, st.sessUser
	s.vars.gen++ // plans were checked as the previous user
	s.vars.values["session_authorization"] = s.sessionUser()
	s.vars.values["is_superuser"] = map[bool]string{true: "on", false: "off"}[st.superuser]
	s.pendingStatus = append(s.pendingStatus,
		ParamStatus{Name: "session_authorization", Value: s.sessionUser()},
		ParamStatus{Name: "is_superuser", Value: s.vars.values["is_superuser"]})
}

// roleMark is the role state at a SAVEPOINT.
type roleMark struct {
	now roleState
	txn *roleTxn
}

func (s *Session) markRole() roleMark {
	m := roleMark{now: s.currentRoleState()}
	if s.roleTxn != nil {
		rt := *s.roleTxn
		m.txn = &rt
	}
	return m
}

// rollbackRole undoes the role switches made since the savepoint m.
func (s *Session) rollbackRole(m roleMark) {
	s.roleTxn = nil
	if m.txn != nil {
		rt := *m.txn
		s.roleTxn = &rt
	}
	if m.now != s.currentRoleState() {
		s.applyRoleState(m.now)
	}
}
