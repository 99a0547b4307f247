package pgwire

import (
	"context"
	"encoding/binary"
	"errors"
	"time"

	"github.com/jackc/pgproto3/v2"
	"github.com/quorumdb/quorumdb/sql/api"
	"github.com/quorumdb/quorumdb/sql/pgerror"
)

// Startup: from the first byte to the first ReadyForQuery.
//
//	[SSLRequest → 'S' + TLS handshake, or 'N'] [GSSENCRequest → 'N']
//	StartupMessage
//	→ authentication (auth.go) → AuthenticationOk → Engine.Connect
//	→ ParameterStatus* → NoticeResponse* → BackendKeyData → ReadyForQuery
//
// A CancelRequest instead of a StartupMessage is handled (cancel.go) and
// the connection closed without an answer, as PostgreSQL does.

// protocolVersion30 is the only protocol version served.
const protocolVersion30 = 3<<16 | 0

// maxNegotiations bounds the SSLRequest/GSSENCRequest exchanges before the
// StartupMessage (a client may try each once).
const maxNegotiations = 2

// startup runs the startup phase; it returns false when the connection
// must close (after a FATAL error, a cancel request or a client leaving).
func (c *conn) startup(ctx context.Context) bool {
	_ = c.nc.SetDeadline(time.Now().Add(startupTimeout))
	if ctx.Err() != nil {
		return false // shut down before we started
	}
	msg, err := c.receiveStartup(ctx)
	if err != nil {
		var pe *pgerror.Error
		if errors.As(err, &pe) {
			c.log.Info("pgwire: bad startup packet", "code", pe.Code, "err", pe.Message)
			c.fatal(pe)
		}
		return false
	}
	switch m := msg.(type) {
	case *pgproto3.CancelRequest:
		c.srv.cancelRequest(m.ProcessID, m.SecretKey)
		return false
	case *pgproto3.StartupMessage:
		if e := c.open(ctx, m.Parameters); e != nil {
			c.log.Info("pgwire: connection refused", "code", e.Code, "err", e.Message)
			c.fatal(e)
			return false
		}
	default:
		c.fatal(fatalf(pgerror.ProtocolViolation, "unexpected startup message %s", msgTypeName(msg)))
		return false
	}
	// Startup is over: read ahead again (see startReader).
	if c.tls != nil {
		c.fr.cr = pgproto3.NewChunkReader(c.tls)
	} else {
		c.fr.cr = pgproto3.NewChunkReader(c.nc)
	}
	// From here on only server shutdown sets a deadline. If it did so
	// already, the loop sees ctx canceled before reading.
	_ = c.nc.SetWriteDeadline(time.Time{})
	if ctx.Err() == nil {
		_ = c.nc.SetReadDeadline(time.Time{})
	}
	return true
}

// receiveStartup reads the first message, answering SSLRequest (with 'S'
// and a TLS handshake when TLS is configured, else 'N') and
// GSSENCRequest ('N': no GSS encryption) on the way.
func (c *conn) receiveStartup(ctx context.Context) (pgproto3.FrontendMessage, error) {
	for i := 0; ; i++ {
		c.fr.chunks = 0
		msg, err := c.be.ReceiveStartupMessage()
		if err != nil {
			// The packet's body was read (length, then body): was it a
			// version we do not speak, or garbage?
			if c.fr.ioErr == nil && c.fr.chunks == 2 {
				if v := binary.BigEndian.Uint32(c.fr.last); v>>16 != 1234 && v != protocolVersion30 {
					return nil, fatalf(pgerror.FeatureNotSupported,
						"unsupported frontend protocol %d.%d: server supports 3.0 to 3.0", v>>16, v&0xffff)
				}
			}
			return nil, c.fr.classify(err, "invalid startup packet")
		}
		switch msg.(type) {
		case *pgproto3.SSLRequest, *pgproto3.GSSEncRequest:
			if i >= maxNegotiations {
				return nil, fatalf(pgerror.ProtocolViolation, "too many encryption requests")
			}
			if _, ssl := msg.(*pgproto3.SSLRequest); ssl && c.srv.tlsConfig != nil {
				if c.tls != nil {
					return nil, fatalf(pgerror.ProtocolViolation, "SSLRequest inside an encrypted connection")
				}
				if err := c.startTLS(ctx); err != nil {
					c.log.Info("pgwire: could not accept SSL connection", "err", err)
					return nil, err
				}
				continue
			}
			// The answer is a single byte, not a message.
			if err := c.bw.WriteByte('N'); err != nil {
				return nil, err
			}
			if err := c.flush(); err != nil {
				return nil, err
			}
		default:
			return msg, nil
		}
	}
}

// open authenticates the client, opens its session and sends the
// messages that end startup. A non-nil result is the FATAL error to send.
func (c *conn) open(ctx context.Context, params map[string]string) *pgerror.Error {
	user := params["user"]
	if user == "" {
		return fatalf(pgerror.InvalidAuthorizationSpecification, "no PostgreSQL user name specified in startup packet")
	}
	cp := api.ConnParams{
		User:       user,
		Database:   params["database"],
		Options:    make(map[string]string),
		RemoteAddr: c.nc.RemoteAddr().String(),
	}
	if cp.Database == "" {
		cp.Database = user
	}
	if c.tls == nil && c.srv.cfg.RequireTLS {
		return c.encryptionRefused(user, cp.Database)
	}
	cp.TLS = c.tlsState()
	for k, v := range params {
		if k != "user" && k != "database" {
			cp.Options[k] = v
		}
	}
	reserved, refused := c.srv.takeSlot(c)
	if refused != nil {
		return refused
	}
	cp.ReservedSlot = reserved
	if e := c.authenticate(ctx, user); e != nil {
		return e
	}
	if err := c.send(&pgproto3.AuthenticationOk{}); err != nil {
		return nil // the client is gone; nothing to tell it
	}
	c.srv.newKey(c)
	cp.BackendPID = int32(c.pid)
	c.log = c.log.With("pid", c.pid, "user", user)
	sess, err := c.srv.engine.Connect(ctx, cp)
	if err != nil {
		return asFatal(err)
	}
	c.sess = sess
	for _, p := range sess.InitialParamStatus() {
		if err := c.send(&pgproto3.ParameterStatus{Name: p.Name, Value: p.Value}); err != nil {
			return nil
		}
	}
	for _, n := range sess.StartupNotices() {
		if err := c.send((*pgproto3.NoticeResponse)(errorResponse(n))); err != nil {
			return nil
		}
	}
	if err := c.send(&pgproto3.BackendKeyData{ProcessID: c.pid, SecretKey: c.secret}); err != nil {
		return nil
	}
	c.log.Debug("pgwire: session opened", "database", cp.Database)
	_ = c.readyForQuery()
	return nil
}
