package sql

import (
	"bytes"
	"context"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/quorumdb/quorumdb/kv"
	"github.com/quorumdb/quorumdb/sql/exec"
	"github.com/quorumdb/quorumdb/sql/kverror"
)

// A prepared statement keeps its plan between executions. The plan is
// valid as long as every catalog entry the planner read is unchanged and
// the session's settings (which constant folding may have used) are the
// same; the entries are re-read inside each executing transaction, so a
// concurrent schema change is both noticed and part of the read set.

// catalogRead is one key the planner read, with what it found.
type catalogRead struct {
	key   []byte
	value []byte
	found bool
}

// planCache is one prepared statement's cached plan.
type planCache struct {
	plan *stmtPlan
	deps []catalogRead
	gen  uint64
	// described are the result columns Describe reported; a re-plan that
	// changes them fails as in PostgreSQL, rather than sending rows the
	// client cannot decode.
	described []exec.Column
}

func sameResultTypes(a, b []exec.Column) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !a[i].T.Equal(b[i].T) {
			return false
		}
	}
	return true
}

// recordingTxn records the point reads a planner makes; a scan makes the
// plan uncacheable (its dependencies are not a fixed set of keys).
type recordingTxn struct {
	kv.Txn
	reads   []catalogRead
	scanned bool
}

func (r *recordingTxn) Get(ctx context.Context, key []byte) ([]byte, bool, error) {
	v, ok, err := r.Txn.Get(ctx, key)
	if err == nil && !r.recorded(key) {
		// Each execution re-reads every dependency: record a key once
		// however often the planner looked it up.
		r.reads = append(r.reads, catalogRead{key: append([]byte(nil), key...), value: append([]byte(nil), v...), found: ok})
	}
	return v, ok, err
}

func (r *recordingTxn) recorded(key []byte) bool {
	for _, d := range r.reads {
		if bytes.Equal(d.key, key) {
			return true
		}
	}
	return false
}

func (r *recordingTxn) Scan(ctx context.Context, start, end []byte, limit int, reverse bool) ([]kv.KeyValue, error) {
	r.scanned = true
	return r.Txn.Scan(ctx, start, end, limit, reverse)
}

// cacheable reports statements whose plans hold no reference to the
// transaction they were planned in.
func cacheable(n *pg_query.Node) bool {
	switch v := n.Node.(type) {
	case *pg_query.Node_SelectStmt:
		// SELECT … INTO is DDL: its plan writes through the planning
		// transaction's catalog.
		return v.SelectStmt.IntoClause == nil
	case *pg_query.Node_InsertStmt, *pg_query.Node_UpdateStmt, *pg_query.Node_DeleteStmt:
		return true
	}
	return false
}

// valid re-reads the plan's catalog dependencies in txn.
func (c *planCache) valid(ctx context.Context, txn kv.Txn, gen uint64) (bool, error) {
	if c.plan == nil || c.gen != gen {
		return false, nil
	}
	// One request for all of them: through a node that is not the
	// keyspace's leader each read is otherwise a round trip.
	keys := make([][]byte, len(c.deps))
	for i, d := range c.deps {
		keys[i] = d.key
	}
	values, found, err := kv.GetMany(ctx, txn, keys)
	if err != nil {
		return false, kverror.AsSQL(err)
	}
	for i, d := range c.deps {
		if found[i] != d.found || !bytes.Equal(values[i], d.value) {
			return false, nil
		}
	}
	return true, nil
}
