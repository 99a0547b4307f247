package pgwire

import (
	"github.com/jackc/pgproto3/v2"
	"github.com/quorumdb/quorumdb/sql/api"
	"github.com/quorumdb/quorumdb/sql/pgerror"
)

// This file holds the write side of a connection: pgproto3's Backend
// writes every message straight to c.bw, a bufio.Writer over the socket,
// and the buffer is flushed only where the protocol waits for the client:
// ReadyForQuery, Flush, CopyInResponse, authentication requests and
// before the connection closes. A write error is sticky in c.bw; the
// first one is kept in c.writeErr so that the connection loop can tell a
// dead socket from a statement error.

// send writes one message into the output buffer.
func (c *conn) send(msg pgproto3.BackendMessage) error {
	if c.writeErr != nil {
		return c.writeErr
	}
	if err := c.be.Send(msg); err != nil {
		c.writeErr = err
		return err
	}
	return nil
}

// flush writes the output buffer to the socket.
func (c *conn) flush() error {
	if c.writeErr != nil {
		return c.writeErr
	}
	if err := c.bw.Flush(); err != nil {
		c.writeErr = err
		return err
	}
	return nil
}

// sendError sends err as an ErrorResponse (Severity from err, ERROR by
// default).
func (c *conn) sendError(err error) error {
	e := pgerror.Flatten(err)
	return c.send(errorResponse(e))
}

// readyForQuery ends a Query or a Sync: ReadyForQuery with the session's
// transaction status, then flush. Portals do not outlive their
// transaction, so outside one they are all dropped, as in PostgreSQL.
func (c *conn) readyForQuery() error {
	status := byte(api.TxnIdle)
	if c.sess != nil {
		status = byte(c.sess.TxnStatus())
	}
	if status == byte(api.TxnIdle) {
		clear(c.portals)
	}
	if err := c.send(&pgproto3.ReadyForQuery{TxStatus: status}); err != nil {
		return err
	}
	return c.flush()
}

// errorResponse converts a flattened error to its message.
func errorResponse(e *pgerror.Error) *pgproto3.ErrorResponse {
	sev := e.Severity
	if sev == "" {
		sev = "ERROR"
	}
	code := e.Code
	if code == "" {
		code = pgerror.InternalError
	}
	return &pgproto3.ErrorResponse{
		Severity:            sev,
		SeverityUnlocalized: sev,
		Code:                code,
		Message:             e.Message,
		Detail:              e.Detail,
		Hint:                e.Hint,
		Where:               e.Where,
		Position:            int32(e.Position),
		SchemaName:          e.Schema,
		TableName:           e.Table,
		ColumnName:          e.Column,
		ConstraintName:      e.Constraint,
	}
}

// fields converts result columns to RowDescription fields.
func fields(cols []api.Column) []pgproto3.FieldDescription {
	fs := make([]pgproto3.FieldDescription, len(cols))
	for i, col := range cols {
		fs[i] = pgproto3.FieldDescription{
			Name:                 []byte(col.Name),
			TableOID:             col.TableOid,
			TableAttributeNumber: uint16(col.ColumnAttNum),
			DataTypeOID:          col.TypeOid,
			DataTypeSize:         col.TypeSize,
			TypeModifier:         col.TypeModifier,
			Format:               col.Format,
		}
	}
	return fs
}

// resultWriter implements api.ResultWriter for one Query or Execute
// message. It lives on the connection goroutine, like every call into
// the session that uses it.
type resultWriter struct {
	c *conn
	// extended is set for Execute: RowDescription is Describe's job.
	extended bool
	// copyOut is set between CopyOut and Complete: Complete sends
	// CopyDone first.
	copyOut bool
	// copyIn is the reader of the current COPY FROM STDIN, if any.
	copyIn *copyInReader
}

var _ api.ResultWriter = (*resultWriter)(nil)

func (w *resultWriter) Columns(cols []api.Column) error {
	if w.extended {
		return nil
	}
	return w.c.send(&pgproto3.RowDescription{Fields: fields(cols)})
}

func (w *resultWriter) Row(values [][]byte) error {
	return w.c.send(&pgproto3.DataRow{Values: values})
}

func (w *resultWriter) Complete(tag string) error {
	if w.copyOut {
		w.copyOut = false
		if err := w.c.send(&pgproto3.CopyDone{}); err != nil {
			return err
		}
	}
	return w.c.send(&pgproto3.CommandComplete{CommandTag: []byte(tag)})
}

func (w *resultWriter) EmptyQuery() error {
	return w.c.send(&pgproto3.EmptyQueryResponse{})
}

func (w *resultWriter) Notice(n *pgerror.Error) error {
	e := *n
	if e.Severity == "" {
		e.Severity = "NOTICE"
	}
	if e.Code == "" {
		e.Code = pgerror.SuccessfulCompletion
	}
	return w.c.send((*pgproto3.NoticeResponse)(errorResponse(&e)))
}

func (w *resultWriter) ParamStatus(p api.ParamStatus) error {
	return w.c.send(&pgproto3.ParameterStatus{Name: p.Name, Value: p.Value})
}

// CopyIn and CopyOut are in copy.go.
