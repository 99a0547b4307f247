package server

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sync/atomic"
	"time"

	"google.golang.org/grpc"

	"github.com/quorumdb/quorumdb/cluster"
	"github.com/quorumdb/quorumdb/cluster/multiraft"
	"github.com/quorumdb/quorumdb/cluster/peerlink"
	"github.com/quorumdb/quorumdb/cluster/peertls"
	"github.com/quorumdb/quorumdb/cluster/raftlog"
	"github.com/quorumdb/quorumdb/kv"
	"github.com/quorumdb/quorumdb/kv/remote"
	"github.com/quorumdb/quorumdb/sql"
)

// The node's part of the replicated keyspace (docs/architecture.md,
// "The cluster"). The keyspace is one partition, replicated by one Raft
// group — run by cluster/multiraft, which will drive one group per
// partition once the keyspace is split — whose voters are the
// partition's replicas (cluster.Replicas). A replica opens its store in
// replicated mode and serves transactions to the other nodes while it
// leads; every node, replica or not, runs its SQL sessions on a
// remote.Router, which sends each transaction to the current leader. A
// single node keeps the WAL store and no Raft.

// electionTicks is the election timeout in ticks of 100 ms, and the
// time a follower supports its leader after the leader's last beat
// (cluster/multiraft/support.go): once beats stop, a follower stands by
// the leader for 1 s, then calls an election within 1 to 2 s (raft
// randomizes within twice the timeout); the leader's lease lasts about
// 0.98 s after the send of the last beat a quorum acknowledged.
const electionTicks = 10

// raftLogDir and oldRaftLogDir are the Raft log's directories beside the
// data directory: raftlog/ holds cluster/raftlog's store, raft/ the
// per-group log of releases before multi-raft, which is not converted.
const (
	raftLogDir    = "raftlog"
	oldRaftLogDir = "raft"
)

// keyspacePartition is the partition the whole keyspace is in until the
// keyspace is split (cluster.partitions groups).
const keyspacePartition = 0

// clusterKV holds the components of the replicated keyspace on one node.
// Built by openClusterKV; closed in reverse order by close.
type clusterKV struct {
	raftID    uint64            // this node's position in cluster.nodes, 1-based
	replicas  []string          // the replicas' peer addresses, in placement order
	peers     map[uint64]string // replica raft id -> peer address
	store     *kv.LocalStore    // nil unless this node is a replica
	transport *multiraft.Transport
	raftLog   *raftlog.Store
	raft      *multiraft.Node
	kvServer  *remote.Server
	client    *remote.Client
	router    *remote.Router
	leader    atomic.Uint64 // raft id of the known leader, 0 if none
}

// newClusterKV computes the keyspace partition's placement (computed
// once: the configuration never changes while the node runs): the
// replicas, their raft ids (1-based positions in cluster.nodes), and this
// node's own id.
func newClusterKV(c Config) *clusterKV {
	ck := &clusterKV{peers: make(map[uint64]string)}
	for _, pos := range cluster.Replicas(c.Cluster.Nodes, c.Cluster.ReplicationFactor, keyspacePartition) {
		ck.replicas = append(ck.replicas, c.Cluster.Nodes[pos])
		ck.peers[uint64(pos+1)] = c.Cluster.Nodes[pos]
	}
	for i, addr := range c.Cluster.Nodes {
		if addr == c.AdvertiseAddress {
			ck.raftID = uint64(i + 1)
		}
	}
	return ck
}

