package sql

import (
	"context"
	"encoding/binary"

	"github.com/quorumdb/quorumdb/kv"
	"github.com/quorumdb/quorumdb/sql/catalog"
	"github.com/quorumdb/quorumdb/sql/exec"
	"github.com/quorumdb/quorumdb/sql/kverror"
)

// A multi-row INSERT whose rows take a column's nextval default (a
// serial or identity key: what an ORM's bulk insert sends, 1,000 rows a
// statement) reserves the values its rows will draw in one kv
// transaction instead of one per row, which made every row a durable
// commit and, through a node that is not the leader, a round trip. The
// rows draw the reserved values in order, as PostgreSQL's rows draw
// theirs one by one; exactly as many are reserved as rows take the
// default, so nothing is skipped, and each value is still handed out
// once. What differs is only that a concurrent session's nextval cannot
// fall in the middle of the statement's values, an interleaving
// PostgreSQL does not promise either.

// seqBlock is the rest of a statement's reserved values of a sequence.
type seqBlock struct {
	next, inc int64
	left      int
}

// take returns the block's next value.
func (b *seqBlock) take() (int64, bool) {
	if b == nil || b.left == 0 {
		return 0, false
	}
	v := b.next
	b.left--
	b.next += b.inc
	return v, true
}

// defaultSequence returns the sequence argument of a column default that
// is a nextval call of a constant (possibly under an assignment cast).
func defaultSequence(e exec.Expr) (exec.Expr, bool) {
	for {
		c, ok := e.(*exec.CastExpr)
		if !ok {
			break
		}
		e = c.E
	}
	f, ok := e.(*goFuncExpr)
	if !ok || f.name != "nextval" || len(f.args) != 1 {
		return nil, false
	}
	if _, ok := f.args[0].(*exec.ConstExpr); !ok {
		return nil, false
	}
	return f.args[0], true
}

// prefetchDefaults reserves, for each column whose default is nextval,
// as many values as rows take the default: uses[i] counts them.
func prefetchDefaults(ec *execCtx, defaults []exec.Expr, uses []int) error {
	for i, n := range uses {
		if n < 2 {
			continue
		}
		arg, ok := defaultSequence(defaults[i])
		if !ok {
			continue
		}
		d, err := arg.Eval(ec.Ctx, nil)
		if err != nil || d == nil {
			return err
		}
		seq, err := ec.sequence(d)
		if err != nil {
			return err
		}
		if blk := ec.seqBlocks[seq.ID]; blk != nil && blk.left > 0 {
			continue // two columns of one sequence: drawn one by one
		}
		first, got, err := ec.sess.engine.reserveSequence(ec.Context, seq, n)
		if err != nil {
			return err
		}
		if got == 0 {
			continue // near a limit: nextval row by row says what happens
		}
		if ec.seqBlocks == nil {
			ec.seqBlocks = map[uint32]*seqBlock{}
		}
		ec.seqBlocks[seq.ID] = &seqBlock{next: first, inc: seq.Sequence.Increment, left: got}
	}
	return nil
}

// reserveSequence advances seq by n values in one transaction and returns
// the first; got is 0 when the n values would pass the sequence's limit
// (or cycle), which are left to nextval.
func (e *Engine) reserveSequence(ctx context.Context, seq *catalog.Table, n int) (first int64, got int, err error) {
	for attempt := 0; ; attempt++ {
		first, got, err = e.reserveSequenceOnce(ctx, seq, n)
		if err == nil || !kverror.Retryable(err) || attempt > 100 {
			return first, got, err
		}
		if err := backoff(ctx, attempt); err != nil {
			return 0, 0, err
		}
	}
}

func (e *Engine) reserveSequenceOnce(ctx context.Context, seq *catalog.Table, n int) (int64, int, error) {
	txn, err := e.cfg.DB.Begin(ctx, kv.TxnOptions{})
	if err != nil {
		return 0, 0, kverror.AsSQL(err)
	}
	defer txn.Rollback()
	key := catalog.SequenceValueKey(seq.ID)
	b, ok, err := txn.Get(ctx, key)
	if err != nil {
		return 0, 0, kverror.AsSQL(err)
	}
	opts := seq.Sequence
	first := opts.Start
	if ok {
		last := int64(binary.BigEndian.Uint64(b))
		// Compared before adding, so that the int8 range's end does not
		// overflow.
		if opts.Increment > 0 && last > opts.Max-opts.Increment || opts.Increment < 0 && last < opts.Min-opts.Increment {
			return 0, 0, nil
		}
		first = last + opts.Increment
	}
	span := int64(n-1) * opts.Increment
	if span/int64(n-1) != opts.Increment {
		return 0, 0, nil // overflow
	}
	if opts.Increment > 0 && (first > opts.Max || first < opts.Min || first > opts.Max-span) ||
		opts.Increment < 0 && (first < opts.Min || first > opts.Max || first < opts.Min-span) {
		return 0, 0, nil
	}
	if err := txn.Put(ctx, key, be64(first+span)); err != nil {
		return 0, 0, kverror.AsSQL(err)
	}
	if err := txn.Commit(ctx); err != nil {
		return 0, 0, kverror.AsSQL(err)
	}
	return first, n, nil
}

// valuesDefaultUses counts, per column, the VALUES rows that take its
// default: rows that leave the column out or say DEFAULT.
func valuesDefaultUses(valueRows [][]exec.Expr, targetIdx []int, defaults []exec.Expr) []int {
	uses := make([]int, len(defaults))
	for _, r := range valueRows {
		provided := make([]bool, len(defaults))
		for i, e := range r {
			if e != defaults[targetIdx[i]] {
				provided[targetIdx[i]] = true
			}
		}
		for i, p := range provided {
			if !p {
				uses[i]++
			}
		}
	}
	return uses
}

// selectDefaultUses counts the default's uses when n rows come from a
// query filling the columns of provided.
func selectDefaultUses(n int, provided []int, ncols int) []int {
	uses := make([]int, ncols)
	for i := range uses {
		uses[i] = n
	}
	for _, i := range provided {
		uses[i] = 0
	}
	return uses
}
