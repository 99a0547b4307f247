package remote

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/backoff"
	"google.golang.org/grpc/keepalive"

	"github.com/quorumdb/quorumdb/kv"
	"github.com/quorumdb/quorumdb/kv/remote/kvpb"
)

// Client opens transactions on peers' Servers. It keeps one
// *grpc.ClientConn per address; every transaction is a stream on it.
type Client struct {
	logger   *slog.Logger
	silence  time.Duration // see NewClient
	dialOpts []grpc.DialOption

	mu     sync.Mutex
	closed bool
	conns  map[string]kvpb.KVClient
	ccs    []*grpc.ClientConn
	// streams holds every part's stream open (or being opened) on a
	// peer, so that PartitionLeaderMoved can give up those on a former
	// leader.
	streams map[*streamHandle]struct{}
}

// streamHandle is one part's stream in Client.streams.
type streamHandle struct {
	addr      string
	partition uint32
	// mark records why the stream is given up: an answer that arrives
	// from now on is not taken (but a Commit's success). abandon marks
	// and cancels the stream; the stream's next (or waiting) operation
	// fails with that reason.
	mark, abandon func(reason error)
}

// NewClient returns a Client dialing peers with dialOpts, which must
// include transport credentials. Its defaults, keepalive pings (see
// ServerOptions, which the peers' servers must use) and a reconnection
// backoff capped at 2 s, come first, so dialOpts may override them.
//
// silence bounds how long an operation waits without hearing from the
// server (a running operation's server says it is alive every
// progressEvery): past it the stream is given up with
// kv.ErrUnavailable, or kv.ErrCommitUnknown for a Commit, so a statement
// on a leader that was paused or cut off fails instead of waiting for
// keepalives. 0 means DefaultSilence; less than 2*progressEvery is
// raised to that.
func NewClient(logger *slog.Logger, silence time.Duration, dialOpts ...grpc.DialOption) *Client {
	if logger == nil {
		logger = slog.Default()
	}
	opts := append([]grpc.DialOption{
		grpc.WithKeepaliveParams(keepalive.ClientParameters{Time: keepaliveTime, Timeout: keepaliveTimeout}),
		// gRPC's default reconnection backoff grows to two minutes; a
		// leader that restarts must be reachable again within a
		// coordinator's wait for a leader (cluster.unavailable_timeout).
		grpc.WithConnectParams(grpc.ConnectParams{
			Backoff:           backoff.Config{BaseDelay: 100 * time.Millisecond, Multiplier: 1.6, Jitter: 0.2, MaxDelay: 2 * time.Second},
			MinConnectTimeout: 2 * time.Second,
		}),
	}, dialOpts...)
	if silence == 0 {
		silence = DefaultSilence
	}
	silence = max(silence, 2*progressEvery)
	return &Client{logger: logger, silence: silence, dialOpts: opts, conns: make(map[string]kvpb.KVClient), streams: make(map[*streamHandle]struct{})}
}

// PartitionLeaderMoved tells the client that this node now sees leader
// as partition p's leader ("" when it knows none). Every part on p at
// another address is given up at once rather than left waiting on a node
// that can no longer commit it (it lost leadership: the part fails
// anyway) or that this node cannot hear from (a paused or cut-off
// leader, whose operations would otherwise wait for the client's
// silence bound). An operation waiting on such a part fails:
// kv.ErrConflict (retryable) when another leader is known,
// kv.ErrUnavailable when none is, and kv.ErrCommitUnknown for a Commit,
// which may have been applied. A Begin being attempted there fails with
// kv.ErrNotLeader, so the coordinator moves on. Safe to call from any
// goroutine; it does not block.
func (c *Client) PartitionLeaderMoved(p uint32, leader string) {
	c.mu.Lock()
	var victims []*streamHandle
	for h := range c.streams {
		if h.partition == p && h.addr != leader {
			victims = append(victims, h)
		}
	}
	c.mu.Unlock()
	reasons := make([]error, len(victims))
	for i, h := range victims {
		if leader == "" {
			reasons[i] = fmt.Errorf("%w: this node lost contact with partition %d's leader at %s and knows no other", kv.ErrUnavailable, p, h.addr)
		} else {
			reasons[i] = fmt.Errorf("%w: partition %d's leadership moved from %s to %s during the transaction", kv.ErrConflict, p, h.addr, leader)
		}
	}
	// Every stream is marked before any is cancelled: cancelling one
	// rolls its part back on the server, which may grant a lock another
	// victim waits for, and that grant must not be taken.
	for i, h := range victims {
		h.mark(reasons[i])
	}
	for i, h := range victims {
		h.abandon(reasons[i])
	}
}

// track registers h until the returned function is called.
func (c *Client) track(h *streamHandle) (untrack func()) {
	c.mu.Lock()
	c.streams[h] = struct{}{}
	c.mu.Unlock()
	return func() {
		c.mu.Lock()
		delete(c.streams, h)
		c.mu.Unlock()
	}
}

// DefaultSilence is the silence of a Client made with 0.
const DefaultSilence = 5 * time.Second

// errClientClosed is Begin's error once the Client is closed: this node
// is stopping, so a coordinator does not try other replicas.
var errClientClosed = fmt.Errorf("kv/remote: client closed: %w", kv.ErrClosed)

