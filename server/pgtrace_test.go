package server

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
)

// pgTrace is a loopback proxy in front of a server that watches the
// PostgreSQL protocol go by: it remembers the last statement each client
// connection sent (a simple Query, or the text of the prepared statement
// a Parse or Bind names) and, for every ErrorResponse the server returns,
// that statement with the error's SQLSTATE and message. The framework
// tests print the list when a program's output differs from
// PostgreSQL's, so a failure names the SQL the framework sent. Bytes are
// forwarded unchanged; a connection that negotiates TLS is forwarded
// without being watched.
//
// The statement is the last one sent before the error arrived: exact for
// clients that wait for each result (psycopg2, node-postgres), an
// approximation for pipelined batches.
type pgTrace struct {
	ln     net.Listener
	target string
	wg     sync.WaitGroup

	mu     sync.Mutex   // guards the fields below
	errs   []traceError // every ErrorResponse seen, in order
	conns  map[net.Conn]bool
	closed bool
}

type traceError struct {
	Statement, Code, Message string
}

func (e traceError) String() string {
	return fmt.Sprintf("%s %s\n    %s", e.Code, e.Message, oneLine(e.Statement))
}

// oneLine folds a statement's whitespace so that it prints on one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// startTrace listens on a free loopback port and forwards each
// connection to target; it stops when the test ends.
func startTrace(t *testing.T, target string) *pgTrace {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &pgTrace{ln: ln, target: target, conns: map[net.Conn]bool{}}
	p.wg.Add(1)
	go p.accept()
	t.Cleanup(p.close)
	return p
}

func (p *pgTrace) addr() string { return p.ln.Addr().String() }

// takeErrors returns the errors seen so far and forgets them.
func (p *pgTrace) takeErrors() []traceError {
	p.mu.Lock()
	defer p.mu.Unlock()
	errs := p.errs
	p.errs = nil
	return errs
}

func (p *pgTrace) close() {
	p.mu.Lock()
	p.closed = true
	for c := range p.conns {
		c.Close()
	}
	p.mu.Unlock()
	p.ln.Close()
	p.wg.Wait()
}

// track registers c to be closed by close; false when already closed.
func (p *pgTrace) track(c net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		c.Close()
		return false
	}
	p.conns[c] = true
	return true
}

func (p *pgTrace) accept() {
	defer p.wg.Done()
	for {
		client, err := p.ln.Accept()
		if err != nil {
			return
		}
		server, err := net.Dial("tcp", p.target)
		if err != nil {
			client.Close()
			continue
		}
		if !p.track(client) || !p.track(server) {
			client.Close()
			server.Close()
			return
		}
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			p.serve(client, server)
		}()
	}
}

// Protocol codes of the untyped first messages.
const (
	traceSSLRequest    = 80877103
	traceGSSENCRequest = 80877104
)

// serve forwards one connection: the untyped startup exchange first,
// then typed messages in both directions.
func (p *pgTrace) serve(client, server net.Conn) {
	defer func() {
		client.Close()
		server.Close()
		p.mu.Lock()
		delete(p.conns, client)
		delete(p.conns, server)
		p.mu.Unlock()
	}()
	watch := true
	for {
		msg, err := readUntyped(client)
		if err != nil {
			return
		}
		if _, err := server.Write(msg); err != nil {
			return
		}
		code := binary.BigEndian.Uint32(msg[4:8])
		if code != traceSSLRequest && code != traceGSSENCRequest {
			break // StartupMessage or CancelRequest
		}
		var answer [1]byte
		if _, err := io.ReadFull(server, answer[:]); err != nil {
			return
		}
		if _, err := client.Write(answer[:]); err != nil {
			return
		}
		if answer[0] == 'S' || answer[0] == 'G' {
			watch = false // encrypted from here on
			break
		}
	}
	if !watch {
		go io.Copy(client, server)
		io.Copy(server, client)
		return
	}
	var mu sync.Mutex // guards last and prepared
	var last string
	prepared := map[string]string{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		in, out := bufio.NewReader(server), bufio.NewWriter(client)
		for {
			typ, body, err := readTyped(in)
			if err != nil {
				client.Close()
				return
			}
			if typ == 'E' {
				e := parseErrorFields(body)
				mu.Lock()
				e.Statement = last
				mu.Unlock()
				p.mu.Lock()
				p.errs = append(p.errs, e)
				p.mu.Unlock()
			}
			if err := writeTyped(out, in, typ, body); err != nil {
				server.Close()
				return
			}
		}
	}()
	in, out := bufio.NewReader(client), bufio.NewWriter(server)
	for {
		typ, body, err := readTyped(in)
		if err != nil {
			server.Close()
			break
		}
		mu.Lock()
		switch typ {
		case 'Q':
			last = cstring(body)
		case 'P': // Parse: statement name, query
			name := cstring(body)
			query := cstring(body[len(name)+1:])
			prepared[name] = query
			last = query
		case 'B': // Bind: portal name, statement name
			portal := cstring(body)
			last = prepared[cstring(body[len(portal)+1:])]
		}
		mu.Unlock()
		if err := writeTyped(out, in, typ, body); err != nil {
			client.Close()
			break
		}
	}
	<-done
}

func readUntyped(r io.Reader) ([]byte, error) {
	var hdr [4]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return nil, err
	}
	n := binary.BigEndian.Uint32(hdr[:])
	if n < 8 || n > 1<<20 {
		return nil, errors.New("pgtrace: bad startup message length")
	}
	msg := make([]byte, n)
	copy(msg, hdr[:])
	_, err := io.ReadFull(r, msg[4:])
	return msg, err
}

func readTyped(r io.Reader) (byte, []byte, error) {
	var hdr [5]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return 0, nil, err
	}
	n := binary.BigEndian.Uint32(hdr[1:])
	if n < 4 {
		return 0, nil, errors.New("pgtrace: bad message length")
	}
	body := make([]byte, n-4)
	_, err := io.ReadFull(r, body)
	return hdr[0], body, err
}

// writeTyped writes a message to w and flushes it when nothing more is
// waiting on in, the other side's reader: messages that arrive together
// leave together.
func writeTyped(w *bufio.Writer, in *bufio.Reader, typ byte, body []byte) error {
	var hdr [5]byte
	hdr[0] = typ
	binary.BigEndian.PutUint32(hdr[1:], uint32(len(body)+4))
	w.Write(hdr[:])
	w.Write(body)
	if in.Buffered() > 0 {
		return nil
	}
	return w.Flush()
}

// cstring returns b up to its first NUL.
func cstring(b []byte) string {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		return string(b[:i])
	}
	return string(b)
}

// parseErrorFields reads an ErrorResponse body: fields of a one-byte code
// and a NUL-terminated value, ended by a zero byte.
func parseErrorFields(b []byte) traceError {
	var e traceError
	for len(b) > 0 && b[0] != 0 {
		code := b[0]
		v := cstring(b[1:])
		b = b[min(len(b), 2+len(v)):]
		switch code {
		case 'C':
			e.Code = v
		case 'M':
			e.Message = v
		}
	}
	return e
}
