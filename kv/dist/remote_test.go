package dist

import (
	"context"
	"errors"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/quorumdb/quorumdb/kv"
	"github.com/quorumdb/quorumdb/kv/remote"
)

// nodeView is the keyspace as a coordinator on one node of a cluster
// sees it: partitions this node leads are its local stores, the others
// are reached over gRPC (kv/remote) at their leader's address.
type nodeView struct {
	c      *cluster
	node   int
	addrs  []string
	client *remote.Client
}

func (v *nodeView) Of(key []byte) (uint32, error)       { return v.c.Of(key) }
func (v *nodeView) Spanning(start, end []byte) []uint32 { return v.c.Spanning(start, end) }

func (v *nodeView) Leaseholder(ctx context.Context, p uint32) (Participant, error) {
	l := v.c.logs[p]
	l.mu.Lock()
	leader := l.leader
	l.mu.Unlock()
	if leader == v.node {
		return v.c.Leaseholder(ctx, p)
	}
	return v.client.Participant(v.addrs[leader], p, v.c.clock), nil
}

// serveCluster serves every node's partition replicas over gRPC on
// loopback and returns a coordinator (DB) per node; dialOpts are added
// to the coordinators' connections.
func serveCluster(t *testing.T, c *cluster, dialOpts ...grpc.DialOption) []*DB {
	t.Helper()
	addrs := make([]string, len(c.engines))
	for n := range c.engines {
		lis, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addrs[n] = lis.Addr().String()
		gs := grpc.NewServer(remote.ServerOptions()...)
		srv := remote.NewServer(nil, testLogger(t))
		srv.ServePartitions(func(p uint32) (remote.PartitionStore, bool) {
			l := c.logs[p]
			l.mu.Lock()
			defer l.mu.Unlock()
			if n >= len(l.replicas) || l.replicas[n] == nil {
				return nil, false
			}
			return l.replicas[n], true
		})
		srv.Register(gs)
		go func() { _ = gs.Serve(lis) }()
		t.Cleanup(func() {
			srv.Close()
			gs.Stop()
		})
	}
	var dbs []*DB
	for n := range c.engines {
		client := remote.NewClient(testLogger(t), 0, append([]grpc.DialOption{grpc.WithTransportCredentials(insecure.NewCredentials())}, dialOpts...)...)
		t.Cleanup(client.Close)
		db, err := New(Config{Partitions: &nodeView{c: c, node: n, addrs: addrs, client: client}, Clock: c.clock})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(db.Close)
		dbs = append(dbs, db)
	}
	return dbs
}

// TestBankAcrossNodes: three nodes each lead a third of the partitions;
// transfers coordinated by every node over accounts in partitions led by
// all of them, through real gRPC, keep the total, and readers on every
// node always see it whole. Then a transaction abandoned by its
// coordinator after its prepares is found and aborted.
func TestBankAcrossNodes(t *testing.T) {
	ctx := context.Background()
	c := newCluster(t, 3, 6)
	for p, l := range c.logs {
		l.elect(p % 3)
	}
	dbs := serveCluster(t, c)
	res := runBank(t, dbs, c.keysIn("acct", 12), 100, 6, 3)
	if res.transfers < 20 || res.reads < 10 {
		t.Fatalf("only %d transfers and %d reads in 2 s", res.transfers, res.reads)
	}
	t.Logf("%d transfers, %d consistent reads across 3 nodes", res.transfers, res.reads)

	// A coordinator prepares two parts on partitions led by other nodes
	// and vanishes; their leaders recover them.
	var remoteKeys []string
	for _, k := range c.keysIn("gone", 6) {
		if c.logs[c.of([]byte(k))].leader != 0 && len(remoteKeys) < 2 {
			remoteKeys = append(remoteKeys, k)
		}
	}
	abandoned, err := dbs[0].Begin(ctx, kv.TxnOptions{})
	if err != nil {
		t.Fatal(err)
	}
	at := abandoned.(*txn)
	for _, k := range remoteKeys {
		mustPut(t, abandoned, k, "lost")
	}
	for _, p := range at.written {
		if _, err := at.parts[p].txn.Prepare(ctx, at.opts.ID, at.written[0]); err != nil {
			t.Fatalf("Prepare: %v", err)
		}
	}
	// While the coordinator holds its parts (their streams stand) they
	// are not taken for abandoned; once it is gone (the streams end),
	// they are.
	for _, k := range remoteKeys {
		if refs := c.store(c.of([]byte(k))).Prepared(0); len(refs) != 0 {
			t.Fatalf("a part its coordinator still holds offered to recovery: %v", refs)
		}
	}
	for _, p := range at.written {
		at.parts[p].txn.Rollback()
	}
	for _, k := range remoteKeys {
		p := c.of([]byte(k))
		deadline := time.Now().Add(5 * time.Second)
		for len(c.store(p).Prepared(0)) == 0 {
			if time.Now().After(deadline) {
				t.Fatal("the parts of a coordinator whose streams ended were never offered to recovery")
			}
			time.Sleep(10 * time.Millisecond)
		}
		if err := dbs[c.logs[p].leader].Recover(ctx, c.store(p), 0); err != nil {
			t.Fatal(err)
		}
	}
	check := begin(t, dbs[2], true)
	defer check.Rollback()
	for _, k := range remoteKeys {
		if v, ok := mustGet(t, check, k); ok {
			t.Fatalf("%s = %q after its abandoned transaction was recovered", k, v)
		}
	}
}