// Close closes every connection; open transactions break (their servers
// roll them back) and later Begins fail with kv.ErrClosed.
func (c *Client) Close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closed = true
	for _, cc := range c.ccs {
		if err := cc.Close(); err != nil {
			c.logger.Debug("kv/remote: closing connection", "target", cc.Target(), "err", err)
		}
	}
	c.ccs, c.conns = nil, nil
}

// kvClient returns the cached client of addr, creating its connection
// (gRPC connects lazily, so this does not block).
func (c *Client) kvClient(addr string) (kvpb.KVClient, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil, errClientClosed
	}
	if kc, ok := c.conns[addr]; ok {
		return kc, nil
	}
	cc, err := grpc.NewClient(addr, c.dialOpts...)
	if err != nil {
		return nil, fmt.Errorf("kv/remote: connecting to %s: %w", addr, err)
	}
	kc := kvpb.NewKVClient(cc)
	c.conns[addr] = kc
	c.ccs = append(c.ccs, cc)
	return kc, nil
}

// callOptions lift the message size limits to match ServerOptions.
var callOptions = []grpc.CallOption{grpc.MaxCallRecvMsgSize(maxMessageBytes), grpc.MaxCallSendMsgSize(maxMessageBytes)}

// Begin starts a transaction on the Server at addr. ctx bounds Begin
// only: the transaction lives until Commit or Rollback. Errors: the
// server's own (kv.ErrNotLeader, possibly as *kv.NotLeaderError;
// kv.ErrClosed if it is shutting down), ctx's, or kv.ErrUnavailable if
// addr cannot be reached.
func (c *Client) Begin(ctx context.Context, addr string, opts kv.TxnOptions) (kv.Txn, error) {
	t, err := c.begin(ctx, addr, opts, nil, nil)
	if err != nil {
		return nil, err
	}
	return t, nil
}

// begin opens a transaction stream to addr and waits for the server to
// begin it; setup adds to the OP_BEGIN request. A part's stream
// (partition non-nil) is registered for PartitionLeaderMoved.
func (c *Client) begin(ctx context.Context, addr string, opts kv.TxnOptions, partition *uint32, setup func(*kvpb.Request)) (*txn, error) {
	t, err := c.open(ctx, addr, opts, partition, setup)
	if err != nil {
		return nil, err
	}
	if err := t.awaitBegin(); err != nil {
		return nil, err
	}
	return t, nil
}

// open opens a transaction stream to addr and sends its OP_BEGIN
// without waiting for the answer, which awaitBegin (or the first
// operation's call) collects: ctx bounds the begin until then.
func (c *Client) open(ctx context.Context, addr string, opts kv.TxnOptions, partition *uint32, setup func(*kvpb.Request)) (*txn, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	kc, err := c.kvClient(addr)
	if err != nil {
		if errors.Is(err, kv.ErrClosed) {
			return nil, err
		}
		return nil, fmt.Errorf("%w: %v", kv.ErrUnavailable, err)
	}
	streamCtx, cancelStream := context.WithCancel(context.Background())
	t := &txn{addr: addr, cancelStream: cancelStream, silence: c.silence, req: new(kvpb.Request), resp: new(kvpb.Response), readOnly: opts.ReadOnly}
	t.untrack = func() {}
	if partition != nil {
		t.untrack = c.track(&streamHandle{addr: addr, partition: *partition, mark: t.markAbandoned, abandon: t.abandon})
	}
	t.beginCtx, t.stopBeginWatch = ctx, context.AfterFunc(ctx, cancelStream)
	stream, err := kc.Txn(streamCtx, callOptions...)
	if err != nil {
		return nil, t.failBegin(unavailable(addr, err))
	}
	t.stream = stream
	t.req.Op, t.req.ReadOnly = kvpb.Op_OP_BEGIN, opts.ReadOnly
	if setup != nil {
		setup(t.req)
	}
	if err := stream.Send(t.req); err != nil {
		return nil, t.failBegin(unavailable(addr, err))
	}
	t.beginPending = true
	return t, nil
}

// awaitBegin collects the answer to the stream's OP_BEGIN. A begin that
// failed ends the stream, and the transaction with it (t.err).
func (t *txn) awaitBegin() error {
	t.beginPending = false
	if err := t.stream.RecvMsg(t.resp); err != nil {
		return t.failBegin(unavailable(t.addr, err))
	}
	if !t.stopBeginWatch() {
		// ctx ended during Begin and canceled the stream with it.
		return t.failBegin(t.beginCtx.Err())
	}
	if err := decodeError(t.resp.Error); err != nil {
		return t.failBegin(err)
	}
	t.readTS = kv.Timestamp(t.resp.ReadTimestamp)
	t.beginMark = t.resp.Savepoint
	if t.clock != nil {
		t.clock.Update(kv.Timestamp(t.resp.Clock))
	}
	t.beginCtx = nil
	return nil
}

// failBegin ends a stream whose begin failed with err and returns the
// error the caller gets: the begin context's own if it ended, a
// leadership move this node saw meanwhile, or err.
func (t *txn) failBegin(err error) error {
	t.stopBeginWatch()
	t.cancelStream()
	t.untrack()
	switch {
	case t.beginCtx.Err() != nil:
		err = t.beginCtx.Err()
	case t.abandoned.Load() != nil:
		// This node saw the leadership move while Begin waited.
		err = fmt.Errorf("%w: %w", kv.ErrNotLeader, *t.abandoned.Load())
	}
	t.err, t.beginFailed = err, true
	return err
}
