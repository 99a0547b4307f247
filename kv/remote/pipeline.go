package remote

import (
	"context"
	"fmt"
	"hash/maphash"

	"github.com/quorumdb/quorumdb/kv"
	"github.com/quorumdb/quorumdb/kv/remote/kvpb"
)

// Pipelining of InsertFresh. A bulk load (COPY into a table keyed by its
// row id, CREATE INDEX, ADD PRIMARY KEY's re-key) writes every key with
// InsertFresh, whose only possible "normal" failure, kv.ErrKeyExists,
// depends on nothing but the transaction's own writes. The client can
// therefore tell, without asking, that an InsertFresh will succeed, and
// send it later in a batch instead of paying a round trip per key.
//
// Deciding locally. written holds a hash of every key this transaction
// gave a value (Put, Insert, InsertFresh; whatever their outcome). It
// only grows: Delete, DeleteRange and RollbackTo remove nothing. So it
// is always a superset of the keys that hold a live own write on the
// server (those are keys given a value and not since removed), under
// every sequence of Savepoint/RollbackTo (which only brings back writes
// made before, hence recorded), failed operations and range deletes. A
// key absent from written has no live own write: its InsertFresh cannot
// fail with kv.ErrKeyExists and is pipelined. A key present (written
// before, or a 64-bit hash collision) takes the synchronous path and the
// server decides, exactly. The cost of keeping the set grow-only is that
// an InsertFresh of a key deleted earlier in the same transaction waits
// for its answer; the bulk paths never do that. The set costs about 40
// bytes per key, whatever the key's length (measured: 36 MiB for 1M
// keys, the COPY of pgbench -s 10), on the client node, for the
// transaction's life; the leader buffers the same keys with their values
// anyway.
//
// Other errors. The server can still fail a pipelined InsertFresh for a
// reason that does not depend on the key's presence: kv.ErrTxnTooLarge,
// the store closing, the stream breaking. Those are checked locally where
// they can be (done, read-only, invalid key, ctx: synchronous path or
// immediate error, as before), and otherwise come back in the batch's
// response. The server stops at the failing write and aborts the
// transaction; the client returns the error from the call that collects
// the response (see txn.flush): any later call of the transaction,
// Commit included, and InsertFresh itself when it sends a batch while
// maxInFlight are outstanding. After that every call returns
// kv.ErrTxnDone, as the server's transaction would.
const (
	// batchMaxKeys and batchMaxBytes bound one OP_INSERT_FRESH_BATCH.
	batchMaxKeys  = 1000
	batchMaxBytes = 1 << 20
	// maxInFlight bounds the batches sent and not yet answered: it
	// bounds the responses queued on the stream, which nobody reads
	// until the next flush (so that gRPC's flow control never stalls
	// the server's sends), while keeping the server busy.
	maxInFlight = 8
)

// pipeline is a txn's InsertFresh pipelining state.
type pipeline struct {
	seed    maphash.Seed
	written map[uint64]struct{}

	// The batch being filled: its keys and values back to back in
	// arena, entry i being arena[ends[2i-1]:ends[2i]] and so on.
	arena []byte
	ends  []int
	// req is the batch request, reused (Send marshals it).
	req *kvpb.Request
	kvs []*kvpb.KeyValue

	// inFlight holds the seqs of the batches sent and not yet answered,
	// oldest first.
	inFlight []uint64
	// err is the first failure of an answered batch not yet returned.
	err error
}

// noteWrite records that key may now hold a live own write, and reports
// whether it was recorded already (it may have one).
func (p *pipeline) noteWrite(key []byte) (known bool) {
	if p.written == nil { // the first write: read-only use pays nothing
		p.seed, p.written, p.req = maphash.MakeSeed(), make(map[uint64]struct{}), new(kvpb.Request)
	}
	h := maphash.Bytes(p.seed, key)
	if _, known = p.written[h]; !known {
		p.written[h] = struct{}{}
	}
	return known
}

// batchLen is the number of writes waiting to be sent.
func (p *pipeline) batchLen() int { return len(p.ends) / 2 }

// add buffers a write, copying key and value.
func (p *pipeline) add(key, value []byte) {
	p.arena = append(p.arena, key...)
	p.ends = append(p.ends, len(p.arena))
	p.arena = append(p.arena, value...)
	p.ends = append(p.ends, len(p.arena))
}

// full reports whether the batch should be sent now.
func (p *pipeline) full() bool {
	return p.batchLen() >= batchMaxKeys || len(p.arena) >= batchMaxBytes
}

// validKey is kv's key rule: non-empty, outside the reserved 0x00 space.
// An invalid key takes the synchronous path, for the server's error.
func validKey(key []byte) bool { return len(key) > 0 && key[0] != 0x00 }

