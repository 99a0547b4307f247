package pgwire

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"errors"
	"log/slog"
	"net"
	"sync"
	"time"

	"github.com/xdg-go/scram"
)

// Server accepts PostgreSQL connections and serves each on a goroutine of
// its own, which the Server owns: Shutdown and Close stop and wait for
// them. A panic in a connection is recovered, logged with its stack and
// ends only that connection (FATAL XX000).
type Server struct {
	cfg    Config
	engine Engine
	log    *slog.Logger
	// tlsConfig is cfg.TLS with the minimum version enforced, nil without
	// TLS; binding is its certificate's tls-server-end-point channel
	// binding, unset when SCRAM-SHA-256-PLUS cannot be offered.
	tlsConfig *tls.Config
	binding   scram.ChannelBinding
	// mockSecret seeds the mock SCRAM verifiers of unknown roles
	// (password.Mock); random per server, like PostgreSQL's
	// mock_auth_nonce.
	mockSecret [32]byte

	// ctx is the parent of every connection's context; cancel is called
	// by Shutdown and Close.
	ctx    context.Context
	cancel context.CancelFunc
	// wg counts connection goroutines.
	wg sync.WaitGroup

	mu sync.Mutex
	// closed is set by Shutdown/Close: no new listener or connection.
	// Guarded by mu.
	closed bool
	// listeners are the listeners of running Serve calls, in order.
	// Guarded by mu.
	listeners []net.Listener
	// conns are all open connections (for Close). Guarded by mu.
	conns map[*conn]struct{}
	// sessions are the connections with a BackendKeyData, by pid.
	// Guarded by mu.
	sessions map[uint32]*conn
	// slotsTaken counts the connections holding a session slot
	// (slots.go). Guarded by mu.
	slotsTaken int
	// pidSeq is the last connection number used in a pid. Guarded by mu.
	pidSeq uint32
}

// NewServer returns a server of engine's sessions configured by cfg, with
// defaults for its zero fields. Serve reports an invalid cfg.
func NewServer(cfg Config, e Engine) *Server {
	cfg = cfg.withDefaults()
	ctx, cancel := context.WithCancel(context.Background())
	s := &Server{
		cfg:      cfg,
		engine:   e,
		log:      cfg.Logger.With("component", "pgwire", "node", cfg.NodeID),
		ctx:      ctx,
		cancel:   cancel,
		conns:    make(map[*conn]struct{}),
		sessions: make(map[uint32]*conn),
	}
	rand.Read(s.mockSecret[:]) // never fails (Go 1.24+)
	if cfg.TLS != nil {
		s.tlsConfig = serverTLSConfig(cfg.TLS)
		s.binding, _ = endpointBinding(cfg.TLS)
	}
	return s
}

// ListenAndServe listens on cfg.Addr and serves it (see Serve).
func (s *Server) ListenAndServe(ctx context.Context) error {
	if err := s.cfg.Validate(); err != nil {
		return err
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", s.cfg.Addr)
	if err != nil {
		return err
	}
	return s.Serve(ctx, ln)
}

// Serve accepts connections on ln until the server is stopped, and closes
// ln. Canceling ctx stops the whole server as Shutdown does; Serve then
// waits for every connection to end. It returns ErrServerClosed once
// stopped, or the listener's error.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	if err := s.cfg.Validate(); err != nil {
		_ = ln.Close()
		return err
	}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		_ = ln.Close()
		return ErrServerClosed
	}
	s.listeners = append(s.listeners, ln)
	s.mu.Unlock()
	s.log.Info("pgwire: serving", "addr", ln.Addr().String(), "auth", s.cfg.Auth, "tls", s.tlsConfig != nil, "require_tls", s.cfg.RequireTLS)

	stop := context.AfterFunc(ctx, s.stop)
	defer stop()
	var backoff time.Duration
	for {
		nc, err := ln.Accept()
		if err != nil {
			if s.isClosed() {
				if ctx.Err() != nil {
					s.wg.Wait()
				}
				return ErrServerClosed
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() || isTemporary(err) {
				// Out of file descriptors and the like: wait, as
				// net/http does.
				backoff = min(max(2*backoff, 5*time.Millisecond), time.Second)
				s.log.Warn("pgwire: accept error, retrying", "err", err, "backoff", backoff)
				select {
				case <-time.After(backoff):
				case <-s.ctx.Done():
				}
				continue
			}
			s.stopListener(ln)
			return err
		}
		backoff = 0
		s.serveConn(nc)
	}
}

// isTemporary reports accept errors worth retrying.
func isTemporary(err error) bool {
	var t interface{ Temporary() bool }
	return errors.As(err, &t) && t.Temporary()
}

// serveConn starts the goroutine of connection nc, unless the server is
// stopped.
func (s *Server) serveConn(nc net.Conn) {
	c := newConn(s, nc)
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		_ = nc.Close()
		return
	}
	if len(s.conns) >= 2*s.cfg.MaxConnections {
		s.mu.Unlock()
		s.log.Warn("pgwire: too many connections, closing a new one before its startup", "open", 2*s.cfg.MaxConnections)
		_ = nc.Close()
		return
	}
	s.conns[c] = struct{}{}
	s.wg.Add(1)
	s.mu.Unlock()
	go func() {
		defer s.wg.Done()
		c.serve(s.ctx)
	}()
}

// forget removes an ending connection from the server's maps.
func (s *Server) forget(c *conn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.conns, c)
	if c.pid != 0 && s.sessions[c.pid] == c {
		delete(s.sessions, c.pid)
	}
}

// Addr returns the address of the first listener being served, nil
// before Serve.
func (s *Server) Addr() net.Addr {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.listeners) == 0 {
		return nil
	}
	return s.listeners[0].Addr()
}

func (s *Server) isClosed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed
}

// stop closes the listeners and cancels every connection: a running
// statement is canceled (57014) and each connection then ends with
// FATAL 57P01. It does not wait.
func (s *Server) stop() {
	s.mu.Lock()
	if !s.closed {
		s.closed = true
		for _, ln := range s.listeners {
			_ = ln.Close()
		}
		s.listeners = nil
	}
	s.mu.Unlock()
	s.cancel()
}

// stopListener forgets a listener that failed.
func (s *Server) stopListener(ln net.Listener) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, l := range s.listeners {
		if l == ln {
			s.listeners = append(s.listeners[:i], s.listeners[i+1:]...)
			break
		}
	}
	_ = ln.Close()
}

// Shutdown stops accepting connections, cancels every session (running
// statements get 57014, then each connection ends with FATAL 57P01) and
// waits for the connection goroutines to end. If ctx ends first, the
// remaining sockets are closed and ctx's error returned.
func (s *Server) Shutdown(ctx context.Context) error {
	s.stop()
	done := make(chan struct{})
	go func() {
		s.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		s.closeConns()
		return ctx.Err()
	}
}

// Close stops the server at once: listeners and sockets are closed, and
// Close waits for the connection goroutines to end.
func (s *Server) Close() error {
	s.stop()
	s.closeConns()
	s.wg.Wait()
	return nil
}

// closeConns closes every open socket.
func (s *Server) closeConns() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.conns {
		_ = c.nc.Close()
	}
}
