package server

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"google.golang.org/grpc"

	"github.com/quorumdb/quorumdb/cluster/peertls"
	"github.com/quorumdb/quorumdb/cluster/replication"
	"github.com/quorumdb/quorumdb/heartbeat"
	"github.com/quorumdb/quorumdb/kv"
	"github.com/quorumdb/quorumdb/pgwire"
	"github.com/quorumdb/quorumdb/sql"
)

// shutdownTimeout is how long Close lets client sessions finish their
// statements (they are canceled first) before closing their sockets.
const shutdownTimeout = 10 * time.Second

// Node is one running quorumdb node. Start builds it; Close stops it.
type Node struct {
	// cfg is resolved; never changes after Start.
	cfg    Config
	logger *slog.Logger
	// rootLogger is the logger components add their own attributes to.
	rootLogger *slog.Logger
	// clockOff is the last verdict of clockCheck (clock.go), so that a
	// change is logged once.
	clockOff atomic.Bool

	// The components, in start order; Close stops them in reverse. A nil
	// one was never started.
	store  *kv.LocalStore // a single node's store; nil in a cluster
	ckv    *clusterKV     // a cluster node's replica and router; nil alone
	db     kv.DB          // what sql and the heartbeat run on: store or ckv's router
	engine *sql.Engine
	repl   *replication.Manager // with grpc serving its Receiver
	grpc   *grpc.Server
	// sec is the peer TLS (cluster.tls) of grpc and of every connection
	// to a peer.
	sec   *peertls.Security
	beats *heartbeat.Exchanger // direct peer heartbeats, served on grpc
	hb    *heartbeat.Heartbeater
	pg    *pgwire.Server
	admin *http.Server

	sqlLn, adminLn, peerLn net.Listener
	// peerWG counts the gRPC serve goroutine, stopped after the manager.
	peerWG sync.WaitGroup

	// ctx is the parent of every background goroutine; cancel is called
	// by Close after the servers have stopped.
	ctx    context.Context
	cancel context.CancelFunc
	// wg counts the serve goroutines (pgwire, admin).
	wg sync.WaitGroup

	// done is closed by the first fail; err is its error.
	failOnce sync.Once
	done     chan struct{}
	err      error

	closeOnce sync.Once
	closeErr  error
}

