package catalog

// PostgreSQL 15's predefined roles, with their fixed oids and the
// memberships initdb makes (pg_monitor is a member of the three roles
// whose privileges it bundles). They are not stored: the catalog answers
// them (Txn.Role, Txn.Roles) unless a record of the same name
// was stored, which happens when one is granted membership in another
// role. Nobody logs in as them, creates, alters or drops them, as in
// PostgreSQL. Of the privileges PostgreSQL ties to them, those of
// pg_read_all_data and pg_write_all_data are given (predefinedPrivs);
// the others (pg_monitor's, pg_signal_backend's, ...) are not.
var PredefinedRoles = []Role{
	{OID: 6171, Name: PgDatabaseOwner},
	{OID: 6181, Name: "pg_read_all_data"},
	{OID: 6182, Name: "pg_write_all_data"},
	{OID: 3373, Name: "pg_monitor", MemberOf: []RoleGrant{
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

// PredefinedRole returns a copy of the predefined role called name, nil
// when there is none.
func PredefinedRole(name string) *Role {
	for i := range PredefinedRoles {
		if PredefinedRoles[i].Name == name {
			return CloneRole(&PredefinedRoles[i])
		}
	}
	return nil
}

// IsReservedRoleName is PostgreSQL's IsReservedName: role names starting
// with pg_ belong to the system.
func IsReservedRoleName(name string) bool {
	return len(name) >= 3 && name[:3] == "pg_"
}

// WithPredefinedRoles adds to the stored roles the predefined ones not
// among them.
func WithPredefinedRoles(stored []Role) []Role {
	have := make(map[string]bool, len(stored))
	for _, r := range stored {
		have[r.Name] = true
	}
	for i := range PredefinedRoles {
		if !have[PredefinedRoles[i].Name] {
			stored = append(stored, *CloneRole(&PredefinedRoles[i]))
		}
	}
	return stored
}

// CloneRole is a copy of r with its own membership list, to modify.
func CloneRole(r *Role) *Role {
	c := *r
	c.MemberOf = append([]RoleGrant(nil), r.MemberOf...)
	return &c
}
