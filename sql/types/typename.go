package types

import (
	"fmt"
	"strings"

	"github.com/quorumdb/quorumdb/sql/pgerror"
)

// typeInfo is what pg_type knows of a base type.
type typeInfo struct {
	t      T
	name   string // pg_type.typname
	format string // format_type without modifiers
	typlen int16
}

// baseTypes lists every non-array type quorumdb knows, by OID.
var baseTypes = map[Oid]typeInfo{}

func init() {
	for _, ti := range []typeInfo{
		{Bool, "bool", "boolean", 1},
		{Bytea, "bytea", "bytea", -1},
		{Char, "char", `"char"`, 1},
		{Name, "name", "name", 64},
		{Int8, "int8", "bigint", 8},
		{Int2, "int2", "smallint", 2},
		{T{Family: ArrayFamily, Oid: OidInt2Vector, Elem: &Int2}, "int2vector", "int2vector", -1},
		{Int4, "int4", "integer", 4},
		{Regproc, "regproc", "regproc", 4},
		{Text, "text", "text", -1},
		{OidT, "oid", "oid", 4},
		{T{Family: ArrayFamily, Oid: OidOidVector, Elem: &OidT}, "oidvector", "oidvector", -1},
		{JSONT, "json", "json", -1},
		{Float4, "float4", "real", 4},
		{Float8, "float8", "double precision", 8},
		{Unknown, "unknown", "unknown", -2},
		{BPChar, "bpchar", "character", -1},
		{Varchar, "varchar", "character varying", -1},
		{Date, "date", "date", 4},
		{Time, "time", "time without time zone", 8},
		{Timestamp, "timestamp", "timestamp without time zone", 8},
		{TimestampTZ, "timestamptz", "timestamp with time zone", 8},
		{IntervalT, "interval", "interval", 16},
		{Numeric, "numeric", "numeric", -1},
		{Regclass, "regclass", "regclass", 4},
		{Regtype, "regtype", "regtype", 4},
		{Record, "record", "record", -1},
		{Any, "any", `"any"`, 4},
		{Void, "void", "void", 4},
		{UUIDT, "uuid", "uuid", 16},
		{JSONB, "jsonb", "jsonb", -1},
		{Regnamespace, "regnamespace", "regnamespace", 4},
		{Regrole, "regrole", "regrole", 4},
		{Regprocedure, "regprocedure", "regprocedure", 4},
		{Regoper, "regoper", "regoper", 4},
		{Regoperator, "regoperator", "regoperator", 4},
		{Regcollation, "regcollation", "regcollation", 4},
	} {
		baseTypes[ti.t.Oid] = ti
	}
}

// FromOid returns the type with the given OID (without modifiers).
func FromOid(oid Oid) (T, bool) {
	if ti, ok := baseTypes[oid]; ok {
		return ti.t, true
	}
	for elem, arr := range arrayOids {
		if arr == oid {
			return ArrayOf(baseTypes[elem].t), true
		}
	}
	return T{}, false
}

// TypeName returns PostgreSQL's format_type text for t, modifiers
// included: "integer", "character varying(10)", "numeric(10,2)",
// "integer[]".
func TypeName(t T) string {
	if t.Family == ArrayFamily && t.Elem != nil && t.Oid != OidInt2Vector && t.Oid != OidOidVector {
		return TypeName(*t.Elem) + "[]"
	}
	if t.Family == EnumFamily {
		if t.Enum != nil {
			return t.Enum.QualifiedName()
		}
		return fmt.Sprint(t.Oid)
	}
	ti, ok := baseTypes[t.Oid]
	if !ok {
		if t.Oid == 0 {
			return "-"
		}
		return "???"
	}
	switch t.Oid {
	case OidBPChar, OidVarchar:
		if t.Width > 0 {
			return fmt.Sprintf("%s(%d)", ti.format, t.Width)
		}
		if t.Oid == OidBPChar {
			// format_type prints the bare internal name when there is no length.
			return "bpchar"
		}
	case OidNumeric:
		if t.Width > 0 {
			return fmt.Sprintf("numeric(%d,%d)", t.Width, t.Scale)
		}
	case OidTimestamp, OidTimestampTZ, OidTime:
		if p, ok := TimePrecision(t); ok {
			// "timestamp(0) without time zone"
			base, zone, _ := strings.Cut(ti.format, " ")
			return fmt.Sprintf("%s(%d) %s", base, p, zone)
		}
	}
	return ti.format
}

