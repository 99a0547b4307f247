package server

import (
	"context"
	"crypto/tls"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/quorumdb/quorumdb/internal/testcert"
)

// tlsNode starts a node with sql.tls in mode, certificates made for the
// test.
func tlsNode(t *testing.T, mode string, edit func(*Config)) (*Node, *testcert.Set) {
	t.Helper()
	certs := testcert.New(t)
	c := testConfig(t)
	c.SQL.TLS = TLSConfig{Mode: mode, CertFile: certs.CertFile, KeyFile: certs.KeyFile}
	if edit != nil {
		edit(&c)
	}
	return startNode(t, c), certs
}

// TestTLSClients: with sql.tls.mode allow, pgx (sslmode=require and
// verify-full with the CA), lib/pq and psql (sslmode=require) connect
// encrypted; SHOW ssl is on and pg_stat_ssl describes the session; a
// plain text client still gets in.
func TestTLSClients(t *testing.T) {
	n, certs := tlsNode(t, TLSAllow, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	base := "postgres://postgres@" + n.SQLAddr() + "/quorumdb?"

	for _, mode := range []string{"sslmode=require", "sslmode=verify-full&sslrootcert=" + certs.CAFile} {
		conn, err := pgx.Connect(ctx, base+mode)
		if err != nil {
			t.Fatalf("pgx %s: %v", mode, err)
		}
		if _, ok := conn.PgConn().Conn().(*tls.Conn); !ok {
			t.Errorf("pgx %s: not a TLS connection", mode)
		}
		var ssl, version, cipher, show string
		var bits, pid int32
		err = conn.QueryRow(ctx, "SELECT ssl::text, version, cipher, bits, pid FROM pg_stat_ssl WHERE pid = pg_backend_pid()").
			Scan(&ssl, &version, &cipher, &bits, &pid)
		if err != nil || ssl != "true" || version != "TLSv1.3" || cipher == "" || bits < 128 || pid == 0 {
			t.Errorf("pg_stat_ssl: %s %s %s %d %d, %v", ssl, version, cipher, bits, pid, err)
		}
		if err := conn.QueryRow(ctx, "SHOW ssl").Scan(&show); err != nil || show != "on" {
			t.Errorf("SHOW ssl = %q, %v", show, err)
		}
		_ = conn.Close(ctx)
	}

	plain := connect(t, n)
	var ssl bool
	if err := plain.QueryRow(ctx, "SELECT ssl FROM pg_stat_ssl").Scan(&ssl); err != nil || ssl {
		t.Errorf("plain text pg_stat_ssl.ssl = %v, %v", ssl, err)
	}

	db, err := sql.Open("postgres", base+"sslmode=require")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var version string
	if err := db.QueryRow("SELECT version FROM pg_stat_ssl").Scan(&version); err != nil || version != "TLSv1.3" {
		t.Errorf("lib/pq sslmode=require: %q, %v", version, err)
	}

	host, port := hostPort(n.SQLAddr())
	out := runTool(t, "psql", "-X", "-At", "-c", "SELECT ssl, version FROM pg_stat_ssl",
		"host="+host+" port="+port+" user=postgres dbname=quorumdb sslmode=require")
	if strings.TrimSpace(out) != "t|TLSv1.3" {
		t.Errorf("psql sslmode=require: %q", out)
	}
}

// TestTLSRequireMode: plain text startups are refused with
// PostgreSQL's words; psql under scram-sha-256 with
// channel_binding=require gets in (SCRAM-SHA-256-PLUS).
func TestTLSRequireMode(t *testing.T) {
	n, _ := tlsNode(t, TLSRequire, func(c *Config) {
		c.SQL.Auth = "scram-sha-256"
		c.SQL.SuperuserPassword = "s3cret"
	})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	base := "postgres://postgres:s3cret@" + n.SQLAddr() + "/quorumdb?"
	_, err := pgx.Connect(ctx, base+"sslmode=disable")
	if pgCode(err) != "28000" || !strings.Contains(err.Error(), `no pg_hba.conf entry for host "127.0.0.1", user "postgres", database "quorumdb", no encryption`) {
		t.Errorf("plain text: %v", err)
	}
	conn, err := pgx.Connect(ctx, base+"sslmode=require&channel_binding=require")
	if err != nil {
		t.Fatalf("pgx channel_binding=require: %v", err)
	}
	_ = conn.Close(ctx)

	host, port := hostPort(n.SQLAddr())
	conninfo := "host=" + host + " port=" + port + " user=postgres password=s3cret dbname=quorumdb"
	out := runTool(t, "psql", "-X", "-At", "-c", "SELECT ssl FROM pg_stat_ssl", conninfo+" sslmode=require channel_binding=require")
	if strings.TrimSpace(out) != "t" {
		t.Errorf("psql channel_binding=require: %q", out)
	}
	// A FATAL error over TLS reaches psql intact (close_notify after it).
	wrong := strings.Replace(conninfo, "s3cret", "wrong", 1)
	out2, err := toolCommand(t, "psql", "-X", "-At", "-c", "SELECT 1", wrong+" sslmode=require").CombinedOutput()
	if err == nil || !strings.Contains(string(out2), `password authentication failed for user "postgres"`) || strings.Contains(string(out2), "SSL") {
		t.Errorf("psql with a wrong password over TLS: %v\n%s", err, out2)
	}
	cmd := toolCommand(t, "psql", "-X", "-At", "-c", "SELECT 1", conninfo+" sslmode=disable")
	if out, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(out), "no encryption") {
		t.Errorf("psql sslmode=disable: %v\n%s", err, out)
	}
}

