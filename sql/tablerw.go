package sql

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/quorumdb/quorumdb/kv"
	"github.com/quorumdb/quorumdb/sql/catalog"
	"github.com/quorumdb/quorumdb/sql/exec"
	"github.com/quorumdb/quorumdb/sql/kverror"
	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/rowenc"
	"github.com/quorumdb/quorumdb/sql/types"
)

// Row storage: a table's row lives under its primary index key,
//
//	IndexPrefix(table, 1) | key columns   →  EncodeRow(every column)
//
// and each secondary index holds one entry per row,
//
//	IndexPrefix(table, idx) | index columns | primary key columns  →  (empty)
//
// so index entries are unique even for non-unique indexes and lead back to
// the primary row. Rows are full-width (table column order) everywhere in
// the executor.

func encodeIndexCols(buf []byte, t *catalog.Table, idx *catalog.Index, r exec.Row) ([]byte, error) {
	var err error
	for i, id := range idx.ColumnIDs {
		ci := t.ColumnIndexByID(id)
		desc := i < len(idx.Desc) && idx.Desc[i]
		if buf, err = rowenc.EncodeKey(buf, t.Columns[ci].Type, r[ci], desc); err != nil {
			return nil, err
		}
	}
	return buf, nil
}

func primaryKey(t *catalog.Table, r exec.Row) ([]byte, error) {
	pk := t.Primary()
	return encodeIndexCols(kv.IndexPrefix(t.ID, pk.ID), t, pk, r)
}

// secondaryKey is r's entry in secondary index idx; in is false when r
// has no entry (a partial index whose predicate r fails).
func secondaryKey(ec *execCtx, t *catalog.Table, idx *catalog.Index, r exec.Row) (key []byte, in bool, err error) {
	if in, err = indexHolds(ec, t, idx, r); err != nil || !in {
		return nil, false, err
	}
	k, err := encodeIndexKey(ec, kv.IndexPrefix(t.ID, idx.ID), t, idx, r)
	if err != nil {
		return nil, false, err
	}
	k, err = encodeIndexCols(k, t, t.Primary(), r)
	return k, err == nil, err
}

// encodeIndexKey appends r's key values in idx, computing its
// expressions.
func encodeIndexKey(ec *execCtx, buf []byte, t *catalog.Table, idx *catalog.Index, r exec.Row) ([]byte, error) {
	if !idx.HasExprs() {
		return encodeIndexCols(buf, t, idx, r)
	}
	vals, err := indexKeyValues(ec, t, idx, r)
	if err != nil {
		return nil, err
	}
	for i, v := range vals {
		desc := i < len(idx.Desc) && idx.Desc[i]
		if buf, err = rowenc.EncodeKey(buf, idx.KeyType(t, i), v, desc); err != nil {
			return nil, fmt.Errorf("sql: encoding key of index %s: %w", idx.Name, err)
		}
	}
	return buf, nil
}

func encodeRowValue(t *catalog.Table, r exec.Row) ([]byte, error) {
	ids := make([]uint32, len(t.Columns))
	ts := make([]types.T, len(t.Columns))
	for i, c := range t.Columns {
		ids[i], ts[i] = c.ID, c.Type
	}
	return rowenc.EncodeRow(nil, ids, ts, r)
}

// formatKey renders "(a, b)=(1, 2)" for constraint error details; an
// expression element reads as its text ("(lower(email))=(x)").
func formatKey(ec *execCtx, t *catalog.Table, idx *catalog.Index, r exec.Row) string {
	vals, err := indexKeyValues(ec, t, idx, r)
	if err != nil {
		return "(?)=(?)"
	}
	var names, texts []string
	for i, v := range vals {
		names = append(names, indexKeyName(idx, t, i))
		if v == nil {
			texts = append(texts, "null")
		} else {
			texts = append(texts, types.FormatText(idx.KeyType(t, i), v, ec.Settings()))
		}
	}
	return fmt.Sprintf("(%s)=(%s)", strings.Join(names, ", "), strings.Join(texts, ", "))
}

