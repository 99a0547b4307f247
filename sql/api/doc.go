// Package api is the contract between the PostgreSQL wire protocol
// (pgwire, above) and the SQL engine (package sql, below): the values
// that cross between them. pgwire turns protocol messages into calls on
// the engine's sessions and implements ResultWriter to turn results back
// into messages; values cross already encoded in the wire format the
// client asked for (text or binary), so pgwire never interprets a SQL
// value. The engine's prepared statements and portals are handles here
// (PreparedStatement, Portal) whose Impl only the engine reads.
//
// It imports nothing of the engine — only pgerror — so the wire layer and
// its tests build without PostgreSQL's parser (cgo).
//
// Files:
//
//	api.go       ConnParams, TLSState, Column, ParamStatus, TxnStatus,
//	             ResultWriter and the COPY interfaces, Authenticator,
//	             PreparedStatement and Portal
//	prepared.go  PreparedStatements: a session's named statements, shared
//	             by the protocol's Parse/Close and SQL PREPARE/DEALLOCATE
package api
