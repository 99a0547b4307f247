package catalog

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/quorumdb/quorumdb/kv"
	"github.com/quorumdb/quorumdb/sql/kverror"
	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// Function describes a LANGUAGE sql or plpgsql function.
type Function struct {
	OID    uint32 `json:"oid"`
	DBID   uint32 `json:"db"`
	Schema string `json:"schema"`
	Name   string `json:"name"`
	Owner  string `json:"owner"`
	// ArgNames ("" when unnamed), ArgTypes and ArgDefaults (SQL text, ""
	// when none) describe the input parameters in order.
	ArgNames    []string  `json:"arg_names"`
	ArgTypes    []types.T `json:"arg_types"`
	ArgDefaults []string  `json:"arg_defaults"`
	// OutNames and OutTypes are RETURNS TABLE's columns, or the OUT
	// parameters when OutParams is set.
	OutNames  []string  `json:"out_names,omitempty"`
	OutTypes  []types.T `json:"out_types,omitempty"`
	OutParams bool      `json:"out_params,omitempty"`
	// Language is "plpgsql" for a PL/pgSQL function, "" for LANGUAGE sql.
	Language string  `json:"language,omitempty"`
	RetType  types.T `json:"ret_type"`
	RetSet   bool    `json:"ret_set,omitempty"`
	// Volatility is provolatile: "i", "s" or "v".
	Volatility string `json:"volatility"`
	Strict     bool   `json:"strict,omitempty"`
	// Body is the SQL run on a call: the AS text, or for the standard
	// forms (RETURN expr, BEGIN ATOMIC ... END) their statements.
	Body string `json:"body"`
	// StandardBody is the RETURN / BEGIN ATOMIC text pg_get_functiondef
	// shows, "" for a body given as a string.
	StandardBody string `json:"standard_body,omitempty"`
}

// InputCount is the number of input parameters.
func (f *Function) InputCount() int { return len(f.ArgTypes) }

// DefaultCount is pronargdefaults: how many trailing inputs have defaults.
func (f *Function) DefaultCount() int {
	n := 0
	for _, d := range f.ArgDefaults {
		if d != "" {
			n++
		}
	}
	return n
}

// FunctionPrefix is where database db's functions are stored.
func FunctionPrefix(db uint32) []byte { return kv.SystemKey([]byte("fn/"), EncodeID(db)) }

// FunctionNamePrefix is where the overloads of schema.name are stored.
func FunctionNamePrefix(db uint32, schema, name string) []byte {
	return kv.SystemKey([]byte("fn/"), EncodeID(db), []byte(schema), []byte{0}, []byte(name), []byte{0})
}

// FunctionKey is the key of function f (by name, then oid).
func FunctionKey(f *Function) []byte {
	return kv.SystemKey([]byte("fn/"), EncodeID(f.DBID), []byte(f.Schema), []byte{0}, []byte(f.Name), []byte{0}, EncodeID(f.OID))
}

// Functions lists the functions of database db whose keys start with
// prefix (FunctionPrefix or FunctionNamePrefix).
func (c *Txn) Functions(ctx context.Context, prefix []byte) ([]*Function, error) {
	kvs, err := c.KV.Scan(ctx, prefix, kv.PrefixEnd(prefix), 0, false)
	if err != nil {
		return nil, kverror.AsSQL(err)
	}
	out := make([]*Function, 0, len(kvs))
	for _, e := range kvs {
		var f Function
		if err := json.Unmarshal(e.Value, &f); err != nil {
			return nil, fmt.Errorf("sql: decoding function entry %q: %w", e.Key, err)
		}
		if c.Listable(f.Schema) {
			if err := c.HydrateFunction(ctx, &f); err != nil {
				return nil, err
			}
			out = append(out, &f)
		}
	}
	return out, nil
}

// FunctionByOID returns function oid of database db, nil if none.
func (c *Txn) FunctionByOID(ctx context.Context, db uint32, oid int64) (*Function, error) {
	fs, err := c.Functions(ctx, FunctionPrefix(db))
	if err != nil {
		return nil, err
	}
	for _, f := range fs {
		if int64(f.OID) == oid {
			return f, nil
		}
	}
	return nil, nil
}

// WriteFunction stores f.
func (c *Txn) WriteFunction(ctx context.Context, f *Function) error {
	return c.PutJSON(ctx, FunctionKey(f), f)
}

// DeleteFunction removes f.
func (c *Txn) DeleteFunction(ctx context.Context, f *Function) error {
	return kverror.AsSQL(c.KV.Delete(ctx, FunctionKey(f)))
}

// HydrateFunction fills in the enum labels of f's types, which descriptors
// do not store. A type dropped since (nothing records that a function
// uses it) is left as it is: the call fails when it needs the labels,
// listings of functions still work.
func (c *Txn) HydrateFunction(ctx context.Context, f *Function) error {
	hydrate := func(t types.T) (types.T, error) {
		h, err := c.HydrateType(ctx, t)
		if pgerror.CodeOf(err) == pgerror.UndefinedObject {
			return t, nil
		}
		return h, err
	}
	for _, ts := range [][]types.T{f.ArgTypes, f.OutTypes} {
		for i := range ts {
			t, err := hydrate(ts[i])
			if err != nil {
				return err
			}
			ts[i] = t
		}
	}
	t, err := hydrate(f.RetType)
	f.RetType = t
	return err
}