func uniqueViolation(ec *execCtx, t *catalog.Table, idx *catalog.Index, r exec.Row) error {
	return pgerror.New(pgerror.UniqueViolation, "duplicate key value violates unique constraint %q", idx.Name).
		WithDetail("Key %s already exists.", formatKey(ec, t, idx, r)).
		WithConstraint(t.Schema, t.Name, idx.Name)
}

// uniqueKeyEntries returns up to two entries of unique index idx with r's
// key: none when r is outside a partial index or has a NULL in the key
// (NULLs never conflict, unless the index is NULLS NOT DISTINCT).
func uniqueKeyEntries(ec *execCtx, t *catalog.Table, idx *catalog.Index, r exec.Row) ([]kv.KeyValue, error) {
	if in, err := indexHolds(ec, t, idx, r); err != nil || !in {
		return nil, err
	}
	vals, err := indexKeyValues(ec, t, idx, r)
	if err != nil {
		return nil, err
	}
	for _, v := range vals {
		if v == nil && !idx.NullsNotDistinct {
			return nil, nil
		}
	}
	prefix, err := encodeIndexKey(ec, kv.IndexPrefix(t.ID, idx.ID), t, idx, r)
	if err != nil {
		return nil, err
	}
	kvs, err := ec.Txn.Scan(ec.Context, prefix, kv.PrefixEnd(prefix), 2, false)
	return kvs, kverror.AsSQL(err)
}

// uniqueConflict reports whether another row already holds r's key in
// unique index idx (NULLs never conflict, nor does a row outside a
// partial index).
func uniqueConflict(ec *execCtx, t *catalog.Table, idx *catalog.Index, r exec.Row, self []byte) (bool, error) {
	kvs, err := uniqueKeyEntries(ec, t, idx, r)
	if err != nil {
		return false, err
	}
	for _, e := range kvs {
		pk, err := exec.DecodePrimaryFromIndexKey(t, idx, e.Key)
		if err != nil {
			return false, err
		}
		if self == nil || !bytes.Equal(pk, self) {
			return true, nil
		}
	}
	return false, nil
}

// rowInserter writes new rows of one table and their index entries (the
// rows must already satisfy NOT NULL and CHECK); insert returns a 23505
// error on a duplicate key, with conflictIdx set to the violated index.
// The per-table work (the row
// layout, the key prefix) is done once, and the key and value are
// encoded into buffers reused from row to row (kv copies what it keeps).
type rowInserter struct {
	t         *catalog.Table
	enc       *rowenc.RowEncoder
	pkPrefix  []byte
	hiddenPK  bool // the primary key is the generated row id
	uniqueSec bool // a secondary index is unique
	key, val  []byte
	// absent holds primary keys known to have no value at the snapshot
	// (prefetchAbsent): they are written without another read.
	absent map[string]bool
}

func newRowInserter(t *catalog.Table) (*rowInserter, error) {
	ids := make([]uint32, len(t.Columns))
	ts := make([]types.T, len(t.Columns))
	for i, c := range t.Columns {
		ids[i], ts[i] = c.ID, c.Type
	}
	enc, err := rowenc.NewRowEncoder(ids, ts)
	if err != nil {
		return nil, err
	}
	ins := &rowInserter{t: t, enc: enc, pkPrefix: kv.IndexPrefix(t.ID, t.Primary().ID), hiddenPK: t.HasHiddenRowID()}
	for i := 1; i < len(t.Indexes); i++ {
		ins.uniqueSec = ins.uniqueSec || t.Indexes[i].Unique
	}
	return ins, nil
}

// encode fills ins.key and ins.val with r's primary key and row value.
func (ins *rowInserter) encode(r exec.Row) error {
	var err error
	ins.key = append(ins.key[:0], ins.pkPrefix...)
	if ins.key, err = encodeIndexCols(ins.key, ins.t, ins.t.Primary(), r); err != nil {
		return err
	}
	ins.val, err = ins.enc.Encode(ins.val[:0], r)
	return err
}

