package logictest

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// findPGBin finds a PostgreSQL binary on PATH, then in /usr/local/bin.
func findPGBin(name string) (string, bool) {
	if p, err := exec.LookPath(name); err == nil {
		return p, true
	}
	p := filepath.Join("/usr/local/bin", name)
	if _, err := os.Stat(p); err == nil {
		return p, true
	}
	return "", false
}

// pgCredential returns nil when not root. PostgreSQL refuses to run as
// root, so as root it returns the "postgres" (else "nobody") user and
// gives it dir and dir's parent (the test's private temp directory).
func pgCredential(t *testing.T, dir string) *syscall.Credential {
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

// startPostgres starts a throwaway PostgreSQL in a temporary directory
// and returns its DSN; the server is stopped when the test ends. Without
// the binaries the test is skipped, or fails when CI=true.
func startPostgres(t *testing.T) string {
	t.Helper()
	bins := map[string]string{}
	for _, name := range []string{"initdb", "pg_ctl", "postgres"} {
		p, ok := findPGBin(name)
		if !ok {
			if os.Getenv("CI") == "true" {
				t.Fatalf("PostgreSQL binary %s not found", name)
			}
			t.Skipf("PostgreSQL binary %s not found", name)
		}
		bins[name] = p
	}
	dir := t.TempDir()
	cred := pgCredential(t, dir)
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

func TestRunFilePostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("starts PostgreSQL")
	}
	dsn := startPostgres(t)
	ctx := context.Background()
	var logs []string
	cfg := Config{DSN: dsn, Engine: "postgresql", Verbose: true,
		Logf: func(format string, args ...any) { logs = append(logs, fmt.Sprintf(format, args...)) }}

	t.Run("basic", func(t *testing.T) {
		res, err := RunFile(ctx, cfg, "testdata/basic.slt")
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range res.Failures {
			t.Errorf("unexpected failure:\n%s", f.Format(res.Path))
		}
		// Skipped: skipif postgresql, onlyif mysql, "include", and the
		// statement after the halt.
		if res.Passed != 22 || res.Failed != 0 || res.Skipped != 4 || res.Records != 26 {
			t.Errorf("got %d passed, %d failed, %d skipped of %d records; want 22, 0, 4 of 26",
				res.Passed, res.Failed, res.Skipped, res.Records)
		}
		if !strings.Contains(strings.Join(logs, "\n"), `skipping unsupported record "include"`) {
			t.Errorf("no log of the unsupported record in %q", logs)
		}
	})

	t.Run("failures", func(t *testing.T) {
		res, err := RunFile(ctx, cfg, "testdata/fail.slt")
		if err != nil {
			t.Fatal(err)
		}
		want := []struct {
			line   int
			reason string
			got    string
		}{
			{7, "wrong result", "1"},
			{12, "statement failed", "ERROR 42P01: " + `relation "nosuch" does not exist`},
			{15, "expected an error", "ok"},
			{18, "wrong number of columns", "2 columns"},
			{23, "wrong error", "ERROR 22012: division by zero"},
		}
		if res.Passed != 2 || res.Failed != len(want) {
			t.Errorf("got %d passed, %d failed; want 2, %d", res.Passed, res.Failed, len(want))
		}
		for i, w := range want {
			if i >= len(res.Failures) {
				break
			}
			f := res.Failures[i]
			if f.Line != w.line || f.Reason != w.reason || f.Got != w.got {
				t.Errorf("failure %d = line %d %q got %q; want line %d %q got %q",
					i, f.Line, f.Reason, f.Got, w.line, w.reason, w.got)
			}
		}
	})

	t.Run("stop on error", func(t *testing.T) {
		c := cfg
		c.StopOnError = true
		res, err := RunFile(ctx, c, "testdata/fail.slt")
		if err != nil {
			t.Fatal(err)
		}
		if res.Passed != 1 || res.Failed != 1 || res.Skipped != 5 || !res.Stopped {
			t.Errorf("got %d passed, %d failed, %d skipped, stopped %v; want 1, 1, 5, true",
				res.Passed, res.Failed, res.Skipped, res.Stopped)
		}
	})

	t.Run("timeout", func(t *testing.T) {
		c := cfg
		c.StatementTimeout = 300 * time.Millisecond
		start := time.Now()
		res, err := RunFile(ctx, c, "testdata/timeout.slt")
		if err != nil {
			t.Fatal(err)
		}
		if res.Passed != 3 || res.Failed != 1 || res.Failures[0].Line != 7 ||
			!strings.Contains(res.Failures[0].Got, "timed out after 300ms") {
			t.Errorf("got %d passed, %d failed, failures %+v; want 3 passed and line 7 timed out",
				res.Passed, res.Failed, res.Failures)
		}
		if d := time.Since(start); d > 8*time.Second {
			t.Errorf("took %s: the timeout did not cut the statement short", d)
		}
	})

	t.Run("databases dropped", func(t *testing.T) {
		c, err := pgconn.Connect(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close(ctx)
		rs, err := c.Exec(ctx, "SELECT datname FROM pg_database WHERE datname LIKE 'slt\\_%'").ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if n := len(rs[0].Rows); n != 0 {
			t.Errorf("%d slt_ databases left behind", n)
		}
	})

	t.Run("bad DSN database", func(t *testing.T) {
		c := cfg
		c.DSN = strings.Replace(dsn, "/postgres?", "/nosuchdb?", 1)
		if _, err := RunFile(ctx, c, "testdata/basic.slt"); err == nil {
			t.Error("RunFile with an unreachable database: want an error")
		}
	})
}
