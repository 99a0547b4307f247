package netfault

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

var (
	// ErrUnsupported means this machine cannot build the network: not
	// Linux, not root, no iproute2, or a kernel without namespaces or the
	// traffic control the partitions use. The wrapping error says which.
	ErrUnsupported = errors.New("netfault: network namespaces and partitions are not available here")
	// ErrClosed is returned by a Network's methods after Close.
	ErrClosed = errors.New("netfault: network closed")
)

const (
	// prefix starts every namespace name this package creates; Sweep
	// recognizes leftovers by it.
	prefix = "qnf-"
	// netnsDir is where `ip netns` keeps its named namespaces.
	netnsDir = "/var/run/netns"
	// cmdTimeout bounds one ip or tc command, so that a wedged one fails
	// the caller instead of hanging it.
	cmdTimeout = 30 * time.Second
)

// seq numbers the networks of this process, so several may exist at
// once (parallel tests) under distinct names.
var seq atomic.Int64

// sweepOnce runs Sweep at the first New of the process.
var sweepOnce sync.Once

// Network is a private network of node namespaces joined by a bridge
// (see the package doc). Its methods are safe for concurrent use.
type Network struct {
	name   string // qnf-<pid>-<seq>: prefix of its namespaces
	bridge string // the bridge's namespace
	nodes  []*Node

	mu     sync.Mutex
	cuts   map[[2]int]bool // guarded by mu; pairs (i<j) currently cut
	closed bool            // guarded by mu
}

// Node is one node's namespace on a Network.
type Node struct {
	// Index is the node's position, 0-based.
	Index int
	// NS is the name of its network namespace (`ip netns`).
	NS string
	// IP is its address on the network (eth0).
	IP netip.Addr
	// port is the name of its veth end on the bridge.
	port string
}

// New builds a network of n nodes. The caller must Close it (after
// stopping the processes it started in it). An error wrapping
// ErrUnsupported means the machine cannot do it; New then leaves
// nothing behind.
func New(ctx context.Context, n int) (*Network, error) {
	if n < 1 || n > 250 {
		return nil, fmt.Errorf("netfault: %d nodes: want 1..250", n)
	}
	if err := Available(); err != nil {
		return nil, err
	}
	sweepOnce.Do(func() { _ = Sweep(ctx) })
	name := fmt.Sprintf("%s%d-%d", prefix, os.Getpid(), seq.Add(1))
	nw := &Network{name: name, bridge: name + "-br", cuts: make(map[[2]int]bool)}
	for i := range n {
		nw.nodes = append(nw.nodes, &Node{
			Index: i,
			NS:    fmt.Sprintf("%s-n%d", name, i+1),
			IP:    netip.AddrFrom4([4]byte{198, 18, 0, byte(i + 1)}),
			port:  fmt.Sprintf("v%d", i+1),
		})
	}
	if err := nw.build(ctx); err != nil {
		_ = nw.Close()
		return nil, err
	}
	return nw, nil
}

// Available says whether New can work on this machine: an error
// wrapping ErrUnsupported names what is missing. (The kernel's support
// is only known once New tries.)
func Available() error {
	if runtime.GOOS != "linux" {
		return fmt.Errorf("%w: %s is not Linux", ErrUnsupported, runtime.GOOS)
	}
	if os.Geteuid() != 0 {
		return fmt.Errorf("%w: not root (uid %d)", ErrUnsupported, os.Geteuid())
	}
	for _, tool := range []string{"ip", "tc"} {
		if _, err := exec.LookPath(tool); err != nil {
			return fmt.Errorf("%w: %s (iproute2) not found: %v", ErrUnsupported, tool, err)
		}
	}
	return nil
}

// build creates the namespaces, the bridge, the links and the qdiscs.
// A failure of a step the kernel may lack wraps ErrUnsupported.
func (nw *Network) build(ctx context.Context) error {
	unsupported := func(err error) error { return fmt.Errorf("%w: %w", ErrUnsupported, err) }
	if err := run(ctx, "ip", "netns", "add", nw.bridge); err != nil {
		return unsupported(err)
	}
	br := []string{"-n", nw.bridge}
	if err := run(ctx, "ip", append(br, "link", "add", "br0", "type", "bridge")...); err != nil {
		return unsupported(err)
	}
	for _, args := range [][]string{
		{"link", "set", "lo", "up"},
		{"link", "set", "br0", "up"},
	} {
		if err := run(ctx, "ip", append(br, args...)...); err != nil {
			return err
		}
	}
	for _, nd := range nw.nodes {
		if err := run(ctx, "ip", "netns", "add", nd.NS); err != nil {
			return err
		}
		if err := run(ctx, "ip", append(br, "link", "add", nd.port, "type", "veth", "peer", "name", "eth0", "netns", nd.NS)...); err != nil {
			return unsupported(err)
		}
		on := []string{"-n", nd.NS}
		for _, cmd := range [][]string{
			append(br, "link", "set", nd.port, "master", "br0"),
			append(br, "link", "set", nd.port, "up"),
			append(on, "addr", "add", nd.IP.String()+"/24", "dev", "eth0"),
			append(on, "link", "set", "eth0", "up"),
			append(on, "link", "set", "lo", "up"),
		} {
			if err := run(ctx, "ip", cmd...); err != nil {
				return err
			}
		}
		// The drop class (see the package doc): unclassified packets
		// take htb's direct path, unshaped; class 1:1 drops all it gets.
		for _, cmd := range [][]string{
			append(br, "qdisc", "add", "dev", nd.port, "root", "handle", "1:", "htb"),
			append(br, "class", "add", "dev", nd.port, "parent", "1:", "classid", "1:1", "htb", "rate", "1mbit"),
			append(br, "qdisc", "add", "dev", nd.port, "parent", "1:1", "handle", "10:", "pfifo", "limit", "0"),
		} {
			if err := run(ctx, "tc", cmd...); err != nil {
				return unsupported(err)
			}
		}
	}
	return nil
}

