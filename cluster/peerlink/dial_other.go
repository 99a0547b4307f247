//go:build !linux

package peerlink

import (
	"context"
	"net"
)

// Dial connects to a peer. Only Linux sets TCP_USER_TIMEOUT; elsewhere
// a connection that died silently is noticed by the kernel's own
// retransmission timeout, which is much longer.
func Dial(ctx context.Context, addr string) (net.Conn, error) {
	var d net.Dialer
	return d.DialContext(ctx, "tcp", addr)
}