// TestTLSConfigErrors: bad TLS settings stop the start, naming the
// setting.
func TestTLSConfigErrors(t *testing.T) {
	certs := testcert.New(t)
	dir := t.TempDir()
	garbage := filepath.Join(dir, "garbage.pem")
	if err := os.WriteFile(garbage, []byte("not PEM\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing.pem")
	for _, tc := range []struct {
		name    string
		tls     TLSConfig
		auth    string
		setting string
		msg     string
	}{
		{"bad mode", TLSConfig{Mode: "on"}, "", "sql.tls.mode", `"on" is not one of off, allow, require`},
		{"no cert", TLSConfig{Mode: TLSAllow}, "", "sql.tls.cert_file", "required"},
		{"no key", TLSConfig{Mode: TLSRequire, CertFile: certs.CertFile}, "", "sql.tls.key_file", "required"},
		{"missing cert", TLSConfig{Mode: TLSAllow, CertFile: missing, KeyFile: certs.KeyFile}, "", "sql.tls.cert_file", "no such file"},
		{"garbage cert", TLSConfig{Mode: TLSAllow, CertFile: garbage, KeyFile: certs.KeyFile}, "", "sql.tls.cert_file", "cannot load"},
		{"garbage key", TLSConfig{Mode: TLSAllow, CertFile: certs.CertFile, KeyFile: garbage}, "", "sql.tls.key_file", "cannot load"},
		{"key of another cert", TLSConfig{Mode: TLSAllow, CertFile: certs.CertFile, KeyFile: certs.CAFile}, "", "sql.tls.key_file", "cannot load"},
		{"garbage ca", TLSConfig{Mode: TLSAllow, CertFile: certs.CertFile, KeyFile: certs.KeyFile, CAFile: garbage}, "", "sql.tls.ca_file", "no PEM certificate"},
		{"files while off", TLSConfig{Mode: TLSOff, CertFile: certs.CertFile}, "", "sql.tls.mode", "off while sql.tls.cert_file is set"},
		{"cert auth without ca", TLSConfig{Mode: TLSRequire, CertFile: certs.CertFile, KeyFile: certs.KeyFile}, "cert", "sql.auth", "needs"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := testConfig(t)
			c.SQL.TLS = tc.tls
			if tc.auth != "" {
				c.SQL.Auth = tc.auth
			}
			_, err := Start(context.Background(), c)
			ce, ok := errors.AsType[*ConfigError](err)
			if !ok || ce.Setting != tc.setting || !strings.Contains(ce.Msg, tc.msg) {
				t.Errorf("Start: %v; want %s: ...%s...", err, tc.setting, tc.msg)
			}
		})
	}
}

// TestCertAuthNode: sql.auth cert admits the client whose certificate,
// signed by sql.tls.ca_file, names the role.
func TestCertAuthNode(t *testing.T) {
	certs := testcert.New(t)
	c := testConfig(t)
	c.SQL.Auth = "cert"
	c.SQL.TLS = TLSConfig{Mode: TLSRequire, CertFile: certs.CertFile, KeyFile: certs.KeyFile, CAFile: certs.CAFile}
	n := startNode(t, c)
	cert, key, _ := certs.Client(t, "postgres")
	host, port := hostPort(n.SQLAddr())
	out := runTool(t, "psql", "-X", "-At", "-c", "SELECT current_user",
		"host="+host+" port="+port+" user=postgres dbname=quorumdb sslmode=verify-full sslrootcert="+certs.CAFile+" sslcert="+cert+" sslkey="+key)
	if strings.TrimSpace(out) != "postgres" {
		t.Errorf("psql with a client certificate: %q", out)
	}
}
