package server

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"google.golang.org/grpc"

	"github.com/quorumdb/quorumdb/cluster"
	"github.com/quorumdb/quorumdb/cluster/multiraft"
	"github.com/quorumdb/quorumdb/cluster/peerlink"
	"github.com/quorumdb/quorumdb/cluster/peertls"
	"github.com/quorumdb/quorumdb/cluster/raftlog"
	"github.com/quorumdb/quorumdb/kv"
	"github.com/quorumdb/quorumdb/kv/dist"
	"github.com/quorumdb/quorumdb/kv/remote"
	"github.com/quorumdb/quorumdb/sql"
	"github.com/quorumdb/quorumdb/sql/catalog"
)

// The node's part of the partitioned keyspace (docs/architecture.md,
// "The cluster"). The keyspace is cluster.partitions data partitions and
// the system partition (dist.SystemPartition), each replicated by its own
// Raft group, all run by one cluster/multiraft node, whose voters are
// the partition's replicas (cluster.Replicas) and whose preferred leader
// is the first of them. The node holds one kv.Engine (one badger) with a
// store per partition it replicates (kv.OpenPartitionReplica), serves
// them to the other nodes' coordinators (kv/remote), and coordinates its
// own sessions' transactions itself (kv/dist): there is no cluster-wide
// leader. A single node keeps the WAL store and no Raft.

// electionTicks is the election timeout in ticks of 100 ms, and the
// time a follower supports its leader after the leader's last beat
// (cluster/multiraft/support.go): once beats stop, a follower stands by
// the leader for 1 s, then calls an election within 1 to 2 s (raft
// randomizes within twice the timeout); the leader's lease lasts about
// 0.98 s after the send of the last beat a quorum acknowledged.
const electionTicks = 10

// The keyspace's directories in buffer_directory: keyspace/ holds the
// engine (badger, every partition under its prefix), raftlog/ every
// group's Raft log (cluster/raftlog). data/ is where a single node keeps
// its store, and where a cluster node of a release before partitions
// kept the one group's (data/data); raft/ is the per-group log of
// releases before multi-raft. Neither old layout is converted.
const (
	keyspaceDir   = "keyspace"
	raftLogDir    = "raftlog"
	oldRaftLogDir = "raft"
	oldGroupDir   = "data/data"
)

// clusterKV holds the components of the partitioned keyspace on one
// node. Built by openClusterKV; closed in reverse order by close.
type clusterKV struct {
	raftID    uint64            // this node's position in cluster.nodes, 1-based
	addrs     map[uint64]string // raft id -> peer address
	voters    [][]uint64        // by partition: the replicas' raft ids, preferred first
	keyspace  *keyspace
	engine    *kv.Engine // nil when this node replicates no partition
	transport *multiraft.Transport
	raftLog   *raftlog.Store
	raft      *multiraft.Node // nil when this node replicates no partition
	kvServer  *remote.Server
	client    *remote.Client
	db        *dist.DB
	// recovery runs keyspace.recoverAbandoned; close cancels and waits.
	stopRecovery context.CancelFunc
	recovery     sync.WaitGroup
}

// newClusterKV computes the placement of every partition (computed once:
// the configuration never changes while the node runs).
func newClusterKV(c Config) *clusterKV {
	nodes := c.Cluster.Nodes
	parts := c.Cluster.Partitions + 1 // the data partitions and the system one
	ck := &clusterKV{addrs: make(map[uint64]string), voters: make([][]uint64, parts)}
	for i, addr := range nodes {
		ck.addrs[uint64(i+1)] = addr
		if addr == c.AdvertiseAddress {
			ck.raftID = uint64(i + 1)
		}
	}
	ks := &keyspace{
		KeyPlacement: dist.KeyPlacement{Data: uint32(c.Cluster.Partitions), Routes: dist.NewRoutes()},
		self:         c.AdvertiseAddress,
		replicas:     make([][]string, parts),
		stores:       make([]*kv.LocalStore, parts),
		leaders:      make([]string, parts),
		leading:      func(uint32) bool { return false },
	}
	for p := range parts {
		for _, pos := range cluster.Replicas(nodes, c.Cluster.ReplicationFactor, p) {
			ck.voters[p] = append(ck.voters[p], uint64(pos+1))
			ks.replicas[p] = append(ks.replicas[p], nodes[pos])
		}
	}
	ck.keyspace = ks
	return ck
}

