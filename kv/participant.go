package kv

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"time"
)

// TxnID names a distributed transaction. Its coordinator chooses it at
// random; every prepare, resolution and record entry carries it.
type TxnID [16]byte

// NewTxnID returns a fresh random TxnID.
func NewTxnID() TxnID {
	var id TxnID
	if _, err := rand.Read(id[:]); err != nil {
		panic(fmt.Sprintf("kv: reading random bytes: %v", err))
	}
	return id
}

func (id TxnID) String() string { return hex.EncodeToString(id[:]) }

// RefreshNeededError is returned by a participant transaction's
// GetForUpdate, Put or Delete when it took the key's lock and found the
// key written after its read timestamp. A single store would move its
// own read timestamp (a read refresh); a part of a distributed
// transaction must not, or its parts would read at different
// timestamps. The coordinator moves every part to To (RefreshTo) and
// repeats the call, which then finds the lock held and reads at To.
type RefreshNeededError struct {
	To Timestamp
}

func (e *RefreshNeededError) Error() string {
	return fmt.Sprintf("kv: the transaction's read timestamp must move to %d", e.To)
}

// ParticipantTxn is one partition's part of a distributed transaction
// (BeginAt). Besides the Txn operations (Commit is the one-phase commit
// of a transaction that wrote here only), it offers the steps of the
// two-phase commit that cluster-wide transactions use.
type ParticipantTxn interface {
	Txn
	// RefreshTo moves the read timestamp forward to ts if nothing this
	// part read or wrote was changed by a commit in between; otherwise
	// it aborts the part with ErrConflict.
	RefreshTo(ctx context.Context, ts Timestamp) error
	// Prepare validates the part's reads and writes and replicates its
	// writes as the prepared part of transaction id, whose record lives
	// in partition record. It returns the prepare timestamp: the
	// transaction must commit at or above it. The writes take effect
	// only when the store Resolves id; until then the part keeps its
	// locks, and no snapshot at or above the prepare timestamp is served
	// here (BeginAt waits). After Prepare only ValidateAt may be called;
	// Rollback is a no-op. ErrCommitUnknown means the part may or may
	// not be prepared; the coordinator then resolves it as aborted.
	Prepare(ctx context.Context, id TxnID, record uint32) (Timestamp, error)
	// ValidateAt checks that nothing the part read changed up to ts and
	// advances the store's clock past ts, so that nothing commits here
	// at or below ts any more: the part's reads hold at ts. A part that
	// wrote nothing is finished by it (locks released).
	ValidateAt(ctx context.Context, ts Timestamp) error
}

// The operations of a txnOp entry.
const (
	txnOpResolveCommit = 1 // a participant commits its prepared part at the entry's ts
	txnOpResolveAbort  = 2 // a participant drops its prepared part
	txnOpDecideCommit  = 3 // the record partition: commit at ts unless aborted
	txnOpDecideAbort   = 4 // the record partition: abort unless committed
	txnOpForget        = 5 // the record partition: drop the record
)

// txnOpLen is the body of a txnOp entry: the op, the TxnID, and a
// random number naming the proposal, by which the proposing replica
// finds its waiter when the entry applies.
const txnOpLen = 1 + len(TxnID{}) + 8

// prepareHeaderLen is the head of every chunk of a prepare: the TxnID
// and the record partition.
const prepareHeaderLen = len(TxnID{}) + 4

// TxnOutcome is the fate of a distributed transaction as its record
// partition decided it.
type TxnOutcome struct {
	Committed bool
	TS        Timestamp // the commit timestamp, when Committed
}