// Nodes returns the network's nodes, by index.
func (nw *Network) Nodes() []*Node { return nw.nodes }

// Node returns node i (0-based).
func (nw *Network) Node(i int) *Node { return nw.nodes[i] }

// Cut drops every packet between nodes i and j, both ways, until Heal
// (or Uncut). Cutting a cut pair does nothing.
func (nw *Network) Cut(ctx context.Context, i, j int) error {
	nw.mu.Lock()
	defer nw.mu.Unlock()
	return nw.cutLocked(ctx, i, j)
}

// Isolate cuts node i from every other node. Its clients (through
// Node.DialContext) still reach it.
func (nw *Network) Isolate(ctx context.Context, i int) error {
	nw.mu.Lock()
	defer nw.mu.Unlock()
	for j := range nw.nodes {
		if j != i {
			if err := nw.cutLocked(ctx, i, j); err != nil {
				return err
			}
		}
	}
	return nil
}

// Uncut restores the traffic between nodes i and j.
func (nw *Network) Uncut(ctx context.Context, i, j int) error {
	nw.mu.Lock()
	defer nw.mu.Unlock()
	return nw.uncutLocked(ctx, i, j)
}

// Heal restores the traffic between every pair.
func (nw *Network) Heal(ctx context.Context) error {
	nw.mu.Lock()
	defer nw.mu.Unlock()
	var errs []error
	for p := range nw.cuts {
		errs = append(errs, nw.uncutLocked(ctx, p[0], p[1]))
	}
	return errors.Join(errs...)
}

func pair(i, j int) [2]int { return [2]int{min(i, j), max(i, j)} }

func (nw *Network) checkPair(i, j int) error {
	if nw.closed {
		return ErrClosed
	}
	if i == j || i < 0 || j < 0 || i >= len(nw.nodes) || j >= len(nw.nodes) {
		return fmt.Errorf("netfault: no link between nodes %d and %d of %d", i, j, len(nw.nodes))
	}
	return nil
}

func (nw *Network) cutLocked(ctx context.Context, i, j int) error {
	if err := nw.checkPair(i, j); err != nil {
		return err
	}
	if nw.cuts[pair(i, j)] {
		return nil
	}
	// Towards j, drop what comes from i, and the other way round. The
	// filter's priority is the source's index, so each (port, source)
	// has one filter that Uncut can name.
	for _, d := range [][2]int{{i, j}, {j, i}} {
		src, dst := nw.nodes[d[0]], nw.nodes[d[1]]
		if err := run(ctx, "tc", "-n", nw.bridge, "filter", "add", "dev", dst.port, "parent", "1:",
			"protocol", "ip", "prio", strconv.Itoa(src.Index+1),
			"u32", "match", "ip", "src", src.IP.String()+"/32", "classid", "1:1"); err != nil {
			return fmt.Errorf("netfault: cutting %d from %d: %w", d[0], d[1], err)
		}
		// Half a cut would be an asymmetric partition nobody asked for:
		// record it now so that Heal removes it if the other half fails.
		nw.cuts[pair(i, j)] = true
	}
	return nil
}

func (nw *Network) uncutLocked(ctx context.Context, i, j int) error {
	if err := nw.checkPair(i, j); err != nil {
		return err
	}
	if !nw.cuts[pair(i, j)] {
		return nil
	}
	var errs []error
	for _, d := range [][2]int{{i, j}, {j, i}} {
		src, dst := nw.nodes[d[0]], nw.nodes[d[1]]
		err := run(ctx, "tc", "-n", nw.bridge, "filter", "del", "dev", dst.port, "parent", "1:",
			"protocol", "ip", "prio", strconv.Itoa(src.Index+1))
		// A half-made cut (see cutLocked) has one filter only.
		if err != nil && !strings.Contains(err.Error(), "Cannot find") {
			errs = append(errs, fmt.Errorf("netfault: healing %d to %d: %w", d[0], d[1], err))
		}
	}
	if len(errs) == 0 {
		delete(nw.cuts, pair(i, j))
	}
	return errors.Join(errs...)
}

