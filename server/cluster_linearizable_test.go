package server

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/anishathalye/porcupine"
	"github.com/jackc/pgx/v5"
)

// A register workload checked for linearizability with porcupine: clients
// on every node read, write and compare-and-set a few keys while the
// keyspace leader stops; every operation's real-time interval and result
// must fit one sequential order of register operations.

const registerKeys = 3

type registerOpKind int

const (
	registerRead registerOpKind = iota
	registerWrite
	registerCAS
)

// registerInput is one operation on key k: write v, or set v if the
// register holds old.
type registerInput struct {
	kind   registerOpKind
	key    int
	value  int64
	old    int64
	node   int    // the node it was sent to, 0-based
	lookup string // description, for failure messages
}

// registerOutput is what the client saw: the value read, whether the CAS
// applied; unknown when the outcome is unknown (the operation is then
// pending until the end of the history).
type registerOutput struct {
	value   int64
	ok      bool
	unknown bool
}

// registerModel is a register per key, starting at 0.
var registerModel = porcupine.Model{
	Partition: func(history []porcupine.Operation) [][]porcupine.Operation {
		byKey := make([][]porcupine.Operation, registerKeys)
		for _, op := range history {
			k := op.Input.(registerInput).key
			byKey[k] = append(byKey[k], op)
		}
		return byKey
	},
	Init: func() any { return int64(0) },
	Step: func(state, input, output any) (bool, any) {
		st, in, out := state.(int64), input.(registerInput), output.(registerOutput)
		switch in.kind {
		case registerRead:
			return out.value == st, st
		case registerWrite:
			return true, in.value
		default: // CAS
			if out.unknown {
				// Linearized here it applies iff the register holds old;
				// one that never ran is linearized after everything.
				if st == in.old {
					return true, in.value
				}
				return true, st
			}
			if out.ok {
				return st == in.old, in.value
			}
			return st != in.old, st
		}
	},
	DescribeOperation: func(input, output any) string {
		in, out := input.(registerInput), output.(registerOutput)
		res := fmt.Sprint(out.value)
		if in.kind == registerCAS {
			res = fmt.Sprint(out.ok)
		}
		if out.unknown {
			res = "?"
		}
		return fmt.Sprintf("%s -> %s", in.lookup, res)
	},
}

// registerHistory collects the operations of every client.
type registerHistory struct {
	mu    sync.Mutex
	start time.Time
	ops   []porcupine.Operation
	// counts by outcome, for the report
	done, failed, unknown int
}

func (h *registerHistory) now() int64 { return int64(time.Since(h.start)) }

func (h *registerHistory) add(op porcupine.Operation) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.ops = append(h.ops, op)
	if op.Output.(registerOutput).unknown {
		h.unknown++
	} else {
		h.done++
	}
}

func (h *registerHistory) fail() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.failed++
}

// clusterTarget is how clients reach the nodes of a cluster under test.
type clusterTarget struct {
	nodes   int
	connect func(ctx context.Context, node int) (*pgx.Conn, error)
}

// addrTarget reaches nodes at SQL addresses on the machine's network.
func addrTarget(addrs []string) clusterTarget {
	return clusterTarget{nodes: len(addrs), connect: func(ctx context.Context, node int) (*pgx.Conn, error) {
		return pgx.Connect(ctx, "postgres://postgres@"+addrs[node]+"/quorumdb?sslmode=disable")
	}}
}

// procTarget reaches node processes, through their namespaces if any.
func procTarget(procs []*nodeProcess) clusterTarget {
	return clusterTarget{nodes: len(procs), connect: func(ctx context.Context, node int) (*pgx.Conn, error) {
		return procs[node].connect(ctx)
	}}
}

// nodeConns is one client's connections, at most one per node, opened
// on first use and reopened after drop. Owned by the client's goroutine.
type nodeConns struct {
	target  clusterTarget
	timeout time.Duration // per connection attempt
	conns   []*pgx.Conn
}

