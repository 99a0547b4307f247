package pgwire

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"log/slog"
	"net"
	"runtime/debug"
	"sync"
	"time"

	"github.com/jackc/pgproto3/v2"
	"github.com/quorumdb/quorumdb/sql/api"
	"github.com/quorumdb/quorumdb/sql/pgencoding"
	"github.com/quorumdb/quorumdb/sql/pgerror"
)

// Timeouts of a connection's life outside statements.
var (
	// startupTimeout bounds startup and authentication (PostgreSQL's
	// authentication_timeout).
	startupTimeout = 60 * time.Second
	// farewellTimeout bounds the final FATAL write and the drain of the
	// client's unread input before the socket closes.
	farewellTimeout = 250 * time.Millisecond
)

// conn is one client connection. Every field without a comment naming a
// mutex is owned by the connection goroutine (serve).
type conn struct {
	srv *Server
	// nc is the socket; tls, once the client asked for TLS, the TLS
	// session on it, through which everything is read and written.
	nc  net.Conn
	tls *tls.Conn
	log *slog.Logger

	fr *frameReader
	bw *bufio.Writer
	be *pgproto3.Backend

	// pid and secret are the BackendKeyData; pid is 0 until assigned.
	pid, secret uint32
	sess        Session
	// hasSlot is set while the connection holds a session slot
	// (slots.go). Guarded by srv.mu.
	hasSlot bool

	portals map[string]*api.Portal
	// ignoreTillSync is set by an error in extended mode: messages are
	// discarded until Sync.
	ignoreTillSync bool

	// writeErr is the first socket write error; readErr the error that
	// ended reading inside a COPY (socket error or FATAL protocol error).
	writeErr, readErr error
	// terminated is set when the client sent Terminate.
	terminated bool
	// linger is set after a final FATAL: release drains the socket
	// before closing it (see lingerClose).
	linger bool

	mu sync.Mutex
	// stmtCancel cancels the running statement; nil between statements.
	// Guarded by mu (CancelRequest calls it from another goroutine).
	stmtCancel context.CancelFunc
}

func newConn(s *Server, nc net.Conn) *conn {
	c := &conn{
		srv:     s,
		nc:      nc,
		log:     s.log.With("remote", nc.RemoteAddr().String()),
		bw:      bufio.NewWriterSize(nc, 16<<10),
		portals: make(map[string]*api.Portal),
	}
	c.fr = &frameReader{cr: startReader{nc}, max: s.cfg.MaxMessageSize}
	c.be = pgproto3.NewBackend(c.fr, c.bw)
	return c
}

// serve runs the connection until it ends, then releases everything:
// the session, the cancel key and the socket. ctx is the server's
// context; its cancellation ends the connection with FATAL 57P01.
func (c *conn) serve(ctx context.Context) {
	// Shutdown wakes a goroutine blocked reading the socket; the running
	// statement, if any, sees ctx itself and its error is still written.
	// (A client that does not read is cut off by Shutdown's deadline or
	// Close, which close the socket.)
	stop := context.AfterFunc(ctx, func() { _ = c.nc.SetReadDeadline(time.Now()) })
	defer stop()
	defer c.release()
	defer func() {
		if r := recover(); r != nil {
			c.log.Error("pgwire: panic in connection, closing it", "panic", r, "stack", string(debug.Stack()))
			c.fatal(fatalf(pgerror.InternalError, "internal error: %v", r))
		}
	}()

	if !c.startup(ctx) {
		return
	}
	err := c.loop(ctx)
	var pe *pgerror.Error
	switch {
	case errors.As(err, &pe):
		c.log.Info("pgwire: closing connection after protocol error", "pid", c.pid, "code", pe.Code, "err", pe.Message)
		c.fatal(pe)
	case ctx.Err() != nil:
		c.fatal(fatalf(pgerror.AdminShutdown, "terminating connection due to administrator command"))
	case err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, net.ErrClosed):
		c.log.Debug("pgwire: connection ended", "pid", c.pid, "err", err)
	}
}

// loop reads and handles messages until Terminate (nil), a socket error,
// server shutdown or a FATAL *pgerror.Error, which it returns.
func (c *conn) loop(ctx context.Context) error {
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		if c.readErr != nil {
			return c.readErr
		}
		if c.writeErr != nil {
			return c.writeErr
		}
		if c.terminated {
			return nil
		}
		msg, err := c.receive()
		if err != nil {
			return err
		}
		if c.ignoreTillSync {
			switch msg.(type) {
			case *pgproto3.Sync, *pgproto3.Terminate:
			default:
				continue
			}
		}
		if err := c.handle(ctx, msg); err != nil {
			return err
		}
	}
}