// replicates says whether this node holds a replica of partition p.
func (ck *clusterKV) replicates(p int) bool {
	return slices.Contains(ck.voters[p], ck.raftID)
}

// openClusterKV opens this node's replicas and the coordinator, and
// registers their gRPC services on srv, which must not be serving yet.
// The Raft groups start at once; elections need the other replicas' gRPC
// servers, so transactions wait for leaders (dist.Config.LeaderWait)
// rather than failing while the cluster forms.
func openClusterKV(c Config, base string, srv *grpc.Server, sec *peertls.Security, logger *slog.Logger) (_ *clusterKV, err error) {
	ck := newClusterKV(c)
	defer func() {
		if err != nil {
			ck.close()
		}
	}()
	if err := refuseOldLayouts(base); err != nil {
		return nil, err
	}
	ks := ck.keyspace
	ks.clock = kv.NewClock()
	ck.client = remote.NewClient(logger.With("component", "kv-client"), c.Cluster.UnavailableTimeout, sec.DialOption())
	ks.client = ck.client
	ck.db, err = dist.New(dist.Config{
		Partitions:     ks,
		Clock:          ks.clock,
		MaxClockOffset: c.Cluster.MaxClockOffset,
		LeaderWait:     c.Cluster.UnavailableTimeout,
	})
	if err != nil {
		return nil, err
	}
	ck.kvServer = remote.NewServer(nil, logger.With("component", "kv-server"))
	ck.kvServer.ServePartitions(func(p uint32) (remote.PartitionStore, bool) {
		if int(p) >= len(ks.stores) || ks.stores[p] == nil {
			return nil, false
		}
		return ks.stores[p], true
	})
	ck.kvServer.Register(srv)

	var groups []multiraft.GroupSpec
	for p := range ck.voters {
		if ck.replicates(p) {
			groups = append(groups, multiraft.GroupSpec{ID: uint64(p), Voters: slices.Sorted(slices.Values(ck.voters[p])), Preferred: ck.voters[p][0]})
		}
	}
	if len(groups) == 0 {
		return ck, nil // a coordinator only
	}
	lc := kv.LocalConfig{Dir: filepath.Join(base, keyspaceDir), Logger: logger, MinFreeBytes: c.Storage.MinFreeBytes}
	var slack uint64
	if r := c.logRetention; r != nil {
		lc.MaintenanceInterval, slack = r.checkpointEvery, r.slackEntries
	}
	raftDir := filepath.Join(base, raftLogDir)
	if ck.engine, err = kv.OpenEngine(kv.EngineConfig{Dir: filepath.Join(lc.Dir, "badger"), Logger: logger}); err != nil {
		return nil, err
	}
	for i := range groups {
		p := uint32(groups[i].ID)
		store, err := kv.OpenPartitionReplica(ck.engine, p, kv.ReplicaConfig{
			LocalConfig:    lc,
			LeaderAddr:     func() string { return ks.leader(p) },
			LogDir:         raftDir,
			Clock:          ks.clock,
			MaxClockOffset: c.Cluster.MaxClockOffset,
		})
		if err != nil {
			return nil, fmt.Errorf("server: opening partition %d: %w", p, err)
		}
		ks.stores[p] = store
		groups[i].SM = store
	}
	ck.transport, err = multiraft.NewTransport(ck.raftID, ck.addrs, peerlink.Fingerprint{
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
	ck.raftLog, err = raftlog.Open(raftDir, logger.With("component", "raftlog"))
	if err != nil {
		return nil, fmt.Errorf("server: opening the raft log: %w", err)
	}
	guard := ks.anyStore()
	ck.raft, err = multiraft.Start(multiraft.NodeConfig{
		ID:              ck.raftID,
		Store:           ck.raftLog,
		Transport:       ck.transport,
		Groups:          groups,
		ElectionTicks:   electionTicks,
		CompactionSlack: slack,
		Logger:          logger.With("component", "raft"),
		// Below the free-space reserve this replica takes no new
		// entries: it lags instead of failing a log write, which would
		// stop its groups until a restart.
		AcceptEntries: guard.CheckDiskSpace,
		OnLeaderChange: func(group, leader, term uint64) {
			ks.noteLeader(uint32(group), ck.addrs[leader])
			ks.stores[group].LeaderChanged()
			// Parts this node's sessions hold on the partition's former
			// leader end now instead of waiting on a node that may never
			// answer (paused, cut off). Only a new leader proves that: a
			// replica that merely lost track of the leader (it restarted,
			// or an election began here) may still be wrong about it.
			if leader != 0 {
				ck.client.PartitionLeaderMoved(uint32(group), ck.addrs[leader])
			}
			logger.Debug("server: partition leader changed", "partition", group, "leader", leader, "term", term)
		},
	})
	if err != nil {
		return nil, fmt.Errorf("server: starting the partitions' raft groups: %w", err)
	}
	node := ck.raft
	ks.leading = func(p uint32) bool { return node.IsLeader(uint64(p)) }
	for _, g := range groups {
		ks.stores[g.ID].Attach(raftGroupLog{node, g.ID}, func(index uint64) { node.Compact(g.ID, index) })
	}
	ctx, cancel := context.WithCancel(context.Background())
	ck.stopRecovery = cancel
	ck.recovery.Go(func() { ks.recoverAbandoned(ctx, ck.db, logger) })
	return ck, nil
}

// refuseOldLayouts refuses a buffer_directory that an older release or
// a single node wrote: data/data holds a keyspace that is one partition
// (a cluster before partitions, or a single node), raft/ the Raft log of
// a release before multi-raft. Neither is converted; starting anyway
// would begin an empty keyspace beside the old data — a silent
// reinterpretation.
func refuseOldLayouts(base string) error {
	for _, old := range []struct{ dir, what string }{
		{oldRaftLogDir, "the Raft log of a quorumdb release before multi-raft"},
		{oldGroupDir, "a keyspace that is not partitioned (a cluster of a quorumdb release before partitions, or a single node)"},
	} {
		path := filepath.Join(base, old.dir)
		if _, err := os.Stat(path); err == nil {
			return fmt.Errorf("server: %s holds %s, which this release cannot read as a cluster's partitions; "+
				"start this node from an empty buffer_directory (dump the data with pg_dump from the old release and restore it)", path, old.what)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("server: checking for an old keyspace: %w", err)
		}
	}
	return nil
}

// handOverTimeout bounds the wait for one replica to take leadership
// over from a node that stops: a caught-up replica takes it in a few
// round trips; one that is down never does (raft gives up after an
// election timeout, 1 s).
const handOverTimeout = time.Second

// handOver hands every partition this node leads to another of its
// replicas, in parallel, before the node stops or while its clock is
// off. Otherwise the stopping node, once its peer server no longer
// accepts their messages, would go on sending heartbeats that hold off
// the others' election until CheckQuorum demotes it, an election timeout
// later: seconds without a leader for a third of the keyspace on every
// planned restart. A replica that does not take over in time is
// skipped; failing all, the others elect as after a crash.
func (ck *clusterKV) handOver(ctx context.Context, logger *slog.Logger) {
	if ck.raft == nil {
		return
	}
	var wg sync.WaitGroup
	var moved atomic.Int64
	for p := range ck.voters {
		if !ck.raft.IsLeader(uint64(p)) {
			continue
		}
		wg.Go(func() {
			for _, id := range ck.voters[p] {
				if id == ck.raftID {
					continue
				}
				tctx, cancel := context.WithTimeout(ctx, handOverTimeout)
				err := ck.raft.TransferLeadership(tctx, uint64(p), id)
				cancel()
				if err == nil {
					moved.Add(1)
					return
				}
				if errors.Is(err, multiraft.ErrNotLeader) {
					return // someone else leads now: nothing to hand over
				}
			}
		})
	}
	wg.Wait()
	if n := moved.Load(); n > 0 {
		logger.Info("server: handed partitions' leadership over", "partitions", n)
	}
}

// close stops the components in reverse order: recovery, the
// coordinator (its background resolutions), the client connections, the
// transaction service (rolling back what peers left open), the raft node
// (no more Apply), the transport, the raft log, the stores, the engine.
func (ck *clusterKV) close() error {
	var errs []error
	if ck.stopRecovery != nil {
		ck.stopRecovery()
		ck.recovery.Wait()
	}
	if ck.db != nil {
		ck.db.Close()
	}
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
	for _, s := range ck.keyspace.stores {
		if s != nil {
			errs = append(errs, s.Close())
		}
	}
	if ck.engine != nil {
		errs = append(errs, ck.engine.Close())
	}
	return errors.Join(errs...)
}

// raftGroupLog adapts one partition's group of a multiraft.Node to
// kv.ReplicatedLog, translating its refusals into kv's errors.
type raftGroupLog struct {
	n     *multiraft.Node
	group uint64
}

func (l raftGroupLog) Propose(ctx context.Context, data []byte) error {
	return notLeader(l.n.Propose(ctx, l.group, data))
}

func (l raftGroupLog) ReadIndex(ctx context.Context) error {
	return notLeader(l.n.ReadIndex(ctx, l.group))
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

// onTable registers, in a cluster, how the keys of every index of t are
// placed on partitions (sql.IndexRoutes, dist.Routes): the SQL engine
// calls it for every descriptor it decodes or is about to write keys
// of, before any key is built.
func (n *Node) onTable(t *catalog.Table) {
	if n.ckv == nil {
		return
	}
	routes := n.ckv.keyspace.Routes
	sql.IndexRoutes(t, func(tableID, indexID uint32, skip func([]byte) (int, error)) {
		routes.Register(tableID, indexID, skip)
	})
}

// newEngine builds the SQL engine. In a cluster its first transactions
// need the system partition's leader, which needs a majority of its
// replicas up: the nodes of a new cluster start one by one, so it waits, logging,
// until they are or ctx ends.
func (n *Node) newEngine(ctx context.Context, cfg sql.Config) (*sql.Engine, error) {
	for {
		e, err := sql.NewEngine(ctx, cfg)
		if err == nil || n.ckv == nil || !errors.Is(err, kv.ErrUnavailable) || ctx.Err() != nil {
			return e, err
		}
		n.logger.Warn("server: waiting for a majority of the system partition's replicas to elect a leader", "err", err)
	}
}

// partitions answers cluster_partitions: every partition, its replicas,
// its leader as this node knows it, and, where this node holds a
// replica, the term and the applied index. A single node is one
// partition and its own leader.
func (n *Node) partitions() []sql.PartitionStatus {
	if n.ckv == nil {
		addr := n.cfg.AdvertiseAddress
		return []sql.PartitionStatus{{Partition: 0, Replicas: []string{addr}, Leader: addr, LocalReplica: true}}
	}
	ck := n.ckv
	ks := ck.keyspace
	out := make([]sql.PartitionStatus, len(ck.voters))
	for p := range out {
		st := sql.PartitionStatus{Partition: p, Replicas: ks.replicas[p], Leader: ks.leader(uint32(p))}
		if s := ks.stores[p]; s != nil {
			st.Term = ck.raft.Term(uint64(p))
			st.LocalReplica = true
			st.AppliedIndex = s.AppliedLogIndex()
		}
		out[p] = st
	}
	return out
}

// leads says whether this node leads partition p (as of the raft loop's
// last cycle: not a lease).
func (ck *clusterKV) leads(p int) bool {
	return ck.raft != nil && ck.raft.IsLeader(uint64(p))
}

// leadsAny says whether this node leads any partition.
func (ck *clusterKV) leadsAny() bool {
	return ck.raft != nil && ck.raft.GroupsLed() > 0
}

// transferLeadership hands partition p's leadership from this node to
// node to and waits until it moved.
func (ck *clusterKV) transferLeadership(ctx context.Context, p int, to uint64) error {
	if ck.raft == nil {
		return multiraft.ErrNotLeader
	}
	return ck.raft.TransferLeadership(ctx, uint64(p), to)
}
