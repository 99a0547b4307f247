package peerlink

import (
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/backoff"
	"google.golang.org/grpc/credentials/insecure"
)

const (
	// BackoffInitial and BackoffMax bound the reconnect backoff after a
	// stream to a peer failed.
	BackoffInitial = 50 * time.Millisecond
	BackoffMax     = time.Second
	// UserTimeout is the TCP_USER_TIMEOUT of the connections to peers:
	// data unacknowledged for this long means the network (not the peer
	// process, whose kernel acknowledges even when it is paused) is
	// gone, and the connection is dropped so that a new one is tried.
	UserTimeout = 2 * time.Second
	// ConnectTimeout bounds one connection attempt: an attempt begun
	// while the network was cut (its SYNs retransmitted seconds apart)
	// does not hold the peer unreachable long after it returned.
	ConnectTimeout = time.Second
)

// DialOptions returns the gRPC options a transport dials its peers
// with: Dial as the dialer, gRPC's own reconnect backoff kept within
// BackoffInitial..BackoffMax, then extra (credentials; plaintext when
// extra is empty).
func DialOptions(extra ...grpc.DialOption) []grpc.DialOption {
	if len(extra) == 0 {
		extra = []grpc.DialOption{grpc.WithTransportCredentials(insecure.NewCredentials())}
	}
	return append([]grpc.DialOption{
		grpc.WithContextDialer(Dial),
		grpc.WithConnectParams(grpc.ConnectParams{
			Backoff:           backoff.Config{BaseDelay: BackoffInitial, Multiplier: 2, Jitter: 0.2, MaxDelay: BackoffMax},
			MinConnectTimeout: ConnectTimeout,
		}),
	}, extra...)
}
