package server

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// A set workload, judged as a user would: clients insert unique ids into
// a table through any node while other clients read the whole table
// through any node. Every read must contain every insert acknowledged
// before the read was sent (else it is stale) and nothing no client
// tried to insert; an insert the server refused with a rollback
// (40001/40P01) must never appear; one with an unknown outcome (40003, a
// broken connection, a timeout) may or may not.

// setOutcome is what the inserting client knows about one id.
type setOutcome int

const (
	setPending setOutcome = iota // sent, no answer yet
	setAcked                     // the INSERT succeeded
	setFailed                    // rolled back: must never appear
	setUnknown                   // may or may not have committed
)

// setAck is an acknowledged insert and when the client recorded it.
type setAck struct {
	id int64
	at int64 // ns since the history's start
}

// setOp is one insert or read as the report counts it.
type setOp struct {
	node      int // 0-based
	call, ret int64
	ok        bool // insert acknowledged, read answered
	stale     bool // a read that missed an acknowledged insert
}

// setHistory records the set workload. Its methods are safe for
// concurrent use by the clients.
type setHistory struct {
	start time.Time

	mu      sync.Mutex
	outcome map[int64]setOutcome // every id a client tried to insert
	// acked is in recording order, so at never decreases: the inserts
	// acknowledged before a time are a prefix.
	acked      []setAck
	inserts    []setOp
	reads      []setOp
	unknownIns int
	violations []string // stale reads, phantoms, refused inserts seen
}

func newSetHistory(start time.Time) *setHistory {
	return &setHistory{start: start, outcome: make(map[int64]setOutcome)}
}

func (h *setHistory) now() int64 { return int64(time.Since(h.start)) }

// attempt records id before its INSERT is sent: from then on a read may
// show it.
func (h *setHistory) attempt(id int64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.outcome[id] = setPending
}

// inserted records an INSERT's outcome. The acknowledgement time is
// taken under the lock, so acked stays ordered, and after the client
// got the answer, so a read that began earlier never counts it.
func (h *setHistory) inserted(id int64, node int, call int64, o setOutcome) {
	h.mu.Lock()
	defer h.mu.Unlock()
	ret := h.now()
	h.outcome[id] = o
	h.inserts = append(h.inserts, setOp{node: node, call: call, ret: ret, ok: o == setAcked})
	switch o {
	case setAcked:
		h.acked = append(h.acked, setAck{id: id, at: ret})
	case setUnknown:
		h.unknownIns++
	}
}

// readFailed records a read that got no answer.
func (h *setHistory) readFailed(node int, call int64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.reads = append(h.reads, setOp{node: node, call: call, ret: h.now()})
}

