// Package sql is quorumdb's SQL layer: it parses statements with the real
// PostgreSQL parser (pg_query_go), plans and executes them on kv
// transactions, and holds the session state (settings, transaction,
// prepared statements); it emulates pg_catalog and information_schema for
// tools. It is the only package that imports pg_query_go.
//
// The layer is a stack of packages whose imports point one way, down:
//
//	sql          sessions, planning, execution, DDL, virtual tables (here)
//	sql/catalog  descriptors (databases, roles, tables, indexes, types,
//	             functions, schemas) stored in kv and read and written in
//	             the statement's own transaction (catalog.Txn)
//	sql/acl      privilege lists (aclitem[]) and their edits
//	sql/kverror  kv errors as PostgreSQL errors with their SQLSTATE
//	sql/types, sql/builtins, sql/rowenc, sql/pgencoding, sql/password
//	             values, functions, key and row encodings, encodings,
//	             password verifiers
//	sql/pgerror  PostgreSQL errors
//	sql/api      the contract with pgwire (sessions, portals, results)
//
// The parts, by file:
//
//	api_aliases.go               the contract with pgwire, package api
//	                             (ResultWriter, Column, …), under local names
//	registry.go                  registerBuiltins: the built-in relations and
//	                             session functions, registered in one place
//	                             and order when the first Engine is built
//	engine.go                    Engine: bootstrap, Connect and RolePassword
//	                             (from the cache without quorum), row ids
//	txncache.go                  a transaction's catalog reads remembered
//	                             for its later statements
//	session.go, extended.go      Session: transaction states and implicit
//	                             transactions with retry, SAVEPOINT,
//	                             Prepare/Bind/Execute/Sync
//	commit.go                    commitTxn: the one commit path of a session's
//	                             transaction (beforeCommit, kv commit,
//	                             afterCommit)
//	plancache.go                 prepared plans revalidated against the catalog
//	cursor.go                    SQL cursors: DECLARE, FETCH, MOVE, CLOSE
//	prepare_sql.go               SQL PREPARE/EXECUTE/DEALLOCATE over the named
//	                             statements Parse shares (api.PreparedStatements)
//	settings.go                  SET/SHOW/RESET and ParameterStatus
//	stream.go                    a large SELECT result streamed to the client
//	membudget.go                 a statement's memory budget (53200)
//	parse.go                     parsing and syntax errors (42601 + position)
//	parse_depth.go               refusing statements too deep for the parser (54001)
//	stmt.go                      stmtPlan: a planned statement, planning
//	                             one statement, running it (streamed or not)
//	builder.go, scope.go         planning state, name resolution
//	build_expr.go, subquery.go   expressions: typing, casts, operators, subqueries
//	in_list.go                   x IN (...): constant items converted to a
//	                             common type first, as transformAExprIn
//	stable.go                    expressions PostgreSQL marks stable (time
//	                             zone, DateStyle): their errors wait for
//	                             run time
//	sort_const.go                a constant ORDER BY/GROUP BY/DISTINCT ON
//	                             term other than a position (42601)
//	build_select.go, from.go     SELECT: FROM/WHERE with pushdown and join order,
//	                             GROUP BY, DISTINCT [ON], ORDER BY, LIMIT, set ops
//	index_select.go              choosing an index and key range for a scan
//	index_expr.go                expression and partial indexes: key values,
//	                             predicates, immutability, matching queries
//	window.go                    window functions: the calls of a query
//	                             level and their planning
//	window_spec.go               named windows: the WINDOW clause, OVER w
//	window_frame.go              frames: ROWS, RANGE, GROUPS bounds, EXCLUDE
//	window_exec.go               windowNode: sorting partitions, evaluating
//	                             the functions over each row's frame
//	window_order.go              the order of a window query's rows (the
//	                             windows sorted in PostgreSQL's order)
//	recursive.go                 WITH RECURSIVE
//	srf.go, srf_json.go          set-returning functions (generate_series,
//	                             unnest, regexp_*, json(b)_*, _pg_expandarray):
//	                             resolution and rows; the FROM form
//	projectset.go                set-returning calls in the select list: the
//	                             ProjectSet node and where calls are refused
//	record_field.go              (record).field and (record).* on records
//	                             with named columns
//	lateral.go                   LATERAL items: nested loop per left row
//	deferred.go                  errors of constant folding raised where
//	                             PostgreSQL's planner raises them (CASE,
//	                             COALESCE, AND/OR simplified first)
//	prune.go                     subquery, view and WITH outputs nobody
//	                             reads are not computed
//	ordering.go                  ORDER BY direction, NULLS and USING for a
//	                             query's, a window's and an aggregate's sort
//	expr.go, exprwalk.go         expression nodes and rewriting
//	walk.go                      walking a parse tree (protobuf reflection)
//	exec.go, nodes.go, join.go,  the iterator executor: scans, filters,
//	aggregate.go, scan.go        projections, sorts, hash joins, aggregation
//	dml.go, tablerw.go, copy.go  INSERT/UPDATE/DELETE/COPY; rows and index entries
//	fk.go                        foreign keys
//	generated.go                 generated columns (STORED): checks at
//	                             CREATE, values computed on every write,
//	                             written values refused
//	sequence_prefetch.go         a multi-row INSERT's nextval defaults
//	                             reserved in one kv transaction
//	encode.go                    result rows for the client: RowDescription
//	                             columns, values in its formats, reg* names,
//	                             notices
//	enum.go, enum_catalog.go     enum types: type descriptors in kv,
//	                             CREATE/ALTER/DROP TYPE, labels filled into
//	                             table descriptors' column types, pg_type
//	                             and pg_enum rows
//	defaultdef.go                column defaults stored as pg_get_expr
//	                             prints them ('0'::numeric, '-1'::integer)
//	constraint_mode.go           DEFERRABLE constraints, SET CONSTRAINTS,
//	                             the checks queued until IMMEDIATE/COMMIT
//	alter.go, sequence.go        ALTER TABLE, sequences
//	ddl.go                       DDL and utility statements: CREATE INDEX,
//	                             DROP, databases, schemas, roles, views
//	ddl_table.go                 CREATE TABLE (columns, serials, stored
//	                             DEFAULT/CHECK text, ON COMMIT), DROP TABLE,
//	                             index backfill
//	alter_type.go                ALTER COLUMN TYPE: the table rewritten,
//	                             indexes rebuilt, foreign keys rechecked
//	alter_rename.go              RENAME CONSTRAINT, index renames
//	alter_validate.go            VALIDATE CONSTRAINT (NOT VALID CHECK and
//	                             FOREIGN KEY)
//	alter_reloptions.go          ALTER TABLE SET/RESET (storage parameters):
//	                             recorded in pg_class.reloptions, no effect
//	drop_schema_deps.go          DROP SCHEMA's dependents: 2BP01 naming
//	                             them, or CASCADE's NOTICE
//	checkdef.go                  CHECK constraints stored as
//	                             pg_get_constraintdef prints them
//	sequence_options.go,         CREATE/ALTER SEQUENCE options and OWNED BY,
//	sequence_ddl.go,             SELECT FROM a sequence, ALTER TABLE ... ADD
//	sequence_scan.go,            GENERATED AS IDENTITY and OWNER TO (what
//	alter_identity.go,           pg_dump writes)
//	alter_owner.go
//	ctas.go                      CREATE TABLE AS, SELECT INTO
//	tempschema.go                temporary objects: the session's pg_temp_N,
//	                             name resolution, ON COMMIT, cleanup
//	vtable.go, pgcatalog.go,     virtual tables (pg_catalog, information_schema,
//	infoschema.go, catalogdef.go cluster_node_heartbeat with its local view)
//	                             and catalog functions
//	pgcatalog_types.go           pg_type's facts of each type (PostgreSQL 15's)
//	pgcatalog_misc.go            catalogs with no rows, pg_tables,
//	                             pg_settings, pg_stat_activity, ...
//	pgcatalog_funcs.go           more catalog functions: pg_*_is_visible,
//	                             pg_get_function_*, encodings
//	pgdescription.go             COMMENT ON, pg_description,
//	                             obj_description, col_description
//	pgopclass.go                 pg_opclass (default btree classes),
//	                             pg_index.indclass
//	pgstat_tables.go             pg_statio_*_tables (counters all 0)
//	pgstatssl.go                 pg_stat_ssl: this session's TLS state
//	funcs_session.go             functions needing the session or the catalog
//	viewdef.go, regnamespace.go, pg_get_viewdef, regnamespace input,
//	srf_catalog.go,              pg_options_to_table, pg_depend's default and
//	pgdepend_objects.go          view dependencies (what pg_dump reads)
//	partitions.go                cluster_partitions: the keyspace's
//	                             partitions, replicas and leaders
//	localview.go                 answering without quorum: the wait for the
//	                             keyspace's leader bounded by QuorumWait
//	                             (quorumGate), the operator tables' local
//	                             view (localViewEligible, localViewTxn, the
//	                             source column and NOTICE)
//	credcache.go                 login data cached from the catalog for
//	                             logins without quorum; its invalidation
//	                             (local commits, "role"/"database" events)
//	                             and RefreshCredentials
//	depend.go                    views bound to relations by oid at CREATE
//	                             VIEW; DROP's 2BP01 refusal or CASCADE over
//	                             dependent views and sequence defaults
//	function.go, function_call.go, user-defined LANGUAGE sql and plpgsql
//	function_pgproc.go           functions: catalog entries and CREATE/DROP
//	                             FUNCTION, overload resolution and calls
//	                             (body planned per statement), pg_proc and
//	                             \df/\sf support
//	function_out.go              OUT parameters, functions in pg_temp, a
//	                             table's name as its row type
//	plpgsql.go, plpgsql_exec.go  the PL/pgSQL subset (blocks, EXCEPTION WHEN,
//	                             SQL with INTO, assignment, IF, RETURN, GET
//	                             DIAGNOSTICS, RAISE): compiled from
//	                             pg_query's PL/pgSQL parse tree and run for
//	                             functions and DO
//	do.go                        DO blocks (through plpgsql.go)
//	regtypes.go, regproc_oids.go the reg* types by name (regtype,
//	                             regprocedure, regoperator, regrole, ...)
//	                             and the to_reg* functions; PostgreSQL's
//	                             builtin function and operator oids
//	groupdep.go                  GROUP BY a primary key: functionally
//	                             dependent columns, and the 2BP01 of
//	                             dropping a key a view relies on
//	schema_acl.go                who may use and create in a schema, and
//	                             who owns it (the lists are package acl's)
//	privileges.go,               privilege checks (roleGraph: membership,
//	privileges_ddl.go            inheritance, aclMask) and where statements
//	                             make them; ownership for DDL
//	grant.go                     GRANT/REVOKE on objects
//	role_membership.go,          GRANT role TO role, pg_auth_members; who
//	role_rules.go,               may create/alter/drop roles, DROP ROLE's
//	role_switch.go,              dependencies; SET ROLE, SET SESSION
//	role_txn.go                  AUTHORIZATION, undone on rollback
//	predefined_roles.go          pg_monitor and the other built-in roles
//	alter_owner_objects.go       ALTER SCHEMA/DATABASE ... OWNER TO
//	default_privileges.go        ALTER DEFAULT PRIVILEGES, pg_default_acl,
//	                             the ACL a new relation starts with
//	privilege_funcs.go           has_*_privilege(), pg_has_role(),
//	                             acldefault(), nspacl
//	infoschema_privileges.go,    information_schema.table_privileges,
//	infoschema_roles.go          role_table_grants, enabled_roles,
//	                             applicable_roles; who sees schemata's rows
//	txid.go                      txid_current(): ids from a counter in kv,
//	                             unique across the nodes sharing it
//	replication.go               cluster state replication: a commit's
//	                             catalog changes sent to the peers
//	                             (catalog.Event, afterCommit), the peers'
//	                             descriptor invalidations applied here
//
// Lifecycle of a statement: pgwire calls Session.ExecSimple (or
// Prepare/Bind/Execute); the session picks the transaction (the open
// block's, a batch's, or a new implicit one), plans the statement with a
// builder reading the catalog through that transaction, runs the plan with
// an execCtx, buffers the result, commits an implicit transaction (retrying
// on 40001 while nothing reached the client), and writes the rows through
// the ResultWriter in the client's formats.
//
// Debugging: EXPLAIN shows the chosen plan (point lookup, index scan, hash
// join); every error carries its SQLSTATE from where it arose; the
// FuzzStatements target runs arbitrary SQL against a session.
package sql
