package sql

// PostgreSQL 15's predefined roles, with their fixed oids and the
// memberships initdb makes (pg_monitor is a member of the three roles
// whose privileges it bundles). They are not stored: the catalog answers
// them (catalog.role, catalog.roles) unless a record of the same name
// was stored, which happens when one is granted membership in another
// role. Nobody logs in as them, creates, alters or drops them, as in
// PostgreSQL. Of the privileges PostgreSQL ties to them, those of
// pg_read_all_data and pg_write_all_data are given (predefinedPrivs);
// the others (pg_monitor's, pg_signal_backend's, ...) are not.
var predefinedRoles = []roleDesc{
	{OID: 6171, Name: pgDatabaseOwner},
	{OID: 6181, Name: "pg_read_all_data"},
	{OID: 6182, Name: "pg_write_all_data"},
	{OID: 3373, Name: "pg_monitor", MemberOf: []roleGrant{
		{Role: "pg_read_all_settings", Grantor: "postgres"},
		{Role: "pg_read_all_stats", Grantor: "postgres"},
		{Role: "pg_stat_scan_tables", Grantor: "postgres"},
	}},
	{OID: 3374, Name: "pg_read_all_settings"},
	{OID: 3375, Name: "pg_read_all_stats"},
	{OID: 3377, Name: "pg_stat_scan_tables"},
	{OID: 4569, Name: "pg_read_server_files"},
	{OID: 4570, Name: "pg_write_server_files"},
	{OID: 4571, Name: "pg_execute_server_program"},
	{OID: 4200, Name: "pg_signal_backend"},
	{OID: 4544, Name: "pg_checkpoint"},
}

// predefinedRole returns a copy of the predefined role called name, nil
// when there is none.
func predefinedRole(name string) *roleDesc {
	for i := range predefinedRoles {
		if predefinedRoles[i].Name == name {
			return cloneRole(&predefinedRoles[i])
		}
	}
	return nil
}

// isReservedRoleName is PostgreSQL's IsReservedName: role names starting
// with pg_ belong to the system.
func isReservedRoleName(name string) bool {
	return len(name) >= 3 && name[:3] == "pg_"
}

// withPredefinedRoles adds to the stored roles the predefined ones not
// among them.
func withPredefinedRoles(stored []roleDesc) []roleDesc {
	have := make(map[string]bool, len(stored))
	for _, r := range stored {
		have[r.Name] = true
	}
	for i := range predefinedRoles {
		if !have[predefinedRoles[i].Name] {
			stored = append(stored, *cloneRole(&predefinedRoles[i]))
		}
	}
	return stored
}

// predefinedPrivs are the privileges of want that pg_read_all_data and
// pg_write_all_data give role whatever the ACL says, as PostgreSQL 15's
// pg_class_aclmask and pg_namespace_aclmask add them: SELECT, and
// INSERT, UPDATE, DELETE, on every relation (sequences included), USAGE
// on every schema (relation false).
func (g *roleGraph) predefinedPrivs(relation bool, role string, want aclMode) (aclMode, error) {
	read, err := g.hasPrivsOf(role, "pg_read_all_data")
	if err != nil {
		return 0, err
	}
	write, err := g.hasPrivsOf(role, "pg_write_all_data")
	if err != nil {
		return 0, err
	}
	var have aclMode
	switch {
	case !relation:
		if read || write {
			have |= privUsage
		}
	default:
		if read {
			have |= privSelect
		}
		if write {
			have |= privInsert | privUpdate | privDelete
		}
	}
	return have & want, nil
}
