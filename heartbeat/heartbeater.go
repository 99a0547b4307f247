package heartbeat

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/quorumdb/quorumdb/kv"
)

// Heartbeater keeps this node's row fresh. It owns one goroutine, started
// by Start and stopped by Close (or by the cancellation of Start's ctx).
// Its methods are safe for concurrent use.
type Heartbeater struct {
	cfg    Config
	db     kv.DB
	logger *slog.Logger
	// now is the clock; tests replace it before Start.
	now func() time.Time

	mu sync.Mutex
	// started and closed are guarded by mu.
	started, closed bool
	// cancel stops the loop goroutine; done is closed when it returns.
	// Both set by Start under mu, nil before.
	cancel context.CancelFunc
	done   chan struct{}

	// startedAt is set by Start before the loop goroutine exists and
	// never changes after, so the goroutine reads it without a lock.
	startedAt time.Time
	// lastWrite is the UnixNano of the last successful write (0: none).
	lastWrite atomic.Int64
}

// New returns a Heartbeater writing cfg's row (defaults applied) to db.
// Start validates cfg. A nil logger means slog.Default().
func New(cfg Config, db kv.DB, logger *slog.Logger) *Heartbeater {
	if logger == nil {
		logger = slog.Default()
	}
	return &Heartbeater{
		cfg:    cfg.WithDefaults(),
		db:     db,
		logger: logger.With("component", "heartbeat", "node", cfg.NodeID),
		now:    time.Now,
	}
}

// Start writes the row once, then rewrites it every Config.Interval on
// its own goroutine until Close or until ctx is canceled. A failed write
// (the first one included) is logged and retried at the next tick rather
// than returned: a node must keep trying, and its stale row is what tells
// the others it is in trouble. Start returns an error only for an invalid
// Config or a second call.
func (h *Heartbeater) Start(ctx context.Context) error {
	if err := h.cfg.validateWriter(); err != nil {
		return err
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	switch {
	case h.closed:
		return ErrClosed
	case h.started:
		return ErrStarted
	}
	h.started = true
	h.startedAt = h.now()
	h.write(ctx, h.startedAt)

	loopCtx, cancel := context.WithCancel(ctx)
	h.cancel, h.done = cancel, make(chan struct{})
	go h.loop(loopCtx, h.done)
	return nil
}

// loop rewrites the row every interval until ctx ends, then closes done.
func (h *Heartbeater) loop(ctx context.Context, done chan struct{}) {
	defer close(done)
	t := time.NewTicker(h.cfg.Interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			h.write(ctx, h.now())
		}
	}
}

// write stores the row with HeartbeatAt = now. It gives up after
// Config.Timeout: a row written later than that would be stale on
// arrival, and the next tick tries again anyway.
func (h *Heartbeater) write(ctx context.Context, now time.Time) {
	ctx, cancel := context.WithTimeout(ctx, h.cfg.Timeout)
	defer cancel()
	err := h.put(ctx, Row{
		NodeID:      h.cfg.NodeID,
		Address:     h.cfg.Address,
		SQLAddress:  h.cfg.SQLAddress,
		StartedAt:   h.startedAt,
		HeartbeatAt: now,
		Version:     h.cfg.Version,
	})
	switch {
	case err == nil:
		h.lastWrite.Store(now.UnixNano())
	case ctx.Err() != nil && context.Cause(ctx) == context.Canceled:
		// Shutting down: not a failure worth a warning.
	case errors.Is(err, kv.ErrDiskFull):
		// The store logs once when the disk fills and once when space
		// is back; a warning every interval would only add noise. The
		// row ages meanwhile, as the node's writes do not get through.
		h.logger.Debug("heartbeat: write refused, disk full", "err", err)
	default:
		h.logger.Warn("heartbeat: write failed, retrying next interval", "err", err, "interval", h.cfg.Interval)
	}
}

// put writes r in its own transaction.
func (h *Heartbeater) put(ctx context.Context, r Row) error {
	txn, err := h.db.Begin(ctx, kv.TxnOptions{})
	if err != nil {
		return err
	}
	defer txn.Rollback()
	if err := txn.Put(ctx, Key(r.NodeID), encodeRow(r)); err != nil {
		return err
	}
	return txn.Commit(ctx)
}

// StartedAt returns when Start was called (the zero time before): the
// started_at of this node's row.
func (h *Heartbeater) StartedAt() time.Time {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.startedAt
}

// LastWrite returns when the row was last written successfully (the
// zero time before the first success).
func (h *Heartbeater) LastWrite() time.Time {
	ns := h.lastWrite.Load()
	if ns == 0 {
		return time.Time{}
	}
	return time.Unix(0, ns)
}

// Close stops the writer goroutine and waits for it. The row stays: it
// ages into NO_HEARTBEAT and OFFLINE, which is what a stopped node is.
// Close is idempotent and safe before Start.
func (h *Heartbeater) Close() {
	h.mu.Lock()
	h.closed = true
	cancel, done := h.cancel, h.done
	h.mu.Unlock()
	if cancel != nil {
		cancel()
		<-done
	}
}
