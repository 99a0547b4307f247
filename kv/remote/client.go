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
	dialOpts []grpc.DialOption

	mu     sync.Mutex
	closed bool
	conns  map[string]kvpb.KVClient
	ccs    []*grpc.ClientConn
}

// NewClient returns a Client dialing peers with dialOpts, which must
// include transport credentials. Its defaults, keepalive pings (see
// ServerOptions, which the peers' servers must use) and a reconnection
// backoff capped at 2 s, come first, so dialOpts may override them.
func NewClient(logger *slog.Logger, dialOpts ...grpc.DialOption) *Client {
	if logger == nil {
		logger = slog.Default()
	}
	opts := append([]grpc.DialOption{
		grpc.WithKeepaliveParams(keepalive.ClientParameters{Time: keepaliveTime, Timeout: keepaliveTimeout}),
		// gRPC's default reconnection backoff grows to two minutes; a
		// leader that restarts must be reachable again within a
		// Router's MaxWait.
		grpc.WithConnectParams(grpc.ConnectParams{
			Backoff:           backoff.Config{BaseDelay: 100 * time.Millisecond, Multiplier: 1.6, Jitter: 0.2, MaxDelay: 2 * time.Second},
			MinConnectTimeout: 2 * time.Second,
		}),
	}, dialOpts...)
	return &Client{logger: logger, dialOpts: opts, conns: make(map[string]kvpb.KVClient)}
}

// errClientClosed is Begin's error once the Client is closed: this node
// is stopping, so a Router does not try other replicas.
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
	stopBeginWatch := context.AfterFunc(ctx, cancelStream)
	fail := func(err error) (kv.Txn, error) {
		stopBeginWatch()
		cancelStream()
		if ctxErr := ctx.Err(); ctxErr != nil {
			return nil, ctxErr
		}
		return nil, err
	}
	stream, err := kc.Txn(streamCtx, callOptions...)
	if err != nil {
		return fail(unavailable(addr, err))
	}
	t := &txn{addr: addr, stream: stream, cancelStream: cancelStream, req: new(kvpb.Request), resp: new(kvpb.Response), readOnly: opts.ReadOnly}
	t.req.Op, t.req.ReadOnly = kvpb.Op_OP_BEGIN, opts.ReadOnly
	if err := stream.Send(t.req); err != nil {
		return fail(unavailable(addr, err))
	}
	if err := stream.RecvMsg(t.resp); err != nil {
		return fail(unavailable(addr, err))
	}
	if !stopBeginWatch() {
		// ctx ended during Begin and canceled the stream with it.
		return fail(ctx.Err())
	}
	if err := decodeError(t.resp.Error); err != nil {
		return fail(err)
	}
	t.readTS = kv.Timestamp(t.resp.ReadTimestamp)
	return t, nil
}
