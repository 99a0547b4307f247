package replication

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/backoff"
	"google.golang.org/grpc/credentials/insecure"
)

// Config of a Manager. The zero value of every field but NodeID and
// BufferDirectory means "use the default"; cluster config (YAML
// cluster.replication.*) fills it in one place.
type Config struct {
	// NodeID is this node's id; it is the origin of every event sent.
	NodeID int
	// BufferDirectory is the node's data directory; queues live in
	// <BufferDirectory>/localq/.
	BufferDirectory string
	// QueuesPerPeer is the number of queues (and streams) per peer, 8 by
	// default: up to that many independent sessions' events travel at once.
	QueuesPerPeer int
	// Window is the number of events a dispatcher may have sent and not yet
	// acknowledged, 64 by default.
	Window int
	// StatsInterval is the period of the per-peer statistics log line, 60 s
	// by default.
	StatsInterval time.Duration
	// StuckAfter is the wait after which an entry is reported stuck (a WARN
	// line), 30 s by default.
	StuckAfter time.Duration
	// PeerRetention is how long a peer may be absent from the active set
	// before its queues are deleted, 1 h by default.
	PeerRetention time.Duration
	// MembershipPoll is the period of ActivePeers calls, 1 s by default.
	MembershipPoll time.Duration
	// Backoff paces a dispatcher's retries, DispatchBackoff by default.
	Backoff Backoff
	// SegmentSize is the target size of one log segment file, 1 MiB by
	// default. Acknowledging rewrites the rest of the head segment, so a
	// small segment bounds that cost.
	SegmentSize int
	// Logger receives the package's lines; slog.Default() if nil.
	Logger *slog.Logger
	// Dial opens a client connection to a peer's gRPC address. The default
	// dials with DialOptions (plaintext when they are empty).
	Dial func(ctx context.Context, addr string) (*grpc.ClientConn, error)
	// DialOptions are added to the default Dial's options: the transport
	// credentials of peer TLS.
	DialOptions []grpc.DialOption
	// Authorize, if set, is asked whether the caller of a Deliver stream
	// may speak for the origin node its header names; a refusal ends the
	// stream with PermissionDenied.
	Authorize func(ctx context.Context, origin int) error
	// Now is the clock, time.Now by default; tests may replace it.
	Now func() time.Time
}

// Defaults.
const (
	DefaultQueuesPerPeer  = 8
	DefaultWindow         = 64
	DefaultStatsInterval  = 60 * time.Second
	DefaultStuckAfter     = 30 * time.Second
	DefaultPeerRetention  = time.Hour
	DefaultMembershipPoll = time.Second
	DefaultSegmentSize    = 1 << 20
)

// withDefaults returns c with every unset field set to its default.
func (c Config) withDefaults() Config {
	if c.QueuesPerPeer == 0 {
		c.QueuesPerPeer = DefaultQueuesPerPeer
	}
	if c.Window == 0 {
		c.Window = DefaultWindow
	}
	if c.StatsInterval == 0 {
		c.StatsInterval = DefaultStatsInterval
	}
	if c.StuckAfter == 0 {
		c.StuckAfter = DefaultStuckAfter
	}
	if c.PeerRetention == 0 {
		c.PeerRetention = DefaultPeerRetention
	}
	if c.MembershipPoll == 0 {
		c.MembershipPoll = DefaultMembershipPoll
	}
	if c.Backoff == (Backoff{}) {
		c.Backoff = DispatchBackoff
	}
	if c.SegmentSize == 0 {
		c.SegmentSize = DefaultSegmentSize
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.Dial == nil {
		c.Dial = defaultDial(c.Backoff, c.DialOptions)
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}

// Validate reports the first invalid setting, after defaults are applied.
func (c Config) Validate() error {
	c = c.withDefaults()
	switch {
	case c.NodeID <= 0:
		return fmt.Errorf("%w: node id %d must be positive", ErrInvalidConfig, c.NodeID)
	case c.BufferDirectory == "":
		return fmt.Errorf("%w: buffer_directory is empty", ErrInvalidConfig)
	case c.QueuesPerPeer < 1 || c.QueuesPerPeer > 1024:
		return fmt.Errorf("%w: queues_per_peer %d not in 1..1024", ErrInvalidConfig, c.QueuesPerPeer)
	case c.Window < 1:
		return fmt.Errorf("%w: window %d must be positive", ErrInvalidConfig, c.Window)
	case c.StatsInterval < 0, c.StuckAfter < 0, c.PeerRetention < 0, c.MembershipPoll < 0:
		return fmt.Errorf("%w: durations must be positive", ErrInvalidConfig)
	case c.PeerRetention < c.MembershipPoll:
		return fmt.Errorf("%w: peer_retention %v shorter than the membership poll %v", ErrInvalidConfig, c.PeerRetention, c.MembershipPoll)
	case !c.Backoff.validate():
		return fmt.Errorf("%w: backoff %+v", ErrInvalidConfig, c.Backoff)
	case c.SegmentSize < 4096:
		return fmt.Errorf("%w: segment size %d below 4096", ErrInvalidConfig, c.SegmentSize)
	}
	return nil
}

// defaultDial dials with extra after plaintext credentials (which extra
// may replace). gRPC's own reconnect backoff (1 s growing to 120 s by
// default) is aligned with the dispatch policy: a peer that returns is
// otherwise reached only minutes later, because streams on a connection
// in TRANSIENT_FAILURE fail fast until it reconnects.
func defaultDial(b Backoff, extra []grpc.DialOption) func(context.Context, string) (*grpc.ClientConn, error) {
	return func(_ context.Context, addr string) (*grpc.ClientConn, error) {
		opts := append([]grpc.DialOption{
			grpc.WithTransportCredentials(insecure.NewCredentials()),
			grpc.WithConnectParams(grpc.ConnectParams{
				Backoff: backoff.Config{
					BaseDelay: b.Initial, Multiplier: b.Multiplier, Jitter: b.Jitter, MaxDelay: b.Max,
				},
				MinConnectTimeout: 5 * time.Second,
			}),
		}, extra...)
		return grpc.NewClient(addr, opts...)
	}
}
