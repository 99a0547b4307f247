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

	"github.com/jackc/pgx/v5"

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

// demoProcess is a running `quorumdb demo`.
type demoProcess struct {
	cmd    *exec.Cmd
	stderr *lockedBuffer
	exited chan error
	banner string
}

// startDemo runs the demo with args and reads its banner; the process is
// killed (by PID) at the end of the test if it is still running.
func startDemo(t *testing.T, args ...string) *demoProcess {
	t.Helper()
	d := &demoProcess{cmd: exec.Command(quorumdbBinary(t), append([]string{"demo"}, args...)...), stderr: &lockedBuffer{}, exited: make(chan error, 1)}
	// An io.Pipe rather than StdoutPipe: reading a StdoutPipe while Wait
	// runs is a race, and Wait runs concurrently here.
	stdout, stdoutW := io.Pipe()
	d.cmd.Stdout = stdoutW
	d.cmd.Stderr = d.stderr
	if err := d.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		err := d.cmd.Wait()
		stdoutW.Close() // ends readBanner's scanner
		d.exited <- err
	}()
	t.Cleanup(func() {
		_ = d.cmd.Process.Kill() // by PID; harmless once exited
		<-d.exited
	})
	d.banner = readBanner(t, stdout, d.stderr)
	return d
}

// stop sends SIGTERM and checks a clean exit and the data directory's
// removal.
func (d *demoProcess) stop(t *testing.T) {
	t.Helper()
	dataDir := regexp.MustCompile(`data in (\S+) \(removed on exit\)`).FindStringSubmatch(d.banner)
	if dataDir == nil {
		t.Fatalf("banner does not say where the data is:\n%s", d.banner)
	}
	if err := d.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-d.exited:
		d.exited <- err // for Cleanup
		if err != nil {
			t.Fatalf("demo exited with %v after SIGTERM\nstderr:\n%s", err, d.stderr.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("demo still running 30s after SIGTERM\nstderr:\n%s", d.stderr.String())
	}
	if _, err := os.Stat(dataDir[1]); !os.IsNotExist(err) {
		t.Errorf("demo data directory %s not removed: %v", dataDir[1], err)
	}
}

// TestDemoSingleNode runs a one-node demo on a free port, connects to it,
// stops it with SIGTERM and checks the exit status and the cleanup.
func TestDemoSingleNode(t *testing.T) {
	port := freePort(t)
	d := startDemo(t, "--nodes", "1", "--sql-port", strconv.Itoa(port))
	addr := "127.0.0.1:" + strconv.Itoa(port)
	wantPsql := `psql "postgresql://postgres@` + addr + `/quorumdb?sslmode=disable"`
	if !strings.Contains(d.banner, wantPsql) || !strings.Contains(d.banner, "1 node,") {
		t.Errorf("banner lacks %s or 1 node:\n%s", wantPsql, d.banner)
	}
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatalf("dial %s: %v", addr, err)
	}
	conn.Close()
	d.stop(t)
}

// TestDemoCluster runs the default demo, a 3-node cluster in one
// process, writes through the first node the banner names and reads
// through the last, then stops it.
func TestDemoCluster(t *testing.T) {
	d := startDemo(t, "--sql-port", "0")
	nodes := regexp.MustCompile(`(?m)^  node (\d): psql -h (\S+) -p (\d+) -U postgres quorumdb$`).FindAllStringSubmatch(d.banner, -1)
	if len(nodes) != 3 || !strings.Contains(d.banner, "3 nodes,") {
		t.Fatalf("banner does not list 3 nodes:\n%s", d.banner)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	dsn := func(n []string) string {
		return "postgres://postgres@" + net.JoinHostPort(n[2], n[3]) + "/quorumdb?sslmode=disable"
	}
	first, err := pgx.Connect(ctx, dsn(nodes[0]))
	if err != nil {
		t.Fatalf("connect to node 1: %v", err)
	}
	defer first.Close(ctx)
	if _, err := first.Exec(ctx, "create table demo (id int primary key); insert into demo select generate_series(1, 10)"); err != nil {
		t.Fatalf("node 1: %v", err)
	}
	last, err := pgx.Connect(ctx, dsn(nodes[2]))
	if err != nil {
		t.Fatalf("connect to node 3: %v", err)
	}
	defer last.Close(ctx)
	var n int
	if err := last.QueryRow(ctx, "select count(*) from demo").Scan(&n); err != nil || n != 10 {
		t.Fatalf("node 3 counts %d rows (%v), want 10", n, err)
	}
	var members int
	if err := last.QueryRow(ctx, "select count(*) from cluster_node_heartbeat").Scan(&members); err != nil || members != 3 {
		t.Errorf("cluster_node_heartbeat on node 3 has %d rows (%v), want 3", members, err)
	}
	first.Close(ctx)
	last.Close(ctx)
	d.stop(t)
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