// Start validates cfg and starts a node: it opens the store in
// <buffer_directory>/data, builds the SQL engine (creating the catalog on
// first start), serves peers (gRPC) on cfg.ListenAddress and starts cluster
// state replication (queues in <buffer_directory>/localq), starts the
// heartbeat, and serves PostgreSQL clients on
// cfg.SQL.ListenAddress and, when set, the admin endpoints on
// cfg.Admin.ListenAddress. ctx bounds the start only: the node runs until
// Close. On error, everything started is stopped again.
func Start(ctx context.Context, cfg Config) (_ *Node, err error) {
	rc, err := cfg.Resolved()
	if err != nil {
		return nil, err
	}
	logger := rc.Logger
	if logger == nil {
		if logger, err = NewLogger(os.Stderr, rc.Log); err != nil {
			return nil, err
		}
	}
	n := &Node{cfg: rc, logger: logger.With("component", "server", "node", rc.Node.ID), rootLogger: logger, done: make(chan struct{})}
	n.ctx, n.cancel = context.WithCancel(context.WithoutCancel(ctx))
	defer func() {
		if err != nil {
			_ = n.Close()
		}
	}()
	for _, w := range rc.Warnings() {
		n.logger.Warn(w)
	}

	// Peers must reach this node's gRPC services before the SQL engine
	// can start in a cluster: its first transaction needs a leader.
	var lc net.ListenConfig
	if n.peerLn, err = lc.Listen(ctx, "tcp", rc.ListenAddress); err != nil {
		return nil, fmt.Errorf("server: listen_address: %w", err)
	}
	if n.sec, err = rc.peerSecurity(); err != nil {
		return nil, fmt.Errorf("server: cluster.tls: %w", err)
	}
	n.grpc = grpc.NewServer(append(peerServerOptions(), n.sec.ServerOptions()...)...)
	n.openPeerHeartbeats()
	dataDir := filepath.Join(rc.BufferDirectory, "data")
	kvLogger := logger.With("node", rc.Node.ID)
	switch {
	case len(rc.Cluster.Nodes) > 1:
		if n.ckv, err = openClusterKV(rc, rc.BufferDirectory, n.grpc, n.sec, kvLogger); err != nil {
			return nil, err
		}
		n.db = n.ckv.db
	default:
		if n.store, err = kv.Open(kv.LocalConfig{Dir: dataDir, Logger: kvLogger, MinFreeBytes: rc.Storage.MinFreeBytes}); err != nil {
			return nil, err
		}
		n.db = n.store
	}
	// Readers of cluster_node_heartbeat need only the liveness timeouts,
	// known before the SQL address is.
	hbBase := rc.heartbeatConfig("", Version)
	handlers := replication.NewHandlers()
	if err = n.startReplication(hbBase, handlers); err != nil {
		return nil, err
	}
	n.engine, err = n.newEngine(ctx, sql.Config{
		DB:                  n.db,
		NodeID:              rc.Node.ID,
		Version:             Version,
		Logger:              logger.With("component", "sql", "node", rc.Node.ID),
		ClusterNodes:        clusterNodes(hbBase),
		LocalNodes:          n.localNodes,
		QuorumWait:          rc.SQL.QuorumWait,
		SuperuserPassword:   rc.SQL.SuperuserPassword,
		OnCatalogChange:     n.onCatalogChange,
		ReplicationQueues:   n.replicationQueues,
		Partitions:          n.partitions,
		SSL:                 rc.SQL.TLS.Mode != TLSOff,
		MaxConnections:      rc.SQL.MaxConnections,
		ReservedConnections: max(rc.SQL.SuperuserReservedConnections, 0),
		MaxStatementMemory:  max(rc.SQL.MaxStatementMemory, 0),
		ServingCheck:        n.clockCheck,
		OnTable:             n.onTable,
	})
	if err != nil {
		return nil, err
	}
	n.registerCacheHandlers(handlers)
	if err = n.repl.Start(n.ctx); err != nil {
		return nil, fmt.Errorf("server: replication: %w", err)
	}
	// With advertise_address at port 0 (a single node), peers reach the
	// port the listener got.
	rc.AdvertiseAddress = advertisedPeerAddr(n.peerLn.Addr(), rc.AdvertiseAddress)
	n.cfg = rc

	if n.sqlLn, err = lc.Listen(ctx, "tcp", rc.SQL.ListenAddress); err != nil {
		return nil, fmt.Errorf("server: sql.listen_address: %w", err)
	}
	if rc.Admin.ListenAddress != "" {
		if n.adminLn, err = lc.Listen(ctx, "tcp", rc.Admin.ListenAddress); err != nil {
			return nil, fmt.Errorf("server: admin.listen_address: %w", err)
		}
	}

	sqlAddr := advertisedSQLAddr(n.sqlLn.Addr(), rc.AdvertiseAddress)
	n.hb = heartbeat.New(rc.heartbeatConfig(sqlAddr, Version), n.db, logger)
	if err = n.hb.Start(n.ctx); err != nil {
		return nil, err
	}
	if err = n.startPeerHeartbeats(sqlAddr); err != nil {
		return nil, err
	}
	if n.ckv != nil && n.beats != nil {
		n.wg.Go(func() { n.watchClock(n.ctx) })
	}

	var tlsCfg *tls.Config
	if rc.SQL.TLS.Mode != TLSOff {
		// Checked by Resolved; loaded again in case the files changed.
		if tlsCfg, err = rc.SQL.TLS.serverConfig(); err != nil {
			return nil, err
		}
	}
	n.pg = pgwire.NewServer(pgwire.Config{
		Addr:                rc.SQL.ListenAddress,
		Auth:                rc.SQL.Auth,
		MaxMessageSize:      rc.SQL.MaxMessageSize,
		MaxConnections:      rc.SQL.MaxConnections,
		ReservedConnections: rc.SQL.SuperuserReservedConnections,
		Logger:              logger,
		NodeID:              rc.Node.ID,
		TLS:                 tlsCfg,
		RequireTLS:          rc.SQL.TLS.Mode == TLSRequire,
	}, pgEngine{n.engine})
	ln := n.sqlLn
	n.wg.Go(func() {
		if err := n.pg.Serve(n.ctx, ln); !errors.Is(err, pgwire.ErrServerClosed) {
			n.fail(fmt.Errorf("server: sql listener: %w", err))
		}
	})
	if n.adminLn != nil {
		n.serveAdmin(n.adminLn)
	}
	n.logger.Info("server: node started", "sql", n.SQLAddr(), "peer", n.PeerAddr(), "admin", n.AdminAddr(),
		"buffer_directory", rc.BufferDirectory, "version", Version)
	return n, nil
}