// TestPartitionLeaderMovedEndsParts: when a coordinator's node learns
// that a partition's leader moved, its parts waiting on the former
// leader end at once (here a lock wait that would otherwise last as
// long as its holder) with a retryable error, while its parts on other
// partitions, and a move that names the same leader, leave them alone.
func TestPartitionLeaderMovedEndsParts(t *testing.T) {
	ctx := context.Background()
	c := newCluster(t, 2, 2)
	for _, l := range c.logs {
		l.elect(1) // node 1 leads everything; node 0 coordinates
	}
	dbs := serveCluster(t, c)
	view := dbs[0].cfg.Partitions.(*nodeView)
	keys := c.keysIn("k", 2)
	p0, p1 := c.of([]byte(keys[0])), c.of([]byte(keys[1]))
	if p0 == p1 {
		t.Fatal("the keys share a partition")
	}
	holder := begin(t, dbs[0], false)
	defer holder.Rollback()
	mustPut(t, holder, keys[0], "held")
	waiter := begin(t, dbs[0], false)
	mustPut(t, waiter, keys[1], "other partition") // a part on p1 too
	errc := make(chan error, 1)
	go func() {
		_, _, err := waiter.GetForUpdate(ctx, []byte(keys[0]))
		errc <- err
	}()
	time.Sleep(100 * time.Millisecond)                  // the waiter is in its lock wait
	view.client.PartitionLeaderMoved(p0, view.addrs[1]) // the same leader
	view.client.PartitionLeaderMoved(p1, "127.0.0.1:1") // another partition's
	select {
	case err := <-errc:
		t.Fatalf("the lock wait ended when its partition's leader did not change: %v", err)
	case <-time.After(200 * time.Millisecond):
	}
	view.client.PartitionLeaderMoved(p0, "127.0.0.1:1")
	select {
	case err := <-errc:
		if !errors.Is(err, kv.ErrConflict) {
			t.Fatalf("lock wait on the former leader: %v, want ErrConflict", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the lock wait on the former leader did not end")
	}
	waiter.Rollback()
	holder.Rollback()
	view.client.PartitionLeaderMoved(p0, "")
	view.client.PartitionLeaderMoved(p1, "")
	// Parts whose leader is unknown fail as unavailable.
	txn := begin(t, dbs[0], false)
	defer txn.Rollback()
	mustPut(t, txn, keys[0], "v")
	view.client.PartitionLeaderMoved(p0, "")
	if _, _, err := txn.Get(ctx, []byte(keys[0])); !errors.Is(err, kv.ErrUnavailable) {
		t.Fatalf("Get after the partition's leader was lost: %v, want ErrUnavailable", err)
	}
}

// TestSavepointAcrossNodes: rolling back to a savepoint undoes the parts
// begun after it on other nodes, whose mark is the one their servers
// took as they began (no round trip of its own), and keeps what came
// before it.
func TestSavepointAcrossNodes(t *testing.T) {
	ctx := context.Background()
	c := newCluster(t, 2, 4)
	for _, l := range c.logs {
		l.elect(1)
	}
	dbs := serveCluster(t, c)
	keys := c.keysIn("rsp", 2)
	tx := begin(t, dbs[0], false)
	mustPut(t, tx, keys[0], "kept")
	sp, err := tx.Savepoint()
	if err != nil {
		t.Fatal(err)
	}
	mustPut(t, tx, keys[0], "undone")
	mustPut(t, tx, keys[1], "undone") // a part begun after the savepoint
	if _, ok := tx.(*txn).parts[c.of([]byte(keys[1]))].txn.(interface{ BeginSavepoint() (kv.Savepoint, bool) }); !ok {
		t.Fatal("the part on the other node is not a remote part")
	}
	if err := tx.RollbackTo(sp); err != nil {
		t.Fatal(err)
	}
	mustPut(t, tx, keys[1], "after")
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	r := begin(t, dbs[1], true)
	defer r.Rollback()
	if v, ok := mustGet(t, r, keys[0]); !ok || v != "kept" {
		t.Fatalf("%s = %q, %v; want kept", keys[0], v, ok)
	}
	if v, ok := mustGet(t, r, keys[1]); !ok || v != "after" {
		t.Fatalf("%s = %q, %v; want after", keys[1], v, ok)
	}
}

// streamLog records, for every stream a client opens, the order of its
// sends and receives ("s", "r").
type streamLog struct {
	mu      sync.Mutex
	streams []*strings.Builder
}

func (l *streamLog) interceptor(ctx context.Context, desc *grpc.StreamDesc, cc *grpc.ClientConn, method string, streamer grpc.Streamer, opts ...grpc.CallOption) (grpc.ClientStream, error) {
	cs, err := streamer(ctx, desc, cc, method, opts...)
	if err != nil {
		return nil, err
	}
	b := new(strings.Builder)
	l.mu.Lock()
	l.streams = append(l.streams, b)
	l.mu.Unlock()
	return &loggedStream{ClientStream: cs, l: l, b: b}, nil
}

func (l *streamLog) reset() {
	l.mu.Lock()
	l.streams = nil
	l.mu.Unlock()
}

func (l *streamLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var parts []string
	for _, b := range l.streams {
		parts = append(parts, b.String())
	}
	return strings.Join(parts, " ")
}

type loggedStream struct {
	grpc.ClientStream
	l *streamLog
	b *strings.Builder
}

func (s *loggedStream) SendMsg(m any) error {
	s.l.mu.Lock()
	s.b.WriteString("s")
	s.l.mu.Unlock()
	return s.ClientStream.SendMsg(m)
}

func (s *loggedStream) RecvMsg(m any) error {
	err := s.ClientStream.RecvMsg(m)
	s.l.mu.Lock()
	s.b.WriteString("r")
	s.l.mu.Unlock()
	return err
}

// TestPointOperationsOneRoundTrip: through a node that does not lead the
// key's partition, a point read in a new part sends the part's begin and
// the read together and then waits once ("ssrr"), and a write
// transaction's part costs no savepoint round trip; a statement that
// rolls back to before the part began still undoes it
// (TestSavepointAcrossNodes).
func TestPointOperationsOneRoundTrip(t *testing.T) {
	ctx := context.Background()
	c := newCluster(t, 2, 4)
	for _, l := range c.logs {
		l.elect(1)
	}
	var log streamLog
	dbs := serveCluster(t, c, grpc.WithStreamInterceptor(log.interceptor))
	key := c.keysIn("rt", 1)[0]

	log.reset()
	r := begin(t, dbs[0], true)
	if _, ok := mustGet(t, r, key); ok {
		t.Fatalf("%s found before any write", key)
	}
	r.Rollback()
	if got := log.String(); !strings.HasPrefix(got, "ssrr") {
		t.Fatalf("a read in a new part: stream %q, want the begin and the read sent before the first answer (ssrr)", got)
	}

	log.reset()
	w := begin(t, dbs[0], false)
	mustPut(t, w, key, "v")
	if got := log.String(); got != "ssrr" {
		t.Fatalf("a write in a new part: stream %q, want ssrr (no savepoint round trip)", got)
	}
	if err := w.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	expectValues(t, dbs[1], []string{key}, "v")
}
