// Package sql is quorumdb's SQL layer: it parses statements with the real
// PostgreSQL parser (pg_query_go), plans and executes them on kv
// transactions, owns the catalog (databases, schemas, tables, indexes,
// roles) and the session state (settings, transaction, prepared
// statements), and emulates pg_catalog and information_schema for tools.
//
// conn.go is the contract with pgwire; session.go and engine.go implement
// it. This package is the only importer of pg_query_go.
package sql