// openClusterKV opens this node's replica (when it is one) and the
// router, and registers their gRPC services on srv, which must not be
// serving yet. The Raft group starts at once; elections need the other
// replicas' gRPC servers, so Begin waits for a leader (remote.Router's
// MaxWait) rather than failing while the cluster forms.
func openClusterKV(c Config, dataDir string, srv *grpc.Server, sec *peertls.Security, logger *slog.Logger) (_ *clusterKV, err error) {
	ck := newClusterKV(c)
	defer func() {
		if err != nil {
			ck.close()
		}
	}()
	ck.client = remote.NewClient(logger.With("component", "kv-client"), c.Cluster.UnavailableTimeout, sec.DialOption())
	_, replica := ck.peers[ck.raftID]
	rcfg := remote.RouterConfig{
		LocalAddr:  c.AdvertiseAddress,
		Replicas:   ck.replicas,
		LeaderHint: ck.leaderAddr,
		Client:     ck.client,
		MaxWait:    c.Cluster.UnavailableTimeout,
	}
	if !replica {
		ck.router = remote.NewRouter(rcfg)
		return ck, nil
	}
	lc := kv.LocalConfig{Dir: dataDir, Logger: logger, MinFreeBytes: c.Storage.MinFreeBytes}
	var slack uint64
	if r := c.logRetention; r != nil {
		lc.MaintenanceInterval, slack = r.checkpointEvery, r.slackEntries
	}
	base := filepath.Dir(dataDir)
	if err := refuseOldRaftLog(base); err != nil {
		return nil, err
	}
	raftDir := filepath.Join(base, raftLogDir)
	ck.store, err = kv.OpenReplica(kv.ReplicaConfig{LocalConfig: lc, LeaderAddr: ck.leaderAddr, LogDir: raftDir})
	if err != nil {
		return nil, err
	}
	// The router exists before the group, whose first leader change it
	// hears about.
	rcfg.Local = ck.store
	ck.router = remote.NewRouter(rcfg)
	ck.transport, err = multiraft.NewTransport(ck.raftID, ck.peers, peerlink.Fingerprint{
		Nodes:             c.Cluster.Nodes,
		ReplicationFactor: c.Cluster.ReplicationFactor,
		Partitions:        c.Cluster.Partitions,
		Version:           Version,
	}, logger, sec.DialOption())
	if err != nil {
		return nil, err
	}
	ck.transport.SetAuthorizer(sec.Authorize)
	ck.transport.Register(srv)
	ck.kvServer = remote.NewServer(ck.store, logger.With("component", "kv-server"))
	ck.kvServer.Register(srv)
	ck.raftLog, err = raftlog.Open(raftDir, logger.With("component", "raftlog"))
	if err != nil {
		return nil, fmt.Errorf("server: opening the raft log: %w", err)
	}
	store, router := ck.store, ck.router
	ck.raft, err = multiraft.Start(multiraft.NodeConfig{
		ID:              ck.raftID,
		Store:           ck.raftLog,
		Transport:       ck.transport,
		Groups:          []multiraft.GroupSpec{{ID: keyspacePartition, Voters: slices.Sorted(maps.Keys(ck.peers)), SM: store}},
		ElectionTicks:   electionTicks,
		CompactionSlack: slack,
		Logger:          logger.With("component", "raft"),
		// Below the free-space reserve this replica takes no new
		// entries: it lags instead of failing a log write, which would
		// stop its groups until a restart.
		AcceptEntries: store.CheckDiskSpace,
		OnLeaderChange: func(_, leader, term uint64) {
			ck.leader.Store(leader)
			store.LeaderChanged()
			// Streams this node's sessions hold on a former leader end
			// now instead of waiting on a node that may never answer.
			router.LeaderChanged(ck.peers[leader])
			logger.Info("server: keyspace leader changed", "leader", leader, "term", term)
		},
	})
	if err != nil {
		return nil, fmt.Errorf("server: starting the keyspace's raft group: %w", err)
	}
	node := ck.raft
	store.Attach(raftGroupLog{node}, func(index uint64) { node.Compact(keyspacePartition, index) })
	return ck, nil
}

// refuseOldRaftLog refuses a data directory whose Raft log a release
// before multi-raft wrote (raft/, one file set for the one group): this
// release keeps every group's log in one store (raftlog/) and does not
// convert the old one. Starting anyway would begin an empty log beside
// data the old one produced — a silent reinterpretation.
func refuseOldRaftLog(base string) error {
	old := filepath.Join(base, oldRaftLogDir)
	if _, err := os.Stat(old); err == nil {
		return fmt.Errorf("server: %s holds the Raft log of a quorumdb release before multi-raft, which this release cannot read; "+
			"start this node from an empty buffer_directory (dump the data with pg_dump from the old release and restore it)", old)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("server: checking for an old raft log: %w", err)
	}
	return nil
}

// leaderAddr is the known leader's peer address, "" if none.
func (ck *clusterKV) leaderAddr() string {
	return ck.peers[ck.leader.Load()]
}

// db is what the SQL engine and the heartbeat run on.
func (ck *clusterKV) db() kv.DB { return ck.router }

// handOverTimeout bounds the wait for one replica to take leadership
// over from a node that stops: a caught-up replica takes it in a few
// round trips; one that is down never does (raft gives up after an
// election timeout, 1 s).
const handOverTimeout = time.Second

// handOver, when this node leads the keyspace's group, hands leadership
// to another replica before the node stops. Otherwise the stopping node,
// once its peer server no longer accepts their messages, would go on
// sending heartbeats that hold off the others' election until
// CheckQuorum demotes it, an election timeout later, and only then would
// they elect: seconds without a leader on every planned restart. A
// replica that does not take over in time is skipped; failing all, the
// node stops anyway and the others elect as after a crash.
func (ck *clusterKV) handOver(ctx context.Context, logger *slog.Logger) {
	if !ck.isLeader() {
		return
	}
	ids := slices.Sorted(maps.Keys(ck.peers))
	for _, id := range ids {
		if id == ck.raftID {
			continue
		}
		tctx, cancel := context.WithTimeout(ctx, handOverTimeout)
		err := ck.transferLeadership(tctx, id)
		cancel()
		if err == nil {
			logger.Info("server: handed the keyspace's leadership over before stopping", "to", id)
			return
		}
		if errors.Is(err, multiraft.ErrNotLeader) {
			return // someone else leads now: nothing to hand over
		}
		// Not a problem in itself (the others elect after an election
		// timeout), and usual when the whole cluster stops together.
		logger.Info("server: handing the keyspace's leadership over failed", "to", id, "err", err)
	}
}

