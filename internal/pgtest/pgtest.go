package pgtest

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// findBin finds a PostgreSQL binary on PATH, then in /usr/local/bin,
// then where Debian's postgresql-15 package puts it.
func findBin(name string) (string, bool) {
	if p, err := exec.LookPath(name); err == nil {
		return p, true
	}
	for _, dir := range []string{"/usr/local/bin", "/usr/lib/postgresql/15/bin"} {
		p := filepath.Join(dir, name)
		if _, err := os.Stat(p); err == nil {
			return p, true
		}
	}
	return "", false
}

// credential returns nil when not root. PostgreSQL refuses to run as
// root, so as root it returns the "postgres" (else "nobody") user and
// gives it dir and dir's parent (the test's private temp directory).
func credential(t testing.TB, dir string) *syscall.Credential {
	if os.Geteuid() != 0 {
		return nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		if u, err = user.Lookup("nobody"); err != nil {
			t.Fatalf("running as root and no postgres or nobody user: %v", err)
		}
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	for _, d := range []string{filepath.Dir(dir), dir} {
		if err := os.Chown(d, uid, gid); err != nil {
			t.Fatal(err)
		}
	}
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
}

// Start starts a throwaway PostgreSQL in a temporary directory
// and returns its DSN; the server is stopped when the test ends. Without
// the binaries the test is skipped, or fails when CI=true.
func Start(t testing.TB) string {
	t.Helper()
	bins := map[string]string{}
	for _, name := range []string{"initdb", "pg_ctl", "postgres"} {
		p, ok := findBin(name)
		if !ok {
			if os.Getenv("CI") == "true" {
				t.Fatalf("PostgreSQL binary %s not found", name)
			}
			t.Skipf("PostgreSQL binary %s not found", name)
		}
		bins[name] = p
	}
	dir := t.TempDir()
	cred := credential(t, dir)
	data := filepath.Join(dir, "data")
	initdb := exec.Command(bins["initdb"], "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale")
	initdb.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	if out, err := initdb.CombinedOutput(); err != nil {
		t.Fatalf("initdb: %v\n%s", err, out)
	}

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()

	logPath := filepath.Join(dir, "postgres.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	defer logFile.Close()
	srv := exec.Command(bins["postgres"], "-D", data, "-k", dir, "-p", strconv.Itoa(port),
		"-c", "listen_addresses=127.0.0.1", "-c", "fsync=off")
	srv.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	srv.Stdout, srv.Stderr = logFile, logFile
	if err := srv.Start(); err != nil {
		t.Fatalf("start postgres: %v", err)
	}
	exited := make(chan struct{})
	go func() {
		srv.Wait()
		close(exited)
	}()
	t.Cleanup(func() {
		stop := exec.Command(bins["pg_ctl"], "stop", "-D", data, "-m", "fast", "-w")
		stop.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
		if out, err := stop.CombinedOutput(); err != nil {
			t.Logf("pg_ctl stop: %v\n%s", err, out)
			srv.Process.Kill()
		}
		select {
		case <-exited:
		case <-time.After(30 * time.Second):
			srv.Process.Kill()
			<-exited
		}
	})

	dsn := fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port)
	deadline := time.Now().Add(30 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		c, err := pgconn.Connect(ctx, dsn)
		cancel()
		if err == nil {
			c.Close(context.Background())
			return dsn
		}
		select {
		case <-exited:
			log, _ := os.ReadFile(logPath)
			t.Fatalf("postgres exited: %v\n%s", err, log)
		default:
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(logPath)
			t.Fatalf("postgres not ready: %v\n%s", err, log)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
