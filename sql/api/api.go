package api

import (
	"context"

	"github.com/quorumdb/quorumdb/sql/pgerror"
)

// ConnParams are what a client sent in its StartupMessage.
type ConnParams struct {
	User     string
	Database string
	// Options holds every other startup parameter (application_name,
	// client_encoding, DateStyle, options, ...).
	Options map[string]string
	// RemoteAddr is the client's address, for pg_stat_activity and logs.
	RemoteAddr string
	// BackendPID is the process id pgwire reported in BackendKeyData;
	// pg_backend_pid() returns it.
	BackendPID int32
	// TLS describes the connection's encryption (pg_stat_ssl); nil when
	// the client connected in plain text.
	TLS *TLSState
	// ReservedSlot says the connection took one of the last connection
	// slots, which PostgreSQL keeps for superusers
	// (superuser_reserved_connections): Engine.Connect refuses any other
	// role with 53300.
	ReservedSlot bool
}

// TLSState is what pg_stat_ssl shows of a TLS connection.
type TLSState struct {
	// Version is the protocol, as OpenSSL names it: TLSv1.2, TLSv1.3.
	Version string
	// Cipher is the cipher suite's name (crypto/tls's spelling).
	Cipher string
	// Bits is the symmetric key size of the cipher.
	Bits int
}

// Column describes one result column as RowDescription reports it.
type Column struct {
	Name         string
	TableOid     uint32
	ColumnAttNum int16
	TypeOid      uint32
	TypeSize     int16 // pg_type.typlen: -1 for variable length
	TypeModifier int32 // atttypmod: -1 when none
	Format       int16 // 0 text, 1 binary
}

// ParamStatus is one ParameterStatus message: a setting clients track.
type ParamStatus struct {
	Name, Value string
}

// CopyFormat is the data format of a COPY.
type CopyFormat int

// COPY formats.
const (
	CopyText CopyFormat = iota
	CopyCSV
	CopyBinary
)

// CopyInReader delivers the data of a COPY FROM STDIN.
type CopyInReader interface {
	// Next returns the next CopyData payload; io.EOF after CopyDone. A
	// CopyFail from the client is returned as an error with SQLSTATE 57014.
	Next() ([]byte, error)
}

// CopyOutWriter sends the data of a COPY TO STDOUT.
type CopyOutWriter interface {
	// Write sends one CopyData message holding data (usually one row).
	Write(data []byte) error
}

// ResultWriter receives a statement's results. pgwire implements it; sql
// calls it from the goroutine that called into the Session. Errors it
// returns are connection failures: sql stops and returns them.
type ResultWriter interface {
	// Columns announces the columns of the rows that follow (RowDescription
	// in the simple protocol; ignored by pgwire in the extended protocol,
	// where Describe answers). Not called for statements without rows.
	Columns(cols []Column) error
	// Row sends one DataRow; a nil element is NULL.
	Row(values [][]byte) error
	// Complete ends one statement with its CommandComplete tag.
	Complete(tag string) error
	// EmptyQuery answers an empty statement (EmptyQueryResponse).
	EmptyQuery() error
	// Notice sends a NoticeResponse.
	Notice(n *pgerror.Error) error
	// ParamStatus reports a changed setting (ParameterStatus).
	ParamStatus(p ParamStatus) error
	// CopyIn sends CopyInResponse for columns columns and returns the
	// reader of the data the client sends.
	CopyIn(format CopyFormat, columns int) (CopyInReader, error)
	// CopyOut sends CopyOutResponse; sql writes the data and then calls
	// Complete (pgwire sends CopyDone before CommandComplete).
	CopyOut(format CopyFormat, columns int) (CopyOutWriter, error)
}

// Authenticator answers pgwire's questions during startup.
type Authenticator interface {
	// RolePassword returns the stored password of role: "" when the role
	// has none, "md5<hex>" when stored hashed, else the clear text.
	// exists is false when no such role (pgwire reports 28000).
	RolePassword(ctx context.Context, role string) (password string, exists bool, err error)
}

// TxnStatus is the transaction state ReadyForQuery reports.
type TxnStatus byte

// Transaction states.
const (
	TxnIdle   TxnStatus = 'I'
	TxnInTxn  TxnStatus = 'T'
	TxnFailed TxnStatus = 'E'
)

// PreparedStatement is the result of Session.Prepare.
type PreparedStatement struct {
	// ParamOids are the parameter types (ParameterDescription), inferred
	// where the client sent 0.
	ParamOids []uint32
	// Columns are the result columns (text format), nil when the statement
	// returns no rows (NoData).
	Columns []Column
	// Impl is the engine's parsed and planned statement, opaque here:
	// only the engine that made the statement reads it.
	Impl any
}

// Portal is a bound prepared statement (Session.Bind).
type Portal struct {
	// Columns are the result columns with their formats, nil for NoData.
	Columns []Column
	// Impl is the engine's bound statement, opaque here.
	Impl any
}
