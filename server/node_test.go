package server

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/quorumdb/quorumdb/sql"
)

// testConfig is a node on free ports in a temporary directory, with a
// fast heartbeat and the admin endpoints on.
func testConfig(t *testing.T) Config {
	t.Helper()
	c := DefaultConfig()
	c.BufferDirectory = t.TempDir()
	c.ListenAddress = "127.0.0.1:0"
	c.SQL.ListenAddress = "127.0.0.1:0"
	c.Admin.ListenAddress = "127.0.0.1:0"
	c.Heartbeat = HeartbeatConfig{Interval: 50 * time.Millisecond, Timeout: 2 * time.Second, OfflineAfter: 4 * time.Second}
	c.Logger = slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	return c
}

func startNode(t *testing.T, c Config) *Node {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	n, err := Start(ctx, c)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() { _ = n.Close() })
	return n
}

func connect(t *testing.T, n *Node) *pgx.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, "postgres://postgres@"+n.SQLAddr()+"/quorumdb?sslmode=disable")
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	t.Cleanup(func() { _ = conn.Close(context.Background()) })
	return conn
}

func TestStartServesSQLAndHeartbeat(t *testing.T) {
	n := startNode(t, testConfig(t))
	if strings.HasSuffix(n.SQLAddr(), ":0") || n.AdminAddr() == "" {
		t.Fatalf("addresses not resolved: sql %q admin %q", n.SQLAddr(), n.AdminAddr())
	}
	conn := connect(t, n)
	ctx := context.Background()

	var id int64
	var sqlAddr, state, version string
	err := conn.QueryRow(ctx, "select node_id, sql_address, state, version from cluster_node_heartbeat").
		Scan(&id, &sqlAddr, &state, &version)
	if err != nil {
		t.Fatal(err)
	}
	if id != 1 || sqlAddr != n.SQLAddr() || state != "ACTIVE" || version != Version {
		t.Errorf("heartbeat row: node %d sql %q state %s version %q", id, sqlAddr, state, version)
	}
}

func TestAdminEndpoints(t *testing.T) {
	n := startNode(t, testConfig(t))
	for path, want := range map[string]string{
		"/healthz": "ok",
		"/metrics": "quorumdb_heartbeat_last_write_timestamp_seconds",
	} {
		resp, err := http.Get("http://" + n.AdminAddr() + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), want) {
			t.Errorf("GET %s: %d, body lacks %q:\n%.500s", path, resp.StatusCode, want, body)
		}
	}
}

// TestRestartKeepsData closes a node and starts another on the same
// directory: Close must release everything (ports, the store's lock) and
// committed data must survive.
func TestRestartKeepsData(t *testing.T) {
	c := testConfig(t)
	n := startNode(t, c)
	conn := connect(t, n)
	ctx := context.Background()
	if _, err := conn.Exec(ctx, "create table t (k int primary key, v text)"); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, "insert into t values (1, 'kept')"); err != nil {
		t.Fatal(err)
	}
	_ = conn.Close(ctx)
	addr := n.SQLAddr()
	if err := n.Close(); err != nil {
		t.Fatal(err)
	}
	if err := n.Close(); err != nil { // idempotent
		t.Fatal(err)
	}
	if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		c.Close()
		t.Errorf("SQL port %s still accepts connections after Close", addr)
	}

	n2 := startNode(t, c)
	var v string
	if err := connect(t, n2).QueryRow(ctx, "select v from t where k = 1").Scan(&v); err != nil || v != "kept" {
		t.Fatalf("after restart: %q, %v", v, err)
	}
}

// TestStartFailureCleansUp makes Start fail after the store is open (the
// SQL port is taken) and checks the store was closed again.
func TestStartFailureCleansUp(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	c := testConfig(t)
	c.SQL.ListenAddress = taken.Addr().String()
	if n, err := Start(context.Background(), c); err == nil {
		n.Close()
		t.Fatal("Start succeeded on a taken port")
	}
	c.SQL.ListenAddress = "127.0.0.1:0"
	startNode(t, c) // the store's directory lock was released
}

func TestStartRefuses(t *testing.T) {
	c := testConfig(t)
	c.SQL.Auth = "md5"
	if _, err := Start(context.Background(), c); !errors.Is(err, ErrConfig) {
		t.Errorf("md5 without password: %v, want ErrConfig", err)
	}
}

func TestPasswordAuth(t *testing.T) {
	c := testConfig(t)
	c.SQL.Auth = "md5"
	c.SQL.SuperuserPassword = "s3cret"
	n := startNode(t, c)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if conn, err := pgx.Connect(ctx, "postgres://postgres:wrong@"+n.SQLAddr()+"/quorumdb?sslmode=disable"); err == nil {
		conn.Close(ctx)
		t.Error("wrong password accepted")
	}
	conn, err := pgx.Connect(ctx, "postgres://postgres:s3cret@"+n.SQLAddr()+"/quorumdb?sslmode=disable")
	if err != nil {
		t.Fatalf("right password: %v", err)
	}
	conn.Close(ctx)
}

// TestConnectErrorIsNilSession guards the adapter against handing pgwire
// a non-nil interface holding a nil *sql.Session.
func TestConnectErrorIsNilSession(t *testing.T) {
	n := startNode(t, testConfig(t))
	s, err := pgEngine{n.engine}.Connect(context.Background(), sql.ConnParams{User: "nobody", Database: "quorumdb"})
	if err == nil || s != nil {
		t.Fatalf("Connect(unknown role) = %#v, %v; want nil, error", s, err)
	}
}

func TestAdvertisedSQLAddr(t *testing.T) {
	for _, tc := range []struct{ listen, advertise, want string }{
		{"127.0.0.1:5433", "10.0.0.1:7433", "127.0.0.1:5433"},
		{"0.0.0.0:5433", "10.0.0.1:7433", "10.0.0.1:5433"},
		{"[::]:6000", "db1.example:7433", "db1.example:6000"},
	} {
		addr, err := net.ResolveTCPAddr("tcp", tc.listen)
		if err != nil {
			t.Fatal(err)
		}
		if got := advertisedSQLAddr(addr, tc.advertise); got != tc.want {
			t.Errorf("advertisedSQLAddr(%s, %s) = %s, want %s", tc.listen, tc.advertise, got, tc.want)
		}
	}
}
