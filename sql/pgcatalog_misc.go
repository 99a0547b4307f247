package sql

import (
	"encoding/binary"
	"net"
	"regexp"
	"strconv"

	"github.com/quorumdb/quorumdb/sql/catalog"
	"github.com/quorumdb/quorumdb/sql/exec"
	"github.com/quorumdb/quorumdb/sql/kverror"
	"github.com/quorumdb/quorumdb/sql/password"
	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// The pg_catalog tables about the cluster rather than the database's
// relations (databases, roles, settings, sessions), the fixed ones
// (access methods, tablespaces, collations) and the views over
// relations (pg_tables, pg_indexes, pg_sequences).

// pgEmptyTables are catalogs quorumdb has no rows for (no inheritance,
// triggers, policies, publications, ...); they exist so that the tools'
// joins and subqueries over them run and find nothing.
var pgEmptyTables = []*virtualTable{
	{name: "pg_description", oid: 2609, cols: []vcol{{"objoid", pgOid}, {"classoid", pgOid}, {"objsubid", pgInt4}, {"description", pgText}}},
	{name: "pg_shdescription", oid: 2396, cols: []vcol{{"objoid", pgOid}, {"classoid", pgOid}, {"description", pgText}}},
	{name: "pg_extension", oid: 3079, cols: []vcol{
		{"oid", pgOid}, {"extname", pgName}, {"extowner", pgOid}, {"extnamespace", pgOid},
		{"extrelocatable", pgBool}, {"extversion", pgText}, {"extconfig", pgOidArr}, {"extcondition", pgTextArr},
	}},
	{name: "pg_inherits", oid: 2611, cols: []vcol{{"inhrelid", pgOid}, {"inhparent", pgOid}, {"inhseqno", pgInt4}, {"inhdetachpending", pgBool}}},
	{name: "pg_trigger", oid: 2620, cols: []vcol{
		{"oid", pgOid}, {"tgrelid", pgOid}, {"tgparentid", pgOid}, {"tgname", pgName}, {"tgfoid", pgOid},
		{"tgtype", pgInt2}, {"tgenabled", pgChar}, {"tgisinternal", pgBool}, {"tgconstrrelid", pgOid},
		{"tgconstrindid", pgOid}, {"tgconstraint", pgOid}, {"tgdeferrable", pgBool}, {"tginitdeferred", pgBool},
		{"tgnargs", pgInt2}, {"tgattr", pgInt2Vector}, {"tgargs", types.Bytea}, {"tgqual", pgNodeTree},
		{"tgoldtable", pgName}, {"tgnewtable", pgName},
	}},
	{name: "pg_policy", oid: 3256, cols: []vcol{
		{"oid", pgOid}, {"polname", pgName}, {"polrelid", pgOid}, {"polcmd", pgChar}, {"polpermissive", pgBool},
		{"polroles", pgOidArr}, {"polqual", pgNodeTree}, {"polwithcheck", pgNodeTree},
	}},
	{name: "pg_statistic_ext", oid: 3381, cols: []vcol{
		{"oid", pgOid}, {"stxrelid", pgOid}, {"stxname", pgName}, {"stxnamespace", pgOid}, {"stxowner", pgOid},
		{"stxstattarget", pgInt4}, {"stxkeys", pgInt2Vector}, {"stxkind", pgCharArr}, {"stxexprs", pgNodeTree},
	}},
	{name: "pg_publication", oid: 6104, cols: []vcol{
		{"oid", pgOid}, {"pubname", pgName}, {"pubowner", pgOid}, {"puballtables", pgBool}, {"pubinsert", pgBool},
		{"pubupdate", pgBool}, {"pubdelete", pgBool}, {"pubtruncate", pgBool}, {"pubviaroot", pgBool},
	}},
	{name: "pg_publication_rel", oid: 6106, cols: []vcol{{"oid", pgOid}, {"prpubid", pgOid}, {"prrelid", pgOid}, {"prqual", pgNodeTree}, {"prattrs", pgInt2Vector}}},
	{name: "pg_publication_namespace", oid: 6237, cols: []vcol{{"oid", pgOid}, {"pnpubid", pgOid}, {"pnnspid", pgOid}}},
	{name: "pg_foreign_table", oid: 3118, cols: []vcol{{"ftrelid", pgOid}, {"ftserver", pgOid}, {"ftoptions", pgTextArr}}},
	{name: "pg_foreign_server", oid: 1417, cols: []vcol{
		{"oid", pgOid}, {"srvname", pgName}, {"srvowner", pgOid}, {"srvfdw", pgOid}, {"srvtype", pgText},
		{"srvversion", pgText}, {"srvacl", pgACL}, {"srvoptions", pgTextArr},
	}},
	{name: "pg_rewrite", oid: 2618, cols: []vcol{
		{"oid", pgOid}, {"rulename", pgName}, {"ev_class", pgOid}, {"ev_type", pgChar}, {"ev_enabled", pgChar},
		{"is_instead", pgBool}, {"ev_qual", pgNodeTree}, {"ev_action", pgNodeTree},
	}},
	{name: "pg_range", oid: 3541, cols: []vcol{
		{"rngtypid", pgOid}, {"rngsubtype", pgOid}, {"rngmultitypid", pgOid}, {"rngcollation", pgOid},
		{"rngsubopc", pgOid}, {"rngcanonical", pgRegproc}, {"rngsubdiff", pgRegproc},
	}},
	{name: "pg_operator", oid: 2617, cols: []vcol{
		{"oid", pgOid}, {"oprname", pgName}, {"oprnamespace", pgOid}, {"oprowner", pgOid}, {"oprkind", pgChar},
		{"oprcanmerge", pgBool}, {"oprcanhash", pgBool}, {"oprleft", pgOid}, {"oprright", pgOid},
		{"oprresult", pgOid}, {"oprcom", pgOid}, {"oprnegate", pgOid}, {"oprcode", pgRegproc},
		{"oprrest", pgRegproc}, {"oprjoin", pgRegproc},
	}},
	{name: "pg_cast", oid: 2605, cols: []vcol{
		{"oid", pgOid}, {"castsource", pgOid}, {"casttarget", pgOid}, {"castfunc", pgOid},
		{"castcontext", pgChar}, {"castmethod", pgChar},
	}},
	{name: "pg_locks", cols: []vcol{
		{"locktype", pgText}, {"database", pgOid}, {"relation", pgOid}, {"page", pgInt4}, {"tuple", pgInt2},
		{"virtualxid", pgText}, {"transactionid", pgXid}, {"classid", pgOid}, {"objid", pgOid},
		{"objsubid", pgInt2}, {"virtualtransaction", pgText}, {"pid", pgInt4}, {"mode", pgText},
		{"granted", pgBool}, {"fastpath", pgBool}, {"waitstart", pgTSTZ},
	}},
	{name: "pg_foreign_data_wrapper", oid: 2328, cols: []vcol{
		{"oid", pgOid}, {"fdwname", pgName}, {"fdwowner", pgOid}, {"fdwhandler", pgOid},
		{"fdwvalidator", pgOid}, {"fdwacl", pgACL}, {"fdwoptions", pgTextArr},
	}},
	{name: "pg_user_mapping", oid: 1418, cols: []vcol{{"oid", pgOid}, {"umuser", pgOid}, {"umserver", pgOid}, {"umoptions", pgTextArr}}},
	{name: "pg_user_mappings", cols: []vcol{
		{"umid", pgOid}, {"srvid", pgOid}, {"srvname", pgName}, {"umuser", pgOid}, {"usename", pgName}, {"umoptions", pgTextArr},
	}},
	{name: "pg_largeobject_metadata", oid: 2995, cols: []vcol{{"oid", pgOid}, {"lomowner", pgOid}, {"lomacl", pgACL}}},
	{name: "pg_conversion", oid: 2607, cols: []vcol{
		{"oid", pgOid}, {"conname", pgName}, {"connamespace", pgOid}, {"conowner", pgOid},
		{"conforencoding", pgInt4}, {"contoencoding", pgInt4}, {"conproc", pgRegproc}, {"condefault", pgBool},
	}},
	{name: "pg_event_trigger", oid: 3466, cols: []vcol{
		{"oid", pgOid}, {"evtname", pgName}, {"evtevent", pgName}, {"evtowner", pgOid},
		{"evtfoid", pgOid}, {"evtenabled", pgChar}, {"evttags", pgTextArr},
	}},
	// Empty: no extension sets initial privileges, no transforms, no
	// security labels, no partitioned tables, no large objects. pg_dump
	// joins or scans them.
	{name: "pg_init_privs", oid: 3394, cols: []vcol{{"objoid", pgOid}, {"classoid", pgOid}, {"objsubid", pgInt4}, {"privtype", pgChar}, {"initprivs", pgACL}}},
	{name: "pg_transform", oid: 3576, cols: []vcol{{"oid", pgOid}, {"trftype", pgOid}, {"trflang", pgOid}, {"trffromsql", types.Regproc}, {"trftosql", types.Regproc}}},
	{name: "pg_seclabel", oid: 3596, cols: []vcol{{"objoid", pgOid}, {"classoid", pgOid}, {"objsubid", pgInt4}, {"provider", pgText}, {"label", pgText}}},
	{name: "pg_partitioned_table", oid: 3350, cols: []vcol{
		{"partrelid", pgOid}, {"partstrat", pgChar}, {"partnatts", pgInt2}, {"partdefid", pgOid},
		{"partattrs", pgInt2Vector}, {"partclass", pgOidVector}, {"partcollation", pgOidVector}, {"partexprs", pgNodeTree},
	}},
	{name: "pg_amop", oid: 2602, cols: []vcol{
		{"oid", pgOid}, {"amopfamily", pgOid}, {"amoplefttype", pgOid}, {"amoprighttype", pgOid}, {"amopstrategy", pgInt2},
		{"amoppurpose", pgChar}, {"amopopr", pgOid}, {"amopmethod", pgOid}, {"amopsortfamily", pgOid},
	}},
	{name: "pg_amproc", oid: 2603, cols: []vcol{
		{"oid", pgOid}, {"amprocfamily", pgOid}, {"amproclefttype", pgOid}, {"amprocrighttype", pgOid}, {"amprocnum", pgInt2}, {"amproc", types.Regproc},
	}},
	{name: "pg_seclabels", cols: []vcol{
		{"objoid", pgOid}, {"classoid", pgOid}, {"objsubid", pgInt4}, {"objtype", pgText}, {"objnamespace", pgOid},
		{"objname", pgText}, {"provider", pgText}, {"label", pgText},
	}},
	{name: "pg_largeobject", oid: 2613, cols: []vcol{{"loid", pgOid}, {"pageno", pgInt4}, {"data", types.Bytea}}},
	{name: "pg_db_role_setting", oid: 2964, cols: []vcol{{"setdatabase", pgOid}, {"setrole", pgOid}, {"setconfig", pgTextArr}}},
	{name: "pg_aggregate", oid: 2600, cols: []vcol{
		{"aggfnoid", pgRegproc}, {"aggkind", pgChar}, {"aggnumdirectargs", pgInt2}, {"aggtransfn", pgRegproc},
		{"aggfinalfn", pgRegproc}, {"aggtranstype", pgOid}, {"agginitval", pgText},
	}},
	{name: "pg_opfamily", oid: 2753, cols: []vcol{
		{"oid", pgOid}, {"opfmethod", pgOid}, {"opfname", pgName}, {"opfnamespace", pgOid}, {"opfowner", pgOid},
	}},
	{name: "pg_ts_config", oid: 3602, cols: []vcol{
		{"oid", pgOid}, {"cfgname", pgName}, {"cfgnamespace", pgOid}, {"cfgowner", pgOid}, {"cfgparser", pgOid},
	}},
	{name: "pg_ts_dict", oid: 3600, cols: []vcol{
		{"oid", pgOid}, {"dictname", pgName}, {"dictnamespace", pgOid}, {"dictowner", pgOid},
		{"dicttemplate", pgOid}, {"dictinitoption", pgText},
	}},
	{name: "pg_ts_parser", oid: 3601, cols: []vcol{
		{"oid", pgOid}, {"prsname", pgName}, {"prsnamespace", pgOid}, {"prsstart", pgRegproc}, {"prstoken", pgRegproc},
		{"prsend", pgRegproc}, {"prsheadline", pgRegproc}, {"prslextype", pgRegproc},
	}},
	{name: "pg_ts_template", oid: 3764, cols: []vcol{
		{"oid", pgOid}, {"tmplname", pgName}, {"tmplnamespace", pgOid}, {"tmplinit", pgRegproc}, {"tmpllexize", pgRegproc},
	}},
	{name: "pg_subscription", oid: 6100, cols: []vcol{
		{"oid", pgOid}, {"subdbid", pgOid}, {"subskiplsn", pgText}, {"subname", pgName}, {"subowner", pgOid}, {"subenabled", pgBool},
		{"subbinary", pgBool}, {"substream", pgBool}, {"subtwophasestate", pgChar}, {"subdisableonerr", pgBool},
		{"subconninfo", pgText}, {"subslotname", pgName}, {"subsynccommit", pgText}, {"subpublications", pgTextArr},
	}},
	{name: "pg_views", cols: []vcol{{"schemaname", pgName}, {"viewname", pgName}, {"viewowner", pgName}, {"definition", pgText}}},
	{name: "pg_matviews", cols: []vcol{
		{"schemaname", pgName}, {"matviewname", pgName}, {"matviewowner", pgName}, {"tablespace", pgName},
		{"hasindexes", pgBool}, {"ispopulated", pgBool}, {"definition", pgText},
	}},
}

// registerPgcatalogMisc adds this file's relations and functions to the engine's
// registries (registry.go calls it).
func registerPgcatalogMisc() {
	for _, vt := range pgEmptyTables {
		vt.schema = "pg_catalog"
		vt.rows = func(*execCtx) ([]exec.Row, error) { return nil, nil }
		registerVirtualTable(vt)
	}

	fixed := func(name string, oid uint32, cols []vcol, rows ...exec.Row) {
		registerVirtualTable(&virtualTable{schema: "pg_catalog", name: name, oid: oid, cols: cols,
			rows: func(*execCtx) ([]exec.Row, error) { return rows, nil }})
	}
	fixed("pg_am", 2601, []vcol{{"oid", pgOid}, {"amname", pgName}, {"amhandler", pgRegproc}, {"amtype", pgChar}},
		exec.Row{int64(oidHeapAM), "heap", "heap_tableam_handler", "t"},
		exec.Row{int64(oidBtreeAM), "btree", "bthandler", "i"},
		exec.Row{int64(oidHashAM), "hash", "hashhandler", "i"})
	fixed("pg_tablespace", 1213, []vcol{{"oid", pgOid}, {"spcname", pgName}, {"spcowner", pgOid}, {"spcacl", pgACL}, {"spcoptions", pgTextArr}},
		exec.Row{int64(oidDefaultTblspace), "pg_default", int64(catalog.OIDPostgresRole), nil, nil},
		exec.Row{int64(oidGlobalTblspace), "pg_global", int64(catalog.OIDPostgresRole), nil, nil})
	fixed("pg_collation", 3456, []vcol{
		{"oid", pgOid}, {"collname", pgName}, {"collnamespace", pgOid}, {"collowner", pgOid},
		{"collprovider", pgChar}, {"collisdeterministic", pgBool}, {"collencoding", pgInt4},
		{"collcollate", pgText}, {"collctype", pgText}, {"colliculocale", pgText}, {"collversion", pgText},
	},
		exec.Row{int64(oidDefaultColl), "default", int64(catalog.OIDPgCatalogSchema), int64(catalog.OIDPostgresRole), "d", true, int64(-1), nil, nil, nil, nil},
		exec.Row{int64(oidCColl), "C", int64(catalog.OIDPgCatalogSchema), int64(catalog.OIDPostgresRole), "c", true, int64(-1), "C", "C", nil, nil},
		exec.Row{int64(951), "POSIX", int64(catalog.OIDPgCatalogSchema), int64(catalog.OIDPostgresRole), "c", true, int64(-1), "POSIX", "POSIX", nil, nil})
	fixed("pg_language", 2612, []vcol{
		{"oid", pgOid}, {"lanname", pgName}, {"lanowner", pgOid}, {"lanispl", pgBool}, {"lanpltrusted", pgBool},
		{"lanplcallfoid", pgOid}, {"laninline", pgOid}, {"lanvalidator", pgOid}, {"lanacl", pgACL},
	},
		exec.Row{int64(12), "internal", int64(catalog.OIDPostgresRole), false, false, int64(0), int64(0), int64(0), nil},
		exec.Row{int64(13), "c", int64(catalog.OIDPostgresRole), false, false, int64(0), int64(0), int64(0), nil},
		exec.Row{int64(14), "sql", int64(catalog.OIDPostgresRole), false, true, int64(0), int64(0), int64(0), nil},
		exec.Row{int64(oidPlpgsqlLanguage), "plpgsql", int64(catalog.OIDPostgresRole), true, true, int64(0), int64(0), int64(0), nil})

	registerVirtualTable(&virtualTable{schema: "pg_catalog", name: "pg_database", oid: 1262, cols: []vcol{
		{"oid", pgOid}, {"datname", pgName}, {"datdba", pgOid}, {"encoding", pgInt4},
		{"datlocprovider", pgChar}, {"datistemplate", pgBool}, {"datallowconn", pgBool},
		{"datconnlimit", pgInt4}, {"datfrozenxid", pgXid}, {"datminmxid", pgXid},
		{"dattablespace", pgOid}, {"datcollate", pgText}, {"datctype", pgText},
		{"daticulocale", pgText}, {"datcollversion", pgText}, {"datacl", pgACL},
	}, rows: func(ec *execCtx) ([]exec.Row, error) {
		dbs, err := ec.Catalog.Databases(ec.Context)
		if err != nil {
			return nil, err
		}
		roles, err := ec.Catalog.Roles(ec.Context)
		if err != nil {
			return nil, err
		}
		s := &pgSnapshot{roles: roles}
		out := make([]exec.Row, 0, len(dbs))
		for _, d := range dbs {
			// encoding 6 is UTF8; the collation is C (byte order), which
			// is how quorumdb compares text.
			out = append(out, exec.Row{int64(d.ID), d.Name, s.roleOID(d.Owner), int64(6),
				"c", false, true,
				int64(-1), int64(0), int64(0),
				int64(oidDefaultTblspace), "C", "C",
				nil, nil, aclDatum(d.Privileges())})
		}
		return out, nil
	}})

	roleCols := []vcol{
		{"rolname", pgName}, {"rolsuper", pgBool}, {"rolinherit", pgBool}, {"rolcreaterole", pgBool},
		{"rolcreatedb", pgBool}, {"rolcanlogin", pgBool}, {"rolreplication", pgBool},
		{"rolconnlimit", pgInt4}, {"rolpassword", pgText}, {"rolvaliduntil", pgTSTZ},
		{"rolbypassrls", pgBool}, {"rolconfig", pgTextArr}, {"oid", pgOid},
	}
	registerVirtualTable(&virtualTable{schema: "pg_catalog", name: "pg_roles", cols: roleCols, rows: func(ec *execCtx) ([]exec.Row, error) {
		roles, err := ec.Catalog.Roles(ec.Context)
		if err != nil {
			return nil, err
		}
		out := make([]exec.Row, 0, len(roles))
		for _, r := range roles {
			// pg_roles never shows passwords, only that one is set.
			out = append(out, exec.Row{r.Name, r.Superuser, !r.NoInherit, r.CreateRole,
				r.CreateDB, r.Login, r.Replication,
				int64(-1), "********", nil,
				r.BypassRLS, nil, int64(r.OID)})
		}
		return out, nil
	}})
	registerVirtualTable(&virtualTable{schema: "pg_catalog", name: "pg_authid", oid: 1260, cols: []vcol{
		{"oid", pgOid}, {"rolname", pgName}, {"rolsuper", pgBool}, {"rolinherit", pgBool},
		{"rolcreaterole", pgBool}, {"rolcreatedb", pgBool}, {"rolcanlogin", pgBool},
		{"rolreplication", pgBool}, {"rolbypassrls", pgBool}, {"rolconnlimit", pgInt4},
		{"rolpassword", pgText}, {"rolvaliduntil", pgTSTZ},
	}, rows: func(ec *execCtx) ([]exec.Row, error) {
		// It holds password hashes: superusers only, as in PostgreSQL.
		me, err := ec.Catalog.Role(ec.Context, ec.sess.user)
		if err != nil {
			return nil, err
		}
		if me == nil || !me.Superuser {
			return nil, pgerror.New(pgerror.InsufficientPrivilege, "permission denied for table pg_authid")
		}
		roles, err := ec.Catalog.Roles(ec.Context)
		if err != nil {
			return nil, err
		}
		out := make([]exec.Row, 0, len(roles))
		for _, r := range roles {
			// Like PostgreSQL, the stored md5 hash or SCRAM verifier; a
			// clear-text password (stored before verifiers) stays hidden.
			var pw types.Datum
			switch password.KindOf(r.Password) {
			case password.MD5, password.SCRAM:
				pw = r.Password
			case password.Plain:
				pw = "********"
			}
			out = append(out, exec.Row{int64(r.OID), r.Name, r.Superuser, !r.NoInherit,
				r.CreateRole, r.CreateDB, r.Login,
				r.Replication, r.BypassRLS, int64(-1),
				pw, nil})
		}
		return out, nil
	}})
	registerVirtualTable(&virtualTable{schema: "pg_catalog", name: "pg_user", cols: []vcol{
		{"usename", pgName}, {"usesysid", pgOid}, {"usecreatedb", pgBool}, {"usesuper", pgBool},
		{"userepl", pgBool}, {"usebypassrls", pgBool}, {"passwd", pgText}, {"valuntil", pgTSTZ},
		{"useconfig", pgTextArr},
	}, rows: func(ec *execCtx) ([]exec.Row, error) {
		roles, err := ec.Catalog.Roles(ec.Context)
		if err != nil {
			return nil, err
		}
		var out []exec.Row
		for _, r := range roles {
			if !r.Login && !r.Superuser {
				continue // pg_user lists the roles that can log in
			}
			out = append(out, exec.Row{r.Name, int64(r.OID), r.CreateDB, r.Superuser,
				r.Replication, r.BypassRLS, "********", nil, nil})
		}
		return out, nil
	}})

	registerVirtualTable(&virtualTable{schema: "pg_catalog", name: "pg_settings", cols: []vcol{
		{"name", pgText}, {"setting", pgText}, {"unit", pgText}, {"category", pgText},
		{"short_desc", pgText}, {"extra_desc", pgText}, {"context", pgText}, {"vartype", pgText},
		{"source", pgText}, {"min_val", pgText}, {"max_val", pgText}, {"enumvals", pgTextArr},
		{"boot_val", pgText}, {"reset_val", pgText}, {"sourcefile", pgText}, {"sourceline", pgInt4},
		{"pending_restart", pgBool},
	}, rows: pgSettingsRows})

	registerVirtualTable(&virtualTable{schema: "pg_catalog", name: "pg_stat_activity", cols: []vcol{
		{"datid", pgOid}, {"datname", pgName}, {"pid", pgInt4}, {"leader_pid", pgInt4},
		{"usesysid", pgOid}, {"usename", pgName}, {"application_name", pgText},
		{"client_addr", pgText}, {"client_hostname", pgText}, {"client_port", pgInt4},
		{"backend_start", pgTSTZ}, {"xact_start", pgTSTZ}, {"query_start", pgTSTZ},
		{"state_change", pgTSTZ}, {"wait_event_type", pgText}, {"wait_event", pgText},
		{"state", pgText}, {"backend_xid", pgXid}, {"backend_xmin", pgXid}, {"query_id", pgInt8},
		{"query", pgText}, {"backend_type", pgText},
	}, rows: pgStatActivityRows})

	registerVirtualTable(&virtualTable{schema: "pg_catalog", name: "pg_tables", cols: []vcol{
		{"schemaname", pgName}, {"tablename", pgName}, {"tableowner", pgName}, {"tablespace", pgName},
		{"hasindexes", pgBool}, {"hasrules", pgBool}, {"hastriggers", pgBool}, {"rowsecurity", pgBool},
	}, rows: func(ec *execCtx) ([]exec.Row, error) {
		s, err := loadPGSnapshot(ec)
		if err != nil {
			return nil, err
		}
		var out []exec.Row
		for _, vt := range sortedVirtualTables() {
			if virtualRelkind(vt) == "r" {
				out = append(out, exec.Row{vt.schema, vt.name, "postgres", nil, false, false, false, false})
			}
		}
		for _, t := range s.rels {
			if t.Kind == catalog.KindTable {
				out = append(out, exec.Row{t.Schema, t.Name, ownerName(t), nil, len(visibleIndexes(t)) > 0, false, false, false})
			}
		}
		return out, nil
	}})

	registerVirtualTable(&virtualTable{schema: "pg_catalog", name: "pg_indexes", cols: []vcol{
		{"schemaname", pgName}, {"tablename", pgName}, {"indexname", pgName}, {"tablespace", pgName},
		{"indexdef", pgText},
	}, rows: func(ec *execCtx) ([]exec.Row, error) {
		s, err := loadPGSnapshot(ec)
		if err != nil {
			return nil, err
		}
		var out []exec.Row
		for _, t := range s.rels {
			for _, idx := range visibleIndexes(t) {
				out = append(out, exec.Row{t.Schema, t.Name, idx.Name, nil, indexDefText(t, idx, 0, false)})
			}
		}
		return out, nil
	}})

	registerVirtualTable(&virtualTable{schema: "pg_catalog", name: "pg_sequences", cols: []vcol{
		{"schemaname", pgName}, {"sequencename", pgName}, {"sequenceowner", pgName},
		{"data_type", types.Regtype}, {"start_value", pgInt8}, {"min_value", pgInt8},
		{"max_value", pgInt8}, {"increment_by", pgInt8}, {"cycle", pgBool},
		{"cache_size", pgInt8}, {"last_value", pgInt8},
	}, rows: func(ec *execCtx) ([]exec.Row, error) {
		s, err := loadPGSnapshot(ec)
		if err != nil {
			return nil, err
		}
		var out []exec.Row
		for _, t := range s.rels {
			if t.Kind != catalog.KindSequence || t.Sequence == nil {
				continue
			}
			// The stored value is the last one nextval returned; none
			// until the first call, when PostgreSQL shows NULL too.
			var last types.Datum
			b, ok, err := ec.Txn.Get(ec.Context, catalog.SequenceValueKey(t.ID))
			if err != nil {
				return nil, kverror.AsSQL(err)
			}
			if ok && len(b) == 8 {
				last = int64(binary.BigEndian.Uint64(b))
			}
			o := t.Sequence
			out = append(out, exec.Row{t.Schema, t.Name, ownerName(t), int64(seqType(t).Oid),
				o.Start, o.Min, o.Max, o.Increment, o.Cycle, int64(1), last})
		}
		return out, nil
	}})
}

// ownerName is a relation's owner as pg_tables shows it.
func ownerName(t *catalog.Table) string {
	if t.Owner == "" {
		return "postgres"
	}
	return t.Owner
}

// settingCategories gives pg_settings.category for the settings whose
// group tools display; the rest are shown as ungrouped.
var settingCategories = map[string]string{
	"application_name":              "Reporting and Logging / What to Log",
	"client_encoding":               "Client Connection Defaults / Locale and Formatting",
	"datestyle":                     "Client Connection Defaults / Locale and Formatting",
	"intervalstyle":                 "Client Connection Defaults / Locale and Formatting",
	"timezone":                      "Client Connection Defaults / Locale and Formatting",
	"extra_float_digits":            "Client Connection Defaults / Locale and Formatting",
	"lc_messages":                   "Client Connection Defaults / Locale and Formatting",
	"lc_monetary":                   "Client Connection Defaults / Locale and Formatting",
	"lc_numeric":                    "Client Connection Defaults / Locale and Formatting",
	"lc_time":                       "Client Connection Defaults / Locale and Formatting",
	"search_path":                   "Client Connection Defaults / Statement Behavior",
	"statement_timeout":             "Client Connection Defaults / Statement Behavior",
	"password_encryption":           "Connections and Authentication / Authentication",
	"lock_timeout":                  "Client Connection Defaults / Statement Behavior",
	"default_transaction_isolation": "Client Connection Defaults / Statement Behavior",
	"transaction_isolation":         "Client Connection Defaults / Statement Behavior",
	"default_transaction_read_only": "Client Connection Defaults / Statement Behavior",
	"transaction_read_only":         "Client Connection Defaults / Statement Behavior",
	"bytea_output":                  "Client Connection Defaults / Statement Behavior",
	"client_min_messages":           "Client Connection Defaults / Statement Behavior",
	"standard_conforming_strings":   "Version and Platform Compatibility / Previous PostgreSQL Versions",
	"max_connections":               "Connections and Authentication / Connection Settings",
	"work_mem":                      "Resource Usage / Memory",
}

var numericSetting = regexp.MustCompile(`^-?[0-9]+$`)

func pgSettingsRows(ec *execCtx) ([]exec.Row, error) {
	var out []exec.Row
	for _, st := range settingList {
		key := lowerASCII(st.name)
		if s, ok := settingsByName[key]; !ok || s.name != st.name {
			continue // an alias of another entry
		}
		value := showValue(key, ec.sess.vars.get(key))
		vartype := "string"
		switch {
		case st.def == "on" || st.def == "off":
			vartype = "bool"
		case numericSetting.MatchString(st.def):
			vartype = "integer"
		}
		context := "user"
		if st.readOnly {
			context = "internal"
		}
		source := "default"
		if ec.sess.vars.get(key) != st.def {
			source = "session"
		}
		category := settingCategories[key]
		if category == "" {
			category = "Ungrouped"
		}
		out = append(out, exec.Row{st.name, value, nil, category,
			st.description, nil, context, vartype,
			source, nil, nil, nil,
			st.def, st.def, nil, nil,
			false})
	}
	return out, nil
}

func lowerASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// pgStatActivityRows shows the current session. The engine keeps no
// registry of sessions, so other sessions are not listed.
func pgStatActivityRows(ec *execCtx) ([]exec.Row, error) {
	s := ec.sess
	roles, err := ec.Catalog.Roles(ec.Context)
	if err != nil {
		return nil, err
	}
	snap := &pgSnapshot{roles: roles}
	var addr, port types.Datum
	if host, p, err := net.SplitHostPort(s.params.RemoteAddr); err == nil {
		addr = host
		if n, err := strconv.Atoi(p); err == nil {
			port = int64(n)
		}
	}
	var xactStart types.Datum
	if !s.txnStart.IsZero() {
		xactStart = s.txnStart
	}
	now := ec.BuiltinCtx().StmtTime
	return []exec.Row{{
		int64(s.dbID), s.dbName, int64(s.params.BackendPID), nil,
		snap.roleOID(s.user), s.user, s.vars.get("application_name"),
		addr, nil, port,
		nil, xactStart, now,
		now, nil, nil,
		"active", nil, nil, nil,
		s.curQuery, "client backend",
	}}, nil
}
