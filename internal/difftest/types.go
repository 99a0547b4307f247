package difftest

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// Type is a SQL type as the generator tracks it: the type's name, with
// arrays as "int4[]" and "text[]"; typmods (varchar(n), char(n),
// numeric(p,s)) live in column declarations only.
type Type string

// The types the generator knows.
const (
	Int2        Type = "int2"
	Int4        Type = "int4"
	Int8        Type = "int8"
	Numeric     Type = "numeric"
	Float4      Type = "float4"
	Float8      Type = "float8"
	Text        Type = "text"
	Varchar     Type = "varchar"
	Bpchar      Type = "bpchar"
	Bool        Type = "bool"
	Date        Type = "date"
	Time        Type = "time"
	Timestamp   Type = "timestamp"
	TimestampTZ Type = "timestamptz"
	Interval    Type = "interval"
	Bytea       Type = "bytea"
	UUID        Type = "uuid"
	JSONB       Type = "jsonb"
	Int4Array   Type = "int4[]"
	TextArray   Type = "text[]"
)

// AllTypes are the types of generated columns and expressions.
var AllTypes = []Type{Int2, Int4, Int8, Numeric, Float4, Float8, Text, Varchar, Bpchar, Bool,
	Date, Time, Timestamp, TimestampTZ, Interval, Bytea, UUID, JSONB, Int4Array, TextArray}

// short names columns by type: c_<short>, c_<short>2.
var short = map[Type]string{
	Int2: "i2", Int4: "i4", Int8: "i8", Numeric: "num", Float4: "f4", Float8: "f8",
	Text: "txt", Varchar: "vc", Bpchar: "ch", Bool: "b", Date: "d", Time: "tm",
	Timestamp: "ts", TimestampTZ: "tz", Interval: "iv", Bytea: "by", UUID: "u",
	JSONB: "j", Int4Array: "ai", TextArray: "at",
}

// family groups types whose values compare with each other.
func family(t Type) string {
	switch t {
	case Int2, Int4, Int8, Numeric, Float4, Float8:
		return "num"
	case Text, Varchar, Bpchar:
		return "text"
	case Date, Timestamp, TimestampTZ:
		return "datetime"
	}
	return string(t)
}

// hasMinMax says whether PostgreSQL 15 has min/max for the type.
func hasMinMax(t Type) bool {
	switch t {
	case Bool, Bytea, UUID, JSONB:
		return false
	}
	return true
}

// column is a table column: its name, type and declaration.
type column struct {
	name string
	t    Type
	decl string // e.g. varchar(3), numeric(8,2)
	n    int    // varchar/char length, numeric precision
	s    int    // numeric scale
}

// declFor picks a column declaration for t.
func declFor(r *rand.Rand, t Type) (decl string, n, s int) {
	switch t {
	case Varchar:
		n = 1 + r.IntN(8)
		return fmt.Sprintf("varchar(%d)", n), n, 0
	case Bpchar:
		n = 1 + r.IntN(5)
		return fmt.Sprintf("char(%d)", n), n, 0
	case Numeric:
		if r.IntN(3) == 0 {
			n = 6 + r.IntN(10)
			s = r.IntN(4)
			return fmt.Sprintf("numeric(%d,%d)", n, s), n, s
		}
		return "numeric", 0, 0
	case Float4:
		return "real", 0, 0
	case Float8:
		return "double precision", 0, 0
	}
	return string(t), 0, 0
}

