package exec

import (
	"fmt"

	"github.com/quorumdb/quorumdb/kv"
	"github.com/quorumdb/quorumdb/sql/catalog"
	"github.com/quorumdb/quorumdb/sql/rowenc"
	"github.com/quorumdb/quorumdb/sql/types"
)

func DecodeRowValue(t *catalog.Table, b []byte) (Row, error) {
	r := make(Row, len(t.Columns))
	err := rowenc.DecodeRow(b, func(id uint32) (int, types.T, bool) {
		i := t.ColumnIndexByID(id)
		if i < 0 {
			return 0, types.T{}, false
		}
		return i, t.Columns[i].Type, true
	}, r)
	if err != nil {
		return nil, fmt.Errorf("sql: decoding row of %s: %w", t.Name, err)
	}
	return r, nil
}

// DecodePrimaryFromIndexKey returns the primary key bytes that follow the
// index columns in a secondary index entry.
func DecodePrimaryFromIndexKey(t *catalog.Table, idx *catalog.Index, key []byte) ([]byte, error) {
	rest := key[len(kv.IndexPrefix(t.ID, idx.ID)):]
	var err error
	for i := range idx.ColumnIDs {
		desc := i < len(idx.Desc) && idx.Desc[i]
		if _, rest, err = rowenc.DecodeKey(rest, idx.KeyType(t, i), desc); err != nil {
			return nil, err
		}
	}
	pk := kv.IndexPrefix(t.ID, t.Primary().ID)
	return append(pk, rest...), nil
}
