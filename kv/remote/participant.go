package remote

import (
	"context"
	"errors"
	"fmt"

	"github.com/quorumdb/quorumdb/kv"
	"github.com/quorumdb/quorumdb/kv/remote/kvpb"
)

// Participant is the replica of a partition on another node, as a
// coordinator (kv/dist) uses it: parts of distributed transactions run
// there over a Txn stream each, and resolutions and decisions are TxnOp
// calls. Every response carries the server's clock, which updates the
// coordinator's (the hybrid logical clock's message rule).
type Participant struct {
	c         *Client
	addr      string
	partition uint32
	clock     *kv.Clock
}

// Participant returns partition p's replica at addr; clock is this
// node's.
func (c *Client) Participant(addr string, p uint32, clock *kv.Clock) *Participant {
	return &Participant{c: c, addr: addr, partition: p, clock: clock}
}

// BeginAt begins a part of a distributed transaction on the replica (see
// kv.LocalStore.BeginAt). The stream is given up when this node learns
// that the partition's leader moved (Client.PartitionLeaderMoved).
func (pt *Participant) BeginAt(ctx context.Context, readTS kv.Timestamp, opts kv.TxnOptions) (kv.ParticipantTxn, error) {
	t, err := pt.c.open(ctx, pt.addr, opts, &pt.partition, pt.setup(readTS, opts))
	if err != nil {
		return nil, err
	}
	t.clock = pt.clock
	if err := t.awaitBegin(); err != nil {
		return nil, err
	}
	return t, nil
}

// BeginWith begins a part like BeginAt and runs first on it at once:
// the begin and first's first operation travel together and are answered
// in one round trip. beginCtx bounds the begin, opCtx first's operations
// (first should use opCtx). If the begin fails, the server runs nothing
// after it and err is the begin's error, as BeginAt would return it;
// otherwise the part is returned with first's own error in opErr.
func (pt *Participant) BeginWith(beginCtx, opCtx context.Context, readTS kv.Timestamp, opts kv.TxnOptions, first func(kv.ParticipantTxn) error) (part kv.ParticipantTxn, opErr, err error) {
	t, err := pt.c.open(beginCtx, pt.addr, opts, &pt.partition, pt.setup(readTS, opts))
	if err != nil {
		return nil, nil, err
	}
	t.clock = pt.clock
	opErr = first(t)
	if t.beginPending {
		// first sent nothing (it had nothing to ask, or pipelined).
		if err := t.awaitBegin(); err != nil {
			return nil, nil, err
		}
	}
	if t.beginFailed {
		return nil, nil, t.err
	}
	return t, opErr, nil
}

// setup is the OP_BEGIN of a part at readTS.
func (pt *Participant) setup(readTS kv.Timestamp, opts kv.TxnOptions) func(*kvpb.Request) {
	return func(r *kvpb.Request) {
		r.HasPartition, r.Partition, r.Ts = true, pt.partition, uint64(readTS)
		r.TxnId, r.UncertaintyLimit, r.Start = opts.ID[:], uint64(opts.UncertaintyLimit), uint64(opts.Start)
	}
}

// BeginSavepoint returns the mark the server took as the part began (a
// savepoint before any operation), which costs no round trip, or false
// for a read-only part, which has none.
func (t *txn) BeginSavepoint() (kv.Savepoint, bool) {
	if t.beginMark == 0 {
		return kv.Savepoint{}, false
	}
	return kv.NewSavepoint(savepointMark{txn: t, id: t.beginMark}), true
}

// Resolve implements the participant's Resolve (kv.LocalStore.Resolve).
func (pt *Participant) Resolve(ctx context.Context, id kv.TxnID, commit bool, ts kv.Timestamp) error {
	_, err := pt.txnOp(ctx, kvpb.TxnOpRequest_KIND_RESOLVE, id, commit, ts)
	return err
}

// Decide implements the participant's Decide (kv.LocalStore.Decide).
func (pt *Participant) Decide(ctx context.Context, id kv.TxnID, commit bool, ts kv.Timestamp) (kv.TxnOutcome, error) {
	return pt.txnOp(ctx, kvpb.TxnOpRequest_KIND_DECIDE, id, commit, ts)
}

// Forget implements the participant's Forget (kv.LocalStore.Forget).
func (pt *Participant) Forget(ctx context.Context, id kv.TxnID) error {
	_, err := pt.txnOp(ctx, kvpb.TxnOpRequest_KIND_FORGET, id, false, 0)
	return err
}

func (pt *Participant) txnOp(ctx context.Context, kind kvpb.TxnOpRequest_Kind, id kv.TxnID, commit bool, ts kv.Timestamp) (kv.TxnOutcome, error) {
	kc, err := pt.c.kvClient(pt.addr)
	if err != nil {
		if errors.Is(err, kv.ErrClosed) {
			return kv.TxnOutcome{}, err
		}
		return kv.TxnOutcome{}, fmt.Errorf("%w: %v", kv.ErrUnavailable, err)
	}
	callCtx, cancel := context.WithTimeout(ctx, pt.c.silence)
	defer cancel()
	resp, err := kc.TxnOp(callCtx, &kvpb.TxnOpRequest{Kind: kind, Partition: pt.partition, TxnId: id[:], Commit: commit, Ts: uint64(ts)}, callOptions...)
	if err != nil {
		if ctx.Err() != nil {
			return kv.TxnOutcome{}, ctx.Err()
		}
		// Every TxnOp is idempotent: the caller may repeat it.
		return kv.TxnOutcome{}, unavailable(pt.addr, err)
	}
	pt.clock.Update(kv.Timestamp(resp.Clock))
	if err := decodeError(resp.Error); err != nil {
		return kv.TxnOutcome{}, err
	}
	return kv.TxnOutcome{Committed: resp.Committed, TS: kv.Timestamp(resp.Ts)}, nil
}

// RefreshTo implements kv.ParticipantTxn.
func (t *txn) RefreshTo(ctx context.Context, ts kv.Timestamp) error {
	t.newRequest(kvpb.Op_OP_REFRESH_TO, nil).Ts = uint64(ts)
	return t.call(ctx, nil)
}

// ValidateAt implements kv.ParticipantTxn.
func (t *txn) ValidateAt(ctx context.Context, ts kv.Timestamp) error {
	if t.prepared {
		// The server's part stays open after Prepare; call() refuses
		// done transactions only.
		t.done = false
		defer func() { t.done = true }()
	}
	t.newRequest(kvpb.Op_OP_VALIDATE_AT, nil).Ts = uint64(ts)
	return t.call(ctx, nil)
}

// Prepare implements kv.ParticipantTxn. A stream that breaks while the
// prepare is outstanding leaves it in doubt: kv.ErrCommitUnknown, which
// the coordinator resolves by aborting through the record.
func (t *txn) Prepare(ctx context.Context, id kv.TxnID, record uint32) (kv.Timestamp, error) {
	r := t.newRequest(kvpb.Op_OP_PREPARE, nil)
	r.TxnId, r.Record = id[:], record
	err := t.call(ctx, nil)
	if err != nil {
		if errors.Is(err, kv.ErrUnavailable) && !errors.Is(err, kv.ErrCommitUnknown) {
			err = fmt.Errorf("%w: %w", kv.ErrCommitUnknown, err)
		}
		return 0, err
	}
	if t.clock != nil {
		t.clock.Update(kv.Timestamp(t.resp.Clock))
	}
	// Only ValidateAt and Rollback follow, as for a local part.
	t.prepared, t.done = true, true
	return kv.Timestamp(t.resp.Ts), nil
}
