package kv

import (
	"testing"
	"time"
)

func TestClock(t *testing.T) {
	wall := time.UnixMilli(1_000_000)
	c := &Clock{wall: func() time.Time { return wall }}

	a := c.Now()
	if a.Physical() != 1_000_000 || a.Logical() != 0 {
		t.Fatalf("first Now = %d.%d", a.Physical(), a.Logical())
	}
	b := c.Now() // same millisecond: logical tick
	if b != a+1 {
		t.Fatalf("same-ms Now = %v, want %v", b, a+1)
	}
	wall = wall.Add(-time.Second) // wall clock steps back
	if d := c.Now(); d <= b {
		t.Fatalf("Now went backwards: %v after %v", d, b)
	}
	ahead := MakeTimestamp(2_000_000, 5)
	c.Update(ahead)
	c.Update(a) // older: ignored
	if d := c.Now(); d != ahead+1 {
		t.Fatalf("Now after Update = %v, want %v", d, ahead+1)
	}
	wall = time.UnixMilli(3_000_000)
	if d := c.Now(); d != MakeTimestamp(3_000_000, 0) {
		t.Fatalf("Now after wall passes = %d.%d", d.Physical(), d.Logical())
	}
	if c.Last() != MakeTimestamp(3_000_000, 0) {
		t.Fatal("Last")
	}
}
