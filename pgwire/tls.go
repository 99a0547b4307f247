package pgwire

import (
	"context"
	"crypto"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"strings"

	"github.com/xdg-go/scram"

	"github.com/quorumdb/quorumdb/sql/api"
	"github.com/quorumdb/quorumdb/sql/pgerror"
)

// TLS, as PostgreSQL negotiates it: the client sends SSLRequest before its
// StartupMessage; with Config.TLS set the server answers 'S' and runs a
// TLS server handshake on the socket, and the startup continues inside
// TLS. Without it the answer is 'N' and the client goes on in plain text
// (or gives up, with sslmode=require). Config.RequireTLS refuses plain
// text startups as a hostssl-only pg_hba.conf does (FATAL 28000).
//
// Until the handshake, the socket is read without read-ahead (startReader)
// so that bytes a client sends after its SSLRequest, before the
// handshake, are not kept in a buffer and then taken as if they had come
// through TLS (CVE-2021-23214): they reach the TLS handshake, which fails
// on them, and only that connection ends.

// minTLSVersion is the oldest protocol accepted (PostgreSQL's
// ssl_min_protocol_version default).
const minTLSVersion = tls.VersionTLS12

// serverTLSConfig returns a copy of cfg with the minimum version raised
// to minTLSVersion.
func serverTLSConfig(cfg *tls.Config) *tls.Config {
	c := cfg.Clone()
	if c.MinVersion < minTLSVersion {
		c.MinVersion = minTLSVersion
	}
	return c
}

// endpointBinding returns the tls-server-end-point channel binding data
// of the server's certificate (RFC 5929 section 4.1: the certificate's
// hash by its signature's hash function, SHA-256 for MD5 and SHA-1), or
// ok false when the certificate's signature has no such hash (Ed25519),
// in which case SCRAM-SHA-256-PLUS is not offered, as in PostgreSQL.
func endpointBinding(cfg *tls.Config) (scram.ChannelBinding, bool) {
	if len(cfg.Certificates) == 0 || len(cfg.Certificates[0].Certificate) == 0 {
		return scram.ChannelBinding{}, false
	}
	leaf := cfg.Certificates[0].Leaf
	if leaf == nil {
		var err error
		if leaf, err = x509.ParseCertificate(cfg.Certificates[0].Certificate[0]); err != nil {
			return scram.ChannelBinding{}, false
		}
	}
	var h crypto.Hash
	switch leaf.SignatureAlgorithm {
	case x509.MD5WithRSA, x509.SHA1WithRSA, x509.DSAWithSHA1, x509.ECDSAWithSHA1,
		x509.SHA256WithRSA, x509.SHA256WithRSAPSS, x509.ECDSAWithSHA256, x509.DSAWithSHA256:
		h = crypto.SHA256
	case x509.SHA384WithRSA, x509.SHA384WithRSAPSS, x509.ECDSAWithSHA384:
		h = crypto.SHA384
	case x509.SHA512WithRSA, x509.SHA512WithRSAPSS, x509.ECDSAWithSHA512:
		h = crypto.SHA512
	default:
		return scram.ChannelBinding{}, false
	}
	d := h.New()
	d.Write(leaf.Raw)
	return scram.ChannelBinding{Type: scram.ChannelBindingTLSServerEndpoint, Data: d.Sum(nil)}, true
}

// startTLS answers an SSLRequest with 'S' and runs the TLS handshake;
// from then on the connection reads and writes through TLS. An error
// means the connection must close without a word (PostgreSQL only logs a
// failed handshake: the client cannot read an unencrypted error).
func (c *conn) startTLS(ctx context.Context) error {
	if err := c.bw.WriteByte('S'); err != nil {
		return err
	}
	if err := c.flush(); err != nil {
		return err
	}
	tc := tls.Server(c.nc, c.srv.tlsConfig)
	if err := tc.HandshakeContext(ctx); err != nil {
		return fmt.Errorf("pgwire: TLS handshake: %w", err)
	}
	c.tls = tc
	c.bw.Reset(tc)
	c.fr.cr = startReader{tc}
	return nil
}

// tlsState describes the connection's TLS session for the SQL layer
// (pg_stat_ssl), nil in plain text.
func (c *conn) tlsState() *api.TLSState {
	if c.tls == nil {
		return nil
	}
	st := c.tls.ConnectionState()
	name := tls.CipherSuiteName(st.CipherSuite)
	return &api.TLSState{
		Version: tlsVersionName(st.Version),
		Cipher:  name,
		Bits:    cipherBits(name),
	}
}

// tlsVersionName spells a version as OpenSSL, and so pg_stat_ssl, does.
func tlsVersionName(v uint16) string {
	switch v {
	case tls.VersionTLS12:
		return "TLSv1.2"
	case tls.VersionTLS13:
		return "TLSv1.3"
	}
	return tls.VersionName(v)
}

// cipherBits returns the symmetric key size of a cipher suite named as
// crypto/tls names them (every suite crypto/tls negotiates at TLS 1.2 or
// later is AES-128, AES-256 or ChaCha20).
func cipherBits(suite string) int {
	switch {
	case strings.Contains(suite, "AES_128"):
		return 128
	case strings.Contains(suite, "AES_256"), strings.Contains(suite, "CHACHA20"):
		return 256
	}
	return 0
}

// encryptionRefused is the FATAL error of a plain text startup when
// RequireTLS is set: PostgreSQL's words for a client that no hostssl line
// of pg_hba.conf lets in without encryption.
func (c *conn) encryptionRefused(user, database string) *pgerror.Error {
	host := c.nc.RemoteAddr().String()
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	return fatalf(pgerror.InvalidAuthorizationSpecification,
		"no pg_hba.conf entry for host %q, user %q, database %q, no encryption", host, user, database)
}

// startReader is the pgproto3.ChunkReader of the startup phase: it reads
// exactly what is asked, nothing ahead (see the comment at the top).
// Startup messages are few and small, so the extra reads cost nothing.
type startReader struct{ r io.Reader }

func (s startReader) Next(n int) ([]byte, error) {
	buf := make([]byte, n)
	if _, err := io.ReadFull(s.r, buf); err != nil {
		return nil, err
	}
	return buf, nil
}
