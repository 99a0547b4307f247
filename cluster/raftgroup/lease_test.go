package raftgroup

import (
	"errors"
	"testing"
	"time"

	"go.etcd.io/raft/v3"
)

// Scripted scenarios of the leader lease on the simulated cores
// (sim_test.go). Each checks, at every half millisecond of simulated
// time, that no node holds a valid lease while another leads in a later
// term; the negative controls switch a safeguard off and show that the
// same check then catches the overlap, so the check has teeth.

func TestLeaseTimingFromTicks(t *testing.T) {
	tm, err := newTiming(100*time.Millisecond, 10)
	if err != nil {
		t.Fatal(err)
	}
	// 9 ticks of at least 90 ms on the fastest follower clock, seen from
	// the slowest leader clock (1% each way).
	loyalty := 9 * 90 * time.Millisecond
	want := time.Duration(float64(loyalty) * 0.99 / 1.01)
	if tm.leaseDuration != want {
		t.Errorf("lease %v, want %v", tm.leaseDuration, want)
	}
	if tm.voteGrace < time.Duration(float64(tm.leaseDuration)*1.01/0.99) {
		t.Errorf("vote grace %v shorter than the longest lease %v measured on a fast clock", tm.voteGrace, tm.leaseDuration)
	}
	if _, err := newTiming(100*time.Millisecond, 1); err == nil {
		t.Error("an election timeout of 1 tick leaves no lease, and must be refused")
	}
}

// A leader stopped (SIGSTOP) for longer than the election timeout finds
// its lease expired the moment it resumes, before its loop has stepped a
// single message of the new term: a read queued on it goes to a read
// round, which fails once the loop learns of the new leader.
func TestLeasePausedLeaderFindsItExpired(t *testing.T) {
	s := newSim(t, 3)
	l := s.elect()
	s.propose(l, "a=1")
	term := l.core.term

	l.paused = true
	s.tracef("node %d paused", l.id)
	s.runUntil("a new leader", 10*time.Second, func() bool { return s.leaderAbove(term) != nil })
	nl := s.leaderAbove(term)
	s.runUntil("the new leader's lease", 5*time.Second, func() bool { return s.leaseValid(nl) })
	s.propose(nl, "a=2")
	s.run(time.Second)

	if s.leaseValid(l) {
		t.Fatalf("the resumed leader still holds its lease")
	}
	if !l.core.leading {
		t.Fatalf("the scenario is void: the paused leader's core already knows it lost")
	}
	l.paused = false
	s.tracef("node %d resumed", l.id)
	read := make(chan error, 1)
	l.core.addReaders([]chan error{read})
	s.runUntil("the queued read answered", 5*time.Second, func() bool { return len(read) > 0 })
	if err := <-read; !errors.Is(err, ErrNotLeader) {
		t.Fatalf("read on the resumed old leader: %v, want ErrNotLeader", err)
	}
	s.noViolations()
}

// A leader cut off from both followers keeps believing it leads (until
// CheckQuorum demotes it) but its lease runs out before the others can
// elect a successor.
func TestLeaseIsolatedLeader(t *testing.T) {
	s := newSim(t, 3)
	l := s.elect()
	term := l.core.term
	cutAt := s.now
	s.isolate(l.id, true)
	s.tracef("node %d isolated", l.id)
	var leaseEnded time.Duration
	s.runUntil("a new leader", 10*time.Second, func() bool {
		if leaseEnded == 0 && !s.leaseValid(l) {
			leaseEnded = s.now
		}
		return s.leaderAbove(term) != nil
	})
	elected := s.now
	if !l.core.leading {
		t.Logf("note: CheckQuorum demoted the old leader before the election")
	}
	t.Logf("lease ended %v after the cut, successor elected %v after it", leaseEnded-cutAt, elected-cutAt)
	if leaseEnded == 0 || leaseEnded > elected {
		t.Fatalf("the isolated leader's lease outlived the election")
	}
	s.isolate(l.id, false)
	s.runUntil("the old leader follows", 5*time.Second, func() bool { return !l.core.leading })
	s.noViolations()
}