// insert writes r and its index entries through kv.Txn.Insert, which
// takes no write lock: a new key needs none, since commit validation
// catches a concurrent writer of it.
func (ins *rowInserter) insert(ec *execCtx, r exec.Row) (conflictIdx *catalog.Index, err error) {
	t := ins.t
	if err := ins.encode(r); err != nil {
		return nil, err
	}
	switch {
	case ins.hiddenPK:
		// A generated row id is unique by construction (users cannot
		// write the hidden column): no lookup of the store per row. Its
		// unique secondary indexes still need checking.
		if ins.uniqueSec {
			if idx, err := ins.checkUniqueSecondaries(ec, r); idx != nil || err != nil {
				return idx, err
			}
		}
		err = ec.Txn.InsertFresh(ec.Context, ins.key, ins.val)
	case ins.uniqueSec:
		// The primary key is checked before the unique secondaries, as
		// PostgreSQL reports it first, and nothing is written until all
		// pass (ON CONFLICT on a secondary must leave no row behind).
		var exists bool
		if ins.absent[string(ins.key)] {
			// Read already; InsertFresh below still catches a duplicate
			// among this transaction's own writes.
		} else if _, exists, err = ec.Txn.Get(ec.Context, ins.key); err != nil {
			return nil, kverror.AsSQL(err)
		} else if exists {
			return t.Primary(), uniqueViolation(ec, t, t.Primary(), r)
		}
		if idx, err := ins.checkUniqueSecondaries(ec, r); idx != nil || err != nil {
			return idx, err
		}
		err = ec.Txn.InsertFresh(ec.Context, ins.key, ins.val)
	case ins.absent[string(ins.key)]:
		// Known absent at the snapshot (and in the read set): only this
		// transaction's own writes can hold it.
		err = ec.Txn.InsertFresh(ec.Context, ins.key, ins.val)
	default:
		err = ec.Txn.Insert(ec.Context, ins.key, ins.val)
	}
	if errors.Is(err, kv.ErrKeyExists) {
		return t.Primary(), uniqueViolation(ec, t, t.Primary(), r)
	}
	if err != nil {
		return nil, kverror.AsSQL(err)
	}
	// Secondary entries end with the new row's primary key, so none of
	// them can exist yet.
	for i := 1; i < len(t.Indexes); i++ {
		ik, in, err := secondaryKey(ec, t, &t.Indexes[i], r)
		if err != nil {
			return nil, err
		}
		if !in {
			continue
		}
		if err := ec.Txn.InsertFresh(ec.Context, ik, []byte{}); err != nil {
			return nil, kverror.AsSQL(err)
		}
	}
	return nil, nil
}

// checkUniqueSecondaries returns the first unique secondary index that
// already holds r's values, with its 23505 error.
func (ins *rowInserter) checkUniqueSecondaries(ec *execCtx, r exec.Row) (*catalog.Index, error) {
	t := ins.t
	for i := 1; i < len(t.Indexes); i++ {
		idx := &t.Indexes[i]
		if !idx.Unique {
			continue
		}
		if ec.uniqueDeferrable(idx) {
			if err := ec.deferUniqueCheck(t, idx, r); err != nil {
				return nil, err
			}
			continue
		}
		dup, err := uniqueConflict(ec, t, idx, r, nil)
		if err != nil {
			return nil, err
		}
		if dup {
			return idx, uniqueViolation(ec, t, idx, r)
		}
	}
	return nil, nil
}

// deleteRow removes a row and its index entries.
func deleteRow(ec *execCtx, t *catalog.Table, r exec.Row) error {
	key, err := primaryKey(t, r)
	if err != nil {
		return err
	}
	if err := ec.Txn.Delete(ec.Context, key); err != nil {
		return kverror.AsSQL(err)
	}
	for i := 1; i < len(t.Indexes); i++ {
		ik, in, err := secondaryKey(ec, t, &t.Indexes[i], r)
		if err != nil {
			return err
		}
		if !in {
			continue
		}
		if err := ec.Txn.Delete(ec.Context, ik); err != nil {
			return kverror.AsSQL(err)
		}
	}
	return nil
}

