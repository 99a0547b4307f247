package heartbeat

import (
	"errors"
	"testing"
	"time"
)

var members3 = []string{"10.0.0.1:7433", "10.0.0.2:7433", "10.0.0.3:7433"}

func peersCfg(id int) Config {
	return Config{NodeID: id, Address: members3[id-1], Version: "v1",
		Interval: time.Second, Timeout: 5 * time.Second, OfflineAfter: 60 * time.Second}
}

func states(rows []Row) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.State
	}
	return out
}

// TestPeersStates walks node 2's view of a 3-node cluster through a
// scripted timeline: never heard, heard, silent past Timeout and past
// OfflineAfter, heard again after a restart.
func TestPeersStates(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	p := NewPeers(peersCfg(2), members3, t0)
	p.SetSelf("10.0.0.2:5433", t0)
	at := func(d time.Duration) time.Time { return t0.Add(d) }

	steps := []struct {
		name string
		do   func()
		now  time.Duration
		want []string
	}{
		{"never heard, just started", nil, 0, []string{StateNoHeartbeat, StateActive, StateNoHeartbeat}},
		{"node 1 beats", func() {
			if err := p.Observe(Beat{NodeID: 1, Address: members3[0], SQLAddress: "10.0.0.1:5433", StartedAt: t0, Version: "v1"}, at(time.Second)); err != nil {
				t.Fatal(err)
			}
		}, 2 * time.Second, []string{StateActive, StateActive, StateNoHeartbeat}},
		{"node 1 silent past the timeout", nil, 6 * time.Second, []string{StateNoHeartbeat, StateActive, StateNoHeartbeat}},
		{"both silent past offline_after", nil, 70 * time.Second, []string{StateOffline, StateActive, StateOffline}},
		{"node 3 restarted and beats", func() {
			if err := p.Observe(Beat{NodeID: 3, Address: members3[2], StartedAt: at(69 * time.Second), Version: "v2"}, at(70*time.Second)); err != nil {
				t.Fatal(err)
			}
		}, 71 * time.Second, []string{StateOffline, StateActive, StateActive}},
	}
	for _, s := range steps {
		if s.do != nil {
			s.do()
		}
		rows := p.Rows(at(s.now))
		if got := states(rows); len(got) != 3 || got[0] != s.want[0] || got[1] != s.want[1] || got[2] != s.want[2] {
			t.Fatalf("%s: states %v, want %v", s.name, got, s.want)
		}
		for i, r := range rows {
			if r.NodeID != i+1 || r.Address != members3[i] {
				t.Fatalf("%s: row %d is node %d at %s", s.name, i, r.NodeID, r.Address)
			}
		}
	}
	rows := p.Rows(at(71 * time.Second))
	if self := rows[1]; self.SQLAddress != "10.0.0.2:5433" || !self.HeartbeatAt.Equal(at(71*time.Second)) || self.Version != "v1" {
		t.Errorf("self row %+v", self)
	}
	if r := rows[0]; !r.HeartbeatAt.Equal(at(time.Second)) || r.SQLAddress != "10.0.0.1:5433" {
		t.Errorf("node 1's row keeps its last beat: %+v", r)
	}
	if r := rows[2]; r.Version != "v2" || !r.StartedAt.Equal(at(69*time.Second)) {
		t.Errorf("node 3's row shows its new incarnation: %+v", r)
	}
}

// TestPeersRefusesStrangers: beats from outside the membership (another
// cluster.nodes, this node itself, an unknown id) are refused and leave
// no trace, so the view stays bounded by the membership.
func TestPeersRefusesStrangers(t *testing.T) {
	t0 := time.Now()
	p := NewPeers(peersCfg(1), members3, t0)
	for _, b := range []Beat{
		{NodeID: 4, Address: "10.0.0.4:7433"},
		{NodeID: 0, Address: "x"},
		{NodeID: -1, Address: "x"},
		{NodeID: 1, Address: members3[0]},       // itself
		{NodeID: 2, Address: "10.9.9.9:7433"},   // another node list
		{NodeID: 1 << 40, Address: members3[1]}, // absurd id
	} {
		if err := p.Observe(b, t0); !errors.Is(err, ErrNotMember) {
			t.Errorf("beat %+v: %v, want ErrNotMember", b, err)
		}
	}
	if rows := p.Rows(t0); len(rows) != 3 || rows[1].State == StateActive || rows[2].State == StateActive {
		t.Errorf("after refused beats: %+v", rows)
	}
}

// TestPeersSingleNode: without members the view is the node itself, and
// before SetSelf it still shows its configured address.
func TestPeersSingleNode(t *testing.T) {
	now := time.Now()
	p := NewPeers(Config{NodeID: 2, Address: "127.0.0.1:7433", Version: "v"}, nil, now)
	if _, ok := p.Self(now); ok {
		t.Error("Self before SetSelf")
	}
	rows := p.Rows(now)
	if len(rows) != 1 || rows[0].NodeID != 2 || rows[0].State != StateActive || rows[0].Address != "127.0.0.1:7433" {
		t.Errorf("rows %+v", rows)
	}
}