// A stalled loop (the process runs, the loop does not get to it) cannot
// keep the lease alive: reads see it expire on time, fall back to a read
// round, and are answered once the loop catches up, still leading.
func TestLeaseExpiresWhileLoopIsBehind(t *testing.T) {
	s := newSim(t, 3)
	l := s.elect()
	l.paused = true // the loop is stuck; reads still check the clock
	stalled := s.now
	expires := l.pub.lease.Load().expires
	s.runUntil("the lease to expire", 2*time.Second, func() bool { return !s.leaseValid(l) })
	if gone := l.clock.Now(); gone < expires {
		t.Fatalf("the lease ended at %v, before its expiry %v", gone, expires)
	}
	if since := s.now - stalled; since > s.timing.leaseDuration {
		t.Fatalf("the lease lasted %v into the stall, longer than a lease (%v)", since, s.timing.leaseDuration)
	}
	l.paused = false // before the followers' election timeout
	read := make(chan error, 1)
	l.core.addReaders([]chan error{read})
	s.runUntil("the read answered", 2*time.Second, func() bool { return len(read) > 0 })
	if err := <-read; err != nil {
		t.Fatalf("read after the loop caught up: %v", err)
	}
	if !s.leaseValid(l) {
		t.Fatalf("the leader did not renew its lease after catching up")
	}
	s.noViolations()
}

// adversary sets up the worst case for the lease: node f2 is cut from
// the leader and asks for pre-votes every 3 ms (unless a vote of its is
// under way), so that it wins the moment f1, the leader's last follower,
// stops being loyal; then the leader is cut from f1 at an offset into a
// tick, which varies where f1's last acknowledgement falls relative to
// its own ticks. It returns the violations of the run and the real time
// from the end of the old leader's lease to f2's election (negative:
// they overlapped).
func adversary(t *testing.T, offset time.Duration, tune func(s *sim, l, f1, f2 *simNode)) ([]violation, time.Duration) {
	s := newSim(t, 3)
	l := s.elect()
	others := s.others(l)
	f1, f2 := others[0], others[1]
	tune(s, l, f1, f2)
	s.setCut(l.id, f2.id, true)
	term := l.core.term
	s.run(time.Second + offset)
	s.setCut(l.id, f1.id, true)
	s.tracef("node %d cut from node %d", l.id, f1.id)
	next := s.now
	var leaseEnded time.Duration
	s.runUntil("f2 elected", 10*time.Second, func() bool {
		if leaseEnded == 0 && !s.leaseValid(l) {
			leaseEnded = s.now
		}
		if st := f2.core.rn.BasicStatus().RaftState; s.now >= next && st != raft.StateLeader && st != raft.StateCandidate {
			next = s.now + 3*time.Millisecond
			if err := f2.core.rn.Campaign(); err != nil {
				t.Fatal(err)
			}
		}
		return s.leaderAbove(term) != nil
	})
	if leaseEnded == 0 { // still valid at the election: when will it end?
		left := l.pub.lease.Load().expires - l.clock.Now()
		leaseEnded = s.now + time.Duration(float64(left)/l.clock.rate)
	}
	return s.violations, s.now - leaseEnded
}

// Clock rates at the margin the lease allows (leader 1% slow, followers
// 1% fast, every tick as early as the core accepts, a ticker on f1
// firing far too often) never give two leaders; rates beyond the margin
// do, which shows the margin is what holds the invariant.
func TestLeaseClockDriftAtTheMargin(t *testing.T) {
	worstCase := func(drift float64, f1Ticker time.Duration) func(s *sim, l, f1, f2 *simNode) {
		return func(s *sim, l, f1, f2 *simNode) {
			s.setRate(l.id, 1-drift)
			s.setRate(f1.id, 1+drift)
			s.setRate(f2.id, 1+drift)
			for _, nd := range s.nodes {
				nd.tickEvery = s.timing.minTickGap
			}
			if f1Ticker > 0 {
				f1.tickEvery = f1Ticker
			}
		}
	}
	const trials = 12
	closest := time.Hour
	for i := range trials {
		offset := s9(i, trials)
		v, gap := adversary(t, offset, worstCase(maxClockRateDrift, 0))
		if len(v) > 0 {
			t.Fatalf("offset %v: at the drift margin: %v", offset, v[0])
		}
		closest = min(closest, gap)
		if v, _ := adversary(t, offset, worstCase(maxClockRateDrift, time.Millisecond)); len(v) > 0 {
			t.Fatalf("offset %v: with f1's ticker firing every 1ms: %v", offset, v[0])
		}
	}
	t.Logf("at the margin (1%% drift): the successor came at least %v after the lease ended", closest)
	broken := 0
	overlap := time.Duration(0)
	for i := range trials {
		v, gap := adversary(t, s9(i, trials), worstCase(4*maxClockRateDrift, 0))
		if len(v) > 0 {
			broken++
			overlap = max(overlap, -gap)
		}
	}
	if broken == 0 {
		t.Fatalf("with 4x the allowed drift no run showed two leaders: the check (or the scenario) has no teeth")
	}
	t.Logf("beyond the margin (4%% drift): two leaders in %d of %d runs, overlapping for up to %v", broken, trials, overlap)
}