// dropStat finds the drop counter of the drop class's pfifo in the
// output of `tc -s qdisc show`.
var dropStat = regexp.MustCompile(`qdisc pfifo 10: parent 1:1 [^\n]*\n\s*Sent \d+ bytes \d+ pkt \(dropped (\d+)`)

// Dropped is the number of packets the network's cuts have dropped so
// far, over all ports: evidence that a partition discarded traffic
// rather than refusing it.
func (nw *Network) Dropped(ctx context.Context) (int64, error) {
	nw.mu.Lock()
	defer nw.mu.Unlock()
	if nw.closed {
		return 0, ErrClosed
	}
	var total int64
	for _, nd := range nw.nodes {
		ctx, cancel := context.WithTimeout(ctx, cmdTimeout)
		out, err := exec.CommandContext(ctx, "tc", "-n", nw.bridge, "-s", "qdisc", "show", "dev", nd.port).CombinedOutput()
		cancel()
		if err != nil {
			return 0, fmt.Errorf("netfault: statistics of %s: %w: %s", nd.port, err, bytes.TrimSpace(out))
		}
		m := dropStat.FindSubmatch(out)
		if m == nil {
			return 0, fmt.Errorf("netfault: no drop counter for %s in %q", nd.port, out)
		}
		n, err := strconv.ParseInt(string(m[1]), 10, 64)
		if err != nil {
			return 0, fmt.Errorf("netfault: drop counter of %s: %w", nd.port, err)
		}
		total += n
	}
	return total, nil
}

// Close deletes the network's namespaces and with them its interfaces.
// Processes still running in a namespace keep it (and its links) alive
// until they exit, so stop them first.
func (nw *Network) Close() error {
	nw.mu.Lock()
	defer nw.mu.Unlock()
	if nw.closed {
		return nil
	}
	nw.closed = true
	ctx, cancel := context.WithTimeout(context.Background(), cmdTimeout)
	defer cancel()
	var errs []error
	for _, ns := range append(nw.namespaces(), nw.bridge) {
		if err := deleteNamespace(ctx, ns); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func (nw *Network) namespaces() []string {
	var names []string
	for _, nd := range nw.nodes {
		names = append(names, nd.NS)
	}
	return names
}

// deleteNamespace deletes a named namespace; one that does not exist
// (a partly built network) is no error.
func deleteNamespace(ctx context.Context, name string) error {
	if _, err := os.Stat(netnsDir + "/" + name); errors.Is(err, os.ErrNotExist) {
		return nil
	}
	return run(ctx, "ip", "netns", "delete", name)
}

// Command returns a command that runs name with args inside the node's
// namespace. `ip netns exec` execs the program without forking, so the
// started process is the program itself: its PID takes signals, and a
// parent-death signal set in SysProcAttr survives the exec.
func (nd *Node) Command(name string, args ...string) *exec.Cmd {
	return exec.Command("ip", append([]string{"netns", "exec", nd.NS, name}, args...)...)
}

// DialContext connects from inside the node's namespace, as a process
// there would: address 127.0.0.1:port is the node's own loopback. Its
// signature is net.Dialer.DialContext's, for drivers' dial hooks.
func (nd *Node) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	var conn net.Conn
	err := inNamespace(nd.NS, func() error {
		var d net.Dialer
		c, err := d.DialContext(ctx, network, address)
		conn = c
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("netfault: dialing %s in %s: %w", address, nd.NS, err)
	}
	return conn, nil
}

// Listen listens inside the node's namespace (for tests of the network
// itself; node processes listen on their own).
func (nd *Node) Listen(network, address string) (net.Listener, error) {
	var l net.Listener
	err := inNamespace(nd.NS, func() error {
		var err error
		l, err = net.Listen(network, address)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("netfault: listening on %s in %s: %w", address, nd.NS, err)
	}
	return l, nil
}

// leftover matches the namespaces of this package and captures the PID
// of the process that made them.
var leftover = regexp.MustCompile(`^` + regexp.QuoteMeta(prefix) + `(\d+)-\d+-(br|n\d+)$`)

// Sweep deletes the namespaces left by processes that no longer run
// (a test binary killed before its cleanup). Namespaces of running
// processes, this one included, are left alone.
func Sweep(ctx context.Context) error {
	entries, err := os.ReadDir(netnsDir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("netfault: sweep: %w", err)
	}
	var errs []error
	for _, e := range entries {
		m := leftover.FindStringSubmatch(e.Name())
		if m == nil {
			continue
		}
		pid, err := strconv.Atoi(m[1])
		if err != nil || processRuns(pid) {
			continue
		}
		if err := deleteNamespace(ctx, e.Name()); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// run runs an iproute2 command, its output in the error.
func run(ctx context.Context, name string, args ...string) error {
	ctx, cancel := context.WithTimeout(ctx, cmdTimeout)
	defer cancel()
	out, err := exec.CommandContext(ctx, name, args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s %v: %w: %s", name, args, err, bytes.TrimSpace(out))
	}
	return nil
}
