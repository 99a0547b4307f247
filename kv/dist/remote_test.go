package dist

import (
	"context"
	"errors"
	"fmt"
	"math/rand"
	"net"
	"strconv"
	"sync"
	"sync/atomic"
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
// loopback and returns a coordinator (DB) per node.
func serveCluster(t *testing.T, c *cluster) []*DB {
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
		client := remote.NewClient(testLogger(t), 0, grpc.WithTransportCredentials(insecure.NewCredentials()))
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
	const accounts, initial = 12, 100
	keys := c.keysIn("acct", accounts)
	setup := begin(t, dbs[1], false)
	for _, k := range keys {
		mustPut(t, setup, k, strconv.Itoa(initial))
	}
	if err := setup.Commit(ctx); err != nil {
		t.Fatal(err)
	}

	var stop atomic.Bool
	var transfers, reads atomic.Int64
	var wg sync.WaitGroup
	errc := make(chan error, 16)
	for w := range 6 {
		db := dbs[w%3]
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewSource(int64(w)))
			for !stop.Load() {
				from, to := keys[rng.Intn(accounts)], keys[rng.Intn(accounts)]
				if from == to {
					continue
				}
				err := transferOnce(ctx, db, from, to, rng.Intn(10)+1)
				switch {
				case err == nil:
					transfers.Add(1)
				case errors.Is(err, kv.ErrConflict) || errors.Is(err, kv.ErrDeadlock):
				default:
					errc <- fmt.Errorf("transfer: %w", err)
					return
				}
			}
		}()
	}
	for r := range 3 {
		db := dbs[r]
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				txn, err := db.Begin(ctx, kv.TxnOptions{ReadOnly: true})
				if err != nil {
					errc <- err
					return
				}
				kvs, err := txn.Scan(ctx, []byte("acct"), []byte("acct\xff"), 0, false)
				txn.Rollback()
				if err != nil {
					errc <- fmt.Errorf("scan: %w", err)
					return
				}
				sum := 0
				for _, e := range kvs {
					n, _ := strconv.Atoi(string(e.Value))
					sum += n
				}
				if len(kvs) != accounts || sum != accounts*initial {
					errc <- fmt.Errorf("a reader saw %d accounts totalling %d, want %d totalling %d", len(kvs), sum, accounts, accounts*initial)
					return
				}
				reads.Add(1)
			}
		}()
	}
	time.Sleep(2 * time.Second)
	stop.Store(true)
	wg.Wait()
	close(errc)
	for err := range errc {
		t.Fatal(err)
	}
	if transfers.Load() < 20 || reads.Load() < 10 {
		t.Fatalf("only %d transfers and %d reads in 2 s", transfers.Load(), reads.Load())
	}
	t.Logf("%d transfers, %d consistent reads across 3 nodes", transfers.Load(), reads.Load())

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
	for _, k := range remoteKeys {
		p := c.of([]byte(k))
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

// transferOnce moves amount from one account to another in one
// transaction.
func transferOnce(ctx context.Context, db kv.DB, from, to string, amount int) error {
	txn, err := db.Begin(ctx, kv.TxnOptions{})
	if err != nil {
		return err
	}
	defer txn.Rollback()
	move := func(k string, delta int) error {
		v, _, err := txn.GetForUpdate(ctx, []byte(k))
		if err != nil {
			return err
		}
		n, _ := strconv.Atoi(string(v))
		return txn.Put(ctx, []byte(k), []byte(strconv.Itoa(n+delta)))
	}
	if err := move(from, -amount); err != nil {
		return err
	}
	if err := move(to, amount); err != nil {
		return err
	}
	return txn.Commit(ctx)
}
