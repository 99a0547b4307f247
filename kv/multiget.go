package kv

import "context"

// MultiGetter is implemented by a Txn that reads several keys in one
// request: a remote transaction (kv/remote), for which each Get is a
// round trip to the leader. GetMany returns what a Get of each key would,
// in order, with the same effect on the transaction (each key is read,
// found or not, for validation).
type MultiGetter interface {
	GetMany(ctx context.Context, keys [][]byte) (values [][]byte, found []bool, err error)
}

// GetMany reads keys in txn: in one request when txn is a MultiGetter,
// otherwise one Get each.
func GetMany(ctx context.Context, txn Txn, keys [][]byte) ([][]byte, []bool, error) {
	if m, ok := txn.(MultiGetter); ok {
		return m.GetMany(ctx, keys)
	}
	values, found := make([][]byte, len(keys)), make([]bool, len(keys))
	for i, k := range keys {
		v, ok, err := txn.Get(ctx, k)
		if err != nil {
			return nil, nil, err
		}
		values[i], found[i] = v, ok
	}
	return values, found, nil
}
