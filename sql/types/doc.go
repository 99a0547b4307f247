// Package types owns SQL types and values (datums) with PostgreSQL's
// semantics: the type descriptors and their OIDs, the Go representation of
// each type's values, text and binary input/output as the wire protocol
// and COPY need them, casts, and comparison. It knows nothing of storage
// or the wire; pgwire and sql both use it.
package types
