package pgwire

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/jackc/pgproto3/v2"
	"github.com/quorumdb/quorumdb/sql/pgerror"
)

// frameReader is the pgproto3.ChunkReader under a connection's Backend.
// pgproto3 v2 has no limit on a message's length, so frameReader refuses
// a chunk longer than max before anything is allocated for it: the
// Backend asks for a message's body in one Next call right after reading
// its 5-byte header. It also remembers the last chunk and the last I/O
// error so that conn can tell a broken socket from a bad message.
// Owned by the connection goroutine.
type frameReader struct {
	cr  pgproto3.ChunkReader
	max int

	last     []byte // the last chunk returned
	chunks   int    // chunks returned since the counter was reset
	ioErr    error  // the error of the underlying reader, if any
	tooLarge int    // the refused length, if any
}

func (r *frameReader) Next(n int) ([]byte, error) {
	if n > r.max {
		r.tooLarge = n
		return nil, errTooLarge
	}
	buf, err := r.cr.Next(n)
	if err != nil {
		r.ioErr = err
		return nil, err
	}
	r.last = buf
	r.chunks++
	return buf, nil
}

// errTooLarge is frameReader's refusal; receive turns it into 08P01.
var errTooLarge = errors.New("pgwire: message too large")

// receive reads the next frontend message. An error is either a
// *pgerror.Error with Severity FATAL (a protocol violation: the
// connection must end after it is sent) or the socket's own error (the
// client is gone or the server is shutting down). The message is valid
// until the next receive.
func (c *conn) receive() (msg pgproto3.FrontendMessage, err error) {
	defer func() {
		// pgproto3's decoders trust some length fields (a Bind parameter
		// length below -1 panics); a panic while decoding is a malformed
		// message, not a bug of ours.
		if r := recover(); r != nil {
			msg, err = nil, fatalf(pgerror.ProtocolViolation, "invalid frontend message").WithDetail("%v", r)
		}
	}()
	msg, err = c.be.Receive()
	if err == nil {
		return msg, nil
	}
	return nil, c.fr.classify(err, "invalid frontend message")
}

// classify maps an error of Backend.Receive/ReceiveStartupMessage to the
// socket error (returned as is) or a FATAL 08P01 *pgerror.Error with
// message what and pgproto3's explanation as detail.
func (r *frameReader) classify(err error, what string) error {
	switch {
	case r.tooLarge > 0:
		return fatalf(pgerror.ProtocolViolation, "message length %d exceeds the maximum message size %d", r.tooLarge, r.max)
	case r.ioErr != nil:
		if errors.Is(r.ioErr, io.ErrUnexpectedEOF) {
			// The client closed mid-message.
			return io.EOF
		}
		return r.ioErr
	default:
		return fatalf(pgerror.ProtocolViolation, "%s", what).WithDetail("%v", err)
	}
}

// fatalf returns a FATAL error with the given SQLSTATE.
func fatalf(code, format string, args ...any) *pgerror.Error {
	e := pgerror.New(code, format, args...)
	e.Severity = "FATAL"
	return e
}

// asFatal returns err flattened, with severity FATAL.
func asFatal(err error) *pgerror.Error {
	e := pgerror.Flatten(err)
	e.Severity = "FATAL"
	return e
}

// protocolErrorf returns a non-fatal 08P01 error: the statement fails,
// the connection goes on (PostgreSQL's ERROR for a bad Bind or Describe).
func protocolErrorf(format string, args ...any) *pgerror.Error {
	return pgerror.New(pgerror.ProtocolViolation, format, args...)
}

// msgTypeName names a message in errors and logs.
func msgTypeName(msg pgproto3.FrontendMessage) string {
	return strings.TrimPrefix(fmt.Sprintf("%T", msg), "*pgproto3.")
}
