package replication

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"unicode/utf8"
)

// Manager owns this node's outgoing queues (one set per peer), their
// dispatchers, the membership and statistics loops, and the Receiver of
// incoming streams. Its lifecycle is New → Start → Close.
type Manager struct {
	cfg      Config
	members  Membership
	log      *slog.Logger
	root     string // <BufferDirectory>/localq
	epoch    uint64
	fresh    bool
	receiver *Receiver

	// table is owned by the membership goroutine; New and Start use it
	// before that goroutine exists.
	table *peerTable

	mu    sync.RWMutex
	state managerState       // guarded by mu
	peers map[int]*peerQueue // guarded by mu
	// runCtx parents every dispatcher; set by Start, canceled by Close
	// after the loops stopped.
	runCtx    context.Context    // guarded by mu
	runCancel context.CancelFunc // guarded by mu

	loopCancel context.CancelFunc // stops the membership and stats loops
	loops      sync.WaitGroup     // the membership and stats loops
	stats      *statsReporter     // owned by the stats loop
}

type managerState int

const (
	stateNew managerState = iota
	stateStarted
	stateClosed
)

// peerQueue is the set of queues towards one peer with their dispatchers.
type peerQueue struct {
	conn   *peerConn
	queues []*queue // by index; len >= QueuesPerPeer (extra: recovered from a larger setting, drained only)
	cancel context.CancelFunc
	wg     sync.WaitGroup // the dispatchers
}

// New opens the queue directory, recovers the queues left by a previous
// run (their entries are delivered once their peer is observed) and
// prepares the Receiver. No goroutine runs until Start.
func New(cfg Config, members Membership, handlers *Handlers) (*Manager, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if members == nil {
		return nil, fmt.Errorf("%w: nil Membership", ErrInvalidConfig)
	}
	cfg = cfg.withDefaults()
	root := filepath.Join(cfg.BufferDirectory, "localq")
	if err := os.MkdirAll(root, 0o750); err != nil {
		return nil, fmt.Errorf("replication: create %s: %w", root, err)
	}
	epoch, fresh, err := loadOrCreateEpoch(root)
	if err != nil {
		return nil, err
	}
	log := cfg.Logger.With("component", "replication", "node", cfg.NodeID)
	m := &Manager{
		cfg: cfg, members: members, log: log, root: root, epoch: epoch, fresh: fresh,
		table: newPeerTable(cfg.NodeID, cfg.PeerRetention),
		peers: make(map[int]*peerQueue),
		stats: newStatsReporter(cfg.StuckAfter),
	}
	m.receiver, err = newReceiver(cfg.NodeID, filepath.Join(root, "received"), handlers, log)
	if m.receiver != nil {
		m.receiver.authorize = cfg.Authorize
	}
	if err != nil {
		return nil, err
	}
	if err := m.recover(); err != nil {
		_ = m.closeQueues()
		_ = m.receiver.Close()
		return nil, err
	}
	if fresh {
		log.Info("replication: no queue state found, starting a new epoch; local caches must not be trusted", "epoch", fmt.Sprintf("%016x", epoch))
	}
	return m, nil
}

// recover opens every queue directory found in root.
func (m *Manager) recover() error {
	entries, err := os.ReadDir(m.root)
	if err != nil {
		return fmt.Errorf("replication: list %s: %w", m.root, err)
	}
	found := make(map[int][]int)
	for _, e := range entries {
		peer, n, ok := parseQueueName(e.Name())
		if !ok || !e.IsDir() || peer == m.cfg.NodeID {
			continue
		}
		found[peer] = append(found[peer], n)
	}
	now := m.cfg.Now()
	for peer, idx := range found {
		pq, err := m.openPeer(peer, "", slicesMax(idx)+1)
		if err != nil {
			return err
		}
		m.peers[peer] = pq
		m.table.recover(peer, now)
		m.log.Info("replication: recovered queues", "peer", peer, "queues", len(pq.queues))
	}
	return nil
}

func slicesMax(xs []int) int {
	m := 0
	for _, x := range xs {
		m = max(m, x)
	}
	return m
}

// openPeer opens max(QueuesPerPeer, atLeast) queues towards peer.
func (m *Manager) openPeer(peer int, addr string, atLeast int) (*peerQueue, error) {
	pq := &peerQueue{conn: newPeerConn(peer, addr, m.cfg.Dial)}
	for n := range max(m.cfg.QueuesPerPeer, atLeast) {
		q, err := openQueue(m.root, peer, n, m.cfg.SegmentSize, m.cfg.Now)
		if err != nil {
			for _, q := range pq.queues {
				_ = q.log.Close()
			}
			return nil, err
		}
		pq.queues = append(pq.queues, q)
	}
	return pq, nil
}

