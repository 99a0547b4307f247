package sql

import (
	"context"
	"log/slog"
	"reflect"
	"testing"

	"github.com/quorumdb/quorumdb/cluster/replication"
	"github.com/quorumdb/quorumdb/sql/catalog"
)

// catalogHook records OnCatalogChange calls.
type catalogHook struct {
	sessions []uint64
	events   [][]catalog.Event
}

func (h *catalogHook) install(e *Engine) {
	e.cfg.OnCatalogChange = func(_ context.Context, sessionID uint64, events []catalog.Event) {
		h.sessions = append(h.sessions, sessionID)
		h.events = append(h.events, events)
	}
}

func (h *catalogHook) take() [][]catalog.Event {
	out := h.events
	h.events, h.sessions = nil, nil
	return out
}

// TestCatalogEventsAfterCommit checks that descriptor changes are reported
// once per committed transaction, with the newest version per descriptor,
// and never for a transaction that rolled back.
func TestCatalogEventsAfterCommit(t *testing.T) {
	e, s := testSession(t)
	var h catalogHook
	h.install(e)

	// Implicit transaction.
	mustExec(t, s, "CREATE TABLE a (k int PRIMARY KEY)")
	got := h.take()
	if len(got) != 1 || len(got[0]) != 1 || got[0][0].Version != 1 || got[0][0].Dropped {
		t.Fatalf("CREATE TABLE: events %+v", got)
	}
	idA := got[0][0].ID

	// Explicit block: nothing before COMMIT, one event per descriptor.
	mustExec(t, s, "BEGIN")
	mustExec(t, s, "ALTER TABLE a ADD COLUMN v text")
	mustExec(t, s, "ALTER TABLE a ADD COLUMN w text")
	if got := h.take(); len(got) != 0 {
		t.Fatalf("events before COMMIT: %+v", got)
	}
	mustExec(t, s, "COMMIT")
	if got := h.take(); !reflect.DeepEqual(got, [][]catalog.Event{{{Kind: catalog.EventKindDescriptor, ID: idA, Version: 3}}}) {
		t.Fatalf("ALTER x2 then COMMIT: events %+v", got)
	}

	// Rolled back block, then a failed implicit statement: nothing, and
	// nothing leaks into the next commit.
	mustExec(t, s, "BEGIN")
	mustExec(t, s, "CREATE TABLE b (k int)")
	mustExec(t, s, "ROLLBACK")
	if code := execCode(t, s, "CREATE TABLE a (k int)"); code != "42P07" {
		t.Fatalf("duplicate CREATE TABLE: %s", code)
	}
	mustExec(t, s, "INSERT INTO a VALUES (1)")
	if got := h.take(); len(got) != 0 {
		t.Fatalf("events after rollbacks and DML: %+v", got)
	}

	// An implicit multi-statement block reports its changes together.
	mustExec(t, s, "CREATE TABLE c (k int PRIMARY KEY); DROP TABLE a")
	got = h.take()
	if len(got) != 1 || len(got[0]) != 2 || got[0][1] != (catalog.Event{Kind: catalog.EventKindDescriptor, ID: idA, Version: 4, Dropped: true}) {
		t.Fatalf("CREATE c; DROP a: events %+v", got)
	}
	if h.sessions != nil {
		t.Fatal("take did not reset")
	}
	mustExec(t, s, "CREATE TABLE d (k int)")
	if len(h.sessions) != 1 || h.sessions[0] != 42 {
		t.Fatalf("session ids %v, want the BackendPID 42", h.sessions)
	}
}

func TestInvalidateDescriptor(t *testing.T) {
	e, s := testSession(t)
	var h catalogHook
	h.install(e)
	mustExec(t, s, "CREATE TABLE a (k int PRIMARY KEY)")
	mustExec(t, s, "CREATE TABLE b (k int PRIMARY KEY)")
	got := h.take()
	idA, idB := got[0][0].ID, got[1][0].ID
	mustExec(t, s, "SELECT * FROM a, b")
	if !e.cachedDescriptor(idA) || !e.cachedDescriptor(idB) {
		t.Fatal("descriptors not cached after a read")
	}
	e.InvalidateDescriptor(idA)
	if e.cachedDescriptor(idA) || !e.cachedDescriptor(idB) {
		t.Fatal("InvalidateDescriptor(a) did not drop exactly a")
	}
	e.InvalidateAllDescriptors()
	if e.cachedDescriptor(idB) {
		t.Fatal("InvalidateAllDescriptors kept b")
	}
	mustExec(t, s, "SELECT * FROM a, b") // the cache refills
	if !e.cachedDescriptor(idA) {
		t.Fatal("not cached again")
	}
}

// TestReplicationQueuesTable checks the virtual table's columns and
// values.
func TestReplicationQueuesTable(t *testing.T) {
	e, s := testSession(t)
	if r := mustExec(t, s, "select * from cluster_replication_queues"); len(r.rows) != 0 {
		t.Fatalf("no source: %v", r.rows)
	}
	e.cfg.ReplicationQueues = func() []ReplicationQueueStatus {
		return []ReplicationQueueStatus{
			{PeerID: 2, Queue: "queue_2_0_d4735e3a", Index: 0, Waiting: 3, Delivered: 5, Failed: 1, OldestWaiting: 1500e6, LastError: "boom"},
			{PeerID: 2, Queue: "queue_2_1_d4735e3a", Index: 1, Connected: true},
		}
	}
	r := mustExec(t, s, "select node_id, peer_id, queue, queue_index, waiting, delivered, failed, oldest_waiting_seconds, connected, last_error from quorumdb.cluster_replication_queues order by queue_index")
	want := "1|2|queue_2_0_d4735e3a|0|3|5|1|1.5|f|boom\n1|2|queue_2_1_d4735e3a|1|0|0|0|0|t|NULL"
	if got := rowsText(r); got != want {
		t.Fatalf("rows:\n%s\nwant:\n%s", got, want)
	}
}

// TestDescriptorHandler checks the handler peers' events reach: it drops
// the named descriptor, counts it, acknowledges a malformed key, and Reset
// drops everything.
func TestDescriptorHandler(t *testing.T) {
	e, s := testSession(t)
	var h catalogHook
	h.install(e)
	mustExec(t, s, "CREATE TABLE a (k int PRIMARY KEY)")
	mustExec(t, s, "CREATE TABLE b (k int PRIMARY KEY)")
	got := h.take()
	idA, idB := got[0][0], got[1][0]
	mustExec(t, s, "SELECT * FROM a, b")

	handler := e.DescriptorHandler(slog.New(slog.DiscardHandler))
	ctx := context.Background()
	if err := handler.Apply(ctx, ReplicationEvent(idA)); err != nil {
		t.Fatal(err)
	}
	if e.cachedDescriptor(idA.ID) || !e.cachedDescriptor(idB.ID) || e.DescriptorInvalidations() != 1 {
		t.Fatalf("after the event for a: a cached %v, b cached %v, count %d",
			e.cachedDescriptor(idA.ID), e.cachedDescriptor(idB.ID), e.DescriptorInvalidations())
	}
	if err := handler.Apply(ctx, replication.Event{Kind: catalog.EventKindDescriptor, Key: "not-an-id"}); err != nil {
		t.Fatalf("malformed key must be acknowledged, got %v", err)
	}
	if err := handler.(replication.Resetter).Reset(ctx, 2); err != nil {
		t.Fatal(err)
	}
	if e.cachedDescriptor(idB.ID) {
		t.Fatal("Reset kept b")
	}
}
