package main

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
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/quorumdb/quorumdb/internal/certs"
	"github.com/quorumdb/quorumdb/internal/netfault"
)

// node is one quorumdb process of a trial's cluster.
type node struct {
	id        int // 1-based, as in the cluster's node list
	bin       string
	config    string
	logPath   string
	sqlAddr   string
	adminAddr string
	ns        *netfault.Node // nil on loopback
	cmd       *exec.Cmd      // nil while stopped
	exited    chan struct{}
	logFile   *os.File
}

// cluster is a trial's three nodes, and the network they run on when
// they run in namespaces.
type cluster struct {
	dir   string
	nw    *netfault.Network // nil on loopback
	nodes []*node
}

// newCluster writes the configuration of a 3-node cluster in a new
// temporary directory, on a netfault network if inNetwork (fixed ports:
// each node has its own namespace) or on free loopback ports. Nothing is
// started; close removes everything.
func newCluster(ctx context.Context, bin string, inNetwork bool) (*cluster, error) {
	dir, err := os.MkdirTemp("", "quorumdb-failover-")
	if err != nil {
		return nil, err
	}
	c := &cluster{dir: dir}
	const n = 3
	var peers, sqls, admins []string
	if inNetwork {
		if c.nw, err = netfault.New(ctx, n); err != nil {
			c.close()
			return nil, err
		}
		for _, nd := range c.nw.Nodes() {
			peers = append(peers, net.JoinHostPort(nd.IP.String(), "7433"))
			sqls = append(sqls, "127.0.0.1:5433")
			admins = append(admins, "127.0.0.1:9433")
		}
	} else {
		addrs, err := freeLoopbackAddrs(3 * n)
		if err != nil {
			c.close()
			return nil, err
		}
		peers, sqls, admins = addrs[:n], addrs[n:2*n], addrs[2*n:]
	}
	list := ""
	for _, p := range peers {
		list += fmt.Sprintf("    - %s\n", p)
	}
	tlsFiles, err := certs.ForCluster(filepath.Join(dir, "certs"), peers, 24*time.Hour)
	if err != nil {
		c.close()
		return nil, err
	}
	for i := range n {
		ndir := filepath.Join(dir, fmt.Sprintf("node%d", i+1))
		if err := os.MkdirAll(ndir, 0o755); err != nil {
			c.close()
			return nil, err
		}
		// Default settings but for the log level: the figures are for
		// a cluster as users run it.
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
log:
  level: warn
`, peers[i], peers[i], filepath.Join(ndir, "data"), sqls[i], admins[i], list, n, tlsFiles[i].CAFile, tlsFiles[i].CertFile, tlsFiles[i].KeyFile)
		cfg := filepath.Join(ndir, "quorumdb.yaml")
		if err := os.WriteFile(cfg, []byte(yaml), 0o644); err != nil {
			c.close()
			return nil, err
		}
		nd := &node{id: i + 1, bin: bin, config: cfg, logPath: filepath.Join(ndir, "stderr.log"), sqlAddr: sqls[i], adminAddr: admins[i]}
		if c.nw != nil {
			nd.ns = c.nw.Node(i)
		}
		c.nodes = append(c.nodes, nd)
	}
	return c, nil
}

// freeLoopbackAddrs reserves n distinct free loopback addresses (closed
// before returning: a port may in rare cases be taken again first).
func freeLoopbackAddrs(n int) ([]string, error) {
	addrs := make([]string, n)
	for i := range addrs {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		defer l.Close()
		addrs[i] = l.Addr().String()
	}
	return addrs, nil
}

// close stops every node, deletes the network and the directory.
func (c *cluster) close() error {
	var errs []error
	for _, nd := range c.nodes {
		nd.kill()
	}
	if c.nw != nil {
		errs = append(errs, c.nw.Close())
	}
	errs = append(errs, os.RemoveAll(c.dir))
	return errors.Join(errs...)
}

// start runs the node's process (in its namespace, if any); it does not
// wait for it to serve.
func (nd *node) start() error {
	logf, err := os.OpenFile(nd.logPath, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	cmd := exec.Command(nd.bin, "start", "--config", nd.config)
	if nd.ns != nil {
		cmd = nd.ns.Command(nd.bin, "start", "--config", nd.config)
	}
	cmd.SysProcAttr = sysProcAttr()
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		logf.Close()
		return fmt.Errorf("starting node %d: %w", nd.id, err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	nd.cmd, nd.exited, nd.logFile = cmd, exited, logf
	return nil
}

// kill sends SIGKILL to the node's process (by its PID; a stopped one
// too) and waits for it to exit.
func (nd *node) kill() {
	if nd.cmd == nil {
		return
	}
	_ = nd.cmd.Process.Kill()
	<-nd.exited
	nd.logFile.Close()
	nd.cmd = nil
}

// logTail is the end of the node's stderr, for error reports.
func (nd *node) logTail() string {
	out, err := os.ReadFile(nd.logPath)
	if err != nil {
		return ""
	}
	return string(out[max(0, len(out)-2000):])
}

// connect opens a client connection, through the node's namespace if it
// has one.
func (nd *node) connect(ctx context.Context) (*pgx.Conn, error) {
	cfg, err := pgx.ParseConfig("postgres://postgres@" + nd.sqlAddr + "/quorumdb?sslmode=disable")
	if err != nil {
		return nil, err
	}
	if nd.ns != nil {
		cfg.DialFunc = nd.ns.DialContext
	}
	return pgx.ConnectConfig(ctx, cfg)
}

// waitServing waits until the node answers a query.
func (nd *node) waitServing(ctx context.Context) error {
	var last error
	for ctx.Err() == nil {
		select {
		case <-nd.exited:
			return fmt.Errorf("node %d exited before serving:\n%s", nd.id, nd.logTail())
		default:
		}
		qctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		c, err := nd.connect(qctx)
		if err == nil {
			var one int
			err = c.QueryRow(qctx, "select 1").Scan(&one)
			c.Close(context.Background())
		}
		cancel()
		if err == nil {
			return nil
		}
		last = err
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("node %d not serving: %w (last: %v)", nd.id, ctx.Err(), last)
}

// isLeader reads the node's quorumdb_system_partition_leader gauge; a
// node that does not answer is not the leader.
func (nd *node) isLeader(ctx context.Context) bool {
	tr := &http.Transport{DisableKeepAlives: true}
	if nd.ns != nil {
		tr.DialContext = nd.ns.DialContext
	}
	client := http.Client{Timeout: 2 * time.Second, Transport: tr}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+nd.adminAddr+"/metrics", nil)
	if err != nil {
		return false
	}
	resp, err := client.Do(req)
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

// leader returns the index of the node that says it leads, among those
// running and not excluded, waiting up to 30 s.
func (c *cluster) leader(ctx context.Context, exclude int) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	for ctx.Err() == nil {
		for i, nd := range c.nodes {
			if i != exclude && nd.cmd != nil && nd.isLeader(ctx) {
				return i, nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return -1, fmt.Errorf("no node reports quorumdb_system_partition_leader 1: %w", ctx.Err())
}
