package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/quorumdb/quorumdb/server"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
	buildOut  []byte
)

// quorumdbBinary builds the command once per test run, into a temporary
// directory removed by TestMain.
func quorumdbBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "quorumdb-cli-test-")
		if err != nil {
			buildErr = err
			return
		}
		binDir = dir
		binPath = filepath.Join(dir, "quorumdb")
		cmd := exec.Command("go", "build", "-o", binPath, ".")
		buildOut, buildErr = cmd.CombinedOutput()
	})
	if buildErr != nil {
		t.Fatalf("go build: %v\n%s", buildErr, buildOut)
	}
	return binPath
}

var binDir string

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

func TestVersionInProcess(t *testing.T) {
	var out bytes.Buffer
	if code := run([]string{"version"}, &out, &out); code != exitOK {
		t.Fatalf("exit %d", code)
	}
	if !strings.Contains(out.String(), server.Version) || !strings.Contains(out.String(), runtime.Version()) {
		t.Errorf("version output %q lacks %s or %s", out.String(), server.Version, runtime.Version())
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{nil, {"frobnicate"}, {"demo", "--nodes", "0"}, {"demo", "extra"}, {"start", "--bogus"}} {
		var out bytes.Buffer
		if code := run(args, &out, &out); code != exitUsage {
			t.Errorf("%q: exit %d, want %d\n%s", args, code, exitUsage, out.String())
		}
	}
}

func TestVersionBinary(t *testing.T) {
	out, err := exec.Command(quorumdbBinary(t), "version").CombinedOutput()
	if err != nil {
		t.Fatalf("quorumdb version: %v\n%s", err, out)
	}
	if !regexp.MustCompile(`(?m)^quorumdb version \S+\ngo version go`).Match(out) {
		t.Errorf("unexpected output:\n%s", out)
	}
}

func TestDemoRejectsMultiNode(t *testing.T) {
	out, err := exec.Command(quorumdbBinary(t), "demo", "--nodes", "3").CombinedOutput()
	if code := exitCode(err); code != exitFailure {
		t.Errorf("exit %d, want %d", code, exitFailure)
	}
	if !strings.Contains(string(out), "multi-node demo requires the cluster layer (not yet available)") {
		t.Errorf("output lacks the reason:\n%s", out)
	}
}

func TestStartRejectsUnknownKey(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "quorumdb.yaml")
	if err := os.WriteFile(cfg, []byte("sql:\n  listen_adress: 127.0.0.1:0\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(quorumdbBinary(t), "start", "--config", cfg).CombinedOutput()
	if code := exitCode(err); code != exitFailure {
		t.Errorf("exit %d, want %d", code, exitFailure)
	}
	if !strings.Contains(string(out), "sql.listen_adress") {
		t.Errorf("output does not name the unknown key:\n%s", out)
	}
}

// TestDemoServesAndStops runs the demo on a free port, connects to it,
// stops it with SIGTERM and checks the exit status and the cleanup.
func TestDemoServesAndStops(t *testing.T) {
	port := freePort(t)
	cmd := exec.Command(quorumdbBinary(t), "demo", "--sql-port", strconv.Itoa(port))
	// An io.Pipe rather than StdoutPipe: reading a StdoutPipe while Wait
	// runs is a race, and Wait runs concurrently here.
	stdout, stdoutW := io.Pipe()
	cmd.Stdout = stdoutW
	var stderr lockedBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() {
		err := cmd.Wait()
		stdoutW.Close() // ends readBanner's scanner
		exited <- err
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Kill() // by PID; harmless once exited
		<-exited
	})

	addr := "127.0.0.1:" + strconv.Itoa(port)
	banner := readBanner(t, stdout, &stderr)
	wantPsql := `psql "postgresql://postgres@` + addr + `/quorumdb?sslmode=disable"`
	if !strings.Contains(banner, wantPsql) {
		t.Errorf("banner lacks %s:\n%s", wantPsql, banner)
	}
	dataDir := regexp.MustCompile(`data in (\S+) \(removed on exit\)`).FindStringSubmatch(banner)
	if dataDir == nil {
		t.Fatalf("banner does not say where the data is:\n%s", banner)
	}

	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatalf("dial %s: %v", addr, err)
	}
	conn.Close()

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		exited <- err // for Cleanup
		if err != nil {
			t.Fatalf("demo exited with %v after SIGTERM\nstderr:\n%s", err, stderr.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("demo still running 30s after SIGTERM\nstderr:\n%s", stderr.String())
	}
	if _, err := os.Stat(dataDir[1]); !os.IsNotExist(err) {
		t.Errorf("demo data directory %s not removed: %v", dataDir[1], err)
	}
}

// readBanner reads stdout up to the "Press Ctrl-C" line.
func readBanner(t *testing.T, r io.Reader, stderr *lockedBuffer) string {
	t.Helper()
	lines := make(chan string)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	var b strings.Builder
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("demo ended its output early:\n%s\nstderr:\n%s", b.String(), stderr.String())
			}
			b.WriteString(l + "\n")
			if strings.HasPrefix(l, "Press Ctrl-C") {
				go func() { // keep draining
					for range lines {
					}
				}()
				return b.String()
			}
		case <-ctx.Done():
			t.Fatalf("no banner after 60s:\n%s\nstderr:\n%s", b.String(), stderr.String())
		}
	}
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func exitCode(err error) int {
	if err == nil {
		return 0
	}
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	return -1
}

// lockedBuffer is a bytes.Buffer safe for the exec copier goroutine and
// the test to share.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
