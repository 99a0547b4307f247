package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/quorumdb/quorumdb/internal/netfault"
)

// Helpers for tests that run the real binary as a process (kill -9
// tests).

// buildQuorumdb builds cmd/quorumdb into the test's temporary directory.
func buildQuorumdb(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "quorumdb")
	build := exec.Command("go", "build", "-o", bin, "../cmd/quorumdb")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// startDemoProcess runs a single-node `bin demo --nodes 1` on a free
// loopback port with its data in dataDir, waits until it accepts
// connections, and returns the process and its DSN. The test's cleanup
// kills it if it still runs. (Clusters of processes: clusterProcesses.)
func startDemoProcess(t *testing.T, bin, dataDir string) (*exec.Cmd, string) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	cmd := exec.Command(bin, "demo", "--nodes", "1", "--sql-port", strconv.Itoa(port), "--data-dir", dataDir)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	dsn := fmt.Sprintf("postgres://postgres@127.0.0.1:%d/quorumdb?sslmode=disable", port)
	ctx := context.Background()
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if c, err := pgx.Connect(ctx, dsn); err == nil {
			c.Close(ctx)
			return cmd, dsn
		}
	}
	t.Fatal("server did not start")
	return nil, ""
}

// restartAfterKill kills cmd (SIGKILL), closes conn, starts the node
// again with start and returns a connection to it.
func restartAfterKill(t *testing.T, cmd *exec.Cmd, conn *pgx.Conn, start func() (*exec.Cmd, string)) *pgx.Conn {
	t.Helper()
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	conn.Close(context.Background())
	_, dsn := start()
	conn, err := pgx.Connect(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	return conn
}

// freeLoopbackAddrs reserves n distinct free loopback addresses (the
// listeners are closed before returning, so a port may in rare cases be
// taken again before the process binds it).
func freeLoopbackAddrs(t *testing.T, n int) []string {
	t.Helper()
	addrs := make([]string, n)
	for i := range addrs {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addrs[i] = l.Addr().String()
		defer l.Close()
	}
	return addrs
}

// nodeProcess is one `quorumdb start --config` process of a cluster test:
// its configuration file stays, so the node can be killed and started
// again on the same data.
type nodeProcess struct {
	t         *testing.T
	bin       string
	config    string // path of the node's YAML
	log       string // path of the node's stderr, appended across starts
	sqlAddr   string
	adminAddr string
	// ns is the node's network namespace when the cluster runs on a
	// netfault network (clusterInNetwork), nil on the machine's loopback:
	// the process starts in it and clients dial through it.
	ns     *netfault.Node
	cmd    *exec.Cmd // nil while stopped
	exited chan struct{}
}

// clusterProcesses writes the YAML of an n-node cluster replicating the
// keyspace on every node (the documented keys of
// testdata/quorumdb.example.yaml), each node in its own directory; none
// is started.
func clusterProcesses(t *testing.T, bin string, n int) []*nodeProcess {
	t.Helper()
	addrs := freeLoopbackAddrs(t, 3*n)
	return writeClusterConfigs(t, bin, addrs[:n], addrs[n:2*n], addrs[2*n:], nil)
}

// clusterInNetwork is clusterProcesses on a netfault network of n
// nodes, which the test's cleanup deletes after stopping the processes.
// Each node serves its peers on its network address and its clients on
// the loopback of its own namespace (fixed ports: nothing else lives
// there). A machine that cannot build the network skips the test, or
// fails it in CI, which can (.ci/run).
func clusterInNetwork(t *testing.T, bin string, n int) ([]*nodeProcess, *netfault.Network) {
	t.Helper()
	nw, err := netfault.New(context.Background(), n)
	if err != nil {
		if errors.Is(err, netfault.ErrUnsupported) && os.Getenv("CI") != "true" {
			t.Skipf("no fault network on this machine, so no partition: %v", err)
		}
		t.Fatalf("building the fault network: %v", err)
	}
	// Registered before the processes' cleanups, so it runs after them:
	// a namespace lives as long as a process is inside.
	t.Cleanup(func() {
		if err := nw.Close(); err != nil {
			t.Errorf("deleting the fault network: %v", err)
		}
	})
	var peers, sqls, admins []string
	for _, nd := range nw.Nodes() {
		peers = append(peers, net.JoinHostPort(nd.IP.String(), "7433"))
		sqls = append(sqls, "127.0.0.1:5433")
		admins = append(admins, "127.0.0.1:9433")
	}
	return writeClusterConfigs(t, bin, peers, sqls, admins, nw.Nodes()), nw
}

// writeClusterConfigs writes one node's YAML per entry of peers (the
// cluster's node list), with its SQL and admin addresses; nodes[i], when
// given, is node i's namespace.
func writeClusterConfigs(t *testing.T, bin string, peers, sqls, admins []string, nodes []*netfault.Node) []*nodeProcess {
	t.Helper()
	n := len(peers)
	list := ""
	for _, p := range peers {
		list += fmt.Sprintf("    - %s\n", p)
	}
	tlsFiles := peerCerts(t, peers)
	procs := make([]*nodeProcess, n)
	for i := range procs {
		dir := t.TempDir()
		yaml := fmt.Sprintf(`listen_address: %s
advertise_address: %s
buffer_directory: %s
sql:
  listen_address: %s
  auth: trust
admin:
  listen_address: %s
cluster:
  nodes:
%s  replication_factor: %d
  tls:
    ca_file: %s
    cert_file: %s
    key_file: %s
heartbeat:
  interval: 200ms
  timeout: 5s
  offline_after: 20s
log:
  level: warn
`, peers[i], peers[i], filepath.Join(dir, "data"), sqls[i], admins[i], list, n, tlsFiles[i].CAFile, tlsFiles[i].CertFile, tlsFiles[i].KeyFile)
		cfg := filepath.Join(dir, "quorumdb.yaml")
		if err := os.WriteFile(cfg, []byte(yaml), 0o644); err != nil {
			t.Fatal(err)
		}
		procs[i] = &nodeProcess{t: t, bin: bin, config: cfg, log: filepath.Join(dir, "stderr.log"), sqlAddr: sqls[i], adminAddr: admins[i]}
		if nodes != nil {
			procs[i].ns = nodes[i]
		}
		p := procs[i]
		t.Cleanup(func() {
			p.kill()
			if t.Failed() {
				if out, err := os.ReadFile(p.log); err == nil && len(out) > 0 {
					const tail = 4000
					t.Logf("node %d stderr (tail):\n%s", i+1, out[max(0, len(out)-tail):])
				}
			}
		})
	}
	return procs
}

// start runs the node's process; it does not wait for it to serve.
func (p *nodeProcess) start() {
	p.t.Helper()
	logf, err := os.OpenFile(p.log, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		p.t.Fatal(err)
	}
	cmd := exec.Command(p.bin, "start", "--config", p.config)
	if p.ns != nil {
		cmd = p.ns.Command(p.bin, "start", "--config", p.config)
	}
	killWithTest(cmd)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		logf.Close()
		p.t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); logf.Close(); close(exited) }()
	p.cmd, p.exited = cmd, exited
}

