package server

import (
	"context"
	"crypto/md5"
	"database/sql"
	"encoding/hex"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// TestSCRAMAuth runs a node with auth scram-sha-256: the superuser and a
// role created by SQL log in with pgx, lib/pq and psql; passwords are
// stored as verifiers (pg_authid shows them, as PostgreSQL does to
// superusers); password_encryption = md5 stores an md5 hash, which
// SCRAM cannot check.
func TestSCRAMAuth(t *testing.T) {
	c := testConfig(t)
	c.SQL.Auth = "scram-sha-256"
	c.SQL.SuperuserPassword = "s3cret"
	n := startNode(t, c)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	dsn := func(user, password string) string {
		return "postgres://" + url.UserPassword(user, password).String() + "@" + n.SQLAddr() + "/quorumdb?sslmode=disable"
	}
	login := func(user, password string) error {
		conn, err := pgx.Connect(ctx, dsn(user, password))
		if err != nil {
			return err
		}
		return conn.Close(ctx)
	}

	if err := login("postgres", "wrong"); pgCode(err) != "28P01" {
		t.Errorf("wrong superuser password: %v, want 28P01", err)
	}
	admin, err := pgx.Connect(ctx, dsn("postgres", "s3cret"))
	if err != nil {
		t.Fatalf("superuser: %v", err)
	}
	defer admin.Close(ctx)

	mustExec(t, admin, "CREATE ROLE app LOGIN PASSWORD 'p@ss word'")
	var stored string
	if err := admin.QueryRow(ctx, "SELECT rolpassword FROM pg_authid WHERE rolname = 'app'").Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(stored, "SCRAM-SHA-256$4096:") {
		t.Errorf("app's stored password %q, want a SCRAM-SHA-256 verifier", stored)
	}
	if err := login("app", "p@ss word"); err != nil {
		t.Errorf("pgx as app: %v", err)
	}
	db, _ := sql.Open("postgres", dsn("app", "p@ss word"))
	if err := db.Ping(); err != nil {
		t.Errorf("lib/pq as app: %v", err)
	}
	db.Close()
	out := runTool(t, "psql", dsn("app", "p@ss word"), "-X", "-At", "-c", "select current_user")
	if strings.TrimSpace(out) != "app" {
		t.Errorf("psql as app: %q", out)
	}

	appConn, err := pgx.Connect(ctx, dsn("app", "p@ss word"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := appConn.Exec(ctx, "SELECT rolpassword FROM pg_authid"); pgCode(err) != "42501" {
		t.Errorf("pg_authid read by a non-superuser: %v, want 42501", err)
	}
	appConn.Close(ctx)

	mustExec(t, admin, "ALTER ROLE app PASSWORD 'new'")
	if err := login("app", "p@ss word"); pgCode(err) != "28P01" {
		t.Errorf("old password after ALTER ROLE: %v, want 28P01", err)
	}
	if err := login("app", "new"); err != nil {
		t.Errorf("new password after ALTER ROLE: %v", err)
	}

	mustExec(t, admin, "SET password_encryption = 'md5'")
	mustExec(t, admin, "CREATE ROLE legacy LOGIN PASSWORD 'pw'")
	if err := admin.QueryRow(ctx, "SELECT rolpassword FROM pg_authid WHERE rolname = 'legacy'").Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if stored != "md5"+md5hexForTest("pw", "legacy") {
		t.Errorf("legacy's stored password %q, want its md5 hash", stored)
	}
	if err := login("legacy", "pw"); pgCode(err) != "28P01" {
		t.Errorf("md5-hashed password under scram-sha-256: %v, want 28P01", err)
	}
	if _, err := admin.Exec(ctx, "SET password_encryption = 'des'"); pgCode(err) != "22023" {
		t.Errorf("bad password_encryption: %v, want 22023", err)
	}
}

// md5hexForTest is PostgreSQL's md5 password form without the "md5"
// prefix: md5hex(password + user).
func md5hexForTest(password, user string) string {
	sum := md5.Sum([]byte(password + user))
	return hex.EncodeToString(sum[:])
}
