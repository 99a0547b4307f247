// Package netfault gives tests and tools a private network of Linux
// network namespaces in which chosen pairs of nodes can be cut from each
// other (a network partition) and healed, while the test process still
// reaches every node.
//
// # The network
//
// New(ctx, n) builds, with iproute2 (`ip`, `tc`):
//
//	           namespace qnf-<pid>-<seq>-br
//	     ┌──────────── br0 (bridge) ────────────┐
//	     v1             v2          ...          vn      (veth ends)
//	     │              │                        │
//	   eth0           eth0                     eth0
//	198.18.0.1     198.18.0.2               198.18.0.n
//	qnf-…-n1       qnf-…-n2                 qnf-…-nn     (one namespace per node)
//
// Every node has its own network namespace with its loopback and one
// interface, eth0, whose other end is a port of a bridge living in a
// namespace of its own. No interface is in the test's (the machine's)
// namespace, so nothing on the network is reachable from outside the
// machine, or even from the machine's own namespace; and since every
// node has a private loopback, node processes can use fixed ports
// (nothing collides with other tests or other users of the machine).
// 198.18.0.0/15 is the range RFC 2544 reserves for benchmark networks.
//
// A node process is started inside its namespace by Node.Command (`ip
// netns exec`, which execs the program, so the process's PID is the
// program's own and signals such as SIGSTOP reach it). It serves its
// peers on its eth0 address and its clients on its loopback; the test
// reaches that loopback with Node.DialContext, which creates the socket
// from a thread that has entered the node's namespace (setns) and
// returns that thread to the test's namespace before it runs anything
// else. A partition therefore never cuts a client from a node: exactly
// the situation of a leader that lost its peers but not its clients.
//
// # Partitions
//
// Cut(i, j) makes every IPv4 packet between nodes i and j vanish in the
// network, both ways; Heal restores the network. The packets are dropped
// on the bridge's egress port towards the receiver, inside the bridge's
// namespace, so that neither end learns anything: no RST, no ICMP, no
// local send error. An established TCP connection stalls (the sender
// retransmits into the void) and a new one hangs in SYN-SENT until its
// timeout, as across a broken switch. The alternatives were weaker:
//
//   - a blackhole or prohibit route on a node makes its own connect()
//     fail at once with EINVAL or EACCES: the node knows it is cut off,
//     which a real partition never tells it;
//   - taking a link down cuts a node from everyone, not from chosen
//     peers, and lets the kernel report "network unreachable";
//   - tc actions (drop), netem and iptables/nftables are not available
//     on every kernel and machine we run on (CI lacks the binaries and
//     the small kernels lack the modules).
//
// What is needed is only in every kernel's core traffic control: each
// bridge port gets an htb root qdisc whose unclassified traffic takes
// htb's direct (unshaped) path, and one class whose leaf is a pfifo of
// limit 0, which drops everything queued to it. Cut(i, j) adds a u32
// filter on j's port steering packets with source address i into that
// class, and one on i's port for source j. Healing deletes the filters;
// the qdiscs stay, so a heal never lets a burst through a half-built
// configuration. ARP is not IP and still flows, so neighbour entries
// stay valid and a heal needs no re-resolution.
//
// # Lifetime and leftovers
//
// Namespace names carry a prefix, the test process's PID and a sequence
// number (qnf-<pid>-<seq>-br, qnf-<pid>-<seq>-n1, …); interface names
// need no prefix since each lives in its own namespace. Close deletes the
// namespaces, which deletes their interfaces; processes still inside a
// namespace keep it alive, so callers stop their processes first (tests:
// register the processes' cleanups after the network's). The first New
// of a process deletes namespaces left by processes that died without
// closing theirs (their PID no longer runs), so a crashed test leaves
// nothing for long.
//
// # Requirements
//
// Linux, root (CAP_NET_ADMIN and CAP_SYS_ADMIN: creating namespaces and
// entering them), iproute2, and a kernel with bridge, veth, htb, pfifo
// and u32. When one is missing New returns an error wrapping
// ErrUnsupported, so that a test can tell "this machine cannot" from a
// bug; on other systems every constructor returns it.
//
// # Files
//
//	netfault.go  Network and Node: New, Available, building the bridge
//	             and the namespaces, Cut, Isolate, Uncut, Heal, Close,
//	             removing leftovers
//	ns_linux.go  running a function inside a namespace on a locked
//	             thread; whether a PID still runs (ns_other.go: stubs)
package netfault
