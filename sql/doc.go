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
// The parts of this package, by file, grouped by what they do.
//
// The session: the facade pgwire talks to (through package api), which
// owns the transaction state machine and ties the rooms below together.
//
//	api_aliases.go               the contract with pgwire, package api
//	                             (ResultWriter, Column, …), under local names
//	engine.go                    Engine: bootstrap, Connect and RolePassword
//	                             (from the cache without quorum), row ids
//	routes.go                    IndexRoutes: where each index's first key
//	                             column ends (the partitioned keyspace's
//	                             placement, kv/dist)
//	registry.go                  registerBuiltins: the built-in relations and
//	                             session functions, registered in one place
//	                             and order when the first Engine is built
//	session.go, extended.go      Session: transaction states and implicit
//	                             transactions with retry, SAVEPOINT,
//	                             Prepare/Bind/Execute/Sync
//	commit.go                    commitTxn: the one commit path of a session's
//	                             transaction (beforeCommit, kv commit,
//	                             afterCommit)
//	settings.go                  SET/SHOW/RESET and ParameterStatus
//	settings_stack.go            max_stack_depth: its units, bounds and
//	                             display
//	plancache.go                 prepared plans revalidated against the catalog
//	txncache.go                  a transaction's catalog reads remembered
//	                             for its later statements
//	cursor.go                    SQL cursors: DECLARE, FETCH, MOVE, CLOSE
//	prepare_sql.go               SQL PREPARE/EXECUTE/DEALLOCATE over the named
//	                             statements Parse shares (api.PreparedStatements)
//	stream.go                    a large SELECT result streamed to the client
//	encode.go                    result rows for the client: RowDescription
//	                             columns, values in its formats, reg* names,
//	                             notices
//	tempschema.go                temporary objects: the session's pg_temp_N,
//	                             name resolution, ON COMMIT, cleanup
//	role_switch.go, role_txn.go  SET ROLE, SET SESSION AUTHORIZATION, undone
//	                             on rollback
//	credcache.go                 login data cached from the catalog for
//	                             logins without quorum; its invalidation
//	                             (local commits, "role"/"database" events)
//	                             and RefreshCredentials
//	localview.go                 answering without quorum: the wait for the
//	                             keyspace's leader bounded by QuorumWait
//	                             (quorumGate), the operator tables' local
//	                             view (localViewEligible, localViewTxn, the
//	                             source column and NOTICE)
//	replication.go               cluster state replication: a commit's
//	                             catalog changes sent to the peers
//	                             (catalog.Event, afterCommit), the peers'
//	                             descriptor invalidations applied here
//	txid.go                      txid_current(): ids from a counter in kv,
//	                             unique across the nodes sharing it
//
// Parsing, with PostgreSQL's own parser:
//
//	parse.go                     parsing and syntax errors (42601 + position)
//	parse_depth.go               refusing statements too deep for the parser (54001)
//	walk.go                      walking a parse tree (protobuf reflection)
//
// Planning: the builder turns a parse tree into a plan, a tree of
// package exec's nodes and expressions, reading the catalog through the
// statement's transaction.
//
//	stmt.go                      stmtPlan: a planned statement, planning
//	                             one statement (the dispatch on its kind),
//	                             running it (streamed or not), EXPLAIN
//	builder.go, scope.go         planning state, name resolution
//	build_expr.go, subquery.go   expressions: typing, casts, operators, subqueries
//	in_list.go                   x IN (...): constant items converted to a
//	                             common type first, as transformAExprIn
//	stable.go                    expressions PostgreSQL marks stable (time
//	                             zone, DateStyle): their errors wait for
//	                             run time
//	deferred.go                  errors of constant folding raised where
//	                             PostgreSQL's planner raises them (CASE,
//	                             COALESCE, AND/OR simplified first)
//	sort_const.go                a constant ORDER BY/GROUP BY/DISTINCT ON
//	                             term other than a position (42601)
//	build_select.go, from.go     SELECT: FROM/WHERE with pushdown and join order,
//	                             GROUP BY, DISTINCT [ON], ORDER BY, LIMIT, set ops
//	groupdep.go                  GROUP BY a primary key: functionally
//	                             dependent columns, and the 2BP01 of
//	                             dropping a key a view relies on
//	index_select.go              choosing an index and key range for a scan
//	index_expr.go                expression and partial indexes: key values,
//	                             predicates, immutability, matching queries
//	window.go                    window functions: the calls of a query
//	                             level and their planning
//	window_spec.go               named windows: the WINDOW clause, OVER w
//	window_frame.go              frames: the ROWS, RANGE, GROUPS and EXCLUDE
//	                             clauses planned into an exec.WindowFrame
//	window_order.go              the order of a window query's rows (the
//	                             windows sorted in PostgreSQL's order)
//	recursive.go                 WITH RECURSIVE
//	lateral.go                   LATERAL items: nested loop per left row
//	srf.go, srf_json.go          set-returning functions (generate_series,
//	                             unnest, regexp_*, json(b)_*, _pg_expandarray):
//	                             resolution and rows; the FROM form
//	json_to_record.go            json(b)_to_record(set) and
//	                             populate_record(set) in FROM, with a column
//	                             definition list
//	jsonb_subscript.go           jsonb subscripting: j['k'], j[0], and
//	                             UPDATE … SET j[…] = v
//	json_noorder.go              json has no equality or order: sorting,
//	                             grouping, DISTINCT, set operations refused
//	jsonpath.go                  jsonpath refused with 0A000 naming it
//	builtin_named.go             builtin calls with named arguments
//	variadic_call.go             builtin calls with VARIADIC array
//	whole_row.go                 a FROM item's name as a whole-row record
//	projectset.go                set-returning calls in the select list: the
//	                             ProjectSet node and where calls are refused
//	record_field.go              (record).field and (record).* on records
//	                             with named columns
//	prune.go                     subquery, view and WITH outputs nobody
//	                             reads are not computed
//	ordering.go                  ORDER BY direction, NULLS and USING for a
//	                             query's, a window's and an aggregate's sort
//	exprwalk.go                  walking and rewriting expressions
//
// Execution's way back into this package: exec runs the plans; these are
// the few nodes and expressions that need the session or the planner.
//
//	stmt_ctx.go                  execCtx: a statement's exec.Ctx with the
//	                             session, the client and the write caches;
//	                             sqlCtx, the way back from exec.Ctx
//	go_func.go                   goFuncExpr: calls of functions written in
//	                             this package (session and catalog ones)
//	rows_node.go                 rowsNode: rows computed by this package
//	                             (virtual tables, function results)
//
// Writes: INSERT, UPDATE, DELETE and COPY are planned here and find their
// rows with exec plans; their rows and index entries are written to kv
// by tablerw.go.
//
//	dml.go                       INSERT (ON CONFLICT, RETURNING), UPDATE,
//	                             DELETE: planning, and the loop over the
//	                             target rows (forEachTargetRow)
//	tablerw.go                   a row's kv writes: primary and secondary
//	                             index entries, unique checks
//	copy.go                      COPY FROM STDIN and COPY TO STDOUT
//	fk.go                        foreign keys: checks and ON DELETE/UPDATE
//	                             actions
//	constraint_mode.go           DEFERRABLE constraints, SET CONSTRAINTS,
//	                             the checks queued until IMMEDIATE/COMMIT
//	generated.go                 generated columns (STORED): checks at
//	                             CREATE, values computed on every write,
//	                             written values refused
//	sequence.go                  sequences: a new one's descriptor, nextval
//	                             and setval (in kv transactions of their own)
//	sequence_scan.go             SELECT FROM a sequence
//	sequence_prefetch.go         a multi-row INSERT's nextval defaults
//	                             reserved in one kv transaction
//
// DDL: schema changes write catalog descriptors in the statement's own
// transaction (package catalog); the ddl_ files hold the statements.
//
//	ddl.go                       DDL and utility statements: CREATE INDEX,
//	                             DROP, databases, schemas, roles, views
//	ddl_table.go                 CREATE TABLE (columns, serials, stored
//	                             DEFAULT/CHECK text, ON COMMIT), DROP TABLE,
//	                             index backfill
//	ddl_alter.go                 ALTER TABLE: columns, constraints, primary
//	                             keys, defaults
//	ddl_alter_column_type.go     ALTER COLUMN TYPE: the table rewritten,
//	                             indexes rebuilt, foreign keys rechecked
//	ddl_alter_rename.go          RENAME CONSTRAINT, index renames
//	ddl_alter_validate.go        VALIDATE CONSTRAINT (NOT VALID CHECK and
//	                             FOREIGN KEY)
//	ddl_alter_reloptions.go      ALTER TABLE SET/RESET (storage parameters):
//	                             recorded in pg_class.reloptions, no effect
//	ddl_alter_identity.go,       ADD GENERATED AS IDENTITY, OWNER TO (what
//	ddl_alter_owner.go           pg_dump writes)
//	ddl_alter_owner_objects.go   ALTER SCHEMA/DATABASE ... OWNER TO
//	ddl_sequence.go,             CREATE/ALTER SEQUENCE options and OWNED BY
//	sequence_options.go
//	ddl_ctas.go                  CREATE TABLE AS, SELECT INTO
//	ddl_drop_schema.go           DROP SCHEMA's dependents: 2BP01 naming
//	                             them, or CASCADE's NOTICE
//	depend.go                    views bound to relations by oid at CREATE
//	                             VIEW; DROP's 2BP01 refusal or CASCADE over
//	                             dependent views and sequence defaults
//	enum.go, enum_catalog.go     enum types: CREATE/ALTER/DROP TYPE, type
//	                             names resolved, pg_type and pg_enum rows
//	defaultdef.go                column defaults stored as pg_get_expr
//	                             prints them ('0'::numeric, '-1'::integer)
//	checkdef.go                  CHECK constraints stored as
//	                             pg_get_constraintdef prints them
//
// User-defined functions and procedural code:
//
//	function.go, function_call.go, user-defined LANGUAGE sql and plpgsql
//	function_pgproc.go           functions: CREATE/DROP FUNCTION, overload
//	                             resolution and calls (body planned per
//	                             statement), pg_proc and \df/\sf support
//	function_out.go              OUT parameters, functions in pg_temp, a
//	                             table's name as its row type
//	plpgsql.go, plpgsql_exec.go  the PL/pgSQL subset (blocks, EXCEPTION WHEN,
//	                             SQL with INTO, assignment, IF, RETURN, GET
//	                             DIAGNOSTICS, RAISE): compiled from
//	                             pg_query's PL/pgSQL parse tree and run for
//	                             functions and DO
//	do.go                        DO blocks (through plpgsql.go)
//
// Privileges: every statement's checks are made while it is planned,
// against the ACLs the catalog stores (package acl's lists) and the role
// graph.
//
//	privileges.go                privilege checks (roleGraph: membership,
//	                             inheritance, aclMask; checkRelPrivs and
//	                             friends) and where statements make them
//	privileges_ddl.go            ownership and privileges for DDL
//	schema_acl.go                who may use and create in a schema, and
//	                             who owns it
//	grant.go                     GRANT/REVOKE on objects
//	role_membership.go,          GRANT role TO role, pg_auth_members; who
//	role_rules.go                may create/alter/drop roles, DROP ROLE's
//	                             dependencies
//	predefined_roles.go          what pg_monitor and the other built-in
//	                             roles may read
//	default_privileges.go        ALTER DEFAULT PRIVILEGES, pg_default_acl,
//	                             the ACL a new relation starts with
//	privilege_funcs.go           has_*_privilege(), pg_has_role(),
//	                             acldefault(), nspacl
//
// Virtual tables and catalog functions: pg_catalog, information_schema
// and the cluster_* tables, computed from the catalog and the session
// when read, registered in registry.go.
//
//	vtable.go, pgcatalog.go,     virtual tables (pg_catalog, information_schema,
//	infoschema.go, catalogdef.go cluster_node_heartbeat with its local view)
//	                             and catalog functions
//	constraint_rows.go           a table's constraints as pg_constraint
//	                             lists them, shared by pg_constraint and the
//	                             information_schema constraint views
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
//	infoschema_privileges.go,    information_schema.table_privileges,
//	infoschema_roles.go          role_table_grants, enabled_roles,
//	                             applicable_roles; who sees schemata's rows
//	funcs_session.go             functions needing the session or the catalog
//	viewdef.go, regnamespace.go, pg_get_viewdef, regnamespace input,
//	srf_catalog.go,              pg_options_to_table, pg_depend's default and
//	pgdepend_objects.go          view dependencies (what pg_dump reads)
//	regtypes.go, regproc_oids.go the reg* types by name (regtype,
//	                             regprocedure, regoperator, regrole, ...)
//	                             and the to_reg* functions; PostgreSQL's
//	                             builtin function and operator oids
//	partitions.go                cluster_partitions: the keyspace's
//	                             partitions, replicas and leaders
//
// Finding your way:
//
//   - Where is UPDATE executed? Planned by planUpdate (dml.go): the target
//     rows are found by an exec plan (a ScanNode under filters, marked
//     FOR UPDATE), and forEachTargetRow runs it and calls updateRow
//     (tablerw.go), which writes the row and its index entries to the
//     statement's kv transaction.
//   - Where is a privilege checked? While the statement is planned: the
//     builder calls checkRelPrivs (privileges.go) for each relation it
//     reads or writes, which evaluates the relation's ACL (package acl,
//     stored on catalog.Table) for the current role through roleGraph;
//     schemas, databases and DDL ownership likewise (schema_acl.go,
//     privileges_ddl.go).
//   - Where does a commit go to raft? Every commit of a session goes
//     through commitTxn (commit.go), which calls kv.Txn.Commit. On the
//     keyspace's leader that is kv's replicated commit pipeline
//     (kv/replicacommit.go: propose through cluster/multiraft, wait for
//     the apply); on any other node kv/remote sends the Commit on the
//     transaction's stream to the leader, which commits there.
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
