package testcert

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// Set is a CA and a server certificate, as files and as loaded values.
type Set struct {
	// CAFile, CertFile and KeyFile are PEM files in the test's
	// temporary directory.
	CAFile, CertFile, KeyFile string
	// CAPool holds the CA, for clients that verify the server.
	CAPool *x509.CertPool
	// Server is the server certificate with its key.
	Server tls.Certificate

	dir    string
	ca     *x509.Certificate
	caKey  *ecdsa.PrivateKey
	serial int64
}

// New makes a CA and a server certificate for localhost and 127.0.0.1.
func New(t testing.TB) *Set {
	t.Helper()
	s := &Set{dir: t.TempDir(), serial: 1}
	s.caKey = newKey(t)
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(s.serial),
		Subject:               pkix.Name{CommonName: "quorumdb test CA"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &s.caKey.PublicKey, s.caKey)
	if err != nil {
		t.Fatal(err)
	}
	if s.ca, err = x509.ParseCertificate(der); err != nil {
		t.Fatal(err)
	}
	s.CAFile = s.write(t, "ca.crt", "CERTIFICATE", der)
	s.CAPool = x509.NewCertPool()
	s.CAPool.AddCert(s.ca)
	s.CertFile, s.KeyFile, s.Server = s.issue(t, "server", "localhost", x509.ExtKeyUsageServerAuth)
	return s
}

// Client issues a client certificate with common name cn; it returns
// its files and the loaded certificate.
func (s *Set) Client(t testing.TB, cn string) (certFile, keyFile string, cert tls.Certificate) {
	t.Helper()
	return s.issue(t, "client-"+cn, cn, x509.ExtKeyUsageClientAuth)
}

// ServerTLS returns a server tls.Config with the server certificate.
func (s *Set) ServerTLS() *tls.Config {
	return &tls.Config{Certificates: []tls.Certificate{s.Server}}
}

func (s *Set) issue(t testing.TB, name, cn string, usage x509.ExtKeyUsage) (string, string, tls.Certificate) {
	t.Helper()
	key := newKey(t)
	s.serial++
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(s.serial),
		Subject:      pkix.Name{CommonName: cn},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{usage},
	}
	if usage == x509.ExtKeyUsageServerAuth {
		tmpl.DNSNames = []string{"localhost"}
		tmpl.IPAddresses = []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, s.ca, &key.PublicKey, s.caKey)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile := s.write(t, name+".crt", "CERTIFICATE", der)
	keyFile := s.write(t, name+".key", "PRIVATE KEY", keyDER)
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		t.Fatal(err)
	}
	return certFile, keyFile, cert
}

func (s *Set) write(t testing.TB, name, blockType string, der []byte) string {
	t.Helper()
	path := filepath.Join(s.dir, name)
	// 0600: libpq refuses a client key readable by others.
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: blockType, Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func newKey(t testing.TB) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}
