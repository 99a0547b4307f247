package pgwire

import (
	"io"

	"github.com/jackc/pgproto3/v2"
	"github.com/quorumdb/quorumdb/sql/api"
	"github.com/quorumdb/quorumdb/sql/pgerror"
)

// COPY sub-protocol. CopyIn answers the statement with CopyInResponse and
// hands the session a reader that pulls CopyData messages straight off
// the connection (the connection goroutine is inside the session call,
// so nothing else reads). CopyOut answers with CopyOutResponse and sends
// one CopyData per Write; Complete adds CopyDone before CommandComplete.

// copyFormats returns the overall and per-column format codes of a
// CopyInResponse or CopyOutResponse.
func copyFormats(format api.CopyFormat, columns int) (byte, []uint16) {
	var code uint16
	if format == api.CopyBinary {
		code = 1
	}
	cols := make([]uint16, columns)
	for i := range cols {
		cols[i] = code
	}
	return byte(code), cols
}

func (w *resultWriter) CopyIn(format api.CopyFormat, columns int) (api.CopyInReader, error) {
	overall, cols := copyFormats(format, columns)
	if err := w.c.send(&pgproto3.CopyInResponse{OverallFormat: overall, ColumnFormatCodes: cols}); err != nil {
		return nil, err
	}
	// The client sends nothing until it has seen CopyInResponse.
	if err := w.c.flush(); err != nil {
		return nil, err
	}
	w.copyIn = &copyInReader{c: w.c}
	return w.copyIn, nil
}

func (w *resultWriter) CopyOut(format api.CopyFormat, columns int) (api.CopyOutWriter, error) {
	overall, cols := copyFormats(format, columns)
	if err := w.c.send(&pgproto3.CopyOutResponse{OverallFormat: overall, ColumnFormatCodes: cols}); err != nil {
		return nil, err
	}
	w.copyOut = true
	return copyOutWriter{c: w.c}, nil
}

// copyOutWriter sends COPY TO STDOUT data.
type copyOutWriter struct{ c *conn }

func (w copyOutWriter) Write(data []byte) error {
	return w.c.send(&pgproto3.CopyData{Data: data})
}

// copyInReader reads COPY FROM STDIN data off the connection.
type copyInReader struct {
	c *conn
	// done is set once CopyDone, CopyFail or an error ended the copy;
	// err is what Next then keeps returning.
	done bool
	err  error
}

var _ api.CopyInReader = (*copyInReader)(nil)

// Next returns the next CopyData payload (owned by the caller: the
// connection's chunk reader never reuses returned memory), io.EOF after
// CopyDone, a 57014 error after CopyFail. Flush and Sync are ignored
// during COPY, as PostgreSQL does; any other message is an 08P01 error
// ending the COPY. A malformed message or a socket error is recorded on
// the connection, which closes once the statement returns.
func (r *copyInReader) Next() ([]byte, error) {
	if r.done {
		return nil, r.err
	}
	for {
		msg, err := r.c.receive()
		if err != nil {
			r.c.readErr = err
			return nil, r.finish(err)
		}
		switch m := msg.(type) {
		case *pgproto3.CopyData:
			return m.Data, nil
		case *pgproto3.CopyDone:
			return nil, r.finish(io.EOF)
		case *pgproto3.CopyFail:
			return nil, r.finish(pgerror.New(pgerror.QueryCanceled, "COPY from stdin failed: %s", m.Message))
		case *pgproto3.Flush, *pgproto3.Sync:
			continue
		case *pgproto3.Terminate:
			r.c.terminated = true
			r.c.readErr = io.EOF
			return nil, r.finish(io.ErrUnexpectedEOF)
		default:
			return nil, r.finish(protocolErrorf("unexpected message type %s during COPY from stdin", msgTypeName(msg)))
		}
	}
}

func (r *copyInReader) finish(err error) error {
	r.done, r.err = true, err
	return err
}

// drain consumes the rest of a COPY FROM STDIN that the session left
// unread after succeeding, so that the client's CopyDone is not taken
// for the next command. It is not called after a statement error: the
// client stops sending once it sees the ErrorResponse, and the main loop
// ignores the CopyData it sent meanwhile.
func (r *copyInReader) drain() {
	for !r.done {
		if _, err := r.Next(); err != nil {
			return
		}
	}
}
