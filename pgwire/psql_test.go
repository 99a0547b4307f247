package pgwire

import (
	"bytes"
	"context"
	"errors"
	"net"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// psql runs psql against s as user with password, feeding stdin; it
// returns stdout, stderr and the exit code.
func (s *testServer) psql(t *testing.T, user, password, stdin string, args ...string) (string, string, int) {
	t.Helper()
	path, err := exec.LookPath("psql")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("psql is required in CI: %v", err)
		}
		t.Skipf("psql not installed: %v", err)
	}
	host, port, _ := net.SplitHostPort(s.addr)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, append([]string{"-X", "-A", "-t", "-v", "ON_ERROR_STOP=1",
		"-h", host, "-p", port, "-U", user, "-d", "db"}, args...)...)
	cmd.Env = append(os.Environ(), "PGPASSWORD="+password, "PGCONNECT_TIMEOUT=10", "PGSSLMODE=prefer",
		"PGAPPNAME=psql-test", "PGSERVICEFILE=/nonexistent", "PSQLRC=/nonexistent")
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return stdout.String(), stderr.String(), code
}

func TestPsql(t *testing.T) {
	s := startServer(t, Config{Auth: AuthMD5})

	out, errOut, code := s.psql(t, "alice", "secret", "", "-c", "select 1", "-c", "rows 3", "-c", "copy t to stdout")
	if want := "1\n1\n2\n3\n1\tone\n2\ttwo\n3\tthree\n"; code != 0 || out != want {
		t.Fatalf("psql exit %d\nstdout %q, want %q\nstderr %s", code, out, want, errOut)
	}

	out, errOut, code = s.psql(t, "bob", "hunter2", "1\ta\n2\tb\n", "-c", "copy t from stdin")
	if code != 0 || out != "COPY 2\n" {
		t.Fatalf("psql copy from stdin: exit %d, stdout %q, stderr %s", code, out, errOut)
	}
	if got := s.engine.copies(); len(got) != 1 || got[0] != "1\ta\n2\tb\n" {
		t.Fatalf("copied %q", got)
	}

	// A script through psql's stdin: notices, errors with hints.
	_, errOut, code = s.psql(t, "alice", "secret", "notice hi there;\nerror 22012 boom;\nselect 1;\n")
	if code != 3 || !strings.Contains(errOut, "NOTICE:  hi there") || !strings.Contains(errOut, "ERROR:  boom") || !strings.Contains(errOut, "HINT:  a test error") {
		t.Fatalf("psql script: exit %d, stderr %s", code, errOut)
	}

	_, errOut, code = s.psql(t, "alice", "wrong", "", "-c", "select 1")
	if code != 2 || !strings.Contains(errOut, `password authentication failed for user "alice"`) {
		t.Fatalf("psql wrong password: exit %d, stderr %s", code, errOut)
	}
}
