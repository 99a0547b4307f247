package server

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"os"

	"github.com/quorumdb/quorumdb/pgwire"
)

// TLSConfig configures TLS for SQL clients (sql.tls).
type TLSConfig struct {
	// Mode is off (SSLRequest answered 'N'), allow (TLS when the client
	// asks) or require (plain text startups refused). Default off.
	Mode string `yaml:"mode"`
	// CertFile and KeyFile hold the server's certificate (chain) and its
	// private key, PEM. Required unless Mode is off.
	CertFile string `yaml:"cert_file"`
	KeyFile  string `yaml:"key_file"`
	// CAFile, PEM, holds the certificate authorities that sign client
	// certificates. When set, a client presenting a certificate must
	// present a valid one, and sql.auth cert can be used. Optional.
	CAFile string `yaml:"ca_file"`
}

// TLS modes of sql.tls.mode.
const (
	TLSOff     = "off"
	TLSAllow   = "allow"
	TLSRequire = "require"
)

// DefaultTLSMode leaves the node in plain text.
const DefaultTLSMode = TLSOff

// checkTLS checks sql.tls, loading its files so that a missing or
// malformed one stops the start with the setting named.
func checkTLS(c *Config) error {
	t := c.SQL.TLS
	switch t.Mode {
	case TLSOff:
		for setting, v := range map[string]string{"sql.tls.cert_file": t.CertFile, "sql.tls.key_file": t.KeyFile, "sql.tls.ca_file": t.CAFile} {
			if v != "" {
				// Files without TLS would leave clients in plain text
				// while the operator believes otherwise.
				return settingErr("sql.tls.mode", "off while %s is set; use allow or require", setting)
			}
		}
		if c.SQL.Auth == pgwire.AuthCert {
			return settingErr("sql.auth", "cert needs sql.tls.mode require and sql.tls.ca_file")
		}
		return nil
	case TLSAllow, TLSRequire:
	default:
		return settingErr("sql.tls.mode", "%q is not one of off, allow, require", t.Mode)
	}
	if c.SQL.Auth == pgwire.AuthCert && (t.Mode != TLSRequire || t.CAFile == "") {
		return settingErr("sql.auth", "cert needs sql.tls.mode require and sql.tls.ca_file")
	}
	_, err := t.serverConfig()
	return err
}

// serverConfig returns the tls.Config of a checked TLSConfig whose Mode
// is not off.
func (t TLSConfig) serverConfig() (*tls.Config, error) {
	switch {
	case t.CertFile == "":
		return nil, settingErr("sql.tls.cert_file", "required when sql.tls.mode is %s", t.Mode)
	case t.KeyFile == "":
		return nil, settingErr("sql.tls.key_file", "required when sql.tls.mode is %s", t.Mode)
	}
	for setting, path := range map[string]string{"sql.tls.cert_file": t.CertFile, "sql.tls.key_file": t.KeyFile} {
		if _, err := os.Stat(path); err != nil {
			return nil, settingErr(setting, "%v", err)
		}
	}
	cert, err := tls.LoadX509KeyPair(t.CertFile, t.KeyFile)
	if err != nil {
		// LoadX509KeyPair does not say which file is wrong: a
		// certificate that parses alone points at the key.
		setting := "sql.tls.key_file"
		if !holdsCertificate(t.CertFile) {
			setting = "sql.tls.cert_file"
		}
		return nil, settingErr(setting, "cannot load the key pair (%s, %s): %v", t.CertFile, t.KeyFile, err)
	}
	cfg := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	if t.CAFile != "" {
		pem, err := os.ReadFile(t.CAFile)
		if err != nil {
			return nil, settingErr("sql.tls.ca_file", "%v", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, settingErr("sql.tls.ca_file", "%s holds no PEM certificate", t.CAFile)
		}
		cfg.ClientCAs = pool
		// As PostgreSQL with ssl_ca_file: a certificate is asked for and
		// checked when given; sql.auth cert then requires one.
		cfg.ClientAuth = tls.VerifyClientCertIfGiven
	}
	return cfg, nil
}

// holdsCertificate reports whether path's first PEM block is a
// certificate that parses.
func holdsCertificate(path string) bool {
	data, err := os.ReadFile(path)
	if err != nil {
		return false
	}
	b, _ := pem.Decode(data)
	if b == nil || b.Type != "CERTIFICATE" {
		return false
	}
	_, err = x509.ParseCertificate(b.Bytes)
	return err == nil
}