// handle dispatches one message. It returns an error only when the
// connection must end.
func (c *conn) handle(ctx context.Context, msg pgproto3.FrontendMessage) error {
	switch m := msg.(type) {
	case *pgproto3.Query:
		return c.handleQuery(ctx, m.String)
	case *pgproto3.Parse:
		return c.extended(c.handleParse(ctx, m))
	case *pgproto3.Bind:
		return c.extended(c.handleBind(ctx, m))
	case *pgproto3.Describe:
		return c.extended(c.handleDescribe(m))
	case *pgproto3.Execute:
		return c.extended(c.handleExecute(ctx, m))
	case *pgproto3.Close:
		return c.extended(c.handleClose(m))
	case *pgproto3.Sync:
		return c.handleSync(ctx)
	case *pgproto3.Flush:
		return c.flush()
	case *pgproto3.Terminate:
		c.terminated = true
		return nil
	case *pgproto3.CopyData, *pgproto3.CopyDone, *pgproto3.CopyFail:
		// Left over from a COPY that failed: PostgreSQL ignores them.
		return nil
	case *pgproto3.FunctionCall:
		if err := c.sendError(pgerror.New(pgerror.FeatureNotSupported, "fastpath function calls are not supported")); err != nil {
			return err
		}
		return c.readyForQuery()
	default:
		return fatalf(pgerror.ProtocolViolation, "unexpected message type %s", msgTypeName(msg))
	}
}

// handleQuery runs a simple-protocol Query message.
func (c *conn) handleQuery(ctx context.Context, query string) error {
	w := &resultWriter{c: c}
	var err error
	if bad := pgencoding.CheckUTF8String(query); bad != nil {
		err = bad
	} else {
		err = c.runStmt(ctx, func(ctx context.Context) error {
			return c.sess.ExecSimple(ctx, query, w)
		})
	}
	if dead := c.connErr(); dead != nil {
		return dead
	}
	if err != nil {
		if err := c.sendError(err); err != nil {
			return err
		}
	} else if w.copyIn != nil {
		w.copyIn.drain()
		if dead := c.connErr(); dead != nil {
			return dead
		}
	}
	return c.readyForQuery()
}

// connErr returns the error that ended the connection during a session
// call (a socket error, or a FATAL protocol error inside COPY).
func (c *conn) connErr() error {
	if c.readErr != nil {
		return c.readErr
	}
	return c.writeErr
}

// runStmt calls f with a context that a CancelRequest for this
// connection cancels.
func (c *conn) runStmt(ctx context.Context, f func(ctx context.Context) error) error {
	ctx, cancel := context.WithCancel(ctx)
	c.mu.Lock()
	c.stmtCancel = cancel
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		c.stmtCancel = nil
		c.mu.Unlock()
		cancel()
	}()
	return f(ctx)
}

// cancelStatement cancels the running statement, if any. Called by the
// goroutine of a CancelRequest connection.
func (c *conn) cancelStatement() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stmtCancel == nil {
		return false
	}
	c.stmtCancel()
	return true
}

// fatal sends e (severity FATAL) as the connection's last message; the
// caller then returns from serve. Errors are ignored: the connection is
// closing anyway.
func (c *conn) fatal(e *pgerror.Error) {
	// The slot is given back before the client can read the FATAL: a
	// client refused (a full node, a failed login) may retry at once and
	// must find the slot free, not still held by this ending connection.
	c.srv.releaseSlot(c)
	if c.writeErr != nil {
		return
	}
	e.Severity = "FATAL"
	_ = c.nc.SetWriteDeadline(time.Now().Add(farewellTimeout))
	_ = c.send(errorResponse(e))
	_ = c.flush()
	c.linger = true
}

// lingerClose half-closes a TCP connection and reads what the client
// still sends for a moment before closing, so that the kernel does not
// answer unread input with a reset that would discard our last message
// before the client reads it.
func (c *conn) lingerClose() {
	if c.tls != nil {
		// close_notify first: the client then reads a clean end of the
		// TLS stream after our last message, not a truncation.
		_ = c.tls.CloseWrite()
	}
	hc, ok := c.nc.(interface{ CloseWrite() error })
	if !ok || hc.CloseWrite() != nil {
		return
	}
	_ = c.nc.SetReadDeadline(time.Now().Add(farewellTimeout))
	_, _ = io.CopyN(io.Discard, c.nc, 1<<20)
}

// release ends the connection: it closes the session and the socket and
// forgets the cancel key. It runs once, when serve returns.
func (c *conn) release() {
	c.srv.forget(c)
	c.srv.releaseSlot(c)
	if c.sess != nil {
		func() {
			defer func() {
				if r := recover(); r != nil {
					c.log.Error("pgwire: panic in Session.Close", "panic", r, "stack", string(debug.Stack()))
				}
			}()
			c.sess.Close()
		}()
	}
	if c.linger {
		c.lingerClose()
	}
	_ = c.nc.Close()
}
