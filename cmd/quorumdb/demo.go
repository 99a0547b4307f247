package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"

	"github.com/quorumdb/quorumdb/server"
)

// errMultiNodeDemo is reported for --nodes > 1 until the cluster layer
// (partitioning, Raft, transport) exists.
var errMultiNodeDemo = errors.New("multi-node demo requires the cluster layer (not yet available)")

// runDemo runs a throwaway database in the foreground and prints how to
// connect to it. Its data lives in a temporary directory removed on exit,
// unless --data-dir names one.
func runDemo(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	nodes := fs.Int("nodes", 1, "number of nodes (only 1 until the cluster layer lands)")
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
	case *nodes > 1:
		fmt.Fprintf(stderr, "quorumdb demo: %v\n", errMultiNodeDemo)
		return exitFailure
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

	cfg := server.DefaultConfig()
	cfg.BufferDirectory = dir
	// A single node has no peers to find it: any free peer port will do,
	// so a demo never collides with a node already on the default one.
	cfg.ListenAddress = "127.0.0.1:0"
	cfg.AdvertiseAddress = ""
	cfg.SQL.ListenAddress = net.JoinHostPort("127.0.0.1", strconv.Itoa(*sqlPort))
	cfg.Logger = logger
	return serve(cfg, logger, func(n *server.Node) {
		printBanner(stdout, n.SQLAddr(), dir, keep)
	})
}

// printBanner tells the user how to connect. Scripts and tests read it:
// keep the psql line's shape.
func printBanner(w io.Writer, sqlAddr, dir string, keep bool) {
	host, port, _ := net.SplitHostPort(sqlAddr)
	url := fmt.Sprintf("postgresql://postgres@%s/quorumdb?sslmode=disable", sqlAddr)
	fate := "removed on exit"
	if keep {
		fate = "kept on exit"
	}
	fmt.Fprintf(w, `quorumdb %s demo: 1 node, SQL on %s, data in %s (%s)

Connect with psql:
  psql "%s"
  psql -h %s -p %s -U postgres quorumdb
Connect from Go (pgx, lib/pq) with the DSN:
  %s

Press Ctrl-C to stop.
`, server.Version, sqlAddr, dir, fate, url, host, port, url)
}
