package catalog

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"

	"github.com/quorumdb/quorumdb/kv"
	"github.com/quorumdb/quorumdb/sql/kverror"
	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// UserType is a user-defined type's descriptor (today enums).
type UserType struct {
	ID      uint32 `json:"id"`
	ArrayID uint32 `json:"array_id"`
	DBID    uint32 `json:"db"`
	Schema  string `json:"schema"`
	Name    string `json:"name"`
	Owner   string `json:"owner"`
	Version uint64 `json:"version"`
	// Labels in their order (types.EnumLabel: oid, label, displayed sort
	// order, order key).
	Labels []EnumLabel `json:"labels"`
}

// EnumLabel is one label of an enum with its sort order.
type EnumLabel struct {
	OID   uint32  `json:"oid"`
	Label string  `json:"label"`
	Sort  float32 `json:"sort"`
	Key   []byte  `json:"key"`
}

// TypeKey is the key of user type id's descriptor.
func TypeKey(id uint32) []byte { return kv.SystemKey([]byte("type/"), EncodeID(id)) }

// TypeNameKey maps schema.name in database db to a user type.
func TypeNameKey(db uint32, schema, name string) []byte {
	return kv.SystemKey([]byte("tns/"), EncodeID(db), []byte(schema), []byte{0}, []byte(name))
}

// cachedType is a decoded type descriptor with its labels, kept in the
// engine's Cache by the exact bytes read (the bytes are still read
// through the transaction).
type cachedType struct {
	raw  string
	desc *UserType
	info *types.EnumInfo
}

// TypeByID returns type id's descriptor and labels, nil if none.
func (c *Txn) TypeByID(ctx context.Context, id uint32) (*UserType, *types.EnumInfo, error) {
	b, ok, err := c.KV.Get(ctx, TypeKey(id))
	if err != nil || !ok {
		return nil, nil, kverror.AsSQL(err)
	}
	tc := c.Cache
	if tc != nil {
		tc.mu.Lock()
		e, hit := tc.types[id]
		tc.mu.Unlock()
		if hit && e.raw == string(b) {
			return e.desc, e.info, nil
		}
	}
	var d UserType
	if err := json.Unmarshal(b, &d); err != nil {
		return nil, nil, fmt.Errorf("sql: decoding type %d: %w", id, err)
	}
	info := d.EnumInfo()
	if tc != nil {
		tc.mu.Lock()
		if tc.types == nil {
			tc.types = map[uint32]cachedType{}
		}
		tc.types[id] = cachedType{raw: string(b), desc: &d, info: info}
		tc.mu.Unlock()
	}
	return &d, info, nil
}

// EnumInfo is the enum's labels in order, as the types package compares
// and prints them.
func (d *UserType) EnumInfo() *types.EnumInfo {
	labels := make([]types.EnumLabel, len(d.Labels))
	for i, l := range d.Labels {
		labels[i] = types.EnumLabel{Oid: l.OID, Label: l.Label, Sort: l.Sort, Key: l.Key}
	}
	return types.NewEnumInfo(d.ID, d.ArrayID, d.Schema, d.Name, labels)
}

// TypeByName finds type schema.name of database db.
func (c *Txn) TypeByName(ctx context.Context, db uint32, schema, name string) (*UserType, *types.EnumInfo, error) {
	b, ok, err := c.KV.Get(ctx, TypeNameKey(db, schema, name))
	if err != nil || !ok {
		return nil, nil, kverror.AsSQL(err)
	}
	return c.TypeByID(ctx, binary.BigEndian.Uint32(b))
}

// UserTypes lists the types of database db visible to the session.
func (c *Txn) UserTypes(ctx context.Context, db uint32) ([]*UserType, error) {
	prefix := kv.SystemKey([]byte("tns/"), EncodeID(db))
	kvs, err := c.KV.Scan(ctx, prefix, kv.PrefixEnd(prefix), 0, false)
	if err != nil {
		return nil, kverror.AsSQL(err)
	}
	var out []*UserType
	for _, e := range kvs {
		d, _, err := c.TypeByID(ctx, binary.BigEndian.Uint32(e.Value))
		if err != nil {
			return nil, err
		}
		if d != nil && c.Listable(d.Schema) {
			out = append(out, d)
		}
	}
	return out, nil
}