// insertFresh pipelines an InsertFresh when it can be decided locally,
// and otherwise runs it synchronously.
func (t *txn) insertFresh(ctx context.Context, key, value []byte) error {
	if t.aborted {
		return kv.ErrTxnDone
	}
	if t.beginPending {
		// The begin's answer must not be taken for a batch's.
		if err := t.awaitBegin(); err != nil {
			return err
		}
	}
	if len(key)+len(value) > maxWriteBytes {
		return t.write(ctx, kvpb.Op_OP_INSERT_FRESH, key, value) // refused there
	}
	known := t.pipe.noteWrite(key)
	if known || t.done || t.err != nil || t.readOnly || !validKey(key) {
		return t.write(ctx, kvpb.Op_OP_INSERT_FRESH, key, value)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	t.wrote = true
	t.pipe.add(key, value)
	if t.pipe.full() {
		return t.sendBatch()
	}
	return nil
}

// sendBatch sends the buffered writes as one OP_INSERT_FRESH_BATCH
// without waiting for its answer, after collecting the oldest answer if
// maxInFlight batches are outstanding. It returns an error of a batch
// answered so far (reported once), or the stream's failure.
func (t *txn) sendBatch() error {
	p := &t.pipe
	if len(p.inFlight) >= maxInFlight {
		if err := t.receiveBatch(); err != nil {
			return err
		}
	}
	if p.err != nil {
		return t.reportBatchError()
	}
	n := p.batchLen()
	for len(p.kvs) < n {
		p.kvs = append(p.kvs, new(kvpb.KeyValue))
	}
	start := 0
	for i := range n {
		kEnd, vEnd := p.ends[2*i], p.ends[2*i+1]
		p.kvs[i].Key, p.kvs[i].Value = p.arena[start:kEnd], p.arena[kEnd:vEnd]
		start = vEnd
	}
	t.seq++
	r := p.req
	r.Op, r.Seq, r.Kvs = kvpb.Op_OP_INSERT_FRESH_BATCH, t.seq, p.kvs[:n]
	t.sendMu.Lock()
	err := t.stream.Send(r)
	t.sendMu.Unlock()
	for _, e := range p.kvs[:n] {
		e.Key, e.Value = nil, nil
	}
	r.Kvs = nil
	p.arena, p.ends = p.arena[:0], p.ends[:0]
	if err != nil {
		return t.broken(err)
	}
	p.inFlight = append(p.inFlight, t.seq)
	return nil
}

// receiveBatch reads the answer of the oldest outstanding batch,
// keeping its failure in t.pipe.err if it is the first.
func (t *txn) receiveBatch() error {
	p := &t.pipe
	if err := t.recv(); err != nil {
		return t.broken(err)
	}
	want := p.inFlight[0]
	if t.resp.Seq != want {
		return t.broken(fmt.Errorf("kv/remote: response to operation %d, want batch %d", t.resp.Seq, want))
	}
	p.inFlight = p.inFlight[1:]
	t.readTS = kv.Timestamp(t.resp.ReadTimestamp)
	if err := decodeError(t.resp.Error); err != nil && p.err == nil {
		p.err = err
	}
	return nil
}

// flush sends the buffered writes and collects every outstanding answer.
// It returns the first batch failure (once; the transaction is then
// aborted) or the stream's.
func (t *txn) flush() error {
	p := &t.pipe
	if p.batchLen() > 0 {
		if err := t.sendBatch(); err != nil {
			return err
		}
	}
	for len(p.inFlight) > 0 {
		if err := t.receiveBatch(); err != nil {
			return err
		}
	}
	if p.err != nil {
		return t.reportBatchError()
	}
	return nil
}

// reportBatchError returns the batch failure and marks the transaction
// aborted: the server rolled it back (insertFreshBatch).
func (t *txn) reportBatchError() error {
	err := t.pipe.err
	t.pipe.err = nil
	t.aborted = true
	t.pipe.arena, t.pipe.ends, t.pipe.inFlight = nil, nil, nil
	return err
}

// broken records that the stream failed: every later call returns
// kv.ErrUnavailable, and the server rolls the transaction back.
func (t *txn) broken(err error) error {
	t.err = unavailable(t.addr, err)
	if reason := t.abandoned.Load(); reason != nil {
		t.err = *reason
	}
	t.endStream()
	return t.err
}

// Flush implements kv.Flusher: it sends the buffered InsertFresh writes
// and waits for every outstanding batch. With nothing outstanding it
// costs nothing (no round trip).
func (t *txn) Flush(ctx context.Context) error {
	p := &t.pipe
	if t.done || t.aborted || t.err != nil || (p.batchLen() == 0 && len(p.inFlight) == 0 && p.err == nil) {
		return nil
	}
	return t.flush()
}
