package heartbeat

import (
	"errors"
	"testing"
	"time"
)

func TestMeasureOffset(t *testing.T) {
	t0 := time.Unix(1000, 0)
	// The peer's clock is 2 s ahead; the round trip took 10 ms.
	o := MeasureOffset(t0, t0.Add(2*time.Second+5*time.Millisecond), t0.Add(10*time.Millisecond))
	if o.Offset != 2*time.Second || o.Uncertainty != 5*time.Millisecond || !o.MeasuredAt.Equal(t0.Add(10*time.Millisecond)) {
		t.Fatalf("measured %+v", o)
	}
	// A clock that stepped back during the call gives no negative
	// uncertainty.
	if o := MeasureOffset(t0, t0, t0.Add(-time.Millisecond)); o.Uncertainty != 0 {
		t.Fatalf("stepped back: %+v", o)
	}
}

// TestClockMonitor scripts the measurements of node 1 of a cluster and
// checks when its clock is declared off.
func TestClockMonitor(t *testing.T) {
	max, fresh := 500*time.Millisecond, 10*time.Second
	now := time.Unix(5000, 0)
	at := func(d, unc time.Duration) ClockOffset {
		return ClockOffset{Offset: d, Uncertainty: unc, MeasuredAt: now}
	}

	t.Run("three nodes", func(t *testing.T) {
		m := NewClockMonitor(3, max, fresh)
		if err := m.Check(now); err != nil {
			t.Fatalf("no measurements: %v", err)
		}
		// One peer's clock is off: that is the peer's problem.
		m.Record(2, at(2*time.Second, time.Millisecond))
		m.Record(3, at(3*time.Millisecond, time.Millisecond))
		if err := m.Check(now); err != nil {
			t.Fatalf("one peer off: %v", err)
		}
		// Both peers see this node off (in either direction): it is.
		m.Record(3, at(-2*time.Second, time.Millisecond))
		err := m.Check(now)
		var ce *ClockOffsetError
		if !errors.As(err, &ce) || len(ce.Peers) != 2 || ce.Peers[0].NodeID != 2 || ce.Peers[1].NodeID != 3 {
			t.Fatalf("both peers off: %v", err)
		}
		// The verdict follows the measurements back.
		m.Record(2, at(time.Millisecond, time.Millisecond))
		if err := m.Check(now); err != nil {
			t.Fatalf("back in step: %v", err)
		}
	})

	t.Run("uncertainty", func(t *testing.T) {
		m := NewClockMonitor(3, max, fresh)
		// 600 ms measured over a 300 ms round trip might be 450 ms: not
		// certainly beyond the bound.
		m.Record(2, at(600*time.Millisecond, 150*time.Millisecond))
		m.Record(3, at(600*time.Millisecond, 150*time.Millisecond))
		if err := m.Check(now); err != nil {
			t.Fatalf("within the uncertainty: %v", err)
		}
		m.Record(2, at(600*time.Millisecond, 50*time.Millisecond))
		m.Record(3, at(600*time.Millisecond, 50*time.Millisecond))
		if err := m.Check(now); err == nil {
			t.Fatal("certainly beyond: no error")
		}
	})

	t.Run("stale measurements do not testify", func(t *testing.T) {
		m := NewClockMonitor(3, max, fresh)
		m.Record(2, at(2*time.Second, 0))
		m.Record(3, at(2*time.Second, 0))
		if err := m.Check(now.Add(fresh + time.Second)); err != nil {
			t.Fatalf("stale: %v", err)
		}
	})

	t.Run("no majority to compare with", func(t *testing.T) {
		// Two nodes: each sees the other off, and neither can tell whose
		// clock is wrong, so neither stops.
		m := NewClockMonitor(2, max, fresh)
		m.Record(2, at(2*time.Second, 0))
		if err := m.Check(now); err != nil {
			t.Fatalf("two nodes: %v", err)
		}
		// Five nodes: two peers off is not a majority, three is.
		m = NewClockMonitor(5, max, fresh)
		m.Record(2, at(2*time.Second, 0))
		m.Record(3, at(2*time.Second, 0))
		if err := m.Check(now); err != nil {
			t.Fatalf("two of five: %v", err)
		}
		m.Record(4, at(2*time.Second, 0))
		if err := m.Check(now); err == nil {
			t.Fatal("three of five: no error")
		}
	})
}
