package kv

import (
	"context"
	"fmt"
	"hash/maphash"
	"sync"
	"time"
)

// lockShards is the number of independently locked parts of the lock
// table. A power of two; 16 keeps two writers of different keys from
// serializing on one mutex, which matters once many sessions write.
const lockShards = 16

// maxWaitChain bounds the walk of the waits-for graph. Every cycle is
// caught by the waiter that closes it (see walk), so a walk never
// meets a cycle it is not part of; the bound only guards against a bug
// turning into a hang under lockTable.waitMu.
const maxWaitChain = 1 << 16

// crossNodeWait is how long a part of a distributed transaction waits for
// a lock before checking for a deadlock through another node (wait).
const crossNodeWait = 500 * time.Millisecond

// lockTable holds the exclusive write locks of LocalStore transactions:
// key -> holder plus a FIFO queue of waiters. A lock is handed directly
// to the first waiter on release, so waiters are served in arrival order
// and a released lock is never up for grabs by a newcomer (no barging,
// no starvation). An entry exists only while the key is locked.
//
// Deadlocks are found by walking the waits-for graph when a transaction
// is about to block: each blocked transaction waits for exactly one key,
// whose holder is the one it waits for, so the graph is a chain of
// "waiter -> holder of the key it waits on" edges. The blocking
// transaction follows that chain; reaching itself means its wait would
// close a cycle, and it fails with ErrDeadlock instead of blocking.
//
// Lock order: waitMu before any shard's mu; a shard's mu is never held
// while taking another shard's mu or waitMu.
type lockTable struct {
	seed   maphash.Seed
	shards [lockShards]lockShard

	// waitMu guards every localTxn's waitShard and waitKey (the edge of
	// the waits-for graph) and serializes cycle checks: registering the
	// edge and walking happen in one critical section, so of two
	// transactions closing a cycle at the same moment the second to get
	// waitMu sees the first's edge.
	//
	// The partitions of a node share one waitMu (their Engine's), so
	// that a walk can follow a distributed transaction from the part
	// that holds a lock in one partition to its part blocked in another
	// (txnGroup).
	waitMu *sync.Mutex
}

type lockShard struct {
	mu    sync.Mutex
	locks map[string]lockEntry // guarded by mu
	_     [48]byte             // keep shards on separate cache lines
}

// lockEntry is one locked key. Stored by value: the uncontended lock is
// one map insert, no further allocation.
type lockEntry struct {
	holder  *localTxn
	waiters []*lockWaiter // FIFO; each is blocked in lockTable.wait
}

type lockWaiter struct {
	txn     *localTxn
	granted chan struct{} // closed when the lock is handed to txn
}

func newLockTable(waitMu *sync.Mutex) *lockTable {
	lt := &lockTable{seed: maphash.MakeSeed(), waitMu: waitMu}
	for i := range lt.shards {
		lt.shards[i].locks = make(map[string]lockEntry)
	}
	return lt
}

// shard and shardOf pick a key's shard; maphash.Bytes and String agree
// on equal contents.
func (lt *lockTable) shard(key []byte) *lockShard {
	return &lt.shards[maphash.Bytes(lt.seed, key)&(lockShards-1)]
}

func (lt *lockTable) shardOf(k string) *lockShard {
	return &lt.shards[maphash.String(lt.seed, k)&(lockShards-1)]
}

// lockWait is how a blocked acquire ends besides being granted.
type lockWait struct {
	timeout time.Duration   // <= 0: no timeout
	stop    <-chan struct{} // closed when the store closes
}

// acquire takes the lock on key for t, blocking while another
// transaction holds it. It returns the key as held in the table and
// newly = true when t did not hold the lock before; false with a nil
// error means t already held it (locks are re-entrant). On error t does
// not hold the lock: ErrDeadlock (a cycle, or the timeout), ctx.Err(),
// or ErrClosed.
func (lt *lockTable) acquire(ctx context.Context, t *localTxn, key []byte, lw lockWait) (k string, newly bool, err error) {
	sh := lt.shard(key)
	sh.mu.Lock()
	e, ok := sh.locks[string(key)] // no allocation for the lookup
	if !ok {
		k = string(key)
		sh.locks[k] = lockEntry{holder: t}
		sh.mu.Unlock()
		return k, true, nil
	}
	if e.holder == t {
		sh.mu.Unlock()
		return "", false, nil
	}
	k = string(key)
	w := &lockWaiter{txn: t, granted: make(chan struct{})}
	e.waiters = append(e.waiters, w)
	sh.locks[k] = e
	sh.mu.Unlock()
	if err := lt.wait(ctx, t, sh, k, w, lw); err != nil {
		return "", false, err
	}
	return k, true, nil
}

