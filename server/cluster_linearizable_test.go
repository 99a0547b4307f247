package server

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
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

// registerClient runs operations against its node, moving to the next
// node when its own stops answering.
func registerClient(ctx context.Context, id int, addrs []string, h *registerHistory) {
	rng := rand.New(rand.NewPCG(uint64(id), 11))
	node := id % len(addrs)
	var conn *pgx.Conn
	defer func() {
		if conn != nil {
			_ = conn.Close(context.Background())
		}
	}()
	seq := int64(0)
	lastSeen := make([]int64, registerKeys)
	for ctx.Err() == nil {
		if conn == nil || conn.IsClosed() {
			cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			c, err := pgx.Connect(cctx, "postgres://postgres@"+addrs[node]+"/quorumdb?sslmode=disable")
			cancel()
			if err != nil {
				node = (node + 1) % len(addrs)
				time.Sleep(50 * time.Millisecond)
				continue
			}
			conn = c
		}
		seq++
		in := registerInput{kind: registerOpKind(rng.IntN(3)), key: rng.IntN(registerKeys), value: int64(id)*1_000_000 + seq}
		if in.kind == registerCAS {
			// The value this client last saw, so that many CAS apply.
			in.old = lastSeen[in.key]
		}
		octx, cancel := context.WithTimeout(ctx, 20*time.Second)
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
				_ = conn.Close(context.Background())
			}
			continue
		default:
			// 40003, a broken connection, a timeout: it may have applied,
			// at any time from now on.
			out = registerOutput{unknown: true}
			ret = math.MaxInt64
			_ = conn.Close(context.Background())
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
		in.lookup = fmt.Sprintf("read(%d)", in.key)
		var v int64
		err := conn.QueryRow(ctx, "select v from reg where k = $1", in.key).Scan(&v)
		return registerOutput{value: v}, err
	case registerWrite:
		in.lookup = fmt.Sprintf("write(%d, %d)", in.key, in.value)
		_, err := conn.Exec(ctx, "update reg set v = $2 where k = $1", in.key, in.value)
		return registerOutput{}, err
	default:
		in.lookup = fmt.Sprintf("cas(%d, %d -> %d)", in.key, in.old, in.value)
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

// runRegisterWorkload runs six register clients spread over the nodes
// at addrs for about 6.5 s, calling fault after 2.5 s, and checks the
// history with porcupine.
func runRegisterWorkload(t *testing.T, addrs []string, fault func()) {
	t.Helper()
	setup, err := connectRetrying(context.Background(), "postgres://postgres@"+addrs[0]+"/quorumdb?sslmode=disable")
	if err != nil {
		t.Fatal(err)
	}
	mustExec(t, setup, "create table reg (k int primary key, v bigint not null)")
	mustExec(t, setup, fmt.Sprintf("insert into reg select g, 0 from generate_series(0, %d) g", registerKeys-1))
	setup.Close(context.Background())

	h := &registerHistory{start: time.Now()}
	ctx, stop := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	const clients = 6
	for id := range clients {
		wg.Go(func() { registerClient(ctx, id, addrs, h) })
	}
	time.Sleep(2500 * time.Millisecond)
	fault()
	time.Sleep(4 * time.Second)
	stop()
	wg.Wait()

	t.Logf("operations: %d with a result, %d unknown, %d failed (no effect)", h.done, h.unknown, h.failed)
	if h.done < 100 {
		t.Fatalf("only %d operations completed: too few to judge", h.done)
	}
	res, info := porcupine.CheckOperationsVerbose(registerModel, h.ops, 40*time.Second)
	switch res {
	case porcupine.Illegal:
		for k, part := range info.PartialLinearizations() {
			if len(part) > 0 {
				t.Logf("key partition %d: longest linearizable prefix has %d operations", k, len(part[0]))
			}
		}
		t.Fatalf("history of %d operations is not linearizable", len(h.ops))
	case porcupine.Unknown:
		t.Fatalf("porcupine did not decide within 40s (%d operations)", len(h.ops))
	}
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
