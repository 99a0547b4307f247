package server

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"

	"google.golang.org/grpc"

	"github.com/quorumdb/quorumdb/cluster/replication"
	"github.com/quorumdb/quorumdb/heartbeat"
	"github.com/quorumdb/quorumdb/kv"
	"github.com/quorumdb/quorumdb/sql"
	"github.com/quorumdb/quorumdb/sql/catalog"
)

// The node's part of cluster state replication (see docs/architecture.md,
// "Cluster state replication"): the peer gRPC server on listen_address
// with the replication Receiver, the replication.Manager with its queues
// in <buffer_directory>/localq/, and the two adapters between it and sql:
// descriptor changes committed by sessions become "descriptor" events, and
// received "descriptor" events go to sql's own handler, which clears its
// descriptor cache.

// enqueueTimeout bounds the enqueue of one commit's events. It is a local
// fsync; the bound only keeps a sick disk from holding a session forever.
const enqueueTimeout = 10 * time.Second

// startReplication builds the replication Manager with handlers (the
// descriptor handler is registered once the engine exists: events of a
// kind without a handler are dropped, which is safe before the engine
// has cached anything) and serves the peer gRPC server — with the
// keyspace's services already registered on it. Start starts the manager
// once the engine is up: its first act is to read the active peers,
// which in a cluster needs the keyspace's leader. hc gives the liveness timeouts the membership applies to
// cluster_node_heartbeat.
func (n *Node) startReplication(hc heartbeat.Config, handlers *replication.Handlers) error {
	rc := n.cfg
	members := &heartbeatMembership{db: n.db, hc: hc, self: rc.Node.ID, extra: rc.ExtraPeers}
	r := rc.Cluster.Replication
	var err error
	n.repl, err = replication.New(replication.Config{
		NodeID:          rc.Node.ID,
		BufferDirectory: rc.BufferDirectory,
		QueuesPerPeer:   r.QueuesPerPeer,
		StatsInterval:   r.StatsInterval,
		StuckAfter:      r.StuckAfter,
		PeerRetention:   r.PeerRetention,
		Logger:          n.rootLogger,
		DialOptions:     []grpc.DialOption{n.sec.DialOption()},
		Authorize: func(ctx context.Context, origin int) error {
			return n.sec.Authorize(ctx, uint64(origin))
		},
	}, members, handlers)
	if err != nil {
		return fmt.Errorf("server: replication: %w", err)
	}
	n.repl.Receiver().Register(n.grpc)
	srv, ln := n.grpc, n.peerLn
	n.peerWG.Go(func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, grpc.ErrServerStopped) {
			n.fail(fmt.Errorf("server: peer listener: %w", err))
		}
	})
	return nil
}

// closeReplication stops the peer gRPC server first (it ends the
// Receiver's streams, which Receiver.Close waits for), then the manager:
// its loops, dispatchers, queues and Receiver.
func (n *Node) closeReplication() error {
	var errs []error
	if n.grpc != nil {
		n.grpc.Stop() // closes the listener and every stream
	} else if n.peerLn != nil {
		errs = append(errs, n.peerLn.Close())
	}
	n.peerWG.Wait()
	if n.repl != nil {
		errs = append(errs, n.repl.Close())
	}
	return errors.Join(errs...)
}

// PeerAddr returns the address the peer (gRPC) listener is bound to (the
// real port when listen_address asked for port 0), "" before it listens.
func (n *Node) PeerAddr() string {
	if n.peerLn == nil {
		return ""
	}
	return n.peerLn.Addr().String()
}

// advertisedPeerAddr is the peer address this node announces in its
// heartbeat row: advertise_address, or, when its port is 0 (allowed for a
// single node, see checkAddresses), the bound listener's port with
// advertise_address's host unless that is unspecified.
func advertisedPeerAddr(listen net.Addr, advertise string) string {
	host, port, err := net.SplitHostPort(advertise)
	if err != nil || port != "0" {
		return advertise
	}
	lhost, lport, err := net.SplitHostPort(listen.String())
	if err != nil {
		return advertise
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = lhost
	}
	return net.JoinHostPort(host, lport)
}

// onCatalogChange enqueues one event per descriptor, role or database a
// committed transaction changed. Failures are logged: events are hints,
// the commit stands.
func (n *Node) onCatalogChange(ctx context.Context, sessionID uint64, events []catalog.Event) {
	m := n.repl
	if m == nil {
		return
	}
	// The commit happened: a cancel arriving now must not lose the hint.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), enqueueTimeout)
	defer cancel()
	for _, e := range events {
		ev := sql.ReplicationEvent(e)
		if err := m.Enqueue(ctx, sessionID, ev); err != nil {
			n.logger.Warn("server: enqueueing a catalog event failed; peers converge on their next read or refresh",
				"kind", ev.Kind, "key", ev.Key, "version", ev.Version, "session", sessionID, "err", err)
		}
	}
}

// registerCacheHandlers registers the engine's handlers of the events
// peers send about their catalog changes: descriptors, and the roles and
// databases of the cached login data.
func (n *Node) registerCacheHandlers(handlers *replication.Handlers) {
	logger := n.rootLogger.With("component", "sql", "node", n.cfg.Node.ID)
	handlers.Register(catalog.EventKindDescriptor, n.engine.DescriptorHandler(logger))
	creds := n.engine.CredentialHandler(logger)
	handlers.Register(sql.KindRole, creds)
	handlers.Register(sql.KindDatabase, creds)
}

// replicationQueues answers cluster_replication_queues.
func (n *Node) replicationQueues() []sql.ReplicationQueueStatus {
	m := n.repl
	if m == nil {
		return nil
	}
	stats := m.Stats()
	out := make([]sql.ReplicationQueueStatus, len(stats))
	for i, s := range stats {
		out[i] = sql.ReplicationQueueStatus{
			PeerID: s.Peer, Queue: s.Queue, Index: s.Index,
			Waiting: s.Waiting, Delivered: s.Delivered, Failed: s.Failed,
			OldestWaiting: s.OldestAge, Connected: s.Connected, LastError: s.LastError,
		}
	}
	return out
}

// heartbeatMembership implements replication.Membership over this node's
// view of cluster_node_heartbeat: every other node whose state is ACTIVE,
// at its advertised peer address, plus the peers of Config.ExtraPeers.
type heartbeatMembership struct {
	db    kv.DB
	hc    heartbeat.Config
	self  int
	extra func() []replication.Peer
}

// ActivePeers implements replication.Membership.
func (m *heartbeatMembership) ActivePeers(ctx context.Context) ([]replication.Peer, error) {
	txn, err := m.db.Begin(ctx, kv.TxnOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer txn.Rollback()
	rows, err := heartbeat.ReadAll(ctx, txn, time.Now(), m.hc)
	if err != nil {
		return nil, err
	}
	var peers []replication.Peer
	seen := make(map[int]bool)
	for _, r := range rows {
		if r.NodeID == m.self || r.State != heartbeat.StateActive {
			continue
		}
		peers = append(peers, replication.Peer{ID: r.NodeID, Address: r.Address, LastHeartbeat: r.HeartbeatAt})
		seen[r.NodeID] = true
	}
	if m.extra != nil {
		for _, p := range m.extra() {
			if p.ID != m.self && !seen[p.ID] {
				peers = append(peers, p)
				seen[p.ID] = true
			}
		}
	}
	return peers, nil
}
