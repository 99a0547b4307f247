// Package catalog is the SQL layer's catalog: the descriptors of
// databases, roles, relations (tables, views, sequences) with their
// columns, indexes and constraints, user-defined types, functions,
// schemas and default privileges, as they are stored in kv's system
// keyspace, and Txn, which reads and writes them inside a kv transaction.
//
// A schema change is a write to a descriptor in the statement's own
// transaction, so it commits atomically with the statement; a statement
// that planned with the old descriptor read its key and conflicts. What a
// committed transaction changed (Changes, Event) is sent to the peers so
// that their caches drop stale descriptors; the decoding is cached per
// node (Cache), never the bytes, which are always read through the
// transaction.
//
// The catalog stores and finds; it does not decide. Name resolution with
// the search path, privilege checks and DDL semantics are the sql
// package's; the privilege lists themselves are package acl's.
//
// The parts, by file:
//
//	keys.go          the key layout of the system keyspace: databases,
//	                 names, descriptors, sequence values, roles, schemas
//	descriptors.go   Database, Role, Table, Column, Index, Check,
//	                 SequenceOptions, ForeignKey, ViewDep, RoleGrant
//	txn.go           Txn: reading and writing descriptors in a transaction;
//	                 Cache of decoded descriptors and its invalidation;
//	                 the reading session's temporary schema (TempSchemaOwner)
//	bootstrap.go     the fixed oids and Bootstrap, the catalog of a new
//	                 cluster
//	user_types.go    user-defined (enum) types: UserType, labels filled
//	                 into column types (HydrateEnums, HydrateType)
//	functions.go     user-defined functions: Function and its storage
//	schemas.go       schemas' owner and ACL (SchemaMeta), temporary schema
//	                 names
//	default_acl.go   ALTER DEFAULT PRIVILEGES entries (pg_default_acl)
//	privileges.go    the ACLs stored on relations and databases
//	roles.go         the predefined roles (pg_monitor, …), not stored
//	changes.go       Changes and Event: what a transaction changed, for
//	                 the peers' invalidations
package catalog