// BeginAt starts this partition's part of a distributed transaction
// reading at readTS, which the coordinator chose and uses on every
// partition, so that all parts read one consistent snapshot. This
// replica must be the leader. The store's clock is advanced past
// readTS, so nothing commits here at or below it from now on, and
// BeginAt waits until every commit at or below readTS is applied —
// including prepared transactions with a prepare timestamp at or below
// readTS, whose outcome decides what the snapshot holds. A readTS below
// the partition's garbage-collection threshold fails with ErrConflict
// (the coordinator restarts with a newer one). A commit here in
// (readTS, opts.UncertaintyLimit] may have finished before the
// transaction began, on a node whose clock is ahead: BeginAt then fails
// with a RefreshNeededError naming the latest such commit.
func (s *LocalStore) BeginAt(ctx context.Context, readTS Timestamp, opts TxnOptions) (ParticipantTxn, error) {
	if s.repl == nil {
		return nil, errors.New("kv: BeginAt needs a replicated store")
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	epoch, err := s.beginReplicaChecked(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.checkRemoteTS(readTS); err != nil {
		return nil, err
	}
	// Transactions that committed before this one began must be in its
	// snapshot. Their timestamps may exceed readTS by the clocks' offset
	// (opts.UncertaintyLimit); a prepared part here may have committed
	// already, at a timestamp this partition learns when it is resolved.
	waitCtx, stopWaiting := context.WithTimeoutCause(ctx, busyWait, errBusyWait)
	defer stopWaiting()
	if err := s.waitPrepared(waitCtx); err != nil {
		return nil, s.busyOr(ctx, waitCtx, err)
	}
	if opts.UncertaintyLimit > readTS {
		if u := s.recent.latestIn(readTS, opts.UncertaintyLimit); u > readTS {
			return nil, &RefreshNeededError{To: u}
		}
	}
	s.wm.closeAt(s.clock, readTS)
	// Registered first, then checked: garbage collection after this
	// keeps every version readTS needs (it is among the open reads), and
	// collection before it stopped gcLag short of its clock, so a readTS
	// within gcLag/2 of the clock lost nothing.
	s.active.registerAt(readTS)
	if readTS < s.lagged(gcLag/2) || readTS < Timestamp(s.gcThreshold.Load()) {
		s.active.unregister(readTS)
		s.stats.conflicts.Add(1)
		return nil, fmt.Errorf("%w: read timestamp %d is too old for this partition (versions are kept for %s)", ErrConflict, readTS, gcLag/2)
	}
	if err := s.wm.waitThrough(waitCtx, readTS); err != nil {
		s.active.unregister(readTS)
		return nil, s.busyOr(ctx, waitCtx, err)
	}
	s.closeMu.RLock()
	defer s.closeMu.RUnlock()
	if s.closed {
		s.active.unregister(readTS)
		return nil, ErrClosed
	}
	t := &localTxn{
		s:        s,
		epoch:    epoch,
		readTS:   readTS,
		readOnly: opts.ReadOnly,
		dist:     true,
		snap:     s.db.NewTransactionAt(uint64(readTS), false),
	}
	if opts.ID != (TxnID{}) {
		t.group = s.eng.joinGroup(opts.ID)
		t.start = opts.Start
	}
	if !opts.ReadOnly {
		t.buf = newWriteBuffer()
	}
	return t, nil
}

// busyWait bounds how long BeginAt waits for earlier commits before it
// answers ErrBusy (if this replica still leads): well under the time a
// coordinator waits for a leader, so that a long wait behind a big
// transaction's resolution reads as a leader at work, not as no leader.
const busyWait = time.Second

// errBusyWait is the cause of BeginAt's busyWait running out.
var errBusyWait = errors.New("kv: busy wait ran out")

// busyOr turns a wait that ended at busyWait (waitCtx's cause) into
// ErrBusy while this replica still holds its lease, or into the lease's
// own error; other errors, the caller's ctx ending among them, are
// returned as they are.
func (s *LocalStore) busyOr(ctx, waitCtx context.Context, err error) error {
	if ctx.Err() != nil || context.Cause(waitCtx) != errBusyWait {
		return err
	}
	if _, lerr := s.beginReplicaChecked(ctx); lerr != nil {
		return lerr
	}
	return ErrBusy
}

// waitPrepared waits until the parts prepared here now are resolved: a
// transaction may have committed in its record partition already, at a
// timestamp this partition learns only when its part is resolved.
//
// A part's watermark slot is replaced after a leadership change (the old
// one's channel closes then), so it waits until the parts are gone from
// the prepared set, not merely until their slots move.
func (s *LocalStore) waitPrepared(ctx context.Context) error {
	r := s.repl
	r.txnMu.Lock()
	ids := make([]TxnID, 0, len(r.prepared))
	for id := range r.prepared {
		ids = append(ids, id)
	}
	r.txnMu.Unlock()
	for _, id := range ids {
		for {
			r.txnMu.Lock()
			p := r.prepared[id]
			var w <-chan struct{}
			if p != nil {
				w = p.pending.visible
			}
			r.txnMu.Unlock()
			if p == nil {
				break
			}
			select {
			case <-w:
				// Resolved, or its slot replaced: look again.
			case <-ctx.Done():
				return ctx.Err()
			case <-s.stop:
				return ErrClosed
			}
		}
	}
	return nil
}

// ErrClockAhead marks a timestamp from another node too far ahead of
// this node's clock (ReplicaConfig.MaxClockOffset). It is ErrUnavailable
// to the SQL layer: one of the two nodes' clocks is off, and the node
// whose clock is off refuses to serve (server's clock check).
var ErrClockAhead = fmt.Errorf("%w: timestamp ahead of this node's clock by more than the maximum clock offset", ErrUnavailable)

// checkRemoteTS refuses a coordinator's timestamp more than the maximum
// clock offset ahead of this node's clock. Only the coordinator's own
// choices are checked; a commit timestamp that a record partition has
// decided is taken as it is, since refusing it would leave the
// transaction half resolved.
func (s *LocalStore) checkRemoteTS(ts Timestamp) error {
	off := s.repl.cfg.MaxClockOffset
	if off <= 0 {
		return nil
	}
	now := s.clock.Now()
	if ts.Physical() > now.Physical()+off.Milliseconds() {
		return fmt.Errorf("%w: %d ms ahead (maximum %s)", ErrClockAhead, ts.Physical()-now.Physical(), off)
	}
	return nil
}

// beginReplicaChecked is Begin's checks of the store and the lease.
func (s *LocalStore) beginReplicaChecked(ctx context.Context) (uint64, error) {
	s.closeMu.RLock()
	defer s.closeMu.RUnlock()
	if s.closed {
		return 0, ErrClosed
	}
	if err := s.failed(); err != nil {
		return 0, err
	}
	return s.beginReplica(ctx)
}

// RefreshTo implements ParticipantTxn.
func (t *localTxn) RefreshTo(ctx context.Context, ts Timestamp) error {
	if t.done {
		return ErrTxnDone
	}
	if ts <= t.readTS {
		return nil
	}
	s := t.s
	if err := s.checkRemoteTS(ts); err != nil {
		return err
	}
	s.wm.closeAt(s.clock, ts)
	if err := s.wm.waitThrough(ctx, ts); err != nil {
		return err
	}
	s.closeMu.RLock()
	defer s.closeMu.RUnlock()
	if s.closed {
		return ErrClosed
	}
	ok := true
	if t.buf != nil {
		t.reads.prepare()
		s.commitMu.Lock()
		s.drainTrackerLocked()
		ok = t.epoch == s.repl.epoch.Load() && s.conflicts.refreshable(t.readTS, ts, &t.reads, t.buf)
		s.commitMu.Unlock()
	}
	if !ok {
		s.stats.conflicts.Add(1)
		t.finish()
		return ErrConflict
	}
	t.moveReadTS(ts)
	return nil
}

// Prepare implements ParticipantTxn.
func (t *localTxn) Prepare(ctx context.Context, id TxnID, record uint32) (Timestamp, error) {
	if t.done {
		return 0, ErrTxnDone
	}
	if t.readOnly || t.buf == nil || t.buf.empty() {
		return 0, errors.New("kv: Prepare of a part that wrote nothing (use ValidateAt)")
	}
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	s := t.s
	s.closeMu.RLock()
	defer s.closeMu.RUnlock()
	if s.closed {
		return 0, ErrClosed
	}
	if err := s.failed(); err != nil {
		return 0, err
	}
	if err := s.disk.admit(t.buf.bytes); err != nil {
		return 0, err
	}
	t.reads.prepare()
	rec := &commitRecord{keys: t.buf.sortedKeys(), dels: t.buf.sortedDeleteKeys(), spans: t.buf.ranges}
	head := make([]byte, 0, prepareHeaderLen)
	head = append(head, id[:]...)
	head = binary.BigEndian.AppendUint32(head, record)
	prep := &preparedTxn{id: id, record: record, buf: t.buf, rec: rec, owner: t}
	if _, err := s.proposeWrites(t, rec, entryPrepare, head, prep); err != nil {
		t.finish()
		return 0, err
	}
	// The part is now the store's (resolvePrepared releases its locks);
	// its snapshot is no longer read.
	t.done, t.prepared = true, true
	s.stats.prepares.Add(1)
	t.snap.Discard()
	s.active.unregister(t.readTS)
	return prep.ts, nil
}

// ValidateAt implements ParticipantTxn.
func (t *localTxn) ValidateAt(ctx context.Context, ts Timestamp) error {
	if t.done && !t.prepared {
		return ErrTxnDone
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	s := t.s
	s.closeMu.RLock()
	defer s.closeMu.RUnlock()
	if s.closed {
		return ErrClosed
	}
	if !t.prepared {
		t.reads.prepare()
	}
	if err := s.checkRemoteTS(ts); err != nil {
		return err
	}
	var own *commitRecord
	if t.prepared {
		own = t.preparedRec
	}
	s.commitMu.Lock()
	s.drainTrackerLocked()
	s.wm.closeAt(s.clock, ts)
	ok := t.epoch == s.repl.epoch.Load() && s.conflicts.readsHold(t.readTS, ts, &t.reads, t.buf, own)
	s.commitMu.Unlock()
	if !ok {
		s.stats.conflicts.Add(1)
		if !t.prepared {
			t.finish()
		}
		return ErrConflict
	}
	if !t.prepared && (t.buf == nil || t.buf.empty()) {
		t.finish()
	}
	return nil
}

// Resolve commits (at ts) or aborts this partition's prepared part of
// transaction id, through the partition's log; this replica must be the
// leader. Resolving a transaction not prepared here (never prepared, or
// resolved already) does nothing, so the coordinator and a recovering
// leader may both resolve, and a resolution may be retried.
func (s *LocalStore) Resolve(ctx context.Context, id TxnID, commit bool, ts Timestamp) error {
	op := byte(txnOpResolveAbort)
	if commit {
		op = txnOpResolveCommit
		s.clock.Update(ts)
	} else {
		ts = s.clock.Now()
	}
	_, err := s.proposeTxnOp(ctx, op, id, ts)
	return err
}

// Decide records the outcome of transaction id in its record, which this
// partition holds: commit at ts unless the record says aborted, or (commit
// false) abort unless it says committed. The record's state after the
// decision is returned, whichever way it went. If this partition also
// holds a prepared part of id, the same log entry resolves it.
func (s *LocalStore) Decide(ctx context.Context, id TxnID, commit bool, ts Timestamp) (TxnOutcome, error) {
	op := byte(txnOpDecideAbort)
	if commit {
		op = txnOpDecideCommit
		s.clock.Update(ts)
	} else {
		ts = s.clock.Now()
	}
	return s.proposeTxnOp(ctx, op, id, ts)
}

// Forget drops transaction id's record once every part is resolved.
func (s *LocalStore) Forget(ctx context.Context, id TxnID) error {
	_, err := s.proposeTxnOp(ctx, txnOpForget, id, s.clock.Now())
	return err
}

// PreparedRef names a prepared part held by a store.
type PreparedRef struct {
	ID     TxnID
	Record uint32 // the partition holding the transaction's record
	TS     Timestamp
}

// Prepared returns the prepared parts this replica has held for at
// least age that a coordinator may have abandoned, which whoever leads
// the partition resolves from the transaction's record. A part whose
// coordinator still holds it here (its commit has not returned, its
// stream to this node stands) is left out for up to heldAge: a big
// transaction prepares its parts for longer than age, and recovery
// aborted such commits halfway (4 of 5 million-row COPYs on the 3-node
// demo). Past heldAge it is a candidate anyway, since a coordinator cut
// off without its connection breaking holds it all the same.
func (s *LocalStore) Prepared(age time.Duration) []PreparedRef {
	r := s.repl
	if r == nil {
		return nil
	}
	r.txnMu.Lock()
	defer r.txnMu.Unlock()
	var out []PreparedRef
	for _, p := range r.prepared {
		held := p.owner != nil && !p.owner.released.Load()
		if since := time.Since(p.since); since >= age && (!held || since >= heldAge) {
			out = append(out, PreparedRef{ID: p.id, Record: p.record, TS: p.ts})
		}
	}
	return out
}

// heldAge is how long recovery leaves alone a prepared part whose
// coordinator still holds it (Prepared).
const heldAge = 30 * time.Second

// proposeTxnOp proposes a txnOp entry and waits until it is applied,
// returning the record's state as the entry left it.
func (s *LocalStore) proposeTxnOp(ctx context.Context, op byte, id TxnID, ts Timestamp) (TxnOutcome, error) {
	r := s.repl
	if r == nil || r.log == nil {
		return TxnOutcome{}, s.notLeader()
	}
	var nonce [8]byte
	if _, err := rand.Read(nonce[:]); err != nil {
		return TxnOutcome{}, fmt.Errorf("kv: reading random bytes: %w", err)
	}
	key := binary.BigEndian.Uint64(nonce[:])
	w := make(chan txnAnswer, 1)
	r.txnMu.Lock()
	r.txnWaiters[key] = w
	r.txnMu.Unlock()
	defer func() {
		r.txnMu.Lock()
		delete(r.txnWaiters, key)
		r.txnMu.Unlock()
	}()
	body := make([]byte, 0, txnOpLen)
	body = append(append(append(body, op), id[:]...), nonce[:]...)
	var entry []byte
	if err := encodeChunks(entryTxnOp, ts, body, newWriteBuffer(), func(chunk []byte) error {
		entry = append([]byte(nil), chunk...)
		return nil
	}); err != nil {
		return TxnOutcome{}, err
	}
	if err := r.log.Propose(ctx, entry); err != nil {
		if errors.Is(err, ErrNotLeader) {
			return TxnOutcome{}, s.notLeader()
		}
		return TxnOutcome{}, fmt.Errorf("kv: proposing %s of transaction %s: %w", txnOpName(op), id, err)
	}
	select {
	case a := <-w:
		return a.outcome, a.err
	case <-ctx.Done():
		return TxnOutcome{}, ctx.Err()
	}
}

func txnOpName(op byte) string {
	switch op {
	case txnOpResolveCommit:
		return "commit resolution"
	case txnOpResolveAbort:
		return "abort resolution"
	case txnOpDecideCommit:
		return "commit decision"
	case txnOpDecideAbort:
		return "abort decision"
	case txnOpForget:
		return "record removal"
	}
	return fmt.Sprintf("operation %d", op)
}
