package pgwire

import (
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
)

// Authentication methods accepted in Config.Auth.
const (
	// AuthTrust lets every role in without a password.
	AuthTrust = "trust"
	// AuthPassword asks for the password in clear text
	// (AuthenticationCleartextPassword).
	AuthPassword = "password"
	// AuthMD5 asks for md5(md5(password+user)+salt)
	// (AuthenticationMD5Password).
	AuthMD5 = "md5"
	// AuthSCRAM runs SASL SCRAM-SHA-256 (PostgreSQL's default since 14).
	AuthSCRAM = "scram-sha-256"
	// AuthCert admits a client whose TLS certificate, verified against
	// TLS.ClientCAs, has the role's name as its common name. Needs
	// RequireTLS.
	AuthCert = "cert"
)

// Defaults applied by NewServer to zero fields of Config.
const (
	DefaultAddr           = "127.0.0.1:5433"
	DefaultAuth           = AuthTrust
	DefaultMaxMessageSize = 64 << 20 // 64 MiB
	// DefaultMaxConnections and DefaultReservedConnections are
	// PostgreSQL's max_connections and superuser_reserved_connections.
	DefaultMaxConnections      = 100
	DefaultReservedConnections = 3

	// minMaxMessageSize keeps MaxMessageSize large enough for every
	// startup and authentication message.
	minMaxMessageSize = 16 << 10
	// maxNodeID is the largest NodeID that fits the node bits of a
	// BackendKeyData process id (see pidNodeShift).
	maxNodeID = 1<<(31-pidNodeShift) - 1
)

// Config configures a Server. The zero value of each field means its
// default; NewServer fills them in and Serve checks Validate.
type Config struct {
	// Addr is the address ListenAndServe listens on (host:port).
	Addr string
	// Auth is the authentication method: AuthTrust, AuthPassword,
	// AuthMD5 or AuthSCRAM.
	Auth string
	// MaxMessageSize bounds the length of one frontend message (type
	// byte excluded). A longer message ends the connection with FATAL
	// 08P01 before its body is read.
	MaxMessageSize int
	// Logger receives the server's logs; nil means slog.Default().
	Logger *slog.Logger
	// NodeID is this node's id. It is encoded in the high bits of every
	// BackendKeyData process id so that a CancelRequest names the node
	// owning the session (see NodeOfPID). 0..2047.
	NodeID int
	// TLS, when set, is offered to clients that send SSLRequest (see
	// tls.go); it needs a certificate (Certificates[0] is the one whose
	// hash SCRAM channel binding uses). Versions below TLS 1.2 are
	// refused whatever its MinVersion. Nil answers SSLRequest with 'N'.
	TLS *tls.Config
	// MaxConnections bounds the connections past their startup packet
	// (authenticating or in a session); one more is refused with FATAL
	// 53300. See slots.go.
	MaxConnections int
	// ReservedConnections of those slots are for superusers only
	// (superuser_reserved_connections); -1 means none. Must be below
	// MaxConnections.
	ReservedConnections int
	// RequireTLS refuses plain text startups with FATAL 28000, as a
	// pg_hba.conf of hostssl lines only does. Needs TLS. A CancelRequest
	// is served either way.
	RequireTLS bool
}

// withDefaults returns c with every zero field set to its default.
func (c Config) withDefaults() Config {
	if c.Addr == "" {
		c.Addr = DefaultAddr
	}
	if c.Auth == "" {
		c.Auth = DefaultAuth
	}
	if c.MaxMessageSize == 0 {
		c.MaxMessageSize = DefaultMaxMessageSize
	}
	if c.MaxConnections == 0 {
		c.MaxConnections = DefaultMaxConnections
	}
	switch c.ReservedConnections {
	case 0:
		c.ReservedConnections = min(DefaultReservedConnections, c.MaxConnections-1)
	case -1:
		c.ReservedConnections = 0
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	return c
}

// Validate reports the first invalid setting of c (after defaults).
func (c Config) Validate() error {
	c = c.withDefaults()
	switch c.Auth {
	case AuthTrust, AuthPassword, AuthMD5, AuthSCRAM:
	case AuthCert:
		if !c.RequireTLS || c.TLS.ClientCAs == nil {
			return errors.New("pgwire: auth cert needs RequireTLS and TLS.ClientCAs")
		}
	default:
		return fmt.Errorf("pgwire: auth %q is not one of %q, %q, %q, %q, %q", c.Auth, AuthTrust, AuthPassword, AuthMD5, AuthSCRAM, AuthCert)
	}
	if c.MaxMessageSize < minMaxMessageSize {
		return fmt.Errorf("pgwire: max message size %d is below the minimum %d", c.MaxMessageSize, minMaxMessageSize)
	}
	if c.TLS != nil && len(c.TLS.Certificates) == 0 && c.TLS.GetCertificate == nil {
		return errors.New("pgwire: TLS configuration has no certificate")
	}
	if c.RequireTLS && c.TLS == nil {
		return errors.New("pgwire: RequireTLS without a TLS configuration")
	}
	if c.MaxConnections < 1 {
		return fmt.Errorf("pgwire: max connections %d is below 1", c.MaxConnections)
	}
	if c.ReservedConnections < 0 || c.ReservedConnections >= c.MaxConnections {
		return fmt.Errorf("pgwire: reserved connections %d must be below max connections %d", c.ReservedConnections, c.MaxConnections)
	}
	if c.NodeID < 0 || c.NodeID > maxNodeID {
		return fmt.Errorf("pgwire: node id %d is outside 0..%d", c.NodeID, maxNodeID)
	}
	return nil
}
