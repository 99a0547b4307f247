package netfault

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"
)

// newNetwork builds a network for a test and closes it at the end. A
// machine that cannot build one skips the test, except in CI (CI=true),
// which runs as root with iproute2 installed (.ci/run): there it fails.
func newNetwork(t *testing.T, n int) *Network {
	t.Helper()
	nw, err := New(context.Background(), n)
	if err != nil {
		if errors.Is(err, ErrUnsupported) && os.Getenv("CI") != "true" {
			t.Skipf("no fault network on this machine: %v", err)
		}
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := nw.Close(); err != nil {
			t.Errorf("closing the network: %v", err)
		}
	})
	return nw
}

// echoServer answers every line it reads on conns accepted from l with
// the same line, until l closes; the test's cleanup closes l and the
// connections and waits for the goroutines. It returns the number of
// connections accepted so far.
func echoServer(t *testing.T, l net.Listener) (accepted func() int) {
	t.Helper()
	var wg sync.WaitGroup
	var mu sync.Mutex
	var conns []net.Conn
	wg.Go(func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			wg.Go(func() {
				r := bufio.NewReader(c)
				for {
					line, err := r.ReadString('\n')
					if err != nil {
						return
					}
					if _, err := io.WriteString(c, line); err != nil {
						return
					}
				}
			})
		}
	})
	t.Cleanup(func() {
		l.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	return func() int {
		mu.Lock()
		defer mu.Unlock()
		return len(conns)
	}
}

// timedOut says whether a dial or read ended by its deadline. A dial's
// context deadline surfaces as either error, depending on whether the
// dialer saw the context end or the socket's deadline pass first.
func timedOut(err error) bool {
	return errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded)
}

// echo sends line on c and waits up to d for it to come back.
func echo(c net.Conn, r *bufio.Reader, line string, d time.Duration) error {
	if err := c.SetDeadline(time.Now().Add(d)); err != nil {
		return err
	}
	if _, err := io.WriteString(c, line+"\n"); err != nil {
		return fmt.Errorf("write: %w", err)
	}
	got, err := r.ReadString('\n')
	if err != nil {
		return fmt.Errorf("read: %w", err)
	}
	if got != line+"\n" {
		return fmt.Errorf("echo %q, want %q", got, line)
	}
	return nil
}