// wait blocks t, queued as w on key k of shard sh, until the lock is
// handed to it. It first registers t's waits-for edge and checks for a
// cycle; on any failure it leaves the queue. A grant that races with a
// failure wins: t then holds the lock and wait returns nil.
func (lt *lockTable) wait(ctx context.Context, t *localTxn, sh *lockShard, k string, w *lockWaiter, lw lockWait) error {
	t.s.stats.lockWaits.Add(1)
	lt.waitMu.Lock()
	t.waitShard, t.waitKey = sh, k
	if t.group != nil {
		t.group.blocked = t
	}
	cycle, _ := lt.walk(t)
	if cycle {
		t.clearWaitLocked()
	}
	lt.waitMu.Unlock()
	if cycle {
		if lt.dequeue(t, sh, k, w) {
			return nil
		}
		return fmt.Errorf("%w: waiting for the lock on key %q would close a cycle of transactions", ErrDeadlock, k)
	}

	var timeout <-chan time.Time
	if lw.timeout > 0 {
		timer := time.NewTimer(lw.timeout)
		defer timer.Stop()
		timeout = timer.C
	}
	// A part of a distributed transaction may close a cycle through
	// another node, which the walk cannot see: it ends at a part whose
	// transaction is not blocked here. Every crossNodeWait, the younger
	// of the two gives way (wait-die); every cycle holds a waiter younger
	// than the end of its chain — the youngest transaction in it.
	var probe <-chan time.Time
	if t.group != nil {
		ticker := time.NewTicker(crossNodeWait)
		defer ticker.Stop()
		probe = ticker.C
	}
	var err error
wait:
	select {
	case <-w.granted:
	case <-ctx.Done():
		err = ctx.Err()
	case <-probe:
		lt.waitMu.Lock()
		cycle, end := lt.walk(t)
		lt.waitMu.Unlock()
		if !cycle && (end == nil || end.group == nil || end.start >= t.start) {
			goto wait
		}
		err = fmt.Errorf("%w: waiting for the lock on key %q may close a cycle of transactions through another node", ErrDeadlock, k)
	case <-timeout:
		// Not necessarily a deadlock (the holder may just be slow or idle
		// in a transaction), but possibly one the graph cannot see, such
		// as one goroutine driving two transactions; aborting as a
		// deadlock lets the client retry.
		err = fmt.Errorf("%w: waited %s for the lock on key %q (lock timeout)", ErrDeadlock, lw.timeout, k)
	case <-lw.stop:
		err = ErrClosed
	}
	lt.waitMu.Lock()
	t.clearWaitLocked()
	lt.waitMu.Unlock()
	if err != nil && lt.dequeue(t, sh, k, w) {
		err = nil
	}
	return err
}

// walk follows the waits-for chain from t, whose wait edge is
// registered: cycle reports that t would wait for itself; otherwise end
// is the running transaction the chain ends at (nil if a lock was
// granted meanwhile). Called with waitMu held.
//
// Why reading holders under their shard's mu (not waitMu) is sound: a
// transaction with a registered edge is blocked in wait or just woken
// and about to take waitMu to clear its edge; either way it cannot
// release or acquire anything while we hold waitMu. So along a chain of
// registered transactions the holders read stay the holders, a cycle
// found is real, and one formed by concurrent waiters is found by
// whichever of them registers last.
func (lt *lockTable) walk(t *localTxn) (cycle bool, end *localTxn) {
	cur := t
	for range maxWaitChain {
		sh := cur.waitShard
		if sh == nil {
			return false, cur // cur is running: the chain ends
		}
		sh.mu.Lock()
		h := sh.locks[cur.waitKey].holder
		sh.mu.Unlock()
		switch {
		case h == nil || h == cur:
			return false, nil // cur has been granted the lock meanwhile
		case h == t || (t.group != nil && h.group == t.group):
			return true, nil
		case h.group != nil:
			// A part of a distributed transaction: the chain goes on
			// from whichever of its parts is blocked, in any partition
			// of this node.
			if h.group.blocked == nil {
				return false, h
			}
			cur = h.group.blocked
		default:
			cur = h
		}
	}
	return false, nil
}

// clearWaitLocked removes t's waits-for edge; the caller holds waitMu.
func (t *localTxn) clearWaitLocked() {
	t.waitShard, t.waitKey = nil, ""
	if t.group != nil && t.group.blocked == t {
		t.group.blocked = nil
	}
}

// dequeue removes waiter w of t from key k's queue after a failed wait.
// It returns true if the lock was handed to t in the meantime (t then
// holds it).
func (lt *lockTable) dequeue(t *localTxn, sh *lockShard, k string, w *lockWaiter) bool {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	e := sh.locks[k] // exists: w was queued on it, so it had a holder
	if e.holder == t {
		return true
	}
	for i, x := range e.waiters {
		if x == w {
			e.waiters = append(e.waiters[:i], e.waiters[i+1:]...)
			break
		}
	}
	sh.locks[k] = e
	return false
}

// release gives up t's lock on k: to the first waiter if any (FIFO
// hand-off), otherwise the entry goes.
func (lt *lockTable) release(t *localTxn, k string) {
	sh := lt.shardOf(k)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	e, ok := sh.locks[k]
	if !ok || e.holder != t {
		panic(fmt.Sprintf("kv: releasing the lock on %q, which the transaction does not hold", k))
	}
	if len(e.waiters) == 0 {
		delete(sh.locks, k)
		return
	}
	w := e.waiters[0]
	e.waiters[0] = nil
	e.waiters = e.waiters[1:]
	if len(e.waiters) == 0 {
		e.waiters = nil
	}
	e.holder = w.txn
	sh.locks[k] = e
	close(w.granted)
}

// held returns the number of locked keys (for tests and debugging).
func (lt *lockTable) held() int {
	n := 0
	for i := range lt.shards {
		sh := &lt.shards[i]
		sh.mu.Lock()
		n += len(sh.locks)
		sh.mu.Unlock()
	}
	return n
}
