// Package pgerror carries PostgreSQL error fields (SQLSTATE, message,
// detail, hint, position) with an error from the place it arises to the
// wire. Every layer above kv attaches a code with New/Wrap; pgwire alone
// flattens an error into an ErrorResponse with Flatten.
//
// # Files
//
//	error.go  Error: New, Wrap, the With* field setters, Flatten,
//	          CodeOf, RegisterCodeMapper (lower layers' sentinels)
//	codes.go  the SQLSTATE constants, named as in errcodes.txt
package pgerror