// TypeNameNoMod is format_type_be: t's name without its modifiers, as
// regtype prints it ("character", "character varying", "numeric").
func TypeNameNoMod(t T) string {
	if t.Family == ArrayFamily && t.Elem != nil && t.Oid != OidInt2Vector && t.Oid != OidOidVector {
		return TypeNameNoMod(*t.Elem) + "[]"
	}
	if t.Oid == OidBPChar {
		return "character"
	}
	t.Width, t.Scale = 0, 0
	return TypeName(t)
}

// SQLName returns the pg_type.typname of t: "int4", "_int4", "varchar".
func SQLName(t T) string {
	if t.Family == ArrayFamily && t.Elem != nil && t.Oid != OidInt2Vector && t.Oid != OidOidVector {
		return "_" + SQLName(*t.Elem)
	}
	if ti, ok := baseTypes[t.Oid]; ok {
		return ti.name
	}
	if t.Family == EnumFamily && t.Enum != nil {
		return t.Enum.Name
	}
	return "???"
}

// TypLen returns pg_type.typlen: the fixed size in bytes, -1 for varlena
// types, -2 for C strings (unknown).
func TypLen(oid Oid) int16 {
	if ti, ok := baseTypes[oid]; ok {
		return ti.typlen
	}
	return -1
}

// TypMod returns the atttypmod PostgreSQL reports for t (in
// RowDescription and pg_attribute): varchar(n)/char(n) n+4, numeric(p,s)
// ((p<<16)|s)+4, -1 when there is no modifier. Arrays report their
// element's modifier, as PostgreSQL does.
func TypMod(t T) int32 {
	if t.Family == ArrayFamily && t.Elem != nil {
		return TypMod(*t.Elem)
	}
	switch t.Oid {
	case OidVarchar, OidBPChar:
		if t.Width > 0 {
			return t.Width + 4
		}
	case OidNumeric:
		if t.Width > 0 {
			// PostgreSQL 15 keeps a negative scale in the low 11 bits.
			return (t.Width<<16 | t.Scale&0x7ff) + 4
		}
	case OidTimestamp, OidTimestampTZ, OidTime:
		if p, ok := TimePrecision(t); ok {
			return int32(p)
		}
	}
	return -1
}

// typeAliases maps every spelling of a type name that ParseTypeName
// accepts (after lower-casing) to an OID: pg_type names, the SQL
// keywords the grammar normally rewrites, and their common aliases.
var typeAliases = map[string]Oid{
	"bool": OidBool, "boolean": OidBool,
	"bytea": OidBytea,
	"char":  OidChar, "name": OidName,
	"int8": OidInt8, "bigint": OidInt8,
	"int2": OidInt2, "smallint": OidInt2,
	"int4": OidInt4, "int": OidInt4, "integer": OidInt4,
	"int2vector": OidInt2Vector, "oidvector": OidOidVector,
	"regproc": OidRegproc,
	"text":    OidText, "oid": OidOid,
	"json": OidJSON, "jsonb": OidJSONB,
	"float4": OidFloat4, "real": OidFloat4,
	"float8": OidFloat8, "double precision": OidFloat8, "float": OidFloat8,
	"unknown": OidUnknown,
	"bpchar":  OidBPChar, "character": OidBPChar,
	"varchar": OidVarchar, "character varying": OidVarchar,
	"date": OidDate, "time": OidTime, "time without time zone": OidTime,
	"timestamp": OidTimestamp, "timestamp without time zone": OidTimestamp,
	"timestamptz": OidTimestampTZ, "timestamp with time zone": OidTimestampTZ,
	"interval": OidInterval,
	"numeric":  OidNumeric, "decimal": OidNumeric,
	"regclass": OidRegclass, "regtype": OidRegtype,
	"regnamespace": OidRegnamespace, "regrole": OidRegrole,
	"regprocedure": OidRegprocedure, "regoper": OidRegoper,
	"regoperator": OidRegoperator, "regcollation": OidRegcollation,
	"record": OidRecord, "void": OidVoid, "any": OidAny,
	"uuid": OidUUID,
}

