package pgwire

import (
	"encoding/binary"
	"testing"

	"github.com/jackc/pgproto3/v2"
)

// message frames body as a message of type typ.
func message(typ byte, body ...byte) []byte {
	b := binary.BigEndian.AppendUint32([]byte{typ}, uint32(4+len(body)))
	return append(b, body...)
}

// TestMalformedMessage: a bad message ends its connection with FATAL
// 08P01; the server and the other sessions go on.
func TestMalformedMessage(t *testing.T) {
	s := startServer(t, Config{MaxMessageSize: 1 << 20})
	other := s.connect(t)
	for _, tc := range []struct {
		name  string
		bytes []byte
		want  string
	}{
		{"unknown type", message('z', 1, 2, 3), "ErrorResponse FATAL 08P01 invalid frontend message"},
		{"short length", []byte{'Q', 0, 0, 0, 2}, "ErrorResponse FATAL 08P01 invalid frontend message"},
		{"unterminated query", message('Q', 's', 'e', 'l'), "ErrorResponse FATAL 08P01 invalid frontend message"},
		// pgproto3 panics decoding a parameter length below -1.
		{"bind negative length", message('B', 0, 0, 0, 0, 0, 1, 0xff, 0xff, 0xff, 0xfe, 0, 0), "ErrorResponse FATAL 08P01 invalid frontend message"},
		{"bind truncated", message('B', 0, 0, 0, 0, 0, 1, 0, 0, 0, 9, 'x'), "ErrorResponse FATAL 08P01 invalid frontend message"},
		{"password after startup", message('p', 'x', 0), "ErrorResponse FATAL 08P01 unexpected message type PasswordMessage"},
		{"oversized", []byte{'Q', 0, 0x10, 0, 5}, "ErrorResponse FATAL 08P01 message length 1048577 exceeds the maximum message size 1048576"},
		{"huge", []byte{'d', 0x7f, 0xff, 0xff, 0xff}, "ErrorResponse FATAL 08P01 message length 2147483643 exceeds the maximum message size 1048576"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := s.startRaw(t)
			c.write(tc.bytes)
			equalTrace(t, c.expectClosed(), tc.want)
			var n int
			if err := other.QueryRow(testCtx(t), "select 8").Scan(&n); err != nil || n != 8 {
				t.Fatalf("other connection: %d, %v", n, err)
			}
		})
	}
	if got, want := s.engine.closed.Load(), s.engine.opened.Load()-1; got != want {
		t.Errorf("%d sessions closed, want %d", got, want)
	}
}

// TestOversizedDefault: the default limit is 64 MiB; a message just
// under it is read, one over it is refused before its body arrives.
func TestOversizedDefault(t *testing.T) {
	s := startServer(t, Config{})
	c := s.startRaw(t)
	big := make([]byte, 64<<20-100)
	for i := range big {
		big[i] = 'x'
	}
	c.send(&pgproto3.CopyData{Data: big}, &pgproto3.Query{String: "select 1"})
	equalTrace(t, c.untilReady(), "RowDescription ?column?:23/0", `DataRow "1"`, "CommandComplete SELECT 1", "ReadyForQuery I")
	c.write(binary.BigEndian.AppendUint32([]byte{'d'}, 64<<20+5))
	equalTrace(t, c.expectClosed(), "ErrorResponse FATAL 08P01 message length 67108865 exceeds the maximum message size 67108864")
}
