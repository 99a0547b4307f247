package types

// Oid is a PostgreSQL object identifier; type OIDs are PostgreSQL's own.
type Oid = uint32

// PostgreSQL type OIDs (pg_type.oid) that quorumdb uses.
const (
	OidBool         Oid = 16
	OidBytea        Oid = 17
	OidChar         Oid = 18 // "char": one byte
	OidName         Oid = 19
	OidInt8         Oid = 20
	OidInt2         Oid = 21
	OidInt2Vector   Oid = 22
	OidInt4         Oid = 23
	OidRegproc      Oid = 24
	OidText         Oid = 25
	OidOid          Oid = 26
	OidOidVector    Oid = 30
	OidJSON         Oid = 114
	OidFloat4       Oid = 700
	OidFloat8       Oid = 701
	OidUnknown      Oid = 705
	OidBoolArray    Oid = 1000
	OidInt2Array    Oid = 1005
	OidInt4Array    Oid = 1007
	OidTextArray    Oid = 1009
	OidBPCharArray  Oid = 1014
	OidVarcharArray Oid = 1015
	OidInt8Array    Oid = 1016
	OidFloat4Array  Oid = 1021
	OidFloat8Array  Oid = 1022
	OidOidArray     Oid = 1028
	OidNameArray    Oid = 1003
	OidBPChar       Oid = 1042
	OidVarchar      Oid = 1043
	OidDate         Oid = 1082
	OidTime         Oid = 1083
	OidTimestamp    Oid = 1114
	OidTimestampTZ  Oid = 1184
	OidInterval     Oid = 1186
	OidNumeric      Oid = 1700
	OidRegclass     Oid = 2205
	OidRegtype      Oid = 2206
	OidRecord       Oid = 2249
	OidAny          Oid = 2276
	OidVoid         Oid = 2278
	OidUUID         Oid = 2950
	OidJSONB        Oid = 3802
	OidRegnamespace Oid = 4089
	OidRegrole      Oid = 4096
	OidRegprocedure Oid = 2202
	OidRegoper      Oid = 2203
	OidRegoperator  Oid = 2204
	OidRegcollation Oid = 4191

	OidByteaArray        Oid = 1001
	OidCharArray         Oid = 1002
	OidRegprocArray      Oid = 1008
	OidJSONArray         Oid = 199
	OidDateArray         Oid = 1182
	OidTimeArray         Oid = 1183
	OidTimestampArray    Oid = 1115
	OidTimestampTZArray  Oid = 1185
	OidIntervalArray     Oid = 1187
	OidNumericArray      Oid = 1231
	OidRegclassArray     Oid = 2210
	OidRegtypeArray      Oid = 2211
	OidUUIDArray         Oid = 2951
	OidJSONBArray        Oid = 3807
	OidRegnamespaceArray Oid = 4090
	OidRegroleArray      Oid = 4097
	OidRecordArray       Oid = 2287
	OidRegprocedureArray Oid = 2207
	OidRegoperArray      Oid = 2208
	OidRegoperatorArray  Oid = 2209
	OidRegcollationArray Oid = 4192
)

// Family groups types that share a Go representation and most semantics.
type Family int

// The type families. The Go value of a non-NULL datum of each family is
// documented beside it; NULL is always the untyped nil.
const (
	UnknownFamily     Family = iota // string (an untyped literal not yet resolved)
	BoolFamily                      // bool
	IntFamily                       // int64 (int2, int4, int8; range checked by Oid)
	FloatFamily                     // float64 (float4 values rounded to float32)
	DecimalFamily                   // *apd.Decimal (github.com/cockroachdb/apd/v3)
	StringFamily                    // string (text, varchar, bpchar, name, "char")
	BytesFamily                     // []byte
	DateFamily                      // time.Time at 00:00 UTC of the date
	TimestampFamily                 // time.Time in UTC holding the wall-clock value
	TimestampTZFamily               // time.Time (an instant; formatted in the session zone)
	TimeFamily                      // time.Duration since midnight
	IntervalFamily                  // Interval
	UUIDFamily                      // UUID
	JSONFamily                      // JSON (jsonb and json)
	OidFamily                       // int64 (oid, regclass, regtype, regproc, ...)
	ArrayFamily                     // *Array
	VoidFamily                      // nil only
	RecordFamily                    // []any (row values)
	AnyFamily                       // polymorphic pseudo-type for function signatures
	EnumFamily                      // string (the label; see enum.go)
)

