package sql

import (
	"context"
	"log/slog"
	"strconv"
	"time"

	"github.com/quorumdb/quorumdb/cluster/replication"
	"github.com/quorumdb/quorumdb/sql/catalog"
	"github.com/quorumdb/quorumdb/sql/exec"
	"github.com/quorumdb/quorumdb/sql/types"
)

// This file connects the SQL layer to cluster state replication. It uses
// only the replication package's event and handler types; the server
// owns the queues and wires both sides:
//
//   - Outgoing: catalog.writeTable and deleteTable record the descriptors
//     a transaction changes in the session's catalog.Changes, and the role
//     and database DDL the names it changes; after a successful commit
//     Session.afterCommit drops those roles and databases from this
//     node's cached login data (credcache.go) and hands everything to
//     Config.OnCatalogChange, which the node enqueues as "descriptor",
//     "role" and "database" events for every peer.
//   - Incoming: the node registers Engine.DescriptorHandler for
//     catalog.EventKindDescriptor; a peer's event ends in InvalidateDescriptor (or
//     InvalidateAllDescriptors when the peer's queue was recreated). It
//     registers Engine.CredentialHandler for KindRole and KindDatabase,
//     which drops the cached login data of the name.
//   - Observability: cluster_replication_queues shows the queues through
//     Config.ReplicationQueues.
//
// Correctness never depends on any of it while the keyspace answers:
// every transaction reads the descriptor bytes it uses, the descriptor
// cache only skips decoding bytes it has already decoded, and logins read
// the catalog. Only a login without quorum trusts the cached login data,
// which is why role and database changes travel too.

// CatalogChangeFunc receives the catalog changes of one committed
// transaction of session sessionID (its BackendPID), in the order the
// objects were first changed.
type CatalogChangeFunc func(ctx context.Context, sessionID uint64, events []catalog.Event)

// afterCommit runs after every successful commit of the session's
// transaction: the engine's hook, this node's cached login data for the
// roles and databases changed, then the catalog change report.
func (s *Session) afterCommit(ctx context.Context) {
	s.engine.afterCommit()
	events := s.catChanges.Take()
	for _, e := range events {
		switch e.Kind {
		case KindRole:
			s.engine.creds.invalidateRole(e.Name)
		case KindDatabase:
			s.engine.creds.invalidateDatabase(e.Name)
		}
	}
	if f := s.engine.cfg.OnCatalogChange; f != nil && len(events) > 0 {
		f(ctx, uint64(uint32(s.params.BackendPID)), events)
	}
}

// ReplicationEvent is the replication event announcing e to peers: a
// catalog.EventKindDescriptor event keyed by the descriptor id, or a KindRole or
// KindDatabase event keyed by the name.
func ReplicationEvent(e catalog.Event) replication.Event {
	if e.Kind == catalog.EventKindDescriptor {
		return replication.Event{Kind: catalog.EventKindDescriptor, Key: strconv.FormatUint(uint64(e.ID), 10), Version: e.Version}
	}
	return replication.Event{Kind: e.Kind, Key: e.Name}
}

// DescriptorHandler returns the handler the node registers for
// catalog.EventKindDescriptor events: it applies peers' descriptor changes to this
// engine's descriptor cache.
func (e *Engine) DescriptorHandler(logger *slog.Logger) replication.Handler {
	return &descriptorHandler{engine: e, logger: logger}
}

// DescriptorInvalidations is the number of descriptor events from peers
// this engine has applied (an observability figure).
func (e *Engine) DescriptorInvalidations() uint64 { return e.descInvalidations.Load() }

// descriptorHandler applies peers' descriptor events to the cache.
// Dropping an entry is always safe (the cache only saves decoding bytes
// the transaction reads anyway), so it does not compare versions.
type descriptorHandler struct {
	engine *Engine
	logger *slog.Logger
}

var _ replication.Resetter = (*descriptorHandler)(nil)

// Apply implements replication.Handler.
func (h *descriptorHandler) Apply(_ context.Context, ev replication.Event) error {
	id, err := strconv.ParseUint(ev.Key, 10, 32)
	if err != nil {
		// Retrying cannot fix a malformed key: acknowledge it.
		h.logger.Warn("sql: ignoring descriptor event with a bad key", "origin", ev.Origin, "queue", ev.Queue, "key", ev.Key)
		return nil
	}
	h.engine.InvalidateDescriptor(uint32(id))
	h.engine.descInvalidations.Add(1)
	return nil
}

// Reset implements replication.Resetter: events from origin may have been
// lost, so no cached descriptor is trusted.
func (h *descriptorHandler) Reset(_ context.Context, origin int) error {
	h.logger.Info("sql: dropping the descriptor cache: a peer's events may have been lost", "origin", origin)
	h.engine.InvalidateAllDescriptors()
	return nil
}

// InvalidateDescriptor drops descriptor id from the engine's cache: a peer
// changed it. The next transaction that reads it decodes it again.
func (e *Engine) InvalidateDescriptor(id uint32) {
	e.descs.Invalidate(id)
}

// InvalidateAllDescriptors empties the descriptor cache: a peer's events
// may have been lost.
func (e *Engine) InvalidateAllDescriptors() {
	e.descs.InvalidateAll()
}

// cachedDescriptor reports whether descriptor id is in the cache (tests).
func (e *Engine) cachedDescriptor(id uint32) bool {
	return e.descs.Has(id)
}

// ReplicationQueueStatus is one outgoing replication queue as
// cluster_replication_queues shows it.
type ReplicationQueueStatus struct {
	PeerID    int
	Queue     string
	Index     int
	Waiting   uint64
	Delivered uint64
	Failed    uint64
	// OldestWaiting is the age of the oldest waiting entry (0: none).
	OldestWaiting time.Duration
	Connected     bool
	LastError     string
}

// ReplicationQueuesFunc returns the node's outgoing queues.
type ReplicationQueuesFunc func() []ReplicationQueueStatus

// registerReplication adds this file's relations and functions to the engine's
// registries (registry.go calls it).
func registerReplication() {
	registerVirtualTable(&virtualTable{
		schema: "quorumdb", name: "cluster_replication_queues",
		cols: []vcol{
			{"node_id", types.Int8}, {"peer_id", types.Int8}, {"queue", types.Text},
			{"queue_index", types.Int8}, {"waiting", types.Int8}, {"delivered", types.Int8},
			{"failed", types.Int8}, {"oldest_waiting_seconds", types.Float8},
			{"connected", types.Bool}, {"last_error", types.Text},
		},
		rows: func(ec *execCtx) ([]exec.Row, error) {
			cfg := ec.sess.engine.cfg
			if cfg.ReplicationQueues == nil {
				return nil, nil
			}
			qs := cfg.ReplicationQueues()
			out := make([]exec.Row, len(qs))
			for i, q := range qs {
				var lastErr types.Datum
				if q.LastError != "" {
					lastErr = q.LastError
				}
				out[i] = exec.Row{
					int64(cfg.NodeID), int64(q.PeerID), q.Queue, int64(q.Index),
					clampInt64(q.Waiting), clampInt64(q.Delivered), clampInt64(q.Failed),
					q.OldestWaiting.Seconds(), q.Connected, lastErr,
				}
			}
			return out, nil
		},
	})
}

func clampInt64(v uint64) int64 {
	return int64(min(v, 1<<63-1))
}
