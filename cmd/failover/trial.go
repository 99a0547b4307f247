package main

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// errNoWrite marks a trial in which no write was acknowledged in time:
// a measurement (reported), not an error of the tool.
var errNoWrite = errors.New("no write acknowledged")

// trialResult is one trial's measurement.
type trialResult struct {
	elapsed time.Duration // from the fault to the first acknowledged write
	leader  int           // the node faulted (0-based)
	writer  int           // the node the writes went through
	local   bool          // the writer became the new leader
}

// settle is the wait between the warm-up writes and the fault.
const settle = time.Second

// retryPause follows a failed write before the next: short, so the loop
// stays tight, but enough that a write failing at once (a refused
// connection) does not take a core from the cluster.
const retryPause = 5 * time.Millisecond

// trial runs one fault on a fresh cluster and measures it.
func trial(ctx context.Context, bin, kind string, inNetwork bool, timeout time.Duration) (trialResult, error) {
	var res trialResult
	c, err := newCluster(ctx, bin, inNetwork)
	if err != nil {
		return res, err
	}
	defer c.close()
	for _, nd := range c.nodes {
		if err := nd.start(); err != nil {
			return res, err
		}
	}
	sctx, cancel := context.WithTimeout(ctx, 90*time.Second)
	defer cancel()
	for _, nd := range c.nodes {
		if err := nd.waitServing(sctx); err != nil {
			return res, err
		}
	}
	if res.leader, err = c.leader(ctx, -1); err != nil {
		return res, err
	}
	// The writes go through a follower, the node after the leader.
	res.writer = (res.leader + 1) % len(c.nodes)
	w := c.nodes[res.writer]
	conn, err := w.connect(sctx)
	if err != nil {
		return res, fmt.Errorf("connecting to node %d: %w", w.id, err)
	}
	// conn is replaced when the writes reconnect; close the last one.
	defer func() {
		if conn != nil {
			_ = conn.Close(context.Background())
		}
	}()
	for _, stmt := range []string{
		"create table if not exists failover (k int primary key, v bigint not null)",
		"insert into failover values (1, 0) on conflict (k) do nothing",
		// Warm: the writes' node knows the leader, the statement is
		// prepared on the connection.
		"update failover set v = v + 1 where k = 1",
		"update failover set v = v + 1 where k = 1",
	} {
		if err := retry(sctx, func() error { _, err := conn.Exec(sctx, stmt); return err }); err != nil {
			return res, fmt.Errorf("%s: %w", stmt, err)
		}
	}

	// A new cluster is still setting up (heartbeats, replication queues
	// to the peers it just saw): let it settle, so that the fault hits
	// a cluster at work, not one finishing its start.
	select {
	case <-ctx.Done():
		return res, ctx.Err()
	case <-time.After(settle):
	}

	// The clock starts with the fault; the writes start once it is
	// complete (the process gone or stopped, the cut made), so that no
	// write sent after the fault reaches the old leader while it still
	// runs.
	leader := c.nodes[res.leader]
	var fault time.Time
	switch kind {
	case "kill":
		fault = time.Now()
		leader.kill() // returns once the process has exited
	case "pause":
		fault = time.Now()
		if err := pauseProcess(ctx, leader.cmd.Process); err != nil {
			return res, err
		}
	case "isolate":
		// The cut is complete when Isolate returns (four tc commands).
		if err := c.nw.Isolate(ctx, res.leader); err != nil {
			return res, err
		}
		fault = time.Now()
	}
	deadline := fault.Add(timeout)
	for {
		// Each write may wait as long as the trial: the server's router
		// looks for the new leader itself, as it would for any client.
		wctx, cancel := context.WithDeadline(ctx, deadline)
		_, err := conn.Exec(wctx, "update failover set v = v + 1 where k = 1")
		cancel()
		if err == nil {
			res.elapsed = time.Since(fault)
			break
		}
		if ctx.Err() != nil {
			return res, ctx.Err()
		}
		if time.Now().After(deadline) {
			return res, fmt.Errorf("%w within %v of the fault (last error: %v)", errNoWrite, timeout, err)
		}
		if conn.IsClosed() {
			// The writes' node survives; reconnect to it.
			cctx, cancel := context.WithDeadline(ctx, deadline)
			conn, err = w.connect(cctx)
			cancel()
			if err != nil {
				return res, fmt.Errorf("%w: reconnecting to node %d: %v", errNoWrite, w.id, err)
			}
		}
		time.Sleep(retryPause)
	}
	if next, err := c.leader(ctx, res.leader); err == nil {
		res.local = next == res.writer
	}
	return res, nil
}

// retry runs f until it succeeds or ctx ends, for the setup's statements
// while the new cluster settles (a leader change answers 40001 or
// 08006).
func retry(ctx context.Context, f func() error) error {
	for {
		err := f()
		if err == nil || ctx.Err() != nil {
			return err
		}
		time.Sleep(100 * time.Millisecond)
	}
}