// WriteType stores user type d and its name.
func (c *Txn) WriteType(ctx context.Context, d *UserType) error {
	d.Version++
	if err := c.PutJSON(ctx, TypeKey(d.ID), d); err != nil {
		return err
	}
	if err := c.KV.Put(ctx, TypeNameKey(d.DBID, d.Schema, d.Name), EncodeID(d.ID)); err != nil {
		return kverror.AsSQL(err)
	}
	c.Changes.Record(d.ID, d.Version, false)
	return nil
}

// DeleteType removes user type d and its name.
func (c *Txn) DeleteType(ctx context.Context, d *UserType) error {
	if err := c.KV.Delete(ctx, TypeKey(d.ID)); err != nil {
		return kverror.AsSQL(err)
	}
	if err := c.KV.Delete(ctx, TypeNameKey(d.DBID, d.Schema, d.Name)); err != nil {
		return kverror.AsSQL(err)
	}
	c.Changes.Record(d.ID, d.Version+1, true)
	return nil
}

// HasEnumType reports whether t is an enum or an array of one.
func HasEnumType(t types.T) bool {
	return t.Family == types.EnumFamily || t.Family == types.ArrayFamily && t.Elem != nil && t.Elem.Family == types.EnumFamily
}

// HydrateEnums returns t with its enum columns' labels filled in from the
// types' current descriptors (a copy; the cached t is shared).
func (c *Txn) HydrateEnums(ctx context.Context, t *Table) (*Table, error) {
	cp := *t
	cp.Columns = append([]Column(nil), t.Columns...)
	for i := range cp.Columns {
		ct, err := c.HydrateType(ctx, cp.Columns[i].Type)
		if err != nil {
			return nil, err
		}
		cp.Columns[i].Type = ct
	}
	return &cp, nil
}

// HydrateType fills in an enum type's (or enum array's) labels.
func (c *Txn) HydrateType(ctx context.Context, t types.T) (types.T, error) {
	switch {
	case t.Family == types.EnumFamily:
		_, info, err := c.TypeByID(ctx, t.Oid)
		if err != nil {
			return t, err
		}
		if info == nil {
			return t, pgerror.New(pgerror.UndefinedObject, "type with OID %d does not exist", t.Oid)
		}
		return types.EnumOf(info), nil
	case t.Family == types.ArrayFamily && t.Elem != nil && t.Elem.Family == types.EnumFamily:
		e, err := c.HydrateType(ctx, *t.Elem)
		if err != nil {
			return t, err
		}
		return types.ArrayOf(e), nil
	case t.Family == types.RecordFamily && t.Fields != nil:
		// A table's row type as a function's parameter (sql/function_out.go).
		fts := make([]types.T, len(t.Fields.Types))
		for i, ft := range t.Fields.Types {
			var err error
			if fts[i], err = c.HydrateType(ctx, ft); err != nil {
				return t, err
			}
		}
		return types.RecordOf(t.Fields.Names, fts), nil
	}
	return t, nil
}

// TypeFromOID is types.FromOid extended to the session's enum types and
// their arrays.
func (c *Txn) TypeFromOID(ctx context.Context, oid uint32) (types.T, bool, error) {
	if t, ok := types.FromOid(oid); ok {
		return t, true, nil
	}
	if oid < FirstUserID {
		return types.T{}, false, nil
	}
	_, info, err := c.TypeByID(ctx, oid)
	if err != nil {
		return types.T{}, false, err
	}
	if info != nil {
		return types.EnumOf(info), true, nil
	}
	// The array of an enum type has the next oid.
	_, info, err = c.TypeByID(ctx, oid-1)
	if err != nil || info == nil || info.ArrayOid != oid {
		return types.T{}, false, err
	}
	return types.ArrayOf(types.EnumOf(info)), true, nil
}
