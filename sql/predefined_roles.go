package sql

import "github.com/quorumdb/quorumdb/sql/acl"

// predefinedPrivs are the privileges of want that pg_read_all_data and
// pg_write_all_data give role whatever the ACL says, as PostgreSQL 15's
// pg_class_aclmask and pg_namespace_aclmask add them: SELECT, and
// INSERT, UPDATE, DELETE, on every relation (sequences included), USAGE
// on every schema (relation false).
func (g *roleGraph) predefinedPrivs(relation bool, role string, want acl.Mode) (acl.Mode, error) {
	read, err := g.hasPrivsOf(role, "pg_read_all_data")
	if err != nil {
		return 0, err
	}
	write, err := g.hasPrivsOf(role, "pg_write_all_data")
	if err != nil {
		return 0, err
	}
	var have acl.Mode
	switch {
	case !relation:
		if read || write {
			have |= acl.Usage
		}
	default:
		if read {
			have |= acl.Select
		}
		if write {
			have |= acl.Insert | acl.Update | acl.Delete
		}
	}
	return have & want, nil
}
