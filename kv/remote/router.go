package remote

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/quorumdb/quorumdb/kv"
)

// Defaults of RouterConfig.
const (
	DefaultMaxWait        = 10 * time.Second
	DefaultAttemptTimeout = 2 * time.Second
)

// Backoff between rounds in which no replica accepted a Begin (an
// election is under way, or the leader is restarting).
const (
	routerBackoffMin = 20 * time.Millisecond
	routerBackoffMax = 500 * time.Millisecond
)

// RouterConfig configures a Router.
type RouterConfig struct {
	// Local is this node's store; nil if this node holds no replica.
	Local kv.DB
	// LocalAddr is this node's peer address: a leader hint naming it
	// means Local.
	LocalAddr string
	// Replicas are the peer addresses of the replicas (where a leader
	// can be), tried in order when no leader is known.
	Replicas []string
	// LeaderHint returns the leader's address if this node knows it (""
	// if not); may be nil.
	LeaderHint func() string
	// Client opens the transactions on remote leaders.
	Client *Client
	// MaxWait is how long Begin keeps looking for a leader before
	// failing with kv.ErrUnavailable (bounded by Begin's ctx). Default
	// DefaultMaxWait.
	MaxWait time.Duration
	// AttemptTimeout bounds one remote Begin, so that an unreachable
	// address (packets dropped, not refused) does not use up MaxWait.
	// Default DefaultAttemptTimeout.
	AttemptTimeout time.Duration
}

// Router is the kv.DB a node's SQL engine uses: each Begin goes to the
// current leader, local or remote, and the transaction then runs there.
type Router struct {
	cfg RouterConfig
	// localKey names the local store among the addresses: LocalAddr, or
	// "local" if that is empty.
	localKey string

	mu     sync.Mutex
	leader string // the last address whose Begin succeeded
	// leaderMoved is closed (and replaced) by LeaderChanged: a Begin
	// backing off between rounds tries again at once.
	leaderMoved chan struct{}
}

var _ kv.DB = (*Router)(nil)

// NewRouter returns a Router over cfg (defaults filled in).
func NewRouter(cfg RouterConfig) *Router {
	if cfg.MaxWait <= 0 {
		cfg.MaxWait = DefaultMaxWait
	}
	if cfg.AttemptTimeout <= 0 {
		cfg.AttemptTimeout = DefaultAttemptTimeout
	}
	r := &Router{cfg: cfg, localKey: cfg.LocalAddr, leaderMoved: make(chan struct{})}
	if r.localKey == "" {
		r.localKey = "local"
	}
	return r
}

func (r *Router) isLocal(addr string) bool { return r.cfg.Local != nil && addr == r.localKey }

// Leader returns the address of the last leader that accepted a Begin
// ("" if none yet; LocalAddr, or "local" if that is empty, for the local
// store).
func (r *Router) Leader() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.leader
}

// LeaderChanged tells the router that this node's replica now sees addr
// as the leader ("" when it knows none): transaction streams, and Begin
// attempts, on any other address are given up at once
// (Client.LeaderMoved), and the next Begin starts with addr.
func (r *Router) LeaderChanged(addr string) {
	r.mu.Lock()
	if r.leader != addr {
		r.leader = ""
	}
	close(r.leaderMoved)
	r.leaderMoved = make(chan struct{})
	r.mu.Unlock()
	if r.cfg.Client != nil {
		r.cfg.Client.LeaderMoved(addr)
	}
}

func (r *Router) setLeader(addr string) {
	r.mu.Lock()
	r.leader = addr
	r.mu.Unlock()
}

