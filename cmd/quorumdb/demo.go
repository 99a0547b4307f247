package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/quorumdb/quorumdb/internal/certs"
	"github.com/quorumdb/quorumdb/server"
)

// runDemo runs a throwaway database in the foreground — a cluster of
// --nodes nodes in this process, over loopback gRPC — and prints how to
// connect to it. Its data lives in a temporary directory removed on exit,
// unless --data-dir names one.
func runDemo(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	nodes := fs.Int("nodes", 3, "number of nodes of the local cluster")
	sqlPort := fs.Int("sql-port", 5433, "SQL `port` of the first node on 127.0.0.1 (0: any free port)")
	dataDir := fs.String("data-dir", "", "keep the data in this `directory` instead of a temporary one (not removed on exit)")
	logLevel := fs.String("log-level", "warn", "log `level`: debug, info, warn, error")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: quorumdb demo [--nodes N] [--sql-port P] [--data-dir D] [--log-level L]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return flagStatus(err)
	}
	switch {
	case fs.NArg() > 0:
		fmt.Fprintf(stderr, "quorumdb demo: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	case *nodes < 1:
		fmt.Fprintf(stderr, "quorumdb demo: --nodes must be at least 1, got %d\n", *nodes)
		return exitUsage
	case *nodes > maxDemoNodes:
		fmt.Fprintf(stderr, "quorumdb demo: --nodes must be at most %d, got %d\n", maxDemoNodes, *nodes)
		return exitUsage
	case *sqlPort < 0 || *sqlPort > 65535:
		fmt.Fprintf(stderr, "quorumdb demo: --sql-port %d is not a port\n", *sqlPort)
		return exitUsage
	}
	logger, err := server.NewLogger(stderr, server.LogConfig{Level: *logLevel})
	if err != nil {
		fmt.Fprintf(stderr, "quorumdb demo: --log-level: %v\n", err)
		return exitUsage
	}

	dir, keep := *dataDir, *dataDir != ""
	if !keep {
		if dir, err = os.MkdirTemp("", "quorumdb-demo-"); err != nil {
			fmt.Fprintf(stderr, "quorumdb demo: %v\n", err)
			return exitFailure
		}
		// Runs after serve has closed the node, so nothing holds files.
		defer func() {
			if err := os.RemoveAll(dir); err != nil {
				fmt.Fprintf(stderr, "quorumdb demo: removing %s: %v\n", dir, err)
			}
		}()
	}

	cfgs, err := demoConfigs(*nodes, *sqlPort, dir, logger)
	if err != nil {
		fmt.Fprintf(stderr, "quorumdb demo: %v\n", err)
		return exitFailure
	}
	return serve(cfgs, logger, func(ns []*server.Node) {
		addrs := make([]string, len(ns))
		for i, n := range ns {
			addrs[i] = n.SQLAddr()
		}
		printBanner(stdout, addrs, dir, keep)
	})
}

// maxDemoNodes bounds --nodes: every node of the demo is in this process.
const maxDemoNodes = 9

// demoConfigs configures n nodes on loopback: node i keeps its data in
// dir/node<i>, serves SQL on sqlPort+i-1 (any free port when sqlPort is
// 0) and peers on a free port. A single node takes any free peer port
// (it has no peers to find it); a cluster replicates every partition on
// up to 3 nodes, so that one node can fail.
func demoConfigs(n, sqlPort int, dir string, logger *slog.Logger) ([]server.Config, error) {
	if n == 1 {
		cfg := server.DefaultConfig()
		cfg.BufferDirectory = dir
		cfg.ListenAddress = "127.0.0.1:0"
		cfg.AdvertiseAddress = ""
		cfg.SQL.ListenAddress = net.JoinHostPort("127.0.0.1", strconv.Itoa(sqlPort))
		cfg.Logger = logger
		return []server.Config{cfg}, nil
	}
	peers, err := freeLoopbackAddrs(n)
	if err != nil {
		return nil, err
	}
	// The nodes authenticate each other (cluster.tls), with a CA and
	// node certificates made for the demo in its directory.
	tlsFiles, err := certs.ForCluster(filepath.Join(dir, "certs"), peers, 30*24*time.Hour)
	if err != nil {
		return nil, err
	}
	cfgs := make([]server.Config, n)
	for i := range cfgs {
		cfg := server.DefaultConfig()
		cfg.BufferDirectory = filepath.Join(dir, fmt.Sprintf("node%d", i+1))
		cfg.ListenAddress = peers[i]
		cfg.AdvertiseAddress = peers[i]
		cfg.Cluster.Nodes = peers
		cfg.Cluster.ReplicationFactor = min(n, 3)
		f := tlsFiles[i]
		cfg.Cluster.TLS = server.PeerTLSConfig{Mode: "on", CAFile: f.CAFile, CertFile: f.CertFile, KeyFile: f.KeyFile}
		port := 0
		if sqlPort != 0 {
			port = sqlPort + i
		}
		cfg.SQL.ListenAddress = net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
		cfg.Logger = logger
		cfgs[i] = cfg
	}
	return cfgs, nil
}

// freeLoopbackAddrs finds n free TCP ports on 127.0.0.1 for the peer
// listeners. Every node must know every address before any starts, so
// the ports are picked first; another program could take one in
// between, and that node's start would then fail naming the address.
func freeLoopbackAddrs(n int) ([]string, error) {
	addrs := make([]string, n)
	for i := range addrs {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, fmt.Errorf("finding a free peer port: %w", err)
		}
		defer ln.Close()
		addrs[i] = ln.Addr().String()
	}
	return addrs, nil
}

// printBanner tells the user how to connect. Scripts and tests read it:
// keep the psql line's shape (the first node's).
func printBanner(w io.Writer, sqlAddrs []string, dir string, keep bool) {
	host, port, _ := net.SplitHostPort(sqlAddrs[0])
	url := fmt.Sprintf("postgresql://postgres@%s/quorumdb?sslmode=disable", sqlAddrs[0])
	fate := "removed on exit"
	if keep {
		fate = "kept on exit"
	}
	size := "1 node"
	if len(sqlAddrs) > 1 {
		size = fmt.Sprintf("%d nodes", len(sqlAddrs))
	}
	fmt.Fprintf(w, `quorumdb %s demo: %s, SQL on %s, data in %s (%s)

Connect with psql:
  psql "%s"
  psql -h %s -p %s -U postgres quorumdb
Connect from Go (pgx, lib/pq) with the DSN:
  %s
`, server.Version, size, strings.Join(sqlAddrs, ", "), dir, fate, url, host, port, url)
	if len(sqlAddrs) > 1 {
		fmt.Fprintf(w, "Every node serves the same database; connect to any of them:\n")
		for i, a := range sqlAddrs {
			h, p, _ := net.SplitHostPort(a)
			fmt.Fprintf(w, "  node %d: psql -h %s -p %s -U postgres quorumdb\n", i+1, h, p)
		}
		fmt.Fprintf(w, "See the cluster with: select * from cluster_node_heartbeat;\n")
	}
	fmt.Fprintf(w, "\nPress Ctrl-C to stop.\n")
}
