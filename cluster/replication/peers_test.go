package replication

import (
	"reflect"
	"testing"
	"time"
)

func TestPeerTable(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	p := func(id int, addr string) Peer { return Peer{ID: id, Address: addr} }
	type obs struct {
		at     time.Duration
		active []Peer
		want   []peerChange
	}
	tests := []struct {
		name      string
		recovered []int
		steps     []obs
	}{
		{name: "first sight creates queues, self skipped", steps: []obs{
			{0, []Peer{p(1, "a:1"), p(2, "b:1"), p(3, "c:1")}, []peerChange{{opAdd, 2, "b:1"}, {opAdd, 3, "c:1"}}},
			{time.Second, []Peer{p(2, "b:1"), p(3, "c:1")}, nil},
		}},
		{name: "late peer gets queues when first seen", steps: []obs{
			{0, []Peer{p(2, "b:1")}, []peerChange{{opAdd, 2, "b:1"}}},
			{time.Minute, []Peer{p(2, "b:1"), p(4, "d:1")}, []peerChange{{opAdd, 4, "d:1"}}},
		}},
		{name: "address change", steps: []obs{
			{0, []Peer{p(2, "b:1")}, []peerChange{{opAdd, 2, "b:1"}}},
			{time.Second, []Peer{p(2, "b:2")}, []peerChange{{opReaddress, 2, "b:2"}}},
		}},
		{name: "absent within retention keeps queues", steps: []obs{
			{0, []Peer{p(2, "b:1")}, []peerChange{{opAdd, 2, "b:1"}}},
			{30 * time.Minute, nil, nil},
			{time.Hour, nil, nil},
			{time.Hour + time.Second, nil, []peerChange{{opRemove, 2, ""}}},
			{time.Hour + 2*time.Second, []Peer{p(2, "b:1")}, []peerChange{{opAdd, 2, "b:1"}}},
		}},
		{name: "returning within retention resets the clock", steps: []obs{
			{0, []Peer{p(2, "b:1")}, []peerChange{{opAdd, 2, "b:1"}}},
			{50 * time.Minute, []Peer{p(2, "b:1")}, nil},
			{100 * time.Minute, nil, nil},
			{111 * time.Minute, nil, []peerChange{{opRemove, 2, ""}}},
		}},
		{name: "recovered peer learns its address, or ages out", recovered: []int{2, 3}, steps: []obs{
			{0, []Peer{p(2, "b:1")}, []peerChange{{opReaddress, 2, "b:1"}}},
			{2 * time.Hour, []Peer{p(2, "b:1")}, []peerChange{{opRemove, 3, ""}}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab := newPeerTable(1, time.Hour)
			for _, id := range tt.recovered {
				tab.recover(id, t0)
			}
			for i, s := range tt.steps {
				got := tab.observe(t0.Add(s.at), s.active)
				if !reflect.DeepEqual(got, s.want) {
					t.Fatalf("step %d: changes = %v, want %v", i, got, s.want)
				}
			}
		})
	}
}