// close stops the components in reverse order: the router's
// connections, the transaction service (rolling back what peers left
// open), the raft node (no more Apply), the transport, the raft log, the
// store.
func (ck *clusterKV) close() error {
	var errs []error
	if ck.client != nil {
		ck.client.Close()
	}
	if ck.kvServer != nil {
		ck.kvServer.Close()
	}
	if ck.raft != nil {
		errs = append(errs, ck.raft.Close())
	}
	if ck.transport != nil {
		ck.transport.Close()
	}
	if ck.raftLog != nil {
		errs = append(errs, ck.raftLog.Close())
	}
	if ck.store != nil {
		errs = append(errs, ck.store.Close())
	}
	return errors.Join(errs...)
}

// raftGroupLog adapts the keyspace's group of a multiraft.Node to
// kv.ReplicatedLog, translating its refusals into kv's errors.
type raftGroupLog struct{ n *multiraft.Node }

func (l raftGroupLog) Propose(ctx context.Context, data []byte) error {
	return notLeader(l.n.Propose(ctx, keyspacePartition, data))
}

func (l raftGroupLog) ReadIndex(ctx context.Context) error {
	return notLeader(l.n.ReadIndex(ctx, keyspacePartition))
}

func notLeader(err error) error {
	switch {
	case errors.Is(err, multiraft.ErrNotLeader) || errors.Is(err, multiraft.ErrClosed):
		return fmt.Errorf("%w: %w", kv.ErrNotLeader, err)
	case errors.Is(err, multiraft.ErrProposalTooLarge):
		return fmt.Errorf("%w: a single value exceeds the largest log entry: %w", kv.ErrTxnTooLarge, err)
	}
	return err
}

// peerServerOptions are the options of the peer gRPC server: those the
// transaction service needs (message size for snapshots and scan pages,
// keepalive so a dead client's locks are released, and a ping policy
// that lets clients idle in a transaction keep their stream).
func peerServerOptions() []grpc.ServerOption {
	return remote.ServerOptions()
}

// newEngine builds the SQL engine. In a cluster its first transactions
// need the keyspace's leader, which needs a majority of its replicas
// up: the nodes of a new cluster start one by one, so it waits, logging,
// until they are or ctx ends.
func (n *Node) newEngine(ctx context.Context, cfg sql.Config) (*sql.Engine, error) {
	for {
		e, err := sql.NewEngine(ctx, cfg)
		if err == nil || n.ckv == nil || !errors.Is(err, kv.ErrUnavailable) || ctx.Err() != nil {
			return e, err
		}
		n.logger.Warn("server: waiting for a majority of the keyspace's replicas to elect a leader", "err", err)
	}
}

// partitions answers cluster_partitions: the keyspace's one partition,
// its replicas, its leader as this node knows it, and this node's applied
// index when it holds a replica. A single node is its own leader.
func (n *Node) partitions() []sql.PartitionStatus {
	if n.ckv == nil {
		addr := n.cfg.AdvertiseAddress
		return []sql.PartitionStatus{{Partition: keyspacePartition, Replicas: []string{addr}, Leader: addr, LocalReplica: true}}
	}
	ck := n.ckv
	p := sql.PartitionStatus{Partition: keyspacePartition, Leader: ck.leaderAddr(), Replicas: ck.replicas}
	if ck.raft != nil {
		p.Term = ck.raft.Term(keyspacePartition)
		p.LocalReplica = true
		p.AppliedIndex = ck.store.AppliedLogIndex()
	} else if p.Leader == "" {
		p.Leader = ck.router.Leader()
	}
	return []sql.PartitionStatus{p}
}

// isLeader says whether this node leads the keyspace's group (as of the
// raft loop's last cycle: not a lease).
func (ck *clusterKV) isLeader() bool {
	return ck.raft != nil && ck.raft.IsLeader(keyspacePartition)
}

// transferLeadership hands the keyspace group's leadership from this
// node to node to and waits until it moved.
func (ck *clusterKV) transferLeadership(ctx context.Context, to uint64) error {
	if ck.raft == nil {
		return multiraft.ErrNotLeader
	}
	return ck.raft.TransferLeadership(ctx, keyspacePartition, to)
}
