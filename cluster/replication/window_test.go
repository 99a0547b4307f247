package replication

import (
	"errors"
	"testing"
)

// TestWindow drives the dispatcher core through scripted steps and checks
// the decision after each.
func TestWindow(t *testing.T) {
	type step struct {
		op       string // "append", "next", "sent", "ack", "reset"
		arg      uint64
		wantFrom uint64 // next: range; 0 means "nothing to send"
		wantTo   uint64
		wantN    uint64 // ack: newly acknowledged
		wantErr  error
	}
	tests := []struct {
		name         string
		limit        int
		acked, last  uint64
		steps        []step
		wantInFlight int
		wantWaiting  uint64
	}{
		{name: "empty queue sends nothing", limit: 4, steps: []step{{op: "next"}}},
		{name: "window caps the range", limit: 4, last: 10, steps: []step{
			{op: "next", wantFrom: 1, wantTo: 4}, {op: "sent", arg: 4}, {op: "next"},
		}, wantInFlight: 4, wantWaiting: 10},
		{name: "ack opens the window", limit: 4, last: 10, steps: []step{
			{op: "next", wantFrom: 1, wantTo: 4}, {op: "sent", arg: 4},
			{op: "ack", arg: 2, wantN: 2}, {op: "next", wantFrom: 5, wantTo: 6}, {op: "sent", arg: 6},
		}, wantInFlight: 4, wantWaiting: 8},
		{name: "repeated ack is a no-op", limit: 4, last: 3, steps: []step{
			{op: "next", wantFrom: 1, wantTo: 3}, {op: "sent", arg: 3},
			{op: "ack", arg: 3, wantN: 3}, {op: "ack", arg: 2, wantN: 0}, {op: "ack", arg: 3, wantN: 0},
		}},
		{name: "ack beyond sent is a protocol error", limit: 4, last: 10, steps: []step{
			{op: "next", wantFrom: 1, wantTo: 4}, {op: "sent", arg: 4}, {op: "ack", arg: 5, wantErr: ErrProtocol},
		}, wantInFlight: 4, wantWaiting: 10},
		{name: "reset resends unacknowledged in order", limit: 8, last: 5, steps: []step{
			{op: "next", wantFrom: 1, wantTo: 5}, {op: "sent", arg: 5}, {op: "ack", arg: 2, wantN: 2},
			{op: "reset"}, {op: "next", wantFrom: 3, wantTo: 5},
		}, wantWaiting: 3},
		{name: "restart resumes after acked", limit: 8, acked: 100, last: 103, steps: []step{
			{op: "next", wantFrom: 101, wantTo: 103},
		}, wantWaiting: 3},
		{name: "append extends the range", limit: 8, last: 2, steps: []step{
			{op: "next", wantFrom: 1, wantTo: 2}, {op: "sent", arg: 2}, {op: "next"},
			{op: "append", arg: 4}, {op: "next", wantFrom: 3, wantTo: 4}, {op: "append", arg: 1},
			{op: "next", wantFrom: 3, wantTo: 4},
		}, wantInFlight: 2, wantWaiting: 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWindow(tt.limit, tt.acked, tt.last)
			for i, s := range tt.steps {
				switch s.op {
				case "append":
					w.appended(s.arg)
				case "next":
					from, to, ok := w.next(0)
					if !ok {
						from, to = 0, 0
					}
					if from != s.wantFrom || to != s.wantTo {
						t.Fatalf("step %d next = [%d,%d], want [%d,%d]", i, from, to, s.wantFrom, s.wantTo)
					}
				case "sent":
					w.markSent(s.arg)
				case "ack":
					n, err := w.ack(s.arg)
					if !errors.Is(err, s.wantErr) || n != s.wantN {
						t.Fatalf("step %d ack(%d) = %d, %v; want %d, %v", i, s.arg, n, err, s.wantN, s.wantErr)
					}
				case "reset":
					w.reset()
				}
			}
			if got := w.inFlight(); got != tt.wantInFlight {
				t.Errorf("inFlight = %d, want %d", got, tt.wantInFlight)
			}
			if got := w.waiting(); got != tt.wantWaiting {
				t.Errorf("waiting = %d, want %d", got, tt.wantWaiting)
			}
		})
	}
}