// T is a SQL type: its family, its PostgreSQL OID and its modifiers.
// T is a small value type; compare with Equal (not ==, because of Elem).
type T struct {
	Family Family
	Oid    Oid
	// Width is the declared length of varchar(n)/char(n) (0: unlimited),
	// or the precision of numeric(p,s) (0: unconstrained).
	Width int32
	// Scale is the scale of numeric(p,s).
	Scale int32
	// Elem is the element type of an array type, nil otherwise.
	Elem *T
	// Fields names and types the columns of a record whose shape is
	// known when planning (a function returning a row with named
	// columns, such as _pg_expandarray); nil for an anonymous record.
	Fields *RecordFields
	// Enum is an enum type's labels, filled in from the catalog when a
	// plan is built (never stored: descriptors hold the oid only).
	Enum *EnumInfo `json:"-"`
}

// RecordFields are the named columns of a record type.
type RecordFields struct {
	Names []string
	Types []T
}

// RecordOf is the record type with the given named columns.
func RecordOf(names []string, ts []T) T {
	return T{Family: RecordFamily, Oid: OidRecord, Fields: &RecordFields{Names: names, Types: ts}}
}

// The common types as values.
var (
	Unknown      = T{Family: UnknownFamily, Oid: OidUnknown}
	Bool         = T{Family: BoolFamily, Oid: OidBool}
	Int2         = T{Family: IntFamily, Oid: OidInt2}
	Int4         = T{Family: IntFamily, Oid: OidInt4}
	Int8         = T{Family: IntFamily, Oid: OidInt8}
	Float4       = T{Family: FloatFamily, Oid: OidFloat4}
	Float8       = T{Family: FloatFamily, Oid: OidFloat8}
	Numeric      = T{Family: DecimalFamily, Oid: OidNumeric}
	Text         = T{Family: StringFamily, Oid: OidText}
	Varchar      = T{Family: StringFamily, Oid: OidVarchar}
	BPChar       = T{Family: StringFamily, Oid: OidBPChar}
	Name         = T{Family: StringFamily, Oid: OidName}
	Char         = T{Family: StringFamily, Oid: OidChar}
	Bytea        = T{Family: BytesFamily, Oid: OidBytea}
	Date         = T{Family: DateFamily, Oid: OidDate}
	Time         = T{Family: TimeFamily, Oid: OidTime}
	Timestamp    = T{Family: TimestampFamily, Oid: OidTimestamp}
	TimestampTZ  = T{Family: TimestampTZFamily, Oid: OidTimestampTZ}
	IntervalT    = T{Family: IntervalFamily, Oid: OidInterval}
	UUIDT        = T{Family: UUIDFamily, Oid: OidUUID}
	JSONB        = T{Family: JSONFamily, Oid: OidJSONB}
	JSONT        = T{Family: JSONFamily, Oid: OidJSON}
	OidT         = T{Family: OidFamily, Oid: OidOid}
	Regclass     = T{Family: OidFamily, Oid: OidRegclass}
	Regtype      = T{Family: OidFamily, Oid: OidRegtype}
	Regproc      = T{Family: OidFamily, Oid: OidRegproc}
	Regnamespace = T{Family: OidFamily, Oid: OidRegnamespace}
	Regrole      = T{Family: OidFamily, Oid: OidRegrole}
	Regprocedure = T{Family: OidFamily, Oid: OidRegprocedure}
	Regoper      = T{Family: OidFamily, Oid: OidRegoper}
	Regoperator  = T{Family: OidFamily, Oid: OidRegoperator}
	Regcollation = T{Family: OidFamily, Oid: OidRegcollation}
	Void         = T{Family: VoidFamily, Oid: OidVoid}
	Record       = T{Family: RecordFamily, Oid: OidRecord}
	Any          = T{Family: AnyFamily, Oid: OidAny}
)

