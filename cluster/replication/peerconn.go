package replication

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"google.golang.org/grpc"
)

// errNoAddress is returned by peerConn.get while the peer's address is
// unknown (queues recovered from disk before the peer was observed).
var errNoAddress = errors.New("replication: peer address unknown")

// peerConn is the client connection to one peer, shared by that peer's
// dispatchers: each has its own stream, multiplexed on one HTTP/2
// connection. It is dialed lazily and replaced when the address changes.
type peerConn struct {
	id   int
	dial func(ctx context.Context, addr string) (*grpc.ClientConn, error)

	mu      sync.Mutex
	addr    string           // guarded by mu
	conn    *grpc.ClientConn // guarded by mu; nil until dialed
	changed chan struct{}    // guarded by mu; closed when addr changes
	closed  bool             // guarded by mu
}

func newPeerConn(id int, addr string, dial func(context.Context, string) (*grpc.ClientConn, error)) *peerConn {
	return &peerConn{id: id, addr: addr, dial: dial, changed: make(chan struct{})}
}

// get returns the connection, dialing it if needed, and a channel closed
// when the address changes (streams on the old connection then end).
func (p *peerConn) get(ctx context.Context) (*grpc.ClientConn, string, <-chan struct{}, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return nil, "", nil, ErrClosed
	}
	if p.addr == "" {
		return nil, "", p.changed, errNoAddress
	}
	if p.conn == nil {
		c, err := p.dial(ctx, p.addr)
		if err != nil {
			return nil, p.addr, p.changed, fmt.Errorf("replication: dial peer %d at %s: %w", p.id, p.addr, err)
		}
		p.conn = c
	}
	return p.conn, p.addr, p.changed, nil
}

// address returns the current address and the change channel.
func (p *peerConn) address() (string, <-chan struct{}) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.addr, p.changed
}

// setAddress points the peer at addr, closing the old connection.
func (p *peerConn) setAddress(addr string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if addr == p.addr {
		return
	}
	p.addr = addr
	if p.conn != nil {
		_ = p.conn.Close()
		p.conn = nil
	}
	close(p.changed)
	p.changed = make(chan struct{})
}

func (p *peerConn) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closed = true
	if p.conn != nil {
		_ = p.conn.Close()
		p.conn = nil
	}
}
