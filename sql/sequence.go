package sql

import (
	"context"
	"encoding/binary"
	"math"

	"github.com/quorumdb/quorumdb/kv"
	"github.com/quorumdb/quorumdb/sql/catalog"
	"github.com/quorumdb/quorumdb/sql/kverror"
	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

func seqDefaults(t types.T) *catalog.SequenceOptions {
	max := int64(math.MaxInt64)
	switch t.Oid {
	case types.OidInt4:
		max = math.MaxInt32
	case types.OidInt2:
		max = math.MaxInt16
	}
	return &catalog.SequenceOptions{Start: 1, Increment: 1, Min: 1, Max: max}
}

// createSequence returns a new sequence descriptor (not yet written).
func (b *builder) createSequence(ec *execCtx, schema, name string, opts *catalog.SequenceOptions) (*catalog.Table, error) {
	if _, exists, err := b.cat.LookupID(b.ctx, b.sess.dbID, schema, name); err != nil {
		return nil, err
	} else if exists {
		return nil, pgerror.New(pgerror.DuplicateTable, "relation %q already exists", name)
	}
	id, err := b.cat.NewID(b.ctx)
	if err != nil {
		return nil, err
	}
	t := &catalog.Table{ID: id, Kind: catalog.KindSequence, DBID: b.sess.dbID, Schema: schema, Name: name, Owner: b.sess.user, Sequence: opts}
	return t, b.applyDefaultACL(t)
}

// nextval advances a sequence in its own transaction: like PostgreSQL's
// sequences it is not rolled back with the caller, so concurrent inserts
// never conflict on the sequence.
func (e *Engine) nextval(ctx context.Context, seq *catalog.Table) (int64, error) {
	for attempt := 0; ; attempt++ {
		v, err := e.nextvalOnce(ctx, seq)
		if err == nil || !kverror.Retryable(err) || attempt > 100 {
			return v, err
		}
		if err := backoff(ctx, attempt); err != nil {
			return 0, err
		}
	}
}

func (e *Engine) nextvalOnce(ctx context.Context, seq *catalog.Table) (int64, error) {
	txn, err := e.cfg.DB.Begin(ctx, kv.TxnOptions{})
	if err != nil {
		return 0, kverror.AsSQL(err)
	}
	defer txn.Rollback()
	key := catalog.SequenceValueKey(seq.ID)
	b, ok, err := txn.Get(ctx, key)
	if err != nil {
		return 0, kverror.AsSQL(err)
	}
	opts := seq.Sequence
	next, exhausted := opts.Start, false
	if ok {
		// Compared before adding, so that the end of the int8 range does
		// not overflow.
		last := int64(binary.BigEndian.Uint64(b))
		if opts.Increment > 0 {
			exhausted = last > opts.Max-opts.Increment
		} else {
			exhausted = last < opts.Min-opts.Increment
		}
		next = last + opts.Increment
	}
	if exhausted || next > opts.Max || next < opts.Min {
		switch {
		case opts.Cycle && opts.Increment > 0:
			next = opts.Min
		case opts.Cycle:
			next = opts.Max
		case opts.Increment > 0:
			return 0, pgerror.New(pgerror.SequenceGeneratorLimitExceeded, "nextval: reached maximum value of sequence %q (%d)", seq.Name, opts.Max)
		default:
			return 0, pgerror.New(pgerror.SequenceGeneratorLimitExceeded, "nextval: reached minimum value of sequence %q (%d)", seq.Name, opts.Min)
		}
	}
	if err := txn.Put(ctx, key, be64(next)); err != nil {
		return 0, kverror.AsSQL(err)
	}
	if err := txn.Commit(ctx); err != nil {
		return 0, kverror.AsSQL(err)
	}
	return next, nil
}

func (e *Engine) setval(ctx context.Context, seq *catalog.Table, v int64, called bool) error {
	txn, err := e.cfg.DB.Begin(ctx, kv.TxnOptions{})
	if err != nil {
		return kverror.AsSQL(err)
	}
	defer txn.Rollback()
	if !called {
		v -= seq.Sequence.Increment
	}
	if err := txn.Put(ctx, catalog.SequenceValueKey(seq.ID), be64(v)); err != nil {
		return kverror.AsSQL(err)
	}
	return kverror.AsSQL(txn.Commit(ctx))
}

func be64(v int64) []byte {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(v))
	return b[:]
}