// advertisedSQLAddr is the SQL address other nodes and operators see:
// the listener's, with an unspecified host (0.0.0.0, ::) replaced by the
// advertise address's host.
func advertisedSQLAddr(listen net.Addr, advertise string) string {
	host, port, err := net.SplitHostPort(listen.String())
	if err != nil {
		return listen.String()
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		if ah, _, err := net.SplitHostPort(advertise); err == nil {
			host = ah
		}
	}
	return net.JoinHostPort(host, port)
}

// Config returns the node's resolved configuration (defaults and derived
// settings filled in).
func (n *Node) Config() Config { return n.cfg }

// SQLAddr returns the address the SQL listener is bound to (the real port
// when sql.listen_address asked for port 0).
func (n *Node) SQLAddr() string {
	if n.sqlLn == nil {
		return ""
	}
	return n.sqlLn.Addr().String()
}

// AdminAddr returns the address of the admin endpoints, "" when off.
func (n *Node) AdminAddr() string {
	if n.adminLn == nil {
		return ""
	}
	return n.adminLn.Addr().String()
}

// Done is closed when the node fails on its own (a listener died); Err
// then says why. The owner should Close the node.
func (n *Node) Done() <-chan struct{} { return n.done }

// Err returns the failure that closed Done, nil before.
func (n *Node) Err() error {
	select {
	case <-n.done:
		return n.err
	default:
		return nil
	}
}

// fail records the node's first failure and closes done.
func (n *Node) fail(err error) {
	n.failOnce.Do(func() {
		n.logger.Error("server: node failed", "err", err)
		n.err = err
		close(n.done)
	})
}

// Close stops the node in the reverse order of Start: the admin
// endpoints, the SQL server (sessions are canceled and get up to
// shutdownTimeout to end), the heartbeat, the peer gRPC server, the
// replication manager, and the store. It is idempotent and returns the
// first Close's errors.
func (n *Node) Close() error {
	n.closeOnce.Do(func() { n.closeErr = n.close() })
	return n.closeErr
}

func (n *Node) close() error {
	ctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	var errs []error
	if n.admin != nil {
		errs = append(errs, n.admin.Shutdown(ctx))
	} else if n.adminLn != nil {
		errs = append(errs, n.adminLn.Close())
	}
	if n.pg != nil {
		errs = append(errs, n.pg.Shutdown(ctx))
	} else if n.sqlLn != nil {
		errs = append(errs, n.sqlLn.Close())
	}
	if n.cancel != nil {
		n.cancel()
	}
	n.wg.Wait()
	if n.hb != nil {
		n.hb.Close()
	}
	n.closePeerHeartbeats()
	if n.ckv != nil {
		// Before the peer server stops: the new leader needs it to
		// catch up and take over.
		n.ckv.handOver(ctx, n.logger)
	}
	errs = append(errs, n.closeReplication())
	// The engine holds no resources of its own beyond the store.
	if n.ckv != nil {
		errs = append(errs, n.ckv.close())
	}
	if n.store != nil {
		errs = append(errs, n.store.Close())
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("server: closing node: %w", err)
	}
	n.logger.Info("server: node stopped")
	return nil
}