// Begin implements kv.DB: it starts the transaction on the leader. Each
// round tries the local store, then the last leader, the hinted leader
// and every replica, following the hint of a kv.NotLeaderError first;
// rounds repeat with backoff (cut short when LeaderChanged reports a
// change) until MaxWait, then Begin fails with
// kv.ErrUnavailable naming what was tried.
func (r *Router) Begin(ctx context.Context, opts kv.TxnOptions) (kv.Txn, error) {
	deadline := time.Now().Add(r.cfg.MaxWait)
	backoff := routerBackoffMin
	for {
		r.mu.Lock()
		moved := r.leaderMoved
		r.mu.Unlock()
		txn, tried, err := r.round(ctx, opts)
		if txn != nil || err != nil {
			return txn, err
		}
		wait := min(backoff, time.Until(deadline))
		if wait <= 0 {
			return nil, fmt.Errorf("%w: no leader accepted the transaction within %s (last tried: %s)", kv.ErrUnavailable, r.cfg.MaxWait, tried)
		}
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return nil, fmt.Errorf("kv/remote: looking for the leader (last tried: %s): %w", tried, ctx.Err())
		case <-timer.C:
		case <-moved: // a leader was elected (or lost) meanwhile: try now
			timer.Stop()
		}
		backoff = min(2*backoff, routerBackoffMax)
	}
}

// round tries each candidate once. It returns the transaction, or an
// error that trying elsewhere cannot fix, or neither and a description
// of the failures.
func (r *Router) round(ctx context.Context, opts kv.TxnOptions) (kv.Txn, string, error) {
	var failures []string
	tried := make(map[string]bool, len(r.cfg.Replicas)+2)
	var queue []string
	// add queues addr unless it was tried this round; front (a hint
	// just received) moves it ahead of the others.
	add := func(addr string, front bool) {
		if addr == "" || tried[addr] {
			return
		}
		if i := slices.Index(queue, addr); i >= 0 {
			if !front {
				return
			}
			queue = slices.Delete(queue, i, i+1)
		}
		if front {
			queue = slices.Insert(queue, 0, addr)
		} else {
			queue = append(queue, addr)
		}
	}
	if r.cfg.Local != nil {
		add(r.localKey, false)
	}
	add(r.Leader(), false)
	if r.cfg.LeaderHint != nil {
		add(r.cfg.LeaderHint(), false)
	}
	for _, a := range r.cfg.Replicas {
		add(a, false)
	}
	for len(queue) > 0 {
		addr := queue[0]
		queue = queue[1:]
		tried[addr] = true
		var txn kv.Txn
		var err error
		local := r.isLocal(addr)
		if local {
			txn, err = r.cfg.Local.Begin(ctx, opts)
		} else {
			txn, err = r.beginRemote(ctx, addr, opts)
		}
		if err == nil {
			r.setLeader(addr)
			return txn, "", nil
		}
		if ctxErr := ctx.Err(); ctxErr != nil {
			return nil, "", fmt.Errorf("kv/remote: beginning on %s: %w", addr, ctxErr)
		}
		if !retryable(err, local) {
			return nil, "", err
		}
		failures = append(failures, addr+": "+err.Error())
		var nle *kv.NotLeaderError
		if errors.As(err, &nle) {
			add(nle.Leader, true)
		}
		if r.Leader() == addr {
			r.setLeader("")
		}
	}
	if len(failures) == 0 {
		return nil, "no replica known", nil
	}
	return nil, strings.Join(failures, "; "), nil
}

// beginRemote is Client.Begin bounded by AttemptTimeout.
func (r *Router) beginRemote(ctx context.Context, addr string, opts kv.TxnOptions) (kv.Txn, error) {
	if r.cfg.Client == nil {
		return nil, fmt.Errorf("%w: %s is remote and the router has no Client", kv.ErrUnavailable, addr)
	}
	actx, cancel := context.WithTimeout(ctx, r.cfg.AttemptTimeout)
	defer cancel()
	txn, err := r.cfg.Client.Begin(actx, addr, opts)
	if err != nil && ctx.Err() == nil && actx.Err() != nil {
		return nil, fmt.Errorf("%w: no answer from %s within %s", kv.ErrUnavailable, addr, r.cfg.AttemptTimeout)
	}
	return txn, err
}

// retryable reports whether another replica may accept the Begin that
// failed with err: not the leader, unreachable, or (remote only) shutting
// down. A closed local store means this node is stopping: no retry.
func retryable(err error, local bool) bool {
	switch {
	case errors.Is(err, errClientClosed):
		return false
	case errors.Is(err, kv.ErrNotLeader), errors.Is(err, kv.ErrUnavailable):
		return true
	case errors.Is(err, kv.ErrClosed):
		return !local
	}
	return false
}
