package remote

import (
	"context"
	"errors"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"google.golang.org/grpc"

	"github.com/quorumdb/quorumdb/kv"
)

// followerDB is a local replica that is not the leader: it refuses every
// Begin, naming the leader.
type followerDB struct{ leader string }

func (d followerDB) Begin(context.Context, kv.TxnOptions) (kv.Txn, error) {
	return nil, &kv.NotLeaderError{Leader: d.leader}
}

// roundTrip writes and reads back a key through db.
func roundTrip(t *testing.T, db kv.DB, key string) {
	t.Helper()
	ctx := context.Background()
	txn, err := db.Begin(ctx, kv.TxnOptions{})
	if err != nil {
		t.Fatalf("Begin: %v", err)
	}
	if err := txn.Put(ctx, []byte(key), []byte("v")); err != nil {
		t.Fatalf("Put: %v", err)
	}
	if err := txn.Commit(ctx); err != nil {
		t.Fatalf("Commit: %v", err)
	}
	r, err := db.Begin(ctx, kv.TxnOptions{ReadOnly: true})
	if err != nil {
		t.Fatalf("Begin: %v", err)
	}
	defer r.Rollback()
	if v, found, err := r.Get(ctx, []byte(key)); err != nil || !found || string(v) != "v" {
		t.Fatalf("Get %q: %q %v %v", key, v, found, err)
	}
}

func TestRouterWithoutLocalReplica(t *testing.T) {
	_, _, addr, db := setup(t)
	r := NewRouter(RouterConfig{LocalAddr: "127.0.0.1:1", Replicas: []string{addr}, Client: db.c})
	roundTrip(t, r, "k")
	if r.Leader() != addr {
		t.Fatalf("Leader() = %q, want %q", r.Leader(), addr)
	}
}

func TestRouterFollowsNotLeaderHint(t *testing.T) {
	_, _, addr, db := setup(t)
	const self = "127.0.0.1:1" // nothing listens here: only the hint leads to the leader
	r := NewRouter(RouterConfig{
		Local:     followerDB{leader: addr},
		LocalAddr: self,
		Replicas:  []string{self, "127.0.0.1:2"},
		Client:    db.c,
	})
	roundTrip(t, r, "k")
	if r.Leader() != addr {
		t.Fatalf("Leader() = %q, want %q", r.Leader(), addr)
	}
}

func TestRouterUsesLocalLeader(t *testing.T) {
	store := openStore(t)
	r := NewRouter(RouterConfig{Local: store, LocalAddr: "127.0.0.1:1", Replicas: []string{"127.0.0.1:1"}, Client: newClient(t)})
	roundTrip(t, r, "k")
	if r.Leader() != "127.0.0.1:1" {
		t.Fatalf("Leader() = %q, want the local address", r.Leader())
	}
}

func TestRouterGivesUp(t *testing.T) {
	r := NewRouter(RouterConfig{
		Local:     followerDB{},
		LocalAddr: "127.0.0.1:1",
		Replicas:  []string{"127.0.0.1:1", "127.0.0.1:2"},
		Client:    newClient(t),
		MaxWait:   300 * time.Millisecond,
	})
	start := time.Now()
	_, err := r.Begin(context.Background(), kv.TxnOptions{})
	if !errors.Is(err, kv.ErrUnavailable) || !strings.Contains(err.Error(), "127.0.0.1:2") {
		t.Fatalf("Begin with no leader: %v, want ErrUnavailable naming the replicas tried", err)
	}
	if d := time.Since(start); d < 300*time.Millisecond || d > 3*time.Second {
		t.Fatalf("Begin gave up after %s, want about MaxWait", d)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := r.Begin(ctx, kv.TxnOptions{}); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Begin bounded by ctx: %v, want context.DeadlineExceeded", err)
	}
}

// TestRouterWaitsForRestartedLeader stops the only replica's server and
// starts it again on the same address: a Begin issued meanwhile waits
// and then reaches it.
func TestRouterWaitsForRestartedLeader(t *testing.T) {
	store := openStore(t)
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := lis.Addr().String()
	gs := grpc.NewServer(ServerOptions()...)
	srv := NewServer(store, testLogger(t))
	srv.Register(gs)
	go func() { _ = gs.Serve(lis) }()
	r := NewRouter(RouterConfig{Replicas: []string{addr}, Client: newClient(t), MaxWait: 5 * time.Second})
	roundTrip(t, r, "before")
	srv.Close()
	gs.Stop()

	restarted := make(chan struct{})
	go func() {
		defer close(restarted)
		time.Sleep(300 * time.Millisecond)
		lis, err := net.Listen("tcp", addr)
		if err != nil {
			t.Errorf("listening again on %s: %v", addr, err)
			return
		}
		serveOn(t, store, lis)
	}()
	roundTrip(t, r, "after")
	<-restarted
}

// A Begin backing off while no leader is known tries again as soon as
// this node's replica reports a leader, not at the end of its backoff
// (up to 500 ms): failover waits for the election, not for the router.
func TestRouterRetriesAtOnceWhenTheLeaderMoves(t *testing.T) {
	store := openStore(t)
	_, addr := serve(t, store)
	var hint atomic.Pointer[string]
	none := ""
	hint.Store(&none)
	r := NewRouter(RouterConfig{LeaderHint: func() string { return *hint.Load() }, Client: newClient(t), MaxWait: 10 * time.Second})
	done := make(chan error, 1)
	go func() {
		txn, err := r.Begin(context.Background(), kv.TxnOptions{})
		if err == nil {
			txn.Rollback()
		}
		done <- err
	}()
	// By now the rounds' backoff has grown to its 500 ms maximum.
	time.Sleep(1150 * time.Millisecond)
	hint.Store(&addr)
	moved := time.Now()
	r.LeaderChanged(addr)
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Begin: %v", err)
		}
		if took := time.Since(moved); took > 300*time.Millisecond {
			t.Fatalf("Begin succeeded %v after the leader was reported; the backoff was not cut short", took)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Begin did not succeed after the leader was reported")
	}
}