// s9 spreads trial i of n over one tick of the simulated group.
func s9(i, n int) time.Duration { return simTick * time.Duration(i) / time.Duration(n) }

// A follower that crashes and restarts has forgotten that it heard from
// the leader: it refuses votes for voteGrace after starting. Without that
// grace, the adversary wins at once.
func TestLeaseRestartedFollowerDoesNotVoteAtOnce(t *testing.T) {
	restartF1 := func(grace bool) func(s *sim, l, f1, f2 *simNode) {
		return func(s *sim, l, f1, f2 *simNode) {
			if !grace {
				f1.onOpen = func(tm *timing) { tm.voteGrace = 0 }
			}
			f1.tickEvery = s.timing.minTickGap
			// Crash and restart f1 just after it was cut from the leader
			// (the adversary cuts at 1 s).
			s.after(time.Second+time.Millisecond, func() { s.restart(f1.id) })
		}
	}
	if v, _ := adversary(t, 0, restartF1(true)); len(v) > 0 {
		t.Fatalf("restarted follower with the vote grace: %v", v[0])
	}
	if v, _ := adversary(t, 0, restartF1(false)); len(v) == 0 {
		t.Fatalf("without the vote grace the restarted follower should have let a second leader in during the lease")
	}
}

// A leader that starts a leadership transfer gives its lease up at once
// and takes no new one in that term, even when the transfer fails.
func TestLeaseGivenUpOnTransfer(t *testing.T) {
	s := newSim(t, 3)
	l := s.elect()
	f := s.others(l)[0]
	if err := l.core.transferLeadership(f.id); err != nil {
		t.Fatal(err)
	}
	if s.leaseValid(l) {
		t.Fatal("lease still valid after the transfer started")
	}
	s.runUntil("the transferee leads", 5*time.Second, func() bool { return f.core.leading })
	s.noViolations()

	// A transfer to a node that cannot be reached is aborted by raft
	// after an election timeout; the leader leads on, without a lease.
	l = f
	f = s.others(l)[0]
	s.runUntil("a lease", 5*time.Second, func() bool { return s.leaseValid(l) })
	s.setCut(l.id, f.id, true)
	term := l.core.term
	if err := l.core.transferLeadership(f.id); err != nil {
		t.Fatal(err)
	}
	s.runUntil("the transfer aborted", 5*time.Second, func() bool {
		if s.leaseValid(l) {
			t.Fatalf("lease valid during the transfer")
		}
		return l.core.rn.BasicStatus().LeadTransferee == 0
	})
	s.run(2 * time.Second)
	if !l.core.leading || l.core.term != term {
		t.Fatalf("scenario void: node %d no longer leads term %d", l.id, term)
	}
	if s.leaseValid(l) {
		t.Fatal("the leader took a new lease in the term it tried to hand over")
	}
	read := make(chan error, 1)
	l.core.addReaders([]chan error{read})
	s.runUntil("a read through a round", 2*time.Second, func() bool { return len(read) > 0 })
	if err := <-read; err != nil {
		t.Fatalf("read by read round without a lease: %v", err)
	}
	s.noViolations()
}
