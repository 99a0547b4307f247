package sql

import "sync"

// The engine's built-in relations (pg_catalog, information_schema and the
// cluster_* tables) and session functions are registered here, once,
// when the first Engine is built, in this order — not by init functions,
// whose order is that of the file names, so a renamed file would have
// reordered the registrations and renumbered the virtual tables' oids.
// The order matters twice: funcs_session makes the sessionFuncs map the
// later ones add to, and a later registration of a relation replaces an
// earlier one (pgdescription's pg_description and pg_shdescription
// replace the empty ones pgcatalog_misc declares). The list keeps the
// order the init functions had, so every oid stays as it was.
var registerOnce sync.Once

func registerBuiltins() {
	registerOnce.Do(func() {
		registerDefaultPrivileges()    // default_privileges.go
		registerEnumCatalog()          // enum_catalog.go
		registerFuncsSession()         // funcs_session.go
		registerFunctionPgproc()       // function_pgproc.go
		registerInfoschema()           // infoschema.go
		registerInfoschemaPrivileges() // infoschema_privileges.go
		registerInfoschemaRoles()      // infoschema_roles.go
		registerPartitions()           // partitions.go
		registerPgcatalog()            // pgcatalog.go
		registerPgcatalogFuncs()       // pgcatalog_funcs.go
		registerPgcatalogMisc()        // pgcatalog_misc.go
		registerPgcatalogTypes()       // pgcatalog_types.go
		registerPgdescription()        // pgdescription.go
		registerPgopclass()            // pgopclass.go
		registerPgstatTables()         // pgstat_tables.go
		registerPgstatssl()            // pgstatssl.go
		registerPrepareSql()           // prepare_sql.go
		registerPrivilegeFuncs()       // privilege_funcs.go
		registerRegtypes()             // regtypes.go
		registerReplication()          // replication.go
		registerVtable()               // vtable.go
	})
}