// ParseTypeName resolves a type name as pg_query gives it (names such as
// ["pg_catalog","int4"] or ["varchar"], the typmod list, and the number
// of array bounds) to a T. Unknown names are 42704.
func ParseTypeName(names []string, typmods []int32, arrayBounds int) (T, error) {
	full := strings.Join(names, ".")
	var name string
	switch len(names) {
	case 1:
		name = names[0]
	case 2:
		if names[0] != "pg_catalog" && names[0] != "public" {
			return T{}, pgerror.New(pgerror.UndefinedObject, "type \"%s\" does not exist", full)
		}
		name = names[1]
	default:
		return T{}, pgerror.New(pgerror.UndefinedObject, "type \"%s\" does not exist", full)
	}
	lname := strings.ToLower(name)
	isArray := false
	if strings.HasPrefix(lname, "_") {
		lname, isArray = lname[1:], true
	}
	oid, ok := typeAliases[lname]
	if !ok {
		return T{}, pgerror.New(pgerror.UndefinedObject, "type \"%s\" does not exist", full)
	}
	t := baseTypes[oid].t
	if err := applyTypmods(&t, name, typmods); err != nil {
		return T{}, err
	}
	if isArray || arrayBounds > 0 {
		if ArrayOid(t.Oid) == 0 {
			return T{}, pgerror.New(pgerror.UndefinedObject, "type \"%s[]\" does not exist", full)
		}
		t = ArrayOf(t)
	}
	return t, nil
}

// applyTypmods checks and stores declared modifiers with PostgreSQL's
// messages (varchar(0), numeric(1001), ...).
func applyTypmods(t *T, name string, mods []int32) error {
	if len(mods) == 0 {
		return nil
	}
	switch t.Oid {
	case OidVarchar, OidBPChar:
		if len(mods) != 1 {
			return pgerror.New(pgerror.InvalidParameterValue, "invalid type modifier")
		}
		n := mods[0]
		if n < 1 {
			return pgerror.New(pgerror.InvalidParameterValue, "length for type %s must be at least 1", baseTypes[t.Oid].name)
		}
		if n > 10485760 {
			return pgerror.New(pgerror.InvalidParameterValue, "length for type %s cannot exceed 10485760", baseTypes[t.Oid].name)
		}
		t.Width = n
	case OidNumeric:
		if len(mods) > 2 {
			return pgerror.New(pgerror.InvalidParameterValue, "invalid NUMERIC type modifier")
		}
		p := mods[0]
		if p < 1 || p > 1000 {
			return pgerror.New(pgerror.InvalidParameterValue, "NUMERIC precision %d must be between 1 and 1000", p)
		}
		var s int32
		if len(mods) == 2 {
			s = mods[1]
			if s < -1000 || s > 1000 {
				return pgerror.New(pgerror.InvalidParameterValue, "NUMERIC scale %d must be between -1000 and 1000", s)
			}
		}
		t.Width, t.Scale = p, s
	case OidTimestamp, OidTimestampTZ, OidTime:
		if len(mods) != 1 {
			return pgerror.New(pgerror.InvalidParameterValue, "invalid type modifier")
		}
		return setTimePrecision(t, name, mods[0])
	case OidInterval, OidFloat4, OidFloat8:
		// Fractional-second precision is accepted and not enforced:
		// values keep microseconds (a documented gap).
	default:
		return pgerror.New(pgerror.SyntaxError, "type modifier is not allowed for type \"%s\"", name)
	}
	return nil
}
