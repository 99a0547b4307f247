package heartbeat

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/backoff"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"

	"github.com/quorumdb/quorumdb/heartbeat/heartbeatpb"
)

// Exchanger is the shell of the direct peer heartbeats: it serves the
// Heartbeat gRPC service on the node's peer server and, once started,
// sends this node's beat to every peer every Config.Interval, recording
// each answer (and each beat it receives) in its Peers view. It owns one
// goroutine per peer (the membership is fixed, so their number is),
// started by Start and stopped by Close or by the cancellation of
// Start's ctx. Peer traffic is plaintext, as the rest of the peer
// server's (TLS between nodes is not built yet).
type Exchanger struct {
	heartbeatpb.UnimplementedHeartbeatServer

	cfg    Config
	peers  *Peers
	logger *slog.Logger
	// dialOpts are used for every peer's connection.
	dialOpts []grpc.DialOption
	// authorize, set before Register by SetAuthorizer, refuses a beat
	// whose caller may not speak for its sender (nil: no check).
	authorize func(ctx context.Context, node uint64) error
	// now is the clock; tests replace it before Start (SetClock).
	now func() time.Time
	// clock judges this node's clock by the offsets the beats measure.
	clock *ClockMonitor

	mu sync.Mutex
	// started and closed, cancel and conns are guarded by mu.
	started, closed bool
	cancel          context.CancelFunc
	conns           []*grpc.ClientConn
	// wg counts the per-peer goroutines.
	wg sync.WaitGroup
}

// NewExchanger returns the exchanger of node cfg.NodeID among members
// (cluster.nodes; empty for a single node, which then only answers for
// itself). cfg's defaults are applied; its SQLAddress is not used (Start
// gives it). dialOpts come after the defaults (plaintext credentials, a
// reconnect backoff), so they may replace them (peer TLS credentials).
func NewExchanger(cfg Config, members []string, logger *slog.Logger, dialOpts ...grpc.DialOption) *Exchanger {
	if logger == nil {
		logger = slog.Default()
	}
	cfg = cfg.WithDefaults()
	dialOpts = append([]grpc.DialOption{
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		// gRPC's default reconnect backoff grows to 120 s: a peer
		// that returns would be heard from minutes late.
		grpc.WithConnectParams(grpc.ConnectParams{
			Backoff:           backoff.Config{BaseDelay: 100 * time.Millisecond, Multiplier: 1.6, Jitter: 0.2, MaxDelay: time.Second},
			MinConnectTimeout: cfg.Timeout,
		}),
	}, dialOpts...)
	return &Exchanger{
		cfg:      cfg,
		peers:    NewPeers(cfg, members, time.Now()),
		logger:   logger.With("component", "heartbeat", "node", cfg.NodeID),
		dialOpts: dialOpts,
		now:      time.Now,
		// A measurement older than Timeout is of a peer that stopped
		// answering; it no longer testifies.
		clock: NewClockMonitor(max(len(members), 1), cfg.MaxClockOffset, cfg.Timeout),
	}
}

// SetClock replaces the clock the exchanger stamps and measures beats
// with (tests skew a node's clock so). Call it before Start.
func (x *Exchanger) SetClock(now func() time.Time) { x.now = now }

// ClockCheck returns nil while this node's clock is within
// Config.MaxClockOffset of the clocks of a majority of the members, and
// a *ClockOffsetError when it is not (see ClockMonitor).
func (x *Exchanger) ClockCheck() error { return x.clock.Check(x.now()) }

// ClockOffsets returns the peers' clock offsets measured recently, by
// node id.
func (x *Exchanger) ClockOffsets() map[int]ClockOffset { return x.clock.Offsets(x.now()) }

// SetAuthorizer makes Exchange refuse a beat unless f says its caller
// may speak for the node the beat names (peer TLS: peertls.Security's
// Authorize). Call before Register.
func (x *Exchanger) SetAuthorizer(f func(ctx context.Context, node uint64) error) {
	x.authorize = f
}

// Register adds the Heartbeat service to srv (before it serves). Beats
// received before Start are recorded but not answered.
func (x *Exchanger) Register(srv grpc.ServiceRegistrar) {
	heartbeatpb.RegisterHeartbeatServer(srv, x)
}

// Rows returns this node's own view of the members at now (see
// Peers.Rows).
func (x *Exchanger) Rows(now time.Time) []Row { return x.peers.Rows(now) }