// newNodeConns connects within the operations' timeout (at least 1 s,
// at most 5 s): a client in a hurry does not wait 5 s for a node that
// accepts connections but does not run (SIGSTOP).
func newNodeConns(target clusterTarget, opts workloadOptions) *nodeConns {
	timeout := min(5*time.Second, max(time.Second, opts.opTimeout))
	return &nodeConns{target: target, timeout: timeout, conns: make([]*pgx.Conn, target.nodes)}
}

// get returns the connection to node, connecting if there is none or
// the last one broke.
func (c *nodeConns) get(ctx context.Context, node int) (*pgx.Conn, error) {
	if conn := c.conns[node]; conn != nil && !conn.IsClosed() {
		return conn, nil
	}
	cctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	conn, err := c.target.connect(cctx, node)
	if err != nil {
		return nil, fmt.Errorf("connecting to node %d: %w", node+1, err)
	}
	c.conns[node] = conn
	return conn, nil
}

// drop closes the connection to node: after an error that leaves its
// state unknown, the next operation starts on a fresh one.
func (c *nodeConns) drop(node int) {
	if conn := c.conns[node]; conn != nil {
		_ = conn.Close(context.Background())
		c.conns[node] = nil
	}
}

func (c *nodeConns) close() {
	for i := range c.conns {
		c.drop(i)
	}
}

// workloadOptions shape how the clients of a workload behave.
type workloadOptions struct {
	// seed drives every random choice of the clients (client i uses
	// PCG(seed, i)); the run's timing is not reproducible, its choices are.
	seed uint64
	// spread sends each operation to a random node. Otherwise a client
	// stays on one node (client id modulo the nodes) and moves to the
	// next when it stops answering.
	spread bool
	// opTimeout bounds each operation.
	opTimeout time.Duration
	// think is the most a client waits between operations (a random
	// time below it). Without it every client has an operation on the
	// leader at any moment, so a stopped leader holds all of them and
	// none is left to use its successor.
	think time.Duration
}

