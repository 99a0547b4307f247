// Package acl is PostgreSQL's privilege model as data: a privilege set
// (Mode, one bit per privilege in PostgreSQL's order), an access control
// list entry (Item, aclitem: grantee, grantor, privileges and grant
// options), the default list of each kind of object (acldefault), and the
// list edits GRANT, REVOKE and a change of owner make (aclupdate,
// aclnewowner). It decides nothing about who may do what: the catalog
// stores the lists on its descriptors, and the SQL layer's privilege
// checks (sql/privileges.go) read them with the role graph.
//
// The parts, by file:
//
//	acl.go    Mode and its bits, Item and its text form, ObjectKind,
//	          Default, OrDefault, Grant, Revoke, NewOwner, Mentions,
//	          RevokeDependents
package acl