// startPeer starts the committers and dispatchers of pq. Caller holds mu.
func (m *Manager) startPeer(pq *peerQueue) {
	ctx, cancel := context.WithCancel(m.runCtx)
	pq.cancel = cancel
	for _, q := range pq.queues {
		q.startCommitter()
		d := &dispatcher{q: q, peer: pq.conn, origin: m.cfg.NodeID, limit: m.cfg.Window, backoff: m.cfg.Backoff, log: m.log}
		pq.wg.Add(1)
		go func() {
			defer pq.wg.Done()
			d.run(ctx)
		}()
	}
}

// Start starts the queues' goroutines, reads the active peers once (so
// that queues of active peers exist when Start returns; a failed read is
// logged and retried by the loop) and starts the membership and
// statistics loops. The loops and dispatchers stop on Close or when ctx
// is done.
func (m *Manager) Start(ctx context.Context) error {
	m.mu.Lock()
	switch m.state {
	case stateClosed:
		m.mu.Unlock()
		return ErrClosed
	case stateStarted:
		m.mu.Unlock()
		return errors.New("replication: manager already started")
	}
	m.state = stateStarted
	m.runCtx, m.runCancel = context.WithCancel(ctx)
	for _, pq := range m.peers {
		m.startPeer(pq)
	}
	m.mu.Unlock()

	loopCtx, cancel := context.WithCancel(ctx)
	m.loopCancel = cancel
	if err := m.pollMembership(loopCtx); err != nil {
		m.log.Warn("replication: initial read of active peers failed", "err", err)
	}
	m.loops.Add(2)
	go func() {
		defer m.loops.Done()
		m.membershipLoop(loopCtx)
	}()
	go func() {
		defer m.loops.Done()
		m.statsLoop(loopCtx)
	}()
	return nil
}

// apply carries out one membership decision. Called by the membership
// goroutine (or Start).
func (m *Manager) apply(c peerChange) {
	switch c.op {
	case opAdd:
		m.mu.RLock()
		pq := m.peers[c.peer]
		m.mu.RUnlock()
		if pq != nil { // recovered from disk: now we know where it is
			pq.conn.setAddress(c.address)
			m.log.Info("replication: peer address learned", "peer", c.peer, "peer_addr", c.address)
			return
		}
		pq, err := m.openPeer(c.peer, c.address, 0)
		if err != nil {
			// Forget the peer so that the next poll tries again.
			delete(m.table.peers, c.peer)
			m.log.Error("replication: creating queues failed", "peer", c.peer, "err", err)
			return
		}
		m.mu.Lock()
		if m.state != stateStarted {
			m.mu.Unlock()
			for _, q := range pq.queues {
				_ = q.log.Close()
			}
			return
		}
		m.peers[c.peer] = pq
		m.startPeer(pq)
		m.mu.Unlock()
		m.log.Info("replication: peer active, queues created", "peer", c.peer, "peer_addr", c.address, "queues", len(pq.queues))
	case opReaddress:
		m.mu.RLock()
		pq := m.peers[c.peer]
		m.mu.RUnlock()
		if pq != nil {
			pq.conn.setAddress(c.address)
			m.log.Info("replication: peer address changed", "peer", c.peer, "peer_addr", c.address)
		}
	case opRemove:
		m.mu.Lock()
		pq := m.peers[c.peer]
		delete(m.peers, c.peer)
		m.mu.Unlock()
		if pq == nil {
			return
		}
		waiting, err := stopPeer(pq)
		if err != nil {
			m.log.Warn("replication: closing queues failed", "peer", c.peer, "err", err)
		}
		for _, q := range pq.queues {
			if err := os.RemoveAll(q.dir); err != nil {
				m.log.Error("replication: deleting queue failed", "peer", c.peer, "queue", q.name, "err", err)
			}
		}
		m.log.Warn("replication: peer gone past retention, queues deleted", "peer", c.peer,
			"retention", m.cfg.PeerRetention, "dropped_entries", waiting)
	}
}

