package multiraft

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/cockroachdb/datadriven"
	"go.etcd.io/raft/v3/raftpb"
)

// TestCore runs the scripts in testdata/: a simulated cluster of cores
// driven tick by tick (sim_test.go). Rewrite expected output with
// go test ./cluster/multiraft -run TestCore -rewrite, then read the diff.
func TestCore(t *testing.T) {
	datadriven.Walk(t, "testdata", func(t *testing.T, path string) {
		var s *sim
		datadriven.RunTest(t, path, func(t *testing.T, d *datadriven.TestData) string {
			if d.Cmd != "init" && s == nil {
				d.Fatalf(t, "init first")
			}
			if s != nil {
				s.t = t
			}
			arg := func(key string) uint64 {
				var v uint64
				d.ScanArgs(t, key, &v)
				return v
			}
			node := func() *simNode { return s.nodes[arg("node")] }
			switch d.Cmd {
			case "init":
				var nodes, groups, rf int
				d.ScanArgs(t, "nodes", &nodes)
				d.ScanArgs(t, "groups", &groups)
				d.ScanArgs(t, "rf", &rf)
				s = newSimPreferred(t, nodes, groups, rf, d.HasArg("preferred"))
				return ""
			case "campaign":
				// Each group's first voter campaigns (or node= for group=).
				// raft refuses until the bootstrap's conf changes are
				// applied: the Readies pending go first.
				s.stabilize()
				if d.HasArg("group") {
					g := arg("group")
					if err := node().core.groups[g].rn.Campaign(); err != nil {
						return err.Error()
					}
				} else {
					for _, g := range s.groups {
						n := s.nodes[s.voters[g][(g-1)%uint64(len(s.voters[g]))]]
						if err := n.core.groups[g].rn.Campaign(); err != nil {
							return err.Error()
						}
					}
				}
				s.stabilize()
				return s.status()
			case "tick":
				n := 1
				if d.HasArg("n") {
					d.ScanArgs(t, "n", &n)
				}
				s.advance(n)
				return ""
			case "propose":
				var data string
				d.ScanArgs(t, "data", &data)
				if err := node().core.Propose(arg("group"), []byte(data)); err != nil {
					return err.Error()
				}
				s.stabilize()
				return ""
			case "propose-leader":
				// At whichever node leads the group now.
				var data string
				d.ScanArgs(t, "data", &data)
				g := arg("group")
				l := s.highestLeader(g)
				if l == 0 {
					return "no leader"
				}
				if err := s.nodes[l].core.Propose(g, []byte(data)); err != nil {
					return err.Error()
				}
				s.stabilize()
				return ""
			case "propose-each":
				// One proposal in every group at its leader, in one cycle.
				var data string
				d.ScanArgs(t, "data", &data)
				for _, g := range s.groups {
					if l := s.highestLeader(g); l != 0 {
						if err := s.nodes[l].core.Propose(g, []byte(data)); err != nil {
							return err.Error()
						}
					}
				}
				s.stabilize()
				return ""
			case "traffic-reset":
				s.traffic = traffic{}
				return ""
			case "traffic":
				out := s.traffic.String()
				s.traffic = traffic{}
				return out
			case "status":
				return s.status()
			case "leaders":
				return s.leaderSummary()
			case "applied":
				g := arg("group")
				var b strings.Builder
				for _, id := range s.ids {
					n := s.nodes[id]
					if n.storage[g] != nil {
						fmt.Fprintf(&b, "node %d: %s\n", id, strings.Join(n.applied[g], " "))
					}
				}
				return b.String()
			case "kill":
				node().down = true
				return ""
			case "restart":
				s.start(node())
				return ""
			case "pause":
				node().paused = true
				return ""
			case "resume":
				s.resume(node())
				return ""
			case "cut":
				s.cut[arg("node")] = true
				return ""
			case "heal":
				delete(s.cut, arg("node"))
				return ""
			case "clock-rate":
				var rateArg string
				d.ScanArgs(t, "rate", &rateArg)
				rate, err := strconv.ParseFloat(rateArg, 64)
				if err != nil {
					d.Fatalf(t, "rate: %v", err)
				}
				node().clock.setRate(rate)
				return ""
			case "compact":
				n, g := node(), arg("group")
				st := n.storage[g]
				idx := n.index[g]
				cs := raftpb.ConfState{Voters: s.voters[g]}
				if _, err := st.CreateSnapshot(idx, &cs, []byte(strings.Join(n.applied[g], ","))); err != nil {
					return err.Error()
				}
				if err := st.Compact(idx); err != nil {
					return err.Error()
				}
				return fmt.Sprintf("compacted through %d", idx)
			case "transfer":
				if err := node().core.TransferLeadership(arg("group"), arg("to")); err != nil {
					return err.Error()
				}
				s.stabilize()
				return s.status()
			case "read":
				return s.read(node(), arg("group"))
			case "unwilling", "willing":
				node().core.SetUnwilling(d.Cmd == "unwilling")
				return ""
			default:
				d.Fatalf(t, "unknown command %s", d.Cmd)
				return ""
			}
		})
	})
}

// status prints each group's leader (the highest-term one), whether it
// is quiesced and holds a lease, and its term.
func (s *sim) status() string {
	var b strings.Builder
	for _, g := range s.groups {
		l := s.highestLeader(g)
		if l == 0 {
			fmt.Fprintf(&b, "group %d: no leader\n", g)
			continue
		}
		n := s.nodes[l]
		r := n.core.groups[g]
		lease, ok := n.core.Lease(g)
		leaseStr := "none"
		if ok && n.clock.Now() < lease.Expires {
			leaseStr = "held"
		}
		fmt.Fprintf(&b, "group %d: leader %d, quiesced %t, lease %s\n", g, l, r.quiesced, leaseStr)
	}
	return b.String()
}

// leaderSummary prints what must hold whoever won the elections: each
// group has one leader among the running nodes, holding a lease.
func (s *sim) leaderSummary() string {
	var b strings.Builder
	ok := 0
	for _, g := range s.groups {
		ls := s.leaders(g)
		l := s.highestLeader(g)
		lease := false
		if l != 0 {
			le, has := s.nodes[l].core.Lease(g)
			lease = has && s.nodes[l].clock.Now() < le.Expires
		}
		if len(ls) == 1 && lease {
			ok++
			continue
		}
		fmt.Fprintf(&b, "group %d: leaders %v, lease %t\n", g, ls, lease)
	}
	fmt.Fprintf(&b, "%d of %d groups have one leader holding a lease\n", ok, len(s.groups))
	return b.String()
}

// read serves a read of the group on the node: under the lease, or
// through a read index confirmed by a quorum.
func (s *sim) read(n *simNode, g uint64) string {
	if l, ok := n.core.Lease(g); ok && n.clock.Now() < l.Expires && n.index[g] >= l.MinApplied {
		return fmt.Sprintf("lease read: %s", strings.Join(n.applied[g], " "))
	}
	delete(n.reads, g)
	if err := n.core.ReadIndex(g, []byte("read")); err != nil {
		return err.Error()
	}
	s.stabilize()
	idx, ok := n.reads[g]
	if !ok {
		return "no quorum for a read index"
	}
	if n.index[g] < idx {
		return fmt.Sprintf("read index %d not applied (applied %d)", idx, n.index[g])
	}
	return fmt.Sprintf("quorum read: %s", strings.Join(n.applied[g], " "))
}
