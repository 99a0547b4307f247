package kv

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestCloseAtWaitsForACommitTakingItsTimestamp: a reader fencing the
// clock at ts (BeginAt, RefreshTo) while a commit is taking a timestamp
// at or below ts must find that commit pending afterwards, or it would
// read a snapshot at ts that the commit changes later. Found by the
// bank workload across partitions (a reader saw a total one transfer
// short), whose readers slipped between a commit's Clock.Now and its
// registration in the watermark.
func TestCloseAtWaitsForACommitTakingItsTimestamp(t *testing.T) {
	taking, release := make(chan struct{}), make(chan struct{})
	first := true
	clock := &Clock{wall: func() time.Time {
		if first {
			first = false
			close(taking)
			<-release
		}
		return time.UnixMilli(1_000)
	}}
	w := &watermark{}
	commit := make(chan *pendingCommit)
	go func() { commit <- w.beginNow(clock) }()
	<-taking

	fence := MakeTimestamp(2_000, 0)
	fenced := make(chan struct{})
	go func() {
		w.closeAt(clock, fence)
		close(fenced)
	}()
	select {
	case <-fenced:
		t.Fatal("the fence passed a commit that was taking its timestamp")
	case <-time.After(50 * time.Millisecond):
	}
	close(release)
	<-fenced
	p := <-commit
	if p.ts > fence {
		t.Fatalf("commit at %d, want at or below the fence %d (it took its timestamp first)", p.ts, fence)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := w.waitThrough(ctx, fence); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("waitThrough(fence) = %v with the commit below it unapplied, want it to wait", err)
	}
	w.applied(p)
	if err := w.waitThrough(context.Background(), fence); err != nil {
		t.Fatal(err)
	}
	if next := clock.Now(); next <= fence {
		t.Fatalf("after the fence the clock issued %d, at or below %d", next, fence)
	}
}
