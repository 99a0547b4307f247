package sql

import "github.com/quorumdb/quorumdb/sql/api"

// The contract with pgwire lives in package api (its doc says what
// crosses). These names let the engine's code use its types unqualified.
type (
	ConnParams         = api.ConnParams
	TLSState           = api.TLSState
	Column             = api.Column
	ParamStatus        = api.ParamStatus
	CopyFormat         = api.CopyFormat
	CopyInReader       = api.CopyInReader
	CopyOutWriter      = api.CopyOutWriter
	ResultWriter       = api.ResultWriter
	Authenticator      = api.Authenticator
	TxnStatus          = api.TxnStatus
	PreparedStatement  = api.PreparedStatement
	Portal             = api.Portal
	PreparedStatements = api.PreparedStatements
)

// The constants of the contract's enumerations.
const (
	CopyText   = api.CopyText
	CopyCSV    = api.CopyCSV
	CopyBinary = api.CopyBinary
	TxnIdle    = api.TxnIdle
	TxnInTxn   = api.TxnInTxn
	TxnFailed  = api.TxnFailed
)

// preparedOf and portalOf read the engine's state behind the contract's
// handles; a handle made by this engine always holds it.
func preparedOf(ps *PreparedStatement) *prepared { return ps.Impl.(*prepared) }
func portalOf(p *Portal) *portal                 { return p.Impl.(*portal) }
