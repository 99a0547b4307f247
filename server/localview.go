package server

import (
	"context"
	"time"

	"github.com/quorumdb/quorumdb/heartbeat"
	"github.com/quorumdb/quorumdb/sql"
)

// What a node answers when the keyspace has no quorum (see
// docs/architecture.md, "Without quorum"): the direct peer heartbeats
// that give cluster_node_heartbeat its local view, and the refresh loop
// that keeps the cached login data a login without quorum is checked
// against.

// credentialRefreshInterval is how often the node re-reads every role
// and database into the engine's cached login data, besides doing so at
// start and whenever a change drops cached entries. It bounds how stale
// the cache can be when the node loses its quorum right after a change
// whose replication event it missed.
const credentialRefreshInterval = 10 * time.Second

// openPeerHeartbeats creates the direct heartbeat exchanger and
// registers its service on the peer gRPC server, which must not serve
// yet. A single node has no peers: its exchanger only answers for
// itself.
func (n *Node) openPeerHeartbeats() {
	rc := n.cfg
	var members []string
	if len(rc.Cluster.Nodes) > 1 {
		members = rc.Cluster.Nodes
	}
	hc := rc.heartbeatConfig("", Version)
	// A single node's advertise address may ask for any port; peers of a
	// cluster are at fixed ones.
	hc.Address = advertisedPeerAddr(n.peerLn.Addr(), rc.AdvertiseAddress)
	n.beats = heartbeat.NewExchanger(hc, members, n.rootLogger, n.sec.DialOption())
	n.beats.SetAuthorizer(n.sec.Authorize)
	if rc.clock != nil {
		n.beats.SetClock(rc.clock)
	}
	n.beats.Register(n.grpc)
}

// startPeerHeartbeats starts beating the peers once the node serves SQL
// on sqlAddr, and, in a cluster, the loop that refreshes the cached
// login data.
func (n *Node) startPeerHeartbeats(sqlAddr string) error {
	if err := n.beats.Start(n.ctx, sqlAddr, n.hb.StartedAt()); err != nil {
		return err
	}
	if n.ckv != nil {
		n.wg.Go(func() { n.refreshCredentials(n.ctx) })
	}
	return nil
}

// localNodes answers cluster_node_heartbeat without quorum: this node's
// own view of the members, from the direct heartbeats.
func (n *Node) localNodes() []sql.NodeStatus {
	if n.beats == nil {
		return nil
	}
	rows := n.beats.Rows(time.Now())
	out := make([]sql.NodeStatus, len(rows))
	for i, r := range rows {
		out[i] = sql.NodeStatus{
			NodeID: r.NodeID, Address: r.Address, SQLAddress: r.SQLAddress,
			StartedAt: r.StartedAt, HeartbeatAt: r.HeartbeatAt, State: r.State, Version: r.Version,
		}
	}
	return out
}

// refreshCredentials re-reads the roles and databases into the engine's
// cached login data now, every credentialRefreshInterval and whenever
// cached entries were dropped, until ctx ends. A failed refresh (no
// quorum) keeps what the cache holds; it is logged when refreshes start
// failing and when they work again.
func (n *Node) refreshCredentials(ctx context.Context) {
	t := time.NewTicker(credentialRefreshInterval)
	defer t.Stop()
	failing := false
	for {
		rctx, cancel := context.WithTimeout(ctx, credentialRefreshInterval)
		err := n.engine.RefreshCredentials(rctx)
		cancel()
		switch {
		case ctx.Err() != nil:
			return
		case err != nil && !failing:
			failing = true
			n.logger.Warn("server: cannot refresh the cached login data; logins without quorum use what was read before", "err", err)
		case err == nil && failing:
			failing = false
			n.logger.Info("server: cached login data refreshed again")
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-n.engine.CredentialsStale():
		}
	}
}

// closePeerHeartbeats stops beating the peers; the service stops with
// the peer server.
func (n *Node) closePeerHeartbeats() {
	if n.beats != nil {
		n.beats.Close()
	}
}
