package kv

import "testing"

// TestRecentCommits: the latest commit in a window is found; once
// commits were pushed out of the ring, a window they may have fallen in
// is answered conservatively, never with "none".
func TestRecentCommits(t *testing.T) {
	var r recentCommits
	for ts := Timestamp(10); ts <= 50; ts += 10 {
		r.add(ts)
	}
	for _, c := range []struct{ from, to, want Timestamp }{
		{0, 100, 50}, {10, 35, 30}, {50, 100, 0}, {11, 19, 0}, {0, 10, 10},
	} {
		if got := r.latestIn(c.from, c.to); got != c.want {
			t.Errorf("latestIn(%d, %d) = %d, want %d", c.from, c.to, got, c.want)
		}
	}
	for ts := Timestamp(1000); ts < 1000+recentCommitsKept; ts++ {
		r.add(ts)
	}
	// 10..50 are gone; a window over them cannot say "none".
	if got := r.latestIn(15, 25); got != 25 {
		t.Errorf("after eviction, latestIn(15, 25) = %d, want 25 (the window's end)", got)
	}
	if got := r.latestIn(2000, 3000); got != 3000 {
		t.Errorf("latestIn(2000, 3000) = %d, want 3000", got)
	}
	if got := r.latestIn(10000, 20000); got != 0 {
		t.Errorf("latestIn above everything = %d, want 0", got)
	}
}