// updateRow replaces old by new, moving the row when its key changed and
// rewriting only the index entries whose columns changed.
func updateRow(ec *execCtx, t *catalog.Table, old, new exec.Row) error {
	oldKey, err := primaryKey(t, old)
	if err != nil {
		return err
	}
	newKey, err := primaryKey(t, new)
	if err != nil {
		return err
	}
	moved := !bytes.Equal(oldKey, newKey)
	if moved {
		if _, exists, err := ec.Txn.Get(ec.Context, newKey); err != nil {
			return kverror.AsSQL(err)
		} else if exists {
			return uniqueViolation(ec, t, t.Primary(), new)
		}
		if err := ec.Txn.Delete(ec.Context, oldKey); err != nil {
			return kverror.AsSQL(err)
		}
	}
	for i := 1; i < len(t.Indexes); i++ {
		idx := &t.Indexes[i]
		ok, oldIn, err := secondaryKey(ec, t, idx, old)
		if err != nil {
			return err
		}
		nk, newIn, err := secondaryKey(ec, t, idx, new)
		if err != nil {
			return err
		}
		if oldIn == newIn && bytes.Equal(ok, nk) {
			continue
		}
		if idx.Unique && newIn && ec.uniqueDeferrable(idx) {
			if err := ec.deferUniqueCheck(t, idx, new); err != nil {
				return err
			}
		} else if idx.Unique && newIn {
			dup, err := uniqueConflict(ec, t, idx, new, oldKey)
			if err != nil {
				return err
			}
			if dup {
				return uniqueViolation(ec, t, idx, new)
			}
		}
		if oldIn {
			if err := ec.Txn.Delete(ec.Context, ok); err != nil {
				return kverror.AsSQL(err)
			}
		}
		if newIn {
			if err := ec.Txn.Put(ec.Context, nk, []byte{}); err != nil {
				return kverror.AsSQL(err)
			}
		}
	}
	val, err := encodeRowValue(t, new)
	if err != nil {
		return err
	}
	return kverror.AsSQL(ec.Txn.Put(ec.Context, newKey, val))
}

// prefetchAbsent reads, in one request (kv.GetMany), the primary keys of
// the rows a multi-row INSERT is about to write, when the statement
// gives every key column (targetIdx maps a row's values to columns);
// the keys found absent are then written with InsertFresh instead of
// Insert, each of which would read the key again — a round trip per row
// on a node that is not the keyspace's leader. The reads are in the
// transaction's read set, so a concurrent insert of one of the keys
// still fails one of the two commits, as with Insert.
func (ins *rowInserter) prefetchAbsent(ec *execCtx, rows []exec.Row, targetIdx []int) error {
	t := ins.t
	if ins.hiddenPK || len(rows) < 2 {
		return nil
	}
	pos := make([]int, len(t.Columns)) // column -> value index, -1 if not given
	for i := range pos {
		pos[i] = -1
	}
	for i, c := range targetIdx {
		pos[c] = i
	}
	pk := t.Primary()
	for _, id := range pk.ColumnIDs {
		if c := t.ColumnIndexByID(id); c < 0 || pos[c] < 0 {
			return nil
		}
	}
	full := make(exec.Row, len(t.Columns))
	keys := make([][]byte, 0, len(rows))
	for _, r := range rows {
		if len(r) != len(targetIdx) {
			return nil
		}
		for _, id := range pk.ColumnIDs {
			c := t.ColumnIndexByID(id)
			v, err := types.Cast(r[pos[c]], t.Columns[c].Type, t.Columns[c].Type, false, ec.Settings())
			if err != nil || v == nil {
				return nil // the row fails on its own, in order
			}
			full[c] = v
		}
		key, err := encodeIndexCols(append([]byte(nil), ins.pkPrefix...), t, pk, full)
		if err != nil {
			return nil
		}
		keys = append(keys, key)
	}
	_, found, err := kv.GetMany(ec.Context, ec.Txn, keys)
	if err != nil {
		return kverror.AsSQL(err)
	}
	ins.absent = make(map[string]bool, len(keys))
	for i, k := range keys {
		if !found[i] {
			ins.absent[string(k)] = true
		}
	}
	return nil
}
