package remote

import (
	"context"
	"errors"
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/quorumdb/quorumdb/kv"
)

// freezingProxy forwards TCP connections to a server until froze, after
// which it holds every byte in both directions without closing anything:
// what a client sees of a leader that was paused (SIGSTOP) or cut off by
// a network partition.
type freezingProxy struct {
	lis    net.Listener
	target string
	mu     sync.Mutex
	frozen chan struct{} // closed by freeze
}

func newFreezingProxy(t *testing.T, target string) *freezingProxy {
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &freezingProxy{lis: lis, target: target, frozen: make(chan struct{})}
	var wg sync.WaitGroup
	var conns []net.Conn
	t.Cleanup(func() {
		lis.Close()
		p.mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		p.mu.Unlock()
		wg.Wait()
	})
	wg.Go(func() {
		for {
			in, err := lis.Accept()
			if err != nil {
				return
			}
			out, err := net.Dial("tcp", target)
			if err != nil {
				in.Close()
				continue
			}
			p.mu.Lock()
			conns = append(conns, in, out)
			p.mu.Unlock()
			wg.Go(func() { p.pipe(out, in) })
			wg.Go(func() { p.pipe(in, out) })
		}
	})
	return p
}

// pipe copies src to dst until either closes, stopping (not closing)
// once the proxy is frozen.
func (p *freezingProxy) pipe(dst, src net.Conn) {
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			select {
			case <-p.frozen:
				io.Copy(io.Discard, src) // hold nothing back from the sender's kernel, deliver nothing
				return
			default:
			}
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

func (p *freezingProxy) freeze()      { close(p.frozen) }
func (p *freezingProxy) addr() string { return p.lis.Addr().String() }

// An operation on a leader that goes silent (frozen connection) fails
// with kv.ErrUnavailable once the client's silence timeout passes,
// instead of waiting for keepalives; a Commit that goes silent is
// unknown, never failed.
func TestSilentLeaderEndsTheWait(t *testing.T) {
	_, _, addr, _ := setup(t)
	proxy := newFreezingProxy(t, addr)
	const silence = 2 * time.Second
	c := NewClient(testLogger(t), silence, grpc.WithTransportCredentials(insecure.NewCredentials()))
	t.Cleanup(c.Close)
	ctx := context.Background()
	read, err := c.Begin(ctx, proxy.addr(), kv.TxnOptions{})
	if err != nil {
		t.Fatal(err)
	}
	commit, err := c.Begin(ctx, proxy.addr(), kv.TxnOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := commit.Put(ctx, []byte("k"), []byte("v")); err != nil {
		t.Fatal(err)
	}
	proxy.freeze()
	start := time.Now()
	if _, _, err := read.Get(ctx, []byte("k")); !errors.Is(err, kv.ErrUnavailable) {
		t.Fatalf("Get on a silent leader: %v, want ErrUnavailable", err)
	}
	if took := time.Since(start); took < silence || took > silence+2*time.Second {
		t.Fatalf("Get on a silent leader failed after %v, want about %v", took, silence)
	}
	if err := commit.Commit(ctx); !errors.Is(err, kv.ErrCommitUnknown) {
		t.Fatalf("Commit on a silent leader: %v, want ErrCommitUnknown", err)
	}
}

// A lock wait longer than the silence timeout goes on: the server says
// every second that the operation is alive.
func TestLongLockWaitIsNotSilence(t *testing.T) {
	_, _, addr, _ := setup(t)
	c := NewClient(testLogger(t), 2*time.Second, grpc.WithTransportCredentials(insecure.NewCredentials()))
	t.Cleanup(c.Close)
	ctx := context.Background()
	holder, err := c.Begin(ctx, addr, kv.TxnOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := holder.Put(ctx, []byte("k"), []byte("1")); err != nil {
		t.Fatal(err)
	}
	waiter, err := c.Begin(ctx, addr, kv.TxnOptions{})
	if err != nil {
		t.Fatal(err)
	}
	time.AfterFunc(4500*time.Millisecond, holder.Rollback)
	start := time.Now()
	if _, _, err := waiter.GetForUpdate(ctx, []byte("k")); err != nil {
		t.Fatalf("GetForUpdate waiting %v for the lock: %v", time.Since(start), err)
	}
	if took := time.Since(start); took < 4*time.Second {
		t.Fatalf("the lock wait ended after %v, before the holder rolled back", took)
	}
	if err := waiter.Commit(ctx); err != nil {
		t.Fatal(err)
	}
}
