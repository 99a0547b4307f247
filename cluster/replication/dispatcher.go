package replication

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/bits"

	"github.com/quorumdb/quorumdb/cluster/replication/replicationpb"
)

// errAddressChanged ends a stream whose peer moved to another address.
var errAddressChanged = errors.New("replication: peer address changed")

// dispatcher delivers one queue to its peer: the shell around window. Its
// goroutine (run) is the only sender on its stream; a second goroutine per
// stream only receives acks and hands them over on a channel.
type dispatcher struct {
	q       *queue
	peer    *peerConn
	origin  int
	limit   int
	backoff Backoff
	log     *slog.Logger
}

// ackResult is one Recv outcome of a stream.
type ackResult struct {
	ack *replicationpb.Ack
	err error
}

// run delivers until ctx is done, reconnecting with backoff. An entry is
// never dropped: only an acknowledgement removes it.
func (d *dispatcher) run(ctx context.Context) {
	attempt := 0
	for {
		if err := d.waitForWork(ctx); err != nil {
			return
		}
		delivered, err := d.stream(ctx)
		if ctx.Err() != nil {
			return
		}
		if delivered > 0 {
			attempt = 0 // progress: the peer works, retry quickly
		}
		d.q.recordFailure(err)
		delay := d.backoff.Delay(attempt)
		// Log the first failure and then at doubling intervals, so a peer
		// down for an hour does not flood the log.
		level := slog.LevelDebug
		if attempt == 0 || bits.OnesCount(uint(attempt)) == 1 {
			level = slog.LevelWarn
		}
		addr, _ := d.peer.address()
		d.log.Log(ctx, level, "replication: delivery failed", "peer", d.q.peer, "peer_addr", addr,
			"queue", d.q.name, "err", err, "attempt", attempt+1, "retry_in", delay)
		if sleep(ctx, delay) != nil {
			return
		}
		attempt++
	}
}

// waitForWork blocks until the queue has unacknowledged entries and the
// peer's address is known. Idle queues hold no stream open until then.
func (d *dispatcher) waitForWork(ctx context.Context) error {
	for {
		acked, last := d.q.bounds()
		addr, changed := d.peer.address()
		if last > acked && addr != "" {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-d.q.kick:
		case <-changed:
		}
	}
}

// stream runs one Deliver stream until it fails, returning the number of
// events acknowledged on it and why it ended.
func (d *dispatcher) stream(ctx context.Context) (delivered uint64, err error) {
	conn, addr, changed, err := d.peer.get(ctx)
	if err != nil {
		return 0, err
	}
	sctx, cancel := context.WithCancel(ctx)
	st, err := replicationpb.NewReplicationClient(conn).Deliver(sctx)
	if err != nil {
		cancel()
		return 0, fmt.Errorf("replication: open stream to %s: %w", addr, err)
	}
	acks := make(chan ackResult, 1)
	recvDone := make(chan struct{})
	go func() {
		defer close(recvDone)
		for {
			a, err := st.Recv()
			select {
			case acks <- ackResult{a, err}:
			case <-sctx.Done():
				return
			}
			if err != nil {
				return
			}
		}
	}()
	// Cancel first so that Recv returns, then wait: the receive goroutine
	// never outlives its stream.
	defer func() { cancel(); <-recvDone }()

	d.q.setConnected(true)
	defer d.q.setConnected(false)

	acked, last := d.q.bounds()
	w := newWindow(d.limit, acked, last)
	header := &replicationpb.Batch{
		Origin: int64(d.origin), Target: int64(d.q.peer), Queue: d.q.name, Incarnation: d.q.incarnation,
	}
	sendBroken := false
	for {
		w.appended(d.q.lastSeq())
		for !sendBroken {
			from, to, ok := w.next(0)
			if !ok {
				break
			}
			evs, err := d.q.read(from, to)
			if err != nil {
				return delivered, err
			}
			b := &replicationpb.Batch{
				Origin: header.Origin, Target: header.Target, Queue: header.Queue,
				Incarnation: header.Incarnation, Events: evs,
			}
			if err := st.Send(b); err != nil {
				// The stream is over; its status (and maybe a last ack,
				// e.g. a rejection) arrives through Recv.
				sendBroken = true
				break
			}
			w.markSent(to)
		}
		select {
		case <-ctx.Done():
			return delivered, ctx.Err()
		case <-changed:
			return delivered, errAddressChanged
		case <-d.q.kick:
		case r := <-acks:
			if r.err != nil {
				return delivered, fmt.Errorf("replication: stream to %s: %w", addr, r.err)
			}
			n, err := w.ack(r.ack.GetAppliedThrough())
			if err != nil {
				return delivered, err
			}
			if n > 0 {
				delivered += n
				if err := d.q.ackThrough(r.ack.GetAppliedThrough()); err != nil {
					return delivered, err
				}
			}
			if r.ack.GetRejected() {
				return delivered, fmt.Errorf("%w: seq %d: %s", ErrRejected, r.ack.GetRejectedSeq(), r.ack.GetError())
			}
		}
	}
}