// checkRead judges a read sent at call to node that returned ids.
func (h *setHistory) checkRead(node int, call int64, ids []int64) {
	ret := h.now()
	present := make(map[int64]bool, len(ids))
	for _, id := range ids {
		present[id] = true
	}
	h.mu.Lock()
	n := sort.Search(len(h.acked), func(i int) bool { return h.acked[i].at >= call })
	// The first n entries never change, so they are checked unlocked.
	before := h.acked[:n]
	var phantom, refused []int64
	for _, id := range ids {
		switch o, tried := h.outcome[id]; {
		case !tried:
			phantom = append(phantom, id)
		case o == setFailed:
			refused = append(refused, id)
		}
	}
	h.mu.Unlock()

	var missing []setAck
	for _, a := range before {
		if !present[a.id] {
			missing = append(missing, a)
		}
	}
	var problems []string
	if len(missing) > 0 {
		eg := make([]int64, 0, 5)
		for _, a := range missing[:min(5, len(missing))] {
			eg = append(eg, a.id)
		}
		problems = append(problems, fmt.Sprintf("read at %s (answered at %s) on node %d missing %d acknowledged inserts %v (acknowledged between %s and %s; the read saw %d rows)",
			secs(call), secs(ret), node+1, len(missing), eg, secs(missing[0].at), secs(missing[len(missing)-1].at), len(ids)))
	}
	if len(phantom) > 0 {
		problems = append(problems, fmt.Sprintf("read at %s on node %d shows %d ids no client inserted, e.g. %v", secs(call), node+1, len(phantom), phantom[:min(5, len(phantom))]))
	}
	if len(refused) > 0 {
		problems = append(problems, fmt.Sprintf("read at %s on node %d shows %d inserts that were rolled back, e.g. %v", secs(call), node+1, len(refused), refused[:min(5, len(refused))]))
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.reads = append(h.reads, setOp{node: node, call: call, ret: ret, ok: true, stale: len(missing) > 0})
	h.violations = append(h.violations, problems...)
}

// secs formats ns since the history's start.
func secs(ns int64) string { return fmt.Sprintf("%.3fs", float64(ns)/1e9) }

// createSet creates the set's table.
func createSet(t *testing.T, conn *pgx.Conn) {
	t.Helper()
	mustExec(t, conn, "create table set_items (id bigint primary key)")
}

// startSetClients starts inserters and readers recording into h until
// ctx ends; wg waits for them. Client ids start at firstID, so that
// their random choices differ from other workloads' under one seed.
func startSetClients(ctx context.Context, wg *sync.WaitGroup, firstID, inserters, readers int, target clusterTarget, opts workloadOptions, h *setHistory) {
	for i := range inserters {
		wg.Go(func() { setInserter(ctx, firstID+i, target, opts, h) })
	}
	for i := range readers {
		wg.Go(func() { setReader(ctx, firstID+inserters+i, target, opts, h) })
	}
}

// clientNode picks the node of a client's next operation: a random one
// when the workload spreads, else its own until that fails.
func clientNode(rng *rand.Rand, opts workloadOptions, node, nodes int, failed bool) int {
	switch {
	case opts.spread:
		return rng.IntN(nodes)
	case failed:
		return (node + 1) % nodes
	}
	return node
}

func setInserter(ctx context.Context, id int, target clusterTarget, opts workloadOptions, h *setHistory) {
	rng := rand.New(rand.NewPCG(opts.seed, uint64(id)))
	conns := newNodeConns(target, opts)
	defer conns.close()
	node, failed := id%target.nodes, false
	for seq := int64(1); ctx.Err() == nil; seq++ {
		opts.pause(ctx, rng)
		node = clientNode(rng, opts, node, target.nodes, failed)
		conn, err := conns.get(ctx, node)
		if failed = err != nil; failed {
			time.Sleep(50 * time.Millisecond)
			continue
		}
		v := int64(id)<<32 | seq
		h.attempt(v)
		octx, cancel := context.WithTimeout(ctx, opts.opTimeout)
		call := h.now()
		_, err = conn.Exec(octx, "insert into set_items (id) values ($1)", v)
		cancel()
		switch {
		case err == nil:
			h.inserted(v, node, call, setAcked)
		case retryable(err):
			h.inserted(v, node, call, setFailed)
		default:
			// 40003, 08006, a broken connection, a timeout: it may have
			// committed.
			h.inserted(v, node, call, setUnknown)
			conns.drop(node)
			failed = true
		}
	}
}

func setReader(ctx context.Context, id int, target clusterTarget, opts workloadOptions, h *setHistory) {
	rng := rand.New(rand.NewPCG(opts.seed, uint64(id)))
	conns := newNodeConns(target, opts)
	defer conns.close()
	node, failed := id%target.nodes, false
	for ctx.Err() == nil {
		opts.pause(ctx, rng)
		node = clientNode(rng, opts, node, target.nodes, failed)
		conn, err := conns.get(ctx, node)
		if failed = err != nil; failed {
			time.Sleep(50 * time.Millisecond)
			continue
		}
		octx, cancel := context.WithTimeout(ctx, opts.opTimeout)
		call := h.now()
		rows, err := conn.Query(octx, "select id from set_items")
		var ids []int64
		if err == nil {
			ids, err = pgx.CollectRows(rows, pgx.RowTo[int64])
		}
		cancel()
		if err != nil {
			h.readFailed(node, call)
			if !retryable(err) {
				conns.drop(node)
				failed = true
			}
			continue
		}
		h.checkRead(node, call, ids)
	}
}

// setCounts summarizes the operations whose call falls in [from, to).
type setCounts struct {
	insertsAcked, insertsNotAcked, reads, readsFailed, staleReads int
}

func (h *setHistory) counts(from, to int64, node func(int) bool) setCounts {
	h.mu.Lock()
	defer h.mu.Unlock()
	var c setCounts
	for _, op := range h.inserts {
		if op.call >= from && op.call < to && node(op.node) {
			if op.ok {
				c.insertsAcked++
			} else {
				c.insertsNotAcked++
			}
		}
	}
	for _, op := range h.reads {
		if op.call >= from && op.call < to && node(op.node) {
			switch {
			case !op.ok:
				c.readsFailed++
			case op.stale:
				c.staleReads++
				c.reads++
			default:
				c.reads++
			}
		}
	}
	return c
}

// ackedBetween counts the inserts acknowledged in [from, to) through
// the nodes node selects.
func (h *setHistory) ackedBetween(from, to int64, node func(int) bool) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for _, op := range h.inserts {
		if op.ok && op.ret >= from && op.ret < to && node(op.node) {
			n++
		}
	}
	return n
}

