package remote

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/quorumdb/quorumdb/kv"
	"github.com/quorumdb/quorumdb/kv/remote/kvpb"
)

// cancelGrace is how long an operation whose context ended waits for the
// server to answer the cancel before the stream is given up (a server
// that does not answer is presumed gone).
const cancelGrace = 5 * time.Second

// txn is a kv.Txn running on a peer: the client end of one Txn stream.
// Operations are sent one at a time on the caller's goroutine; the only
// other goroutine that touches the stream is a context.AfterFunc sending
// OP_CANCEL when an operation's ctx ends.
type txn struct {
	addr         string
	stream       kvpb.KV_TxnClient
	cancelStream context.CancelFunc
	req          *kvpb.Request // reused: the stream marshals it in Send
	resp         *kvpb.Response
	seq          uint64
	readTS       kv.Timestamp
	// err is set once the stream broke: every later call returns it.
	err  error
	done bool // Commit or Rollback was called
	// wrote is set once a write or a lock (GetForUpdate) was sent: until
	// then Commit has nothing to commit and needs no answer.
	wrote bool
	// readOnly is the TxnOptions': its writes fail on the server, so
	// they are never pipelined.
	readOnly bool
	// aborted is set once a pipelined batch failed on the server, which
	// then aborted the transaction: every later call returns
	// kv.ErrTxnDone.
	aborted bool
	// pipe pipelines InsertFresh (pipeline.go).
	pipe pipeline
	// prepared: a part of a distributed transaction that Prepare
	// succeeded on (participant.go); clock is the coordinator's, for a
	// part.
	prepared bool
	ended    bool
	clock    *kv.Clock
	// beginMark is the savepoint the server took as a part began (0:
	// none); see BeginSavepoint.
	beginMark uint64
	// beginPending: OP_BEGIN was sent and its answer not yet read
	// (Client.open); the next call reads it before its own. beginCtx
	// bounds the begin until then (stopBeginWatch cancels the stream
	// when it ends). beginFailed: the answer was an error, so the server
	// never ran what followed.
	beginPending, beginFailed bool
	beginCtx                  context.Context
	stopBeginWatch            func() bool

	// abandoned is why the client gave the stream up (Client.PartitionLeaderMoved, or its silence bound);
	// set before the stream is canceled.
	abandoned atomic.Pointer[error]
	// untrack removes the stream from the client's registry; called once
	// the stream is over.
	untrack func()
	// silence and watchdog: a call hearing nothing from the server for
	// silence gives the stream up (recv). The timer is made once and
	// rearmed for every wait.
	silence  time.Duration
	watchdog *time.Timer

	// sendMu serializes Sends (the caller's and a cancel's).
	sendMu sync.Mutex
	// mu guards finished and grace, shared with cancelOp.
	mu       sync.Mutex
	finished uint64 // the last seq whose response arrived
	grace    *time.Timer
}

// savepointMark is the state of a remote kv.Savepoint.
type savepointMark struct {
	txn *txn
	id  uint64
}

// newRequest resets t.req for op.
func (t *txn) newRequest(op kvpb.Op, key []byte) *kvpb.Request {
	r := t.req
	r.Op, r.Key, r.Value, r.End, r.HasEnd, r.Limit, r.Reverse, r.ReadOnly, r.Savepoint, r.Kvs = op, key, nil, nil, false, 0, false, false, 0, nil
	r.HasPartition, r.Partition, r.Ts, r.TxnId, r.UncertaintyLimit, r.Record, r.Start = false, 0, 0, nil, 0, 0, 0
	return r
}

