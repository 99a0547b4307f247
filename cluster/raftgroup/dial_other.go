//go:build !linux

package raftgroup

import (
	"context"
	"net"
)

// dialPeer connects to a peer. Only Linux sets TCP_USER_TIMEOUT; elsewhere
// a connection that died silently is noticed by the kernel's own
// retransmission timeout, which is much longer.
func dialPeer(ctx context.Context, addr string) (net.Conn, error) {
	var d net.Dialer
	return d.DialContext(ctx, "tcp", addr)
}
