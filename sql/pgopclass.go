package sql

import (
	"github.com/quorumdb/quorumdb/sql/catalog"
	"github.com/quorumdb/quorumdb/sql/exec"
	"github.com/quorumdb/quorumdb/sql/types"
)

// pg_opclass lists PostgreSQL 15's default btree operator classes (oids
// as initdb assigns them), and pg_index.indclass names the one of each
// key column: SQLAlchemy 2 reflects an index's operator classes and
// reports a key whose class is missing or not the default as using a
// special one (postgresql_ops).

type opclass struct {
	oid, intype, family int64
	name                string
}

// Pseudo-types the generic classes are declared on.
const (
	oidAnyArray = 2277
	oidAnyEnum  = 3500
)

var btreeOpclasses = []opclass{
	{1978, int64(types.OidInt4), 1976, "int4_ops"}, {1979, int64(types.OidInt2), 1976, "int2_ops"},
	{1981, int64(types.OidOid), 1989, "oid_ops"}, {3122, int64(types.OidDate), 434, "date_ops"},
	{3123, int64(types.OidFloat8), 1970, "float8_ops"}, {3124, int64(types.OidInt8), 1976, "int8_ops"},
	{3125, int64(types.OidNumeric), 1988, "numeric_ops"}, {3126, int64(types.OidText), 1994, "text_ops"},
	{3127, int64(types.OidTimestampTZ), 434, "timestamptz_ops"}, {3128, int64(types.OidTimestamp), 434, "timestamp_ops"},
	{10000, oidAnyArray, 397, "array_ops"}, {10003, int64(types.OidBool), 424, "bool_ops"},
	{10004, int64(types.OidBPChar), 426, "bpchar_ops"}, {10006, int64(types.OidBytea), 428, "bytea_ops"},
	{10007, int64(types.OidChar), 429, "char_ops"}, {10012, int64(types.OidFloat4), 1970, "float4_ops"},
	{10022, int64(types.OidInterval), 1982, "interval_ops"}, {10028, int64(types.OidName), 1994, "name_ops"},
	{10038, int64(types.OidTime), 1996, "time_ops"}, {10065, int64(types.OidUUID), 2968, "uuid_ops"},
	{10069, oidAnyEnum, 3522, "enum_ops"}, {10088, int64(types.OidJSONB), 4033, "jsonb_ops"},
}

// defaultOpclass is the oid of the default btree class for a key of
// type t (0 when it has none), found as PostgreSQL's GetDefaultOpClass
// does: the type's own, else one it is binary-coercible to.
func defaultOpclass(t types.T) int64 {
	in := int64(t.Oid)
	switch {
	case t.Family == types.ArrayFamily:
		in = oidAnyArray
	case t.Family == types.EnumFamily:
		in = oidAnyEnum
	case t.Oid == types.OidVarchar:
		in = int64(types.OidText)
	}
	for _, c := range btreeOpclasses {
		if c.intype == in {
			return c.oid
		}
	}
	return 0
}

// registerPgopclass adds this file's relations and functions to the engine's
// registries (registry.go calls it).
func registerPgopclass() {
	rows := make([]exec.Row, len(btreeOpclasses))
	for i, c := range btreeOpclasses {
		rows[i] = exec.Row{c.oid, int64(403), c.name, int64(catalog.OIDPgCatalogSchema), int64(catalog.OIDPostgresRole), c.family, c.intype, true, int64(0)}
	}
	registerVirtualTable(&virtualTable{schema: "pg_catalog", name: "pg_opclass", oid: 2616, cols: []vcol{
		{"oid", pgOid}, {"opcmethod", pgOid}, {"opcname", pgName}, {"opcnamespace", pgOid}, {"opcowner", pgOid},
		{"opcfamily", pgOid}, {"opcintype", pgOid}, {"opcdefault", pgBool}, {"opckeytype", pgOid},
	}, rows: func(*execCtx) ([]exec.Row, error) { return rows, nil }})
}