// stopPeer stops pq's dispatchers, then its committers, and closes its
// logs; it returns the number of entries that were still waiting. The
// caller has removed pq from m.peers, so no Enqueue can reach it.
func stopPeer(pq *peerQueue) (waiting uint64, err error) {
	if pq.cancel != nil {
		pq.cancel()
	}
	pq.wg.Wait()
	for _, q := range pq.queues {
		acked, last := q.bounds()
		waiting += last - acked
		if pq.cancel != nil {
			err = errors.Join(err, q.close())
		} else {
			err = errors.Join(err, q.log.Close()) // never started: no committer
		}
	}
	pq.conn.close()
	return waiting, err
}

// Enqueue appends ev to the queue of sessionID towards every known peer
// (active, or absent for less than the retention period) and returns when
// it is durably on disk in all of them. It never waits for the network;
// it may wait for the local disk. Events of one session keep their order
// towards each peer. With no known peer it returns nil: nobody to tell.
//
// An error (a full disk, a broken queue, ctx done while waiting) may leave
// the event enqueued towards some peers and not others; events are hints,
// so callers log the error and go on — correctness never depends on
// delivery.
func (m *Manager) Enqueue(ctx context.Context, sessionID uint64, ev Event) error {
	if ev.Kind == "" || !utf8.ValidString(ev.Kind) || !utf8.ValidString(ev.Key) {
		return fmt.Errorf("replication: event kind must be non-empty and kind and key valid UTF-8 (kind %q)", ev.Kind)
	}
	ev.Origin = m.cfg.NodeID
	ev.Seq = 0
	ev.Queue = ""
	ev.Enqueued = m.cfg.Now()
	m.mu.RLock()
	switch m.state {
	case stateNew:
		m.mu.RUnlock()
		return ErrNotStarted
	case stateClosed:
		m.mu.RUnlock()
		return ErrClosed
	}
	idx := QueueIndex(sessionID, m.cfg.QueuesPerPeer)
	reqs := make([]*appendReq, 0, len(m.peers))
	for _, pq := range m.peers {
		r := &appendReq{ev: ev, done: make(chan error, 1)}
		select {
		case pq.queues[idx].commitc <- r:
			reqs = append(reqs, r)
		case <-ctx.Done():
			m.mu.RUnlock()
			return fmt.Errorf("replication: enqueue: %w", ctx.Err())
		}
	}
	m.mu.RUnlock()
	var errs []error
	for _, r := range reqs {
		select {
		case err := <-r.done:
			if err != nil {
				errs = append(errs, err)
			}
		case <-ctx.Done():
			return fmt.Errorf("replication: enqueue: %w", ctx.Err())
		}
	}
	return errors.Join(errs...)
}

// FreshStart reports whether this node started without queue state (no
// localq directory or no EPOCH file in it): the node may have missed
// invalidations while it was away, so it must not trust caches it may
// have persisted. See doc.go, "Fresh start and epochs".
func (m *Manager) FreshStart() bool { return m.fresh }

// Epoch is the random id of this node's queue state, created with
// localq/EPOCH. It changes exactly when FreshStart is true; the heartbeat
// row carries it so that peers can tell a node that lost its state.
func (m *Manager) Epoch() uint64 { return m.epoch }

// Receiver is the service receiving the peers' streams; the node
// registers it on its gRPC server.
func (m *Manager) Receiver() *Receiver { return m.receiver }

// Close stops the membership and statistics loops, then the dispatchers,
// then the queues (committers drain, logs close), then the Receiver.
// Waiting entries stay on disk for the next start. Close is idempotent.
func (m *Manager) Close() error {
	m.mu.Lock()
	if m.state == stateClosed {
		m.mu.Unlock()
		return nil
	}
	m.state = stateClosed // Enqueue refuses from here on
	m.mu.Unlock()

	if m.loopCancel != nil {
		m.loopCancel()
	}
	m.loops.Wait()
	err := m.closeQueues()
	return errors.Join(err, m.receiver.Close())
}

// closeQueues stops and closes every peer's queues.
func (m *Manager) closeQueues() error {
	m.mu.Lock()
	peers := m.peers
	m.peers = make(map[int]*peerQueue)
	cancel := m.runCancel
	m.mu.Unlock()
	// Stop all dispatchers first (in parallel: they only wait for their
	// context), then close the queues.
	if cancel != nil {
		cancel()
	}
	ids := make([]int, 0, len(peers))
	for id := range peers {
		ids = append(ids, id)
	}
	sort.Ints(ids)
	for _, id := range ids {
		peers[id].wg.Wait()
	}
	var errs []error
	for _, id := range ids {
		_, err := stopPeer(peers[id])
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}