// pools are literal values per type, as PostgreSQL input text:
// boundaries, NaN and infinities, empty strings, extreme dates.
var pools = map[Type][]string{
	Int2:        {"0", "1", "-1", "2", "7", "100", "32767", "-32768", "-7"},
	Int4:        {"0", "1", "-1", "2", "3", "10", "42", "-5", "2147483647", "-2147483648", "65536"},
	Int8:        {"0", "1", "-1", "3", "1000", "9223372036854775807", "-9223372036854775808", "4294967296", "-12"},
	Numeric:     {"0", "1", "-1", "1.5", "-2.25", "0.001", "1.00", "10", "123456789.123456789", "NaN", "1e20", "-0.0", "0.5", "2.5", "-3.7", "Infinity", "-Infinity", "99.99", "0.1"},
	Float4:      {"0", "-0", "1", "1.5", "0.1", "-2.5", "NaN", "Infinity", "-Infinity", "3.4e38", "1e-38", "16777217", "123.456"},
	Float8:      {"0", "-0", "1", "1.5", "0.1", "-2.5", "NaN", "Infinity", "-Infinity", "1e308", "2.2250738585072014e-308", "5e-324", "123.456", "1e15", "0.30000000000000004", "100"},
	Text:        {"", "a", "A", "abc", "b", " a ", "ab%", "a_b", "ü", "Zz", "abc ", "x,y,z", "1", "12", "it's", "a\\b", "NULL", "{1,2}", "2000-01-01", "true", "aBc"},
	Bool:        {"true", "false"},
	Date:        {"2000-01-01", "1999-12-31", "2024-02-29", "1970-01-01", "0001-01-01", "4713-01-01 BC", "5874897-12-31", "infinity", "-infinity", "2000-03-01", "1900-02-28"},
	Time:        {"00:00:00", "23:59:59.999999", "24:00:00", "12:34:56.789", "00:00:00.000001", "12:00:00", "06:30:00"},
	Timestamp:   {"2000-01-01 00:00:00", "1999-12-31 23:59:59.999999", "2024-02-29 12:00:00", "1970-01-01 00:00:00.5", "294276-12-31 23:59:59.999999", "4713-01-01 00:00:00 BC", "infinity", "-infinity", "2000-01-01 12:34:56.789", "0001-01-01 00:00:00"},
	TimestampTZ: {"2000-01-01 00:00:00+00", "1999-12-31 23:59:59.999999+00", "2024-02-29 12:00:00+05:30", "1970-01-01 00:00:00-08", "294276-12-31 23:59:59+00", "infinity", "-infinity", "2000-01-01 12:34:56.789+00", "2021-03-14 02:30:00-05"},
	Interval:    {"0", "1 day", "-1 day", "1 mon", "1 year 2 mons 3 days 04:05:06.789", "-00:00:00.000001", "24:00:00", "30 days", "1 mon -1 day", "178000000 years", "-178000000 years", "00:00:01", "1 day 02:00:00"},
	Bytea:       {"\\x", "\\x00", "\\xdeadbeef", "\\x41", "\\x6162", "\\xff00"},
	UUID:        {"00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "123e4567-e89b-12d3-a456-426614174000"},
	JSONB:       {"null", "1", "1.0", "-0", "\"a\"", "\"\"", "[]", "{}", "[1, 2, 3]", "{\"a\": 1, \"b\": [1, null]}", "{\"a\": {\"b\": \"c\"}}", "true", "1e10", "[\"a\", {\"a\": 2}]", "{\"b\": 2, \"a\": null}"},
	Int4Array:   {"{}", "{1,2,3}", "{NULL,1}", "{-2147483648}", "{1,1}", "{3}", "{2,1}"},
	TextArray:   {"{}", "{a,b}", "{\"\",NULL}", "{\"a b\",c}", "{b}", "{a}"},
}

// quote renders s as a SQL string literal.
func quote(s string) string {
	if strings.ContainsRune(s, '\\') {
		return "E'" + strings.ReplaceAll(strings.ReplaceAll(s, "\\", "\\\\"), "'", "''") + "'"
	}
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// castName is how a literal of type t is cast.
func castName(t Type) string {
	switch t {
	case Varchar:
		return "varchar"
	case Bpchar:
		return "char(3)"
	}
	return string(t)
}

// literal renders a value of type t from its pool (or NULL).
func literal(r *rand.Rand, t Type, nullPct int) string {
	if r.IntN(100) < nullPct {
		return "NULL::" + castName(t)
	}
	p := pools[t]
	if t == Varchar || t == Bpchar {
		p = pools[Text]
	}
	v := p[r.IntN(len(p))]
	switch t {
	case Int4:
		if !strings.HasPrefix(v, "-") && len(v) < 10 {
			return v
		}
	case Bool:
		return v
	}
	return quote(v) + "::" + castName(t)
}

// value renders a value for column c of an INSERT: from the pool,
// fitted to the column's typmod.
func value(r *rand.Rand, c column) string {
	p := pools[c.t]
	if c.t == Varchar || c.t == Bpchar {
		p = pools[Text]
	}
	v := p[r.IntN(len(p))]
	switch c.t {
	case Varchar, Bpchar:
		if len([]rune(v)) > c.n {
			v = string([]rune(v)[:c.n])
		}
	case Numeric:
		if c.n > 0 && (len(v) > c.n-c.s || strings.ContainsAny(v, "eIN")) {
			v = []string{"0", "1.5", "-2.25", "0.001", "1.00", "10", "-3.7", "0.5"}[r.IntN(8)]
		}
	case Bool:
		return v
	}
	return quote(v)
}