// firstAck is when the first insert acknowledged in [from, to) through
// the nodes node selects was acknowledged; -1 if none was.
func (h *setHistory) firstAck(from, to int64, node func(int) bool) int64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	first := int64(-1)
	for _, op := range h.inserts {
		if op.ok && op.ret >= from && op.ret < to && node(op.node) && (first < 0 || op.ret < first) {
			first = op.ret
		}
	}
	return first
}

// lastRead is when the last read answered in [from, to) by the nodes
// node selects was answered; -1 if none was.
func (h *setHistory) lastRead(from, to int64, node func(int) bool) int64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	last := int64(-1)
	for _, op := range h.reads {
		if op.ok && op.ret >= from && op.ret < to && node(op.node) && op.ret > last {
			last = op.ret
		}
	}
	return last
}

// checkSetFinal reads the whole set through p once the workload is over:
// every acknowledged insert is there, no rolled-back one, nothing no
// client inserted.
func checkSetFinal(t *testing.T, p *nodeProcess, node int, h *setHistory) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var conn *pgx.Conn
	if err := retryQuery(ctx, func() (err error) {
		conn, err = p.connect(ctx)
		return err
	}); err != nil {
		t.Errorf("node %d after the run: %v", node+1, err)
		return
	}
	defer conn.Close(context.Background())
	var ids []int64
	if err := retryQuery(ctx, func() error {
		rows, err := conn.Query(ctx, "select id from set_items")
		if err == nil {
			ids, err = pgx.CollectRows(rows, pgx.RowTo[int64])
		}
		return err
	}); err != nil {
		t.Errorf("node %d after the run: reading the set: %v", node+1, err)
		return
	}
	present := make(map[int64]bool, len(ids))
	for _, id := range ids {
		present[id] = true
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	var lost, refused, phantom []int64
	for _, a := range h.acked {
		if !present[a.id] {
			lost = append(lost, a.id)
		}
	}
	for _, id := range ids {
		switch o, tried := h.outcome[id]; {
		case !tried:
			phantom = append(phantom, id)
		case o == setFailed:
			refused = append(refused, id)
		}
	}
	slices.Sort(lost)
	for _, bad := range []struct {
		what string
		ids  []int64
	}{{"acknowledged inserts are missing", lost}, {"rolled-back inserts are present", refused}, {"ids no client inserted are present", phantom}} {
		if len(bad.ids) > 0 {
			t.Errorf("node %d after the run: %d %s, e.g. %v", node+1, len(bad.ids), bad.what, bad.ids[:min(5, len(bad.ids))])
		}
	}
}