// call sends t.req and waits for its response in t.resp; a Scan's chunks
// are appended to *scan. It returns the operation's error as the server
// reported it, ctx's error if ctx ended the operation, or the stream's
// failure (kv.ErrUnavailable, kv.ErrCommitUnknown for a Commit). First
// it flushes the pipelined InsertFresh writes (pipeline.go): if a batch
// failed, call returns that failure instead, without sending t.req.
func (t *txn) call(ctx context.Context, scan *[]kv.KeyValue) error {
	if t.done || t.aborted {
		return kv.ErrTxnDone
	}
	if t.err != nil {
		return t.err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := t.flush(); err != nil {
		return err
	}
	t.seq++
	seq := t.seq
	t.req.Seq = seq
	var stop func() bool
	if ctx.Done() != nil {
		stop = context.AfterFunc(ctx, func() { t.cancelOp(seq) })
	}
	t.sendMu.Lock()
	err := t.stream.Send(t.req)
	t.sendMu.Unlock()
	if t.beginPending {
		// The begin travelled with this operation; its answer comes
		// first. A failed begin ended the stream before the operation
		// ran (a failed Send is most likely that end, too).
		if berr := t.awaitBegin(); berr != nil {
			if stop != nil {
				stop()
			}
			return berr
		}
	}
	for err == nil {
		if err = t.recv(); err != nil {
			break
		}
		if t.resp.Seq != seq {
			err = fmt.Errorf("kv/remote: response to operation %d, want %d", t.resp.Seq, seq)
			break
		}
		if scan != nil && t.resp.Error == nil {
			for _, e := range t.resp.Kvs {
				*scan = append(*scan, kv.KeyValue{Key: e.Key, Value: nonNil(e.Value)})
			}
		}
		if !t.resp.More {
			break
		}
	}
	if stop != nil {
		stop()
		t.mu.Lock()
		t.finished = seq
		if t.grace != nil {
			t.grace.Stop()
			t.grace = nil
		}
		t.mu.Unlock()
	}
	if err != nil {
		// The server rolls the transaction back when its stream ends.
		t.err = unavailable(t.addr, err)
		if reason := t.abandoned.Load(); reason != nil {
			t.err, err = *reason, *reason
		}
		t.endStream()
		if t.req.Op == kvpb.Op_OP_COMMIT {
			return commitUnknown(t.addr, err)
		}
		if ctxErr := ctx.Err(); ctxErr != nil {
			return ctxErr
		}
		return t.err
	}
	if reason := t.abandoned.Load(); reason != nil && t.req.Op != kvpb.Op_OP_COMMIT {
		// Given up while the answer was on its way (PartitionLeaderMoved): the
		// stream is being cancelled and the server rolls back, so the
		// answer is not taken. A Commit's answer is the truth either way.
		t.err = *reason
		t.endStream()
		return t.err
	}
	t.readTS = kv.Timestamp(t.resp.ReadTimestamp)
	if opErr := decodeError(t.resp.Error); opErr != nil {
		if ctxErr := ctx.Err(); ctxErr != nil && (errors.Is(opErr, context.Canceled) || errors.Is(opErr, context.DeadlineExceeded)) {
			return ctxErr // the server stopped waiting because we asked
		}
		return opErr
	}
	return nil
}

// recv reads the next response into t.resp, skipping the server's
// progress messages, and gives the stream up if the server stays silent
// for t.silence: a paused or cut-off leader never answers, and neither
// TCP nor gRPC keepalives would notice for many seconds.
func (t *txn) recv() error {
	t.watch()
	defer t.watchdog.Stop()
	for {
		if err := t.stream.RecvMsg(t.resp); err != nil {
			return err
		}
		if !t.resp.Progress {
			return nil
		}
		t.watch()
	}
}

// watch arms (or rearms) the silence watchdog.
func (t *txn) watch() {
	if t.watchdog == nil {
		t.watchdog = time.AfterFunc(t.silence, func() {
			t.abandon(fmt.Errorf("%w: no word from the leader at %s for %s", kv.ErrUnavailable, t.addr, t.silence))
		})
		return
	}
	t.watchdog.Reset(t.silence)
}

// abandon gives the stream up for reason (Client.PartitionLeaderMoved, or its silence bound).
func (t *txn) abandon(reason error) {
	t.markAbandoned(reason)
	t.cancelStream()
}

// markAbandoned records the first reason the stream is given up.
func (t *txn) markAbandoned(reason error) {
	t.abandoned.CompareAndSwap(nil, &reason)
}

// endStream cancels the stream and takes it off the client's registry.
func (t *txn) endStream() {
	t.cancelStream()
	t.untrack()
}

// cancelOp runs when the ctx of operation seq ends: it asks the server to
// stop waiting, and gives up the stream if no answer comes in time.
func (t *txn) cancelOp(seq uint64) {
	t.mu.Lock()
	if t.finished >= seq {
		t.mu.Unlock()
		return
	}
	t.grace = time.AfterFunc(cancelGrace, t.cancelStream)
	t.mu.Unlock()
	t.sendMu.Lock()
	// An error means the stream is broken, which the waiting Recv sees.
	_ = t.stream.Send(&kvpb.Request{Op: kvpb.Op_OP_CANCEL, Seq: seq})
	t.sendMu.Unlock()
}

func (t *txn) get(ctx context.Context, op kvpb.Op, key []byte) ([]byte, bool, error) {
	if op != kvpb.Op_OP_GET {
		t.wrote = true
	}
	t.newRequest(op, key)
	if err := t.call(ctx, nil); err != nil {
		return nil, false, err
	}
	if !t.resp.Found {
		return nil, false, nil
	}
	return nonNil(t.resp.Value), true, nil
}

// Get implements kv.Txn.
func (t *txn) Get(ctx context.Context, key []byte) ([]byte, bool, error) {
	return t.get(ctx, kvpb.Op_OP_GET, key)
}

// GetMany implements kv.MultiGetter: the Gets of every key in one round
// trip (a statement's plan revalidation reads several catalog keys).
func (t *txn) GetMany(ctx context.Context, keys [][]byte) ([][]byte, []bool, error) {
	r := t.newRequest(kvpb.Op_OP_GET_MANY, nil)
	r.Kvs = make([]*kvpb.KeyValue, len(keys))
	for i, k := range keys {
		r.Kvs[i] = &kvpb.KeyValue{Key: k}
	}
	if err := t.call(ctx, nil); err != nil {
		return nil, nil, err
	}
	if len(t.resp.Kvs) != len(keys) || len(t.resp.FoundMany) != len(keys) {
		return nil, nil, fmt.Errorf("kv/remote: GetMany of %d keys answered %d values and %d flags", len(keys), len(t.resp.Kvs), len(t.resp.FoundMany))
	}
	values, found := make([][]byte, len(keys)), make([]bool, len(keys))
	for i, e := range t.resp.Kvs {
		if t.resp.FoundMany[i] {
			values[i], found[i] = nonNil(e.Value), true
		}
	}
	return values, found, nil
}

// GetForUpdate implements kv.Txn.
func (t *txn) GetForUpdate(ctx context.Context, key []byte) ([]byte, bool, error) {
	return t.get(ctx, kvpb.Op_OP_GET_FOR_UPDATE, key)
}

func (t *txn) write(ctx context.Context, op kvpb.Op, key, value []byte) error {
	if len(key)+len(value) > maxWriteBytes {
		return fmt.Errorf("%w: a key and value of %d bytes exceed the %d bytes a write to another node may carry", kv.ErrTxnTooLarge, len(key)+len(value), maxWriteBytes)
	}
	t.wrote = true
	t.newRequest(op, key).Value = value
	return t.call(ctx, nil)
}

// Put implements kv.Txn.
func (t *txn) Put(ctx context.Context, key, value []byte) error {
	if value == nil {
		return errors.New("kv: Put with a nil value")
	}
	t.pipe.noteWrite(key)
	return t.write(ctx, kvpb.Op_OP_PUT, key, value)
}

// Insert implements kv.Txn.
func (t *txn) Insert(ctx context.Context, key, value []byte) error {
	if value == nil {
		return errors.New("kv: Insert with a nil value")
	}
	t.pipe.noteWrite(key)
	return t.write(ctx, kvpb.Op_OP_INSERT, key, value)
}

// InsertFresh implements kv.Txn. It is pipelined when the transaction's
// own writes tell it cannot fail with kv.ErrKeyExists (pipeline.go): it
// then returns before the server has run it, and a failure of the server
// (kv.ErrTxnTooLarge, kv.ErrClosed, a broken stream) comes back from a
// later call.
func (t *txn) InsertFresh(ctx context.Context, key, value []byte) error {
	if value == nil {
		return errors.New("kv: Insert with a nil value")
	}
	return t.insertFresh(ctx, key, value)
}

// Delete implements kv.Txn.
func (t *txn) Delete(ctx context.Context, key []byte) error {
	return t.write(ctx, kvpb.Op_OP_DELETE, key, nil)
}

// setEnd puts a range's upper bound in the request (nil: none).
func setEnd(r *kvpb.Request, end []byte) {
	r.End, r.HasEnd = end, end != nil
}

// DeleteRange implements kv.Txn.
func (t *txn) DeleteRange(ctx context.Context, start, end []byte) error {
	t.wrote = true
	setEnd(t.newRequest(kvpb.Op_OP_DELETE_RANGE, start), end)
	return t.call(ctx, nil)
}

// Scan implements kv.Txn. The server sends large results in chunks.
func (t *txn) Scan(ctx context.Context, start, end []byte, limit int, reverse bool) ([]kv.KeyValue, error) {
	r := t.newRequest(kvpb.Op_OP_SCAN, start)
	setEnd(r, end)
	r.Limit, r.Reverse = int64(limit), reverse
	var kvs []kv.KeyValue
	if err := t.call(ctx, &kvs); err != nil {
		return nil, err
	}
	return kvs, nil
}

// Exists implements kv.Txn.
func (t *txn) Exists(ctx context.Context, key []byte) (bool, error) {
	t.newRequest(kvpb.Op_OP_EXISTS, key)
	if err := t.call(ctx, nil); err != nil {
		return false, err
	}
	return t.resp.Found, nil
}

// Savepoint implements kv.Txn: the mark lives on the server, named by a
// number.
func (t *txn) Savepoint() (kv.Savepoint, error) {
	t.newRequest(kvpb.Op_OP_SAVEPOINT, nil)
	if err := t.call(context.Background(), nil); err != nil {
		return kv.Savepoint{}, err
	}
	return kv.NewSavepoint(savepointMark{txn: t, id: t.resp.Savepoint}), nil
}

// RollbackTo implements kv.Txn.
func (t *txn) RollbackTo(sp kv.Savepoint) error {
	if t.done {
		return kv.ErrTxnDone
	}
	m, ok := sp.State().(savepointMark)
	if !ok || m.txn != t {
		return errors.New("kv: savepoint of another transaction")
	}
	t.newRequest(kvpb.Op_OP_ROLLBACK_TO, nil).Savepoint = m.id
	return t.call(context.Background(), nil)
}

// ReadTimestamp implements kv.Txn: the server reports it with every
// response, so a read refresh is seen after the operation that made it.
func (t *txn) ReadTimestamp() kv.Timestamp { return t.readTS }

// Commit implements kv.Txn. If the stream breaks while the commit is
// outstanding, the outcome is unknown: kv.ErrCommitUnknown. A
// transaction that wrote nothing commits by doing nothing (as a
// kv.LocalStore's does): it ends like Rollback, without waiting for the
// server, which saves a round trip per read-only statement.
func (t *txn) Commit(ctx context.Context) error {
	if !t.wrote && !t.done && t.err == nil {
		if err := ctx.Err(); err != nil {
			t.Rollback()
			return err
		}
		t.Rollback()
		return nil
	}
	t.newRequest(kvpb.Op_OP_COMMIT, nil)
	err := t.call(ctx, nil)
	if !t.done {
		t.done = true
		t.endStream()
	}
	return err
}

// Rollback implements kv.Txn. It does not wait for the server: the
// rollback request (or, failing that, the stream's end) makes the server
// roll back and release the locks.
func (t *txn) Rollback() {
	if t.prepared && !t.ended {
		// The part belongs to the server's store now; only the stream
		// is left to end.
		t.ended = true
		t.endStream()
		return
	}
	if t.done {
		return
	}
	t.done = true
	if t.err == nil {
		t.seq++
		t.newRequest(kvpb.Op_OP_ROLLBACK, nil).Seq = t.seq
		t.sendMu.Lock()
		if t.stream.Send(t.req) == nil {
			_ = t.stream.CloseSend()
		}
		t.sendMu.Unlock()
	}
	t.endStream()
}
