package sql

import (
	"github.com/quorumdb/quorumdb/sql/catalog"
	"github.com/quorumdb/quorumdb/sql/rowenc"
)

// IndexRoutes tells register, for every index of t, how to find the end
// of the first key column in the encoded key after the index prefix:
// the part of a table key that the partitioned keyspace hashes to place
// it (kv/dist's KeyPlacement), which only the column's type decides. The
// server calls it from catalog.Cache.OnTable.
func IndexRoutes(t *catalog.Table, register func(tableID, indexID uint32, skip func(rest []byte) (int, error))) {
	for i := range t.Indexes {
		idx := &t.Indexes[i]
		if len(idx.ColumnIDs) == 0 {
			register(t.ID, idx.ID, func([]byte) (int, error) { return 0, nil })
			continue
		}
		typ := idx.KeyType(t, 0)
		desc := len(idx.Desc) > 0 && idx.Desc[0]
		register(t.ID, idx.ID, func(rest []byte) (int, error) { return rowenc.KeyLen(rest, typ, desc) })
	}
}