// kill sends SIGKILL to the process (by its pid) and waits for it to
// exit; a stopped node is left alone.
func (p *nodeProcess) kill() {
	if p.cmd == nil {
		return
	}
	_ = p.cmd.Process.Kill()
	<-p.exited
	p.cmd = nil
}

// dsn is the node's connection string (from the machine's namespace;
// connect works for nodes in a namespace too).
func (p *nodeProcess) dsn() string {
	return "postgres://postgres@" + p.sqlAddr + "/quorumdb?sslmode=disable"
}

// connect opens a client connection to the node, through its namespace
// when it has one.
func (p *nodeProcess) connect(ctx context.Context) (*pgx.Conn, error) {
	cfg, err := pgx.ParseConfig(p.dsn())
	if err != nil {
		return nil, err
	}
	if p.ns != nil {
		cfg.DialFunc = p.ns.DialContext
	}
	return pgx.ConnectConfig(ctx, cfg)
}

// httpClient reaches the node's admin port, through its namespace when
// it has one. Connections are not kept: nothing outlives a request.
func (p *nodeProcess) httpClient() *http.Client {
	tr := &http.Transport{DisableKeepAlives: true}
	if p.ns != nil {
		tr.DialContext = p.ns.DialContext
	}
	return &http.Client{Timeout: 5 * time.Second, Transport: tr}
}

// waitServing waits until the node answers a query (a cluster node
// serves once a majority of replicas elected a leader).
func (p *nodeProcess) waitServing() {
	p.t.Helper()
	ctx := context.Background()
	var last error
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		select {
		case <-p.exited:
			p.t.Fatalf("node process (%s) exited before serving", p.config)
		default:
		}
		qctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		c, err := p.connect(qctx)
		if err == nil {
			var one int
			err = c.QueryRow(qctx, "select 1").Scan(&one)
			c.Close(ctx)
		}
		cancel()
		if err == nil {
			return
		}
		last = err
	}
	p.t.Fatalf("node (%s) not serving after 60s: %v", p.config, last)
}

// isLeader reads the node's quorumdb_system_partition_leader gauge from
// its admin /metrics; a node that does not answer is not the leader.
func (p *nodeProcess) isLeader() bool {
	resp, err := p.httpClient().Get("http://" + p.adminAddr + "/metrics")
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return false
	}
	for _, line := range strings.Split(string(body), "\n") {
		if line == "quorumdb_system_partition_leader 1" {
			return true
		}
	}
	return false
}

// leaderProcess returns the position of the node whose /metrics says it
// leads the system partition, waiting for an election.
func leaderProcess(t *testing.T, procs []*nodeProcess) int {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		for i, p := range procs {
			if p.cmd != nil && p.isLeader() {
				return i
			}
		}
	}
	t.Fatal("no node reports quorumdb_system_partition_leader 1 within 30s")
	return -1
}
