package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"runtime"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/quorumdb/quorumdb/kv"
	"github.com/quorumdb/quorumdb/kv/dist"
)

// healthTimeout bounds the storage probe of /healthz.
const healthTimeout = 2 * time.Second

// adminHandler serves /metrics (Prometheus text), /healthz and
// /debug/pprof/. Each node has its own registry, so several in-process
// nodes (tests, demo) never collide on the global one.
func (n *Node) adminHandler() http.Handler {
	reg := prometheus.NewRegistry()
	reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name:        "quorumdb_build_info",
			Help:        "Always 1; the labels describe the running node.",
			ConstLabels: prometheus.Labels{"version": Version, "goversion": runtime.Version(), "node_id": fmt.Sprint(n.cfg.Node.ID)},
		}, func() float64 { return 1 }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "quorumdb_heartbeat_last_write_timestamp_seconds",
			Help: "Unix time of this node's last successful heartbeat write (0: none yet).",
		}, func() float64 {
			t := n.hb.LastWrite()
			if t.IsZero() {
				return 0
			}
			return float64(t.UnixNano()) / 1e9
		}),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "quorumdb_cached_credentials_refresh_timestamp_seconds",
			Help: "Unix time of the last complete read of the roles and databases a login without quorum is checked against (0: none yet).",
		}, func() float64 {
			t := n.engine.CredentialsRefreshedAt()
			if t.IsZero() {
				return 0
			}
			return float64(t.UnixNano()) / 1e9
		}),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "quorumdb_descriptor_invalidations_total",
			Help: "Descriptor change events from peers applied to this node's descriptor cache.",
		}, func() float64 { return float64(n.engine.DescriptorInvalidations()) }),
	)
	if n.ckv != nil {
		n.registerKeyspaceMetrics(reg)
	}
	if n.ckv != nil && n.ckv.raft != nil {
		rn := n.ckv.raft
		// Which node leads the system partition (catalog, heartbeats,
		// sequences): operators and fault tests find the node whose loss
		// stalls DDL and logins for an election.
		reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "quorumdb_system_partition_leader",
			Help: "1 while this node leads the system partition's Raft group, else 0 (absent on nodes that hold no replica).",
		}, func() float64 {
			if rn.IsLeader(dist.SystemPartition) {
				return 1
			}
			return 0
		}))
		// The multi-raft machinery's own counts (cluster/multiraft).
		tr, log := n.ckv.transport, n.ckv.raftLog
		reg.MustRegister(
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{
				Name: "quorumdb_raft_groups_led",
				Help: "Raft groups this node leads.",
			}, func() float64 { return float64(rn.GroupsLed()) }),
			prometheus.NewCounterFunc(prometheus.CounterOpts{
				Name: "quorumdb_raft_proposals_total",
				Help: "Proposals this node's Raft groups accepted as leader.",
			}, func() float64 { return float64(rn.Proposals()) }),
			prometheus.NewCounterFunc(prometheus.CounterOpts{
				Name: "quorumdb_raft_batches_sent_total",
				Help: "Batches sent to peers: one per peer per cycle with anything to say, every group's messages in it.",
			}, func() float64 { return float64(tr.Stats().Batches) }),
			prometheus.NewCounterFunc(prometheus.CounterOpts{
				Name: "quorumdb_raft_messages_sent_total",
				Help: "Raft messages sent to peers (coalesced heartbeats counted one each); none while every group is quiesced.",
			}, func() float64 { return float64(tr.Stats().RaftMessages) }),
			prometheus.NewCounterFunc(prometheus.CounterOpts{
				Name: "quorumdb_raft_snapshots_sent_total",
				Help: "Snapshots sent to followers behind the compacted log.",
			}, func() float64 { return float64(tr.Stats().Snapshots) }),
			prometheus.NewCounterFunc(prometheus.CounterOpts{
				Name: "quorumdb_raft_log_syncs_total",
				Help: "fsyncs of the Raft log store: one per cycle for all groups.",
			}, func() float64 { return float64(log.Syncs()) }),
		)
	}
	if store := n.localStore(); store != nil {
		// The free-space guard (kv/diskspace.go): what it measured and
		// whether it refuses writes now. Absent on nodes that hold no
		// replica.
		reg.MustRegister(
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{
				Name: "quorumdb_disk_free_bytes",
				Help: "Bytes free for the store on the fullest filesystem of buffer_directory (data/, raft/); -1 if it cannot be measured.",
			}, func() float64 { return float64(store.DiskSpace().Free) }),
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{
				Name: "quorumdb_disk_reserve_bytes",
				Help: "storage.min_free_bytes: below this much free space writes fail with 53100 (disk full); -1 when off.",
			}, func() float64 { return float64(store.DiskSpace().Reserve) }),
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{
				Name: "quorumdb_disk_full",
				Help: "1 while the free space is below storage.min_free_bytes: writes fail with 53100 and a replica takes no new log entries; else 0.",
			}, func() float64 {
				if store.DiskSpace().Full {
					return 1
				}
				return 0
			}),
		)
	}
	if n.repl != nil {
		// quorumdb_replication_queue_*: the figures of
		// cluster_replication_queues.
		reg.MustRegister(n.repl.Collector())
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	mux.HandleFunc("GET /healthz", n.healthz)
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	return mux
}

// healthz answers 200 "ok" when the store opens a transaction and this
// node's heartbeat is fresh, else 503 with the reason: a load balancer
// should stop sending clients to a node the others consider dead.
func (n *Node) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), healthTimeout)
	defer cancel()
	if err := n.probeStore(ctx); err != nil {
		http.Error(w, "storage: "+err.Error(), http.StatusServiceUnavailable)
		return
	}
	if age := time.Since(n.hb.LastWrite()); age >= n.cfg.Heartbeat.Timeout {
		http.Error(w, fmt.Sprintf("heartbeat: last written %s ago", age.Round(time.Millisecond)), http.StatusServiceUnavailable)
		return
	}
	_, _ = fmt.Fprintln(w, "ok")
}

// localStore is the store this node holds: its own, or its replica of
// the keyspace (nil on a cluster node without one).
func (n *Node) localStore() *kv.LocalStore {
	if n.store != nil {
		return n.store
	}
	if n.ckv != nil {
		return n.ckv.keyspace.anyStore()
	}
	return nil
}

// probeStore reads a key of the system keyspace: in a cluster, a round
// trip to the system partition's leaseholder.
func (n *Node) probeStore(ctx context.Context) error {
	txn, err := n.db.Begin(ctx, kv.TxnOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer txn.Rollback()
	_, _, err = txn.Get(ctx, kv.ProbeKey)
	return err
}

// serveAdmin serves the admin endpoints on ln until shutdownAdmin.
func (n *Node) serveAdmin(ln net.Listener) {
	n.admin = &http.Server{
		Handler:           n.adminHandler(),
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(n.logger.Handler(), slog.LevelWarn),
	}
	n.wg.Go(func() {
		if err := n.admin.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			n.fail(fmt.Errorf("server: admin endpoint: %w", err))
		}
	})
}
