package types

import (
	"testing"

	"github.com/quorumdb/quorumdb/sql/pgerror"
)

// TestTypeNames checks format_type, typname, typlen and atttypmod
// against PostgreSQL 15's catalogs.
func TestTypeNames(t *testing.T) {
	for _, tc := range []struct {
		names    []string
		mods     []int32
		bounds   int
		typeName string
		sqlName  string
		typmod   int32
	}{
		{[]string{"pg_catalog", "int4"}, nil, 0, "integer", "int4", -1},
		{[]string{"int"}, nil, 0, "integer", "int4", -1},
		{[]string{"pg_catalog", "int8"}, nil, 0, "bigint", "int8", -1},
		{[]string{"smallint"}, nil, 0, "smallint", "int2", -1},
		{[]string{"pg_catalog", "float4"}, nil, 0, "real", "float4", -1},
		{[]string{"pg_catalog", "float8"}, nil, 0, "double precision", "float8", -1},
		{[]string{"numeric"}, []int32{10, 2}, 0, "numeric(10,2)", "numeric", 10<<16 | 2 + 4},
		{[]string{"pg_catalog", "numeric"}, []int32{5}, 0, "numeric(5,0)", "numeric", 5<<16 + 4},
		{[]string{"numeric"}, nil, 0, "numeric", "numeric", -1},
		{[]string{"text"}, nil, 0, "text", "text", -1},
		{[]string{"pg_catalog", "varchar"}, []int32{10}, 0, "character varying(10)", "varchar", 14},
		{[]string{"pg_catalog", "varchar"}, nil, 0, "character varying", "varchar", -1},
		{[]string{"pg_catalog", "bpchar"}, []int32{3}, 0, "character(3)", "bpchar", 7},
		{[]string{"pg_catalog", "bpchar"}, nil, 0, "bpchar", "bpchar", -1},
		{[]string{"char"}, nil, 0, `"char"`, "char", -1},
		{[]string{"pg_catalog", "bool"}, nil, 0, "boolean", "bool", -1},
		{[]string{"bytea"}, nil, 0, "bytea", "bytea", -1},
		{[]string{"date"}, nil, 0, "date", "date", -1},
		{[]string{"pg_catalog", "time"}, nil, 0, "time without time zone", "time", -1},
		{[]string{"pg_catalog", "timestamp"}, nil, 0, "timestamp without time zone", "timestamp", -1},
		{[]string{"pg_catalog", "timestamptz"}, nil, 0, "timestamp with time zone", "timestamptz", -1},
		{[]string{"pg_catalog", "interval"}, nil, 0, "interval", "interval", -1},
		{[]string{"uuid"}, nil, 0, "uuid", "uuid", -1},
		{[]string{"jsonb"}, nil, 0, "jsonb", "jsonb", -1},
		{[]string{"json"}, nil, 0, "json", "json", -1},
		{[]string{"oid"}, nil, 0, "oid", "oid", -1},
		{[]string{"regclass"}, nil, 0, "regclass", "regclass", -1},
		{[]string{"pg_catalog", "int4"}, nil, 1, "integer[]", "_int4", -1},
		{[]string{"varchar"}, []int32{10}, 1, "character varying(10)[]", "_varchar", 14},
		{[]string{"_text"}, nil, 0, "text[]", "_text", -1},
	} {
		typ, err := ParseTypeName(tc.names, tc.mods, tc.bounds)
		if err != nil {
			t.Errorf("%v: %v", tc.names, err)
			continue
		}
		if got := TypeName(typ); got != tc.typeName {
			t.Errorf("%v: TypeName %q, want %q", tc.names, got, tc.typeName)
		}
		if got := SQLName(typ); got != tc.sqlName {
			t.Errorf("%v: SQLName %q, want %q", tc.names, got, tc.sqlName)
		}
		if got := TypMod(typ); got != tc.typmod {
			t.Errorf("%v: TypMod %d, want %d", tc.names, got, tc.typmod)
		}
		back, ok := FromOid(typ.Oid)
		if !ok || back.Oid != typ.Oid || back.Family != typ.Family {
			t.Errorf("%v: FromOid(%d) = %v %v", tc.names, typ.Oid, back, ok)
		}
	}
	for _, tc := range []struct {
		names []string
		mods  []int32
		code  string
		msg   string
	}{
		{[]string{"foo"}, nil, pgerror.UndefinedObject, `type "foo" does not exist`},
		{[]string{"myschema", "int4"}, nil, pgerror.UndefinedObject, `type "myschema.int4" does not exist`},
		{[]string{"varchar"}, []int32{0}, pgerror.InvalidParameterValue, "length for type varchar must be at least 1"},
		{[]string{"numeric"}, []int32{1001}, pgerror.InvalidParameterValue, "NUMERIC precision 1001 must be between 1 and 1000"},
	} {
		_, err := ParseTypeName(tc.names, tc.mods, 0)
		checkErr(t, tc.msg, err, tc.code, tc.msg, "")
	}
}

func TestTypLen(t *testing.T) {
	for oid, want := range map[Oid]int16{
		OidBool: 1, OidInt2: 2, OidInt4: 4, OidInt8: 8, OidFloat4: 4, OidFloat8: 8, OidText: -1, OidName: 64,
		OidDate: 4, OidTimestamp: 8, OidInterval: 16, OidUUID: 16, OidNumeric: -1, OidUnknown: -2, OidInt4Array: -1, OidOid: 4,
	} {
		if got := TypLen(oid); got != want {
			t.Errorf("TypLen(%d) = %d, want %d", oid, got, want)
		}
	}
}