// TestCutDropsPacketsBothWaysAndHealRestores checks what a partition
// must be: between the cut pair an established TCP connection stalls in
// both directions without being reset, and a new connection hangs until
// its timeout instead of being refused; other pairs and every node's
// loopback (where clients connect) keep working; after Heal the stalled
// connection delivers what was sent meanwhile and new connections work.
func TestCutDropsPacketsBothWaysAndHealRestores(t *testing.T) {
	nw := newNetwork(t, 3)
	ctx := context.Background()
	n1, n2, n3 := nw.Node(0), nw.Node(1), nw.Node(2)
	peer := func(n *Node) string { return n.IP.String() + ":7000" }

	for _, n := range []*Node{n1, n2} {
		l, err := n.Listen("tcp", peer(n))
		if err != nil {
			t.Fatal(err)
		}
		echoServer(t, l)
	}
	l, err := n1.Listen("tcp", "127.0.0.1:5433")
	if err != nil {
		t.Fatal(err)
	}
	echoServer(t, l)

	dial := func(from *Node, addr string, timeout time.Duration) (net.Conn, *bufio.Reader, error) {
		dctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		c, err := from.DialContext(dctx, "tcp", addr)
		if err != nil {
			return nil, nil, err
		}
		t.Cleanup(func() { c.Close() })
		return c, bufio.NewReader(c), nil
	}
	c12, r12, err := dial(n1, peer(n2), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	c21, r21, err := dial(n2, peer(n1), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		c net.Conn
		r *bufio.Reader
	}{{c12, r12}, {c21, r21}} {
		if err := echo(c.c, c.r, "before", 5*time.Second); err != nil {
			t.Fatalf("before the cut: %v", err)
		}
	}

	if err := nw.Cut(ctx, 0, 1); err != nil {
		t.Fatal(err)
	}
	// Both directions stall: the write is accepted (into the socket
	// buffer), the answer never comes, and the read ends by our deadline,
	// not by a reset or EOF.
	for _, c := range []struct {
		name string
		c    net.Conn
		r    *bufio.Reader
	}{{"1->2", c12, r12}, {"2->1", c21, r21}} {
		err := echo(c.c, c.r, "during", 1500*time.Millisecond)
		if !timedOut(err) {
			t.Fatalf("%s during the cut: got %v, want a timeout (packets dropped, connection not reset)", c.name, err)
		}
	}
	// A new connection hangs in SYN-SENT until the dialer gives up.
	start := time.Now()
	_, _, err = dial(n1, peer(n2), 1500*time.Millisecond)
	if !timedOut(err) {
		t.Fatalf("new connection 1->2 during the cut: got %v, want a timeout (no refusal, no unreachable)", err)
	}
	if d := time.Since(start); d < time.Second {
		t.Fatalf("new connection 1->2 failed after %v: the cut answered instead of dropping", d)
	}
	// The packets died in the network, where the cut drops them.
	if n, err := nw.Dropped(ctx); err != nil {
		t.Fatal(err)
	} else if n == 0 {
		t.Fatal("the cut's drop class counted no dropped packets")
	} else {
		t.Logf("%d packets dropped by the cut", n)
	}
	// Pairs not cut still talk, and node 1's clients still reach it.
	if c, r, err := dial(n3, peer(n2), 5*time.Second); err != nil {
		t.Fatalf("3->2 during the 1-2 cut: %v", err)
	} else if err := echo(c, r, "other pair", 5*time.Second); err != nil {
		t.Fatalf("3->2 during the 1-2 cut: %v", err)
	}
	if c, r, err := dial(n1, "127.0.0.1:5433", 5*time.Second); err != nil {
		t.Fatalf("loopback of node 1 during its cut: %v", err)
	} else if err := echo(c, r, "client", 5*time.Second); err != nil {
		t.Fatalf("loopback of node 1 during its cut: %v", err)
	}

	if err := nw.Heal(ctx); err != nil {
		t.Fatal(err)
	}
	// The stalled connections are alive: the line sent during the cut is
	// retransmitted and echoed (TCP's backoff may take a few seconds).
	for _, c := range []struct {
		name string
		c    net.Conn
		r    *bufio.Reader
	}{{"1->2", c12, r12}, {"2->1", c21, r21}} {
		if err := c.c.SetDeadline(time.Now().Add(15 * time.Second)); err != nil {
			t.Fatal(err)
		}
		if got, err := c.r.ReadString('\n'); err != nil || got != "during\n" {
			t.Fatalf("%s after heal: got %q, %v; want the line sent during the cut", c.name, got, err)
		}
		if err := echo(c.c, c.r, "after", 5*time.Second); err != nil {
			t.Fatalf("%s after heal: %v", c.name, err)
		}
	}
	if c, r, err := dial(n1, peer(n2), 5*time.Second); err != nil {
		t.Fatalf("new connection 1->2 after heal: %v", err)
	} else if err := echo(c, r, "new", 5*time.Second); err != nil {
		t.Fatalf("new connection 1->2 after heal: %v", err)
	}
}

// TestIsolateCutsOneNodeFromAllOthers: after Isolate(0) node 0 reaches
// no peer and no peer reaches it, while the others still reach each
// other.
func TestIsolateCutsOneNodeFromAllOthers(t *testing.T) {
	nw := newNetwork(t, 3)
	ctx := context.Background()
	for _, n := range nw.Nodes() {
		l, err := n.Listen("tcp", n.IP.String()+":7000")
		if err != nil {
			t.Fatal(err)
		}
		echoServer(t, l)
	}
	if err := nw.Isolate(ctx, 0); err != nil {
		t.Fatal(err)
	}
	for _, p := range [][2]int{{0, 1}, {0, 2}, {1, 0}, {2, 0}, {1, 2}, {2, 1}} {
		from, to := nw.Node(p[0]), nw.Node(p[1])
		dctx, cancel := context.WithTimeout(ctx, 700*time.Millisecond)
		c, err := from.DialContext(dctx, "tcp", to.IP.String()+":7000")
		cancel()
		if c != nil {
			c.Close()
		}
		cut := p[0] == 0 || p[1] == 0
		switch {
		case cut && !timedOut(err):
			t.Errorf("%d->%d with node 0 isolated: got %v, want a timeout", p[0], p[1], err)
		case !cut && err != nil:
			t.Errorf("%d->%d with node 0 isolated: %v", p[0], p[1], err)
		}
	}
}

// TestNetworkUnreachableFromTheMachine: connections from the test's own
// namespace to a node's address or to the port its loopback serves never
// reach the node (nothing on the network is reachable from outside it).
// The machine may route the address elsewhere, even to a proxy that
// accepts anything, so what counts is that the node's listeners accept
// nothing.
func TestNetworkUnreachableFromTheMachine(t *testing.T) {
	nw := newNetwork(t, 2)
	n := nw.Node(0)
	l, err := n.Listen("tcp", n.IP.String()+":7000")
	if err != nil {
		t.Fatal(err)
	}
	peerAccepted := echoServer(t, l)
	l2, err := n.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	loopAccepted := echoServer(t, l2)
	for _, addr := range []string{n.IP.String() + ":7000", l2.Addr().String()} {
		if c, err := net.DialTimeout("tcp", addr, 2*time.Second); err == nil {
			_ = echo(c, bufio.NewReader(c), "outside", time.Second)
			c.Close()
		}
	}
	// Connections from inside do count, so the counters work.
	c, err := nw.Node(1).DialContext(context.Background(), "tcp", n.IP.String()+":7000")
	if err != nil {
		t.Fatal(err)
	}
	if err := echo(c, bufio.NewReader(c), "inside", 5*time.Second); err != nil {
		t.Fatal(err)
	}
	c.Close()
	if got := peerAccepted(); got != 1 {
		t.Errorf("node's peer listener accepted %d connections, want 1 (from node 2 only)", got)
	}
	if got := loopAccepted(); got != 0 {
		t.Errorf("node's loopback listener accepted %d connections from outside its namespace", got)
	}
}

// TestCommandRunsInTheNodeNamespaceAsItsOwnProcess: a command started
// with Node.Command is the program itself (its PID gets signals), in the
// node's namespace.
func TestCommandRunsInTheNodeNamespaceAsItsOwnProcess(t *testing.T) {
	nw := newNetwork(t, 1)
	n := nw.Node(0)
	sleep, err := exec.LookPath("sleep")
	if err != nil {
		t.Fatal(err)
	}
	cmd := n.Command(sleep, "30")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Wait is called below: the process must be gone before the
	// network's cleanup deletes its namespace.
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	pid := cmd.Process.Pid
	var exe, ns string
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		exe, _ = os.Readlink(fmt.Sprintf("/proc/%d/exe", pid))
		ns, _ = os.Readlink(fmt.Sprintf("/proc/%d/ns/net", pid))
		if strings.HasSuffix(exe, "/sleep") {
			break
		}
	}
	if !strings.HasSuffix(exe, "/sleep") {
		t.Fatalf("process %d runs %q, want sleep (ip netns exec must exec it)", pid, exe)
	}
	want, err := os.Stat(netnsDir + "/" + n.NS)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.Stat(fmt.Sprintf("/proc/%d/ns/net", pid))
	if err != nil {
		t.Fatal(err)
	}
	if !os.SameFile(want, got) {
		t.Fatalf("process %d is in %s, not in %s", pid, ns, n.NS)
	}
}

// TestCloseAndSweepRemoveNamespaces: Close deletes a network's
// namespaces; Sweep deletes those of a dead process and keeps those of
// a live one.
func TestCloseAndSweepRemoveNamespaces(t *testing.T) {
	nw := newNetwork(t, 2)
	names := append(nw.namespaces(), nw.bridge)
	if err := nw.Close(); err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		if _, err := os.Stat(netnsDir + "/" + name); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("namespace %s still exists after Close (stat: %v)", name, err)
		}
	}

	// A process that has exited: its PID names no process any more.
	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	stale := fmt.Sprintf("%s%d-1-n1", prefix, dead.Process.Pid)
	live := fmt.Sprintf("%s%d-999-n1", prefix, os.Getpid())
	for _, name := range []string{stale, live} {
		if err := run(ctx, "ip", "netns", "add", name); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = deleteNamespace(context.Background(), name) })
	}
	if err := Sweep(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(netnsDir + "/" + stale); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Sweep left %s of dead process %d (stat: %v)", stale, dead.Process.Pid, err)
	}
	if _, err := os.Stat(netnsDir + "/" + live); err != nil {
		t.Errorf("Sweep deleted %s of this running process: %v", live, err)
	}
}
