package sql

import (
	"encoding/binary"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/quorumdb/quorumdb/sql/acl"
	"github.com/quorumdb/quorumdb/sql/catalog"
	"github.com/quorumdb/quorumdb/sql/exec"
	"github.com/quorumdb/quorumdb/sql/kverror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// sequenceItem plans SELECT ... FROM a sequence: its one row of
// last_value, log_cnt and is_called, as pg_dump reads a sequence's state
// (SELECT last_value, is_called FROM s). It returns false when rv does
// not name a sequence.
func (b *builder) sequenceItem(rv *pg_query.RangeVar, alias string, colNames []*pg_query.Node) (fromItem, bool, error) {
	schema, err := b.relationSchema(rv.Schemaname, rv.Relname)
	if err != nil {
		return fromItem{}, false, err
	}
	seq, err := b.cat.TableByName(b.ctx, b.sess.dbID, schema, rv.Relname)
	if err != nil || seq == nil || seq.Kind != catalog.KindSequence {
		return fromItem{}, false, err
	}
	if seq.Temporary() {
		b.usedTemp = true
	}
	if err := b.checkRelPrivs(seq, acl.Select); err != nil {
		return fromItem{}, false, err
	}
	cols := []exec.Column{
		{Name: "last_value", T: types.Int8, Table: alias, TableOID: seq.ID, AttNum: 1},
		{Name: "log_cnt", T: types.Int8, Table: alias, TableOID: seq.ID, AttNum: 2},
		{Name: "is_called", T: types.Bool, Table: alias, TableOID: seq.ID, AttNum: 3},
	}
	p := &rowsNode{cols: cols, gen: func(ec *execCtx) ([]exec.Row, error) {
		v, ok, err := ec.Txn.Get(ec.Context, catalog.SequenceValueKey(seq.ID))
		if err != nil {
			return nil, kverror.AsSQL(err)
		}
		if !ok {
			return []exec.Row{{seq.Sequence.Start, int64(0), false}}, nil
		}
		return []exec.Row{{int64(binary.BigEndian.Uint64(v)), int64(0), true}}, nil
	}}
	return aliasItem(fromItem{plan: p, cols: cols}, "", colNames), true, nil
}