// pause waits a random think time, or until ctx ends.
func (o workloadOptions) pause(ctx context.Context, rng *rand.Rand) {
	if o.think <= 0 {
		return
	}
	t := time.NewTimer(time.Duration(rng.Int64N(int64(o.think))))
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

// registerClient runs register operations until ctx ends, recording them
// in h.
func registerClient(ctx context.Context, id int, target clusterTarget, opts workloadOptions, h *registerHistory) {
	rng := rand.New(rand.NewPCG(opts.seed, uint64(id)))
	conns := newNodeConns(target, opts)
	defer conns.close()
	node := id % target.nodes
	seq := int64(0)
	lastSeen := make([]int64, registerKeys)
	for ctx.Err() == nil {
		opts.pause(ctx, rng)
		if opts.spread {
			node = rng.IntN(target.nodes)
		}
		conn, err := conns.get(ctx, node)
		if err != nil {
			if !opts.spread {
				node = (node + 1) % target.nodes
			}
			time.Sleep(50 * time.Millisecond)
			continue
		}
		seq++
		in := registerInput{kind: registerOpKind(rng.IntN(3)), key: rng.IntN(registerKeys), value: int64(id)*1_000_000 + seq, node: node}
		if in.kind == registerCAS {
			// The value this client last saw, so that many CAS apply.
			in.old = lastSeen[in.key]
		}
		octx, cancel := context.WithTimeout(ctx, opts.opTimeout)
		call := h.now()
		out, err := runRegisterOp(octx, conn, &in)
		ret := h.now()
		cancel()
		switch {
		case err == nil:
		case in.kind == registerRead || retryable(err):
			// A failed read has no effect; a 40001/40P01 write never
			// applied.
			h.fail()
			if !retryable(err) {
				conns.drop(node)
			}
			continue
		default:
			// 40003, a broken connection, a timeout: it may have applied,
			// at any time from now on.
			out = registerOutput{unknown: true}
			ret = math.MaxInt64
			conns.drop(node)
		}
		switch {
		case out.unknown:
		case in.kind == registerRead:
			lastSeen[in.key] = out.value
		case in.kind == registerWrite || out.ok:
			lastSeen[in.key] = in.value
		}
		h.add(porcupine.Operation{ClientId: id, Input: in, Call: call, Output: out, Return: ret})
	}
}

func runRegisterOp(ctx context.Context, conn *pgx.Conn, in *registerInput) (registerOutput, error) {
	switch in.kind {
	case registerRead:
		in.lookup = fmt.Sprintf("read(%d) on node %d", in.key, in.node+1)
		var v int64
		err := conn.QueryRow(ctx, "select v from reg where k = $1", in.key).Scan(&v)
		return registerOutput{value: v}, err
	case registerWrite:
		in.lookup = fmt.Sprintf("write(%d, %d) on node %d", in.key, in.value, in.node+1)
		_, err := conn.Exec(ctx, "update reg set v = $2 where k = $1", in.key, in.value)
		return registerOutput{}, err
	default:
		in.lookup = fmt.Sprintf("cas(%d, %d -> %d) on node %d", in.key, in.old, in.value, in.node+1)
		rows, err := conn.Query(ctx, "update reg set v = $3 where k = $1 and v = $2 returning v", in.key, in.old, in.value)
		if err != nil {
			return registerOutput{}, err
		}
		n := 0
		for rows.Next() {
			n++
		}
		return registerOutput{ok: n == 1}, rows.Err()
	}
}

// createRegisters creates the registers' table, every key at 0.
func createRegisters(t *testing.T, conn *pgx.Conn) {
	t.Helper()
	mustExec(t, conn, "create table reg (k int primary key, v bigint not null)")
	mustExec(t, conn, fmt.Sprintf("insert into reg select g, 0 from generate_series(0, %d) g", registerKeys-1))
}

// startRegisterClients starts n register clients, numbered from
// firstID, recording into h until ctx ends; wg waits for them. Client
// ids must be unique in a history: they make the written values unique.
func startRegisterClients(ctx context.Context, wg *sync.WaitGroup, firstID, n int, target clusterTarget, opts workloadOptions, h *registerHistory) {
	for i := range n {
		wg.Go(func() { registerClient(ctx, firstID+i, target, opts, h) })
	}
}

// registerCheckTimeout bounds porcupine's search: a history it cannot
// decide within it fails the test, since an undecided check proves
// nothing.
const registerCheckTimeout = 40 * time.Second

// checkRegisterHistory fails the test unless the history has at least
// minDone completed operations and porcupine finds it linearizable.
func checkRegisterHistory(t *testing.T, h *registerHistory, minDone int) {
	t.Helper()
	t.Logf("register operations: %d with a result, %d unknown, %d failed (no effect)", h.done, h.unknown, h.failed)
	if h.done < minDone {
		t.Fatalf("only %d register operations completed: too few to judge (want %d)", h.done, minDone)
	}
	began := time.Now()
	res, info := porcupine.CheckOperationsVerbose(registerModel, h.ops, registerCheckTimeout)
	t.Logf("porcupine: %s in %v", res, time.Since(began).Round(time.Millisecond))
	switch res {
	case porcupine.Illegal:
		describeIllegal(t, h.ops, info)
		t.Errorf("register history of %d operations is not linearizable", len(h.ops))
	case porcupine.Unknown:
		t.Errorf("porcupine did not decide within %v (%d operations): the history is too large to judge", registerCheckTimeout, len(h.ops))
	}
}

// describeIllegal logs, for each key whose history porcupine could not
// linearize, the end of the longest linearizable prefix and the first
// operations (by call time) that no order could add to it, and saves
// porcupine's visualization among the test's artifacts (go test
// -artifacts keeps it).
func describeIllegal(t *testing.T, ops []porcupine.Operation, info porcupine.LinearizationInfo) {
	t.Helper()
	msOf := func(ns int64) string {
		if ns == math.MaxInt64 {
			return "∞"
		}
		return fmt.Sprintf("%.3fs", float64(ns)/1e9)
	}
	describe := func(op porcupine.Operation) string {
		return fmt.Sprintf("client %d [%s, %s] %s", op.ClientId, msOf(op.Call), msOf(op.Return),
			registerModel.DescribeOperation(op.Input, op.Output))
	}
	type opID struct {
		client int
		call   int64
	}
	for k, parts := range info.PartialLinearizationsOperations() {
		var longest []porcupine.Operation
		for _, p := range parts {
			if len(p) > len(longest) {
				longest = p
			}
		}
		var keyOps []porcupine.Operation
		for _, op := range ops {
			if op.Input.(registerInput).key == k {
				keyOps = append(keyOps, op)
			}
		}
		if len(longest) == len(keyOps) {
			continue // this key is linearizable
		}
		in := make(map[opID]bool, len(longest))
		for _, op := range longest {
			in[opID{op.ClientId, op.Call}] = true
		}
		var rest []porcupine.Operation
		for _, op := range keyOps {
			if !in[opID{op.ClientId, op.Call}] {
				rest = append(rest, op)
			}
		}
		slices.SortFunc(rest, func(a, b porcupine.Operation) int { return cmp.Compare(a.Call, b.Call) })
		msg := fmt.Sprintf("key %d: longest linearizable prefix has %d of %d operations; it ends with:", k, len(longest), len(keyOps))
		for _, op := range longest[max(0, len(longest)-4):] {
			msg += "\n    " + describe(op)
		}
		msg += "\n  and no order adds the next of:"
		for _, op := range rest[:min(6, len(rest))] {
			msg += "\n    " + describe(op)
		}
		t.Log(msg)
	}
	path := filepath.Join(t.ArtifactDir(), "porcupine.html")
	if err := porcupine.VisualizePath(registerModel, info, path); err != nil {
		t.Logf("porcupine visualization: %v", err)
	} else {
		t.Logf("porcupine visualization: %s", path)
	}
}

// runRegisterWorkload runs six register clients spread over the nodes
// at addrs for about 6.5 s, calling fault after 2.5 s, and checks the
// history with porcupine.
func runRegisterWorkload(t *testing.T, addrs []string, fault func()) {
	t.Helper()
	setup, err := connectRetrying(context.Background(), "postgres://postgres@"+addrs[0]+"/quorumdb?sslmode=disable")
	if err != nil {
		t.Fatal(err)
	}
	createRegisters(t, setup)
	setup.Close(context.Background())

	h := &registerHistory{start: time.Now()}
	ctx, stop := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	startRegisterClients(ctx, &wg, 0, 6, addrTarget(addrs), workloadOptions{seed: 11, opTimeout: 20 * time.Second}, h)
	time.Sleep(2500 * time.Millisecond)
	fault()
	time.Sleep(4 * time.Second)
	stop()
	wg.Wait()
	checkRegisterHistory(t, h, 100)
}

// TestClusterRegisterLinearizableAcrossLeaderLoss: clients on all three
// nodes of an in-process cluster operate on registers for a few seconds,
// the keyspace leader stops (Node.Close) in the middle, and porcupine
// checks the history is linearizable.
func TestClusterRegisterLinearizableAcrossLeaderLoss(t *testing.T) {
	nodes := startCluster(t, clusterConfigs(t, 3, 3))
	addrs := make([]string, len(nodes))
	for i, n := range nodes {
		addrs[i] = n.SQLAddr()
	}
	runRegisterWorkload(t, addrs, func() {
		leader := leaderOf(t, nodes)
		t.Logf("stopping node %d (the keyspace leader)", leader+1)
		if err := nodes[leader].Close(); err != nil {
			t.Errorf("closing the leader: %v", err)
		}
	})
}

// TestClusterRegisterLinearizableAcrossLeaderKill is the same workload
// on three processes; the leader's is killed with SIGKILL and restarted
// while the clients run.
func TestClusterRegisterLinearizableAcrossLeaderKill(t *testing.T) {
	procs := clusterProcesses(t, buildQuorumdb(t), 3)
	addrs := make([]string, len(procs))
	for i, p := range procs {
		p.start()
		addrs[i] = p.sqlAddr
	}
	for _, p := range procs {
		p.waitServing()
	}
	runRegisterWorkload(t, addrs, func() {
		leader := leaderProcess(t, procs)
		t.Logf("killing node %d (the keyspace leader)", leader+1)
		procs[leader].kill()
		time.Sleep(1500 * time.Millisecond)
		procs[leader].start()
	})
}
