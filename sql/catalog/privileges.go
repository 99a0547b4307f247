package catalog

import "github.com/quorumdb/quorumdb/sql/acl"

// Privileges returns the relation's stored ACL, nil when it has the default.
func (t *Table) Privileges() []acl.Item {
	if !t.ACLSet {
		return nil
	}
	if t.ACL == nil {
		return []acl.Item{}
	}
	return t.ACL
}

// SetPrivileges stores the table's ACL (GRANT, REVOKE, owner changes).
func (t *Table) SetPrivileges(list []acl.Item) {
	t.ACL, t.ACLSet = list, true
}

// Privileges is the database's ACL: nil while never granted or revoked
// (the default applies), else the stored list.
func (d *Database) Privileges() []acl.Item {
	if !d.ACLSet {
		return nil
	}
	if d.ACL == nil {
		return []acl.Item{}
	}
	return d.ACL
}

// SetPrivileges stores the database's ACL.
func (d *Database) SetPrivileges(list []acl.Item) {
	d.ACL, d.ACLSet = list, true
}

// SetPrivilegesIfSet stores list when the relation had an ACL of its own (a
// default ACL follows the owner by itself).
func (t *Table) SetPrivilegesIfSet(list []acl.Item) {
	if t.ACLSet {
		t.SetPrivileges(list)
	}
}

// ACLKind is the ACL kind of a relation descriptor.
func ACLKind(t *Table) acl.ObjectKind {
	switch t.Kind {
	case KindView:
		return acl.View
	case KindSequence:
		return acl.Sequence
	}
	return acl.Table
}