// Start records this node's SQL address and start time and starts one
// goroutine per peer that sends it a beat every Config.Interval. It
// returns an error only for an invalid Config or a second call.
func (x *Exchanger) Start(ctx context.Context, sqlAddress string, startedAt time.Time) error {
	if err := x.cfg.validateWriter(); err != nil {
		return err
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	switch {
	case x.closed:
		return ErrClosed
	case x.started:
		return ErrStarted
	}
	x.started = true
	x.peers.SetSelf(sqlAddress, startedAt)
	ctx, x.cancel = context.WithCancel(ctx)
	for id := 1; id <= len(x.peers.members); id++ {
		addr, ok := x.peers.Member(id)
		if !ok {
			continue
		}
		conn, err := grpc.NewClient(addr, x.dialOpts...)
		if err != nil {
			// Only a malformed target fails here; config validation
			// checked every address, so this is a bug worth stopping for.
			x.cancel()
			x.wg.Wait()
			x.closeConns()
			return fmt.Errorf("heartbeat: connecting to node %d (%s): %w", id, addr, err)
		}
		x.conns = append(x.conns, conn)
		client := heartbeatpb.NewHeartbeatClient(conn)
		x.wg.Go(func() { x.run(ctx, id, addr, client) })
	}
	return nil
}

// run beats peer id every interval until ctx ends. It logs only changes,
// so a peer that stays down costs one line, not one a second: a peer
// that stops answering (a warning), one that answers again, and, at
// Info, one not answering yet since this node started (the nodes of a
// cluster start one by one).
func (x *Exchanger) run(ctx context.Context, id int, addr string, client heartbeatpb.HeartbeatClient) {
	t := time.NewTicker(x.cfg.Interval)
	defer t.Stop()
	failing, reached := false, false
	for {
		err := x.beat(ctx, id, client)
		switch {
		case ctx.Err() != nil:
			return
		case err != nil && !failing && reached:
			x.logger.Warn("heartbeat: peer does not answer direct heartbeats", "peer", id, "address", addr, "err", err)
		case err != nil && !failing:
			x.logger.Info("heartbeat: peer does not answer direct heartbeats yet", "peer", id, "address", addr, "err", err)
		case err == nil && failing && reached:
			x.logger.Info("heartbeat: peer answers direct heartbeats again", "peer", id, "address", addr)
		}
		if err == nil {
			reached = true
		}
		failing = err != nil
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// beat sends this node's beat to peer id and records the answer. The
// call gives up after Config.Timeout: an answer later than that would
// be stale on arrival.
func (x *Exchanger) beat(ctx context.Context, id int, client heartbeatpb.HeartbeatClient) error {
	sent := x.now()
	self, _ := x.peers.Self(sent) // set by Start before any run
	ctx, cancel := context.WithTimeout(ctx, x.cfg.Timeout)
	defer cancel()
	out := beatToPB(self)
	out.Target = int64(id)
	resp, err := client.Exchange(ctx, out)
	if err != nil {
		return err
	}
	received := x.now()
	in := beatFromPB(resp)
	if in.NodeID != id {
		return fmt.Errorf("%w: node %d's address answered as node %d", ErrWrongTarget, id, in.NodeID)
	}
	// The peer stamped its answer (SentAt) between our send and our
	// receipt: a measurement of its clock against ours.
	x.clock.Record(id, MeasureOffset(sent, in.SentAt, received))
	return x.peers.Observe(in, received)
}

// Exchange implements heartbeatpb.HeartbeatServer: it records the
// caller's beat and answers with this node's. A beat from a node that is
// not a member, or meant for another node id, is refused with
// FailedPrecondition naming the mismatch; before Start the beat is
// recorded and answered with Unavailable (the node is starting).
func (x *Exchanger) Exchange(ctx context.Context, in *heartbeatpb.Beat) (*heartbeatpb.Beat, error) {
	if x.authorize != nil && in.NodeId > 0 {
		if err := x.authorize(ctx, uint64(in.NodeId)); err != nil {
			return nil, status.Error(codes.PermissionDenied, "heartbeat: the caller may not speak for that node")
		}
	}
	if in.Target != 0 && in.Target != int64(x.cfg.NodeID) {
		return nil, status.Error(codes.FailedPrecondition,
			fmt.Errorf("%w: this is node %d (%s), the beat from node %d is for node %d", ErrWrongTarget, x.cfg.NodeID, x.cfg.Address, in.NodeId, in.Target).Error())
	}
	now := x.now()
	if err := x.peers.Observe(beatFromPB(in), now); err != nil {
		if errors.Is(err, ErrNotMember) {
			return nil, status.Error(codes.FailedPrecondition, err.Error())
		}
		return nil, status.Error(codes.Internal, err.Error())
	}
	self, ok := x.peers.Self(now)
	if !ok {
		return nil, status.Errorf(codes.Unavailable, "heartbeat: node %d is starting", x.cfg.NodeID)
	}
	return beatToPB(self), nil
}

// Close stops the per-peer goroutines, waits for them and closes their
// connections. It is idempotent and safe before Start; the gRPC service
// stays registered (the server it is on stops on its own).
func (x *Exchanger) Close() {
	x.mu.Lock()
	x.closed = true
	cancel := x.cancel
	x.mu.Unlock()
	if cancel != nil {
		cancel()
	}
	x.wg.Wait()
	x.mu.Lock()
	defer x.mu.Unlock()
	x.closeConns()
}

// closeConns closes the peers' connections; x.mu is held.
func (x *Exchanger) closeConns() {
	for _, c := range x.conns {
		_ = c.Close()
	}
	x.conns = nil
}

func beatToPB(b Beat) *heartbeatpb.Beat {
	return &heartbeatpb.Beat{
		NodeId:            int64(b.NodeID),
		Address:           b.Address,
		SqlAddress:        b.SQLAddress,
		StartedAtUnixNano: unixNano(b.StartedAt),
		SentAtUnixNano:    unixNano(b.SentAt),
		Version:           b.Version,
	}
}

func beatFromPB(b *heartbeatpb.Beat) Beat {
	return Beat{
		NodeID:     int(b.NodeId),
		Address:    b.Address,
		SQLAddress: b.SqlAddress,
		StartedAt:  fromUnixNano(b.StartedAtUnixNano),
		SentAt:     fromUnixNano(b.SentAtUnixNano),
		Version:    b.Version,
	}
}

func unixNano(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

func fromUnixNano(ns int64) time.Time {
	if ns == 0 {
		return time.Time{}
	}
	return time.Unix(0, ns)
}