// ArrayOf returns the array type whose elements are of type elem.
func ArrayOf(elem T) T {
	e := elem
	if elem.Family == EnumFamily && elem.Enum != nil {
		return T{Family: ArrayFamily, Oid: elem.Enum.ArrayOid, Elem: &e}
	}
	return T{Family: ArrayFamily, Oid: ArrayOid(elem.Oid), Elem: &e}
}

// Equal reports whether t and u are the same type, modifiers included.
func (t T) Equal(u T) bool {
	if t.Family != u.Family || t.Oid != u.Oid || t.Width != u.Width || t.Scale != u.Scale {
		return false
	}
	if (t.Elem == nil) != (u.Elem == nil) {
		return false
	}
	return t.Elem == nil || t.Elem.Equal(*u.Elem)
}

// Datum is one SQL value: nil for NULL, otherwise the Go type listed for
// its Family above. Datums are immutable once built.
type Datum = any

// UUID is a uuid value.
type UUID [16]byte

// JSON is a json or jsonb value held as its canonical text (jsonb
// normalised as PostgreSQL prints it: keys sorted by length then bytes,
// duplicates removed, ", " and ": " separators).
type JSON string

// Interval is a PostgreSQL interval: months, days and microseconds are
// kept apart, as PostgreSQL does, because their lengths vary.
type Interval struct {
	Months int32
	Days   int32
	Micros int64
}

// Array is a one-dimensional SQL array (lower bound 1). Elems may hold nil.
type Array struct {
	Elem  T
	Elems []Datum
}

// arrayOids maps an element type OID to its array type OID.
var arrayOids = map[Oid]Oid{
	OidBool: OidBoolArray, OidInt2: OidInt2Array, OidInt4: OidInt4Array,
	OidInt8: OidInt8Array, OidText: OidTextArray, OidBPChar: OidBPCharArray,
	OidVarchar: OidVarcharArray, OidFloat4: OidFloat4Array, OidFloat8: OidFloat8Array,
	OidOid: OidOidArray, OidName: OidNameArray,
	OidBytea: OidByteaArray, OidChar: OidCharArray, OidRegproc: OidRegprocArray,
	OidJSON: OidJSONArray, OidDate: OidDateArray, OidTime: OidTimeArray,
	OidTimestamp: OidTimestampArray, OidTimestampTZ: OidTimestampTZArray,
	OidInterval: OidIntervalArray, OidNumeric: OidNumericArray,
	OidRegclass: OidRegclassArray, OidRegtype: OidRegtypeArray, OidUUID: OidUUIDArray,
	OidJSONB: OidJSONBArray, OidRegnamespace: OidRegnamespaceArray,
	OidRegrole: OidRegroleArray, OidRecord: OidRecordArray,
	OidRegprocedure: OidRegprocedureArray, OidRegoper: OidRegoperArray,
	OidRegoperator: OidRegoperatorArray, OidRegcollation: OidRegcollationArray,
}

// ArrayOid returns the OID of the array type of elem, 0 if there is none.
func ArrayOid(elem Oid) Oid { return arrayOids[elem] }

// Category is pg_type.typcategory: the group of types among which
// PostgreSQL resolves overloads and common types.
func (t T) Category() byte {
	switch t.Family {
	case BoolFamily:
		return 'B'
	case IntFamily, FloatFamily, DecimalFamily, OidFamily:
		return 'N'
	case StringFamily:
		if t.Oid == OidChar {
			return 'Z' // "char" is an internal-use type
		}
		return 'S'
	case DateFamily, TimestampFamily, TimestampTZFamily, TimeFamily:
		return 'D'
	case IntervalFamily:
		return 'T'
	case ArrayFamily:
		return 'A'
	case EnumFamily:
		return 'E'
	case AnyFamily, RecordFamily, VoidFamily:
		return 'P'
	case UnknownFamily:
		return 'X'
	}
	return 'U'
}

// Preferred is pg_type.typispreferred: the type a category's values
// resolve to when nothing else decides.
func (t T) Preferred() bool {
	switch t.Oid {
	case OidFloat8, OidText, OidBool, OidTimestampTZ, OidInterval, OidOid:
		return true
	}
	return false
}
