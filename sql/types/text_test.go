package types

import (
	"errors"
	"testing"
	"time"

	"github.com/quorumdb/quorumdb/sql/pgerror"
)

func mustType(t *testing.T, names []string, mods ...int32) T {
	t.Helper()
	typ, err := ParseTypeName(names, mods, 0)
	if err != nil {
		t.Fatal(err)
	}
	return typ
}

// TestTextRoundTrip reads PostgreSQL input and checks the text
// PostgreSQL 15 prints for it (expected strings taken from psql).
func TestTextRoundTrip(t *testing.T) {
	kolkata, err := time.LoadLocation("Asia/Kolkata")
	if err != nil {
		t.Skip("no zone database")
	}
	ist := DefaultSettings()
	ist.Location = kolkata
	efd0 := DefaultSettings()
	efd0.ExtraFloatDigits = 0
	dmy := DefaultSettings()
	dmy.DateStyle = "ISO, DMY"
	num := func(p, s int32) T { return T{Family: DecimalFamily, Oid: OidNumeric, Width: p, Scale: s} }
	vc := func(n int32) T { return T{Family: StringFamily, Oid: OidVarchar, Width: n} }
	bpc := func(n int32) T { return T{Family: StringFamily, Oid: OidBPChar, Width: n} }
	for _, tc := range []struct {
		typ T
		in  string
		out string
		set *Settings
	}{
		{Bool, "t", "t", nil}, {Bool, " TRUE ", "t", nil}, {Bool, "yes", "t", nil}, {Bool, "on", "t", nil},
		{Bool, "1", "t", nil}, {Bool, "f", "f", nil}, {Bool, "off", "f", nil}, {Bool, "No", "f", nil},
		{Int2, " 12 ", "12", nil}, {Int8, "  -5", "-5", nil}, {Int4, "+7", "7", nil},
		{Int8, "9223372036854775807", "9223372036854775807", nil},
		{Float8, "1.5", "1.5", nil}, {Float4, "0.1", "0.1", nil}, {Float8, "1e100", "1e+100", nil},
		{Float8, "1e-7", "1e-07", nil}, {Float8, "nan", "NaN", nil}, {Float8, "-inf", "-Infinity", nil},
		{Float8, "Infinity", "Infinity", nil}, {Float8, "1e20", "1e+20", nil}, {Float8, "1e14", "100000000000000", nil},
		{Float8, "1e15", "1e+15", nil}, {Float8, "-0", "-0", nil}, {Float8, "0.0001", "0.0001", nil},
		{Float8, "0.00001", "1e-05", nil}, {Float4, "123456.7", "123456.7", nil}, {Float4, "16777216", "1.6777216e+07", nil},
		{Float8, "0.3333333333333333", "0.333333333333333", efd0}, {Float4, "123456789", "1.23457e+08", efd0},
		{Numeric, "1.50", "1.50", nil}, {Numeric, " -0.0015 ", "-0.0015", nil}, {Numeric, "1e3", "1000", nil},
		{Numeric, "1.5e-3", "0.0015", nil}, {Numeric, "NaN", "NaN", nil}, {Numeric, "-0", "0", nil},
		{Numeric, "Infinity", "Infinity", nil},
		{num(3, 1), "12.45", "12.5", nil}, {num(3, 1), "-12.45", "-12.5", nil}, {num(5, 2), "1", "1.00", nil},
		{num(5, -2), "12345", "12300", nil},
		{Text, "a b", "a b", nil}, {vc(5), "abc  ", "abc  ", nil}, {vc(5), "abcde   ", "abcde", nil},
		{bpc(5), "ab", "ab   ", nil}, {Char, "ab", "a", nil},
		{Bytea, `\x0102ff`, `\x0102ff`, nil}, {Bytea, `\x01 02`, `\x0102`, nil}, {Bytea, "x", `\x78`, nil},
		{Bytea, `a\\b\001`, `\x615c6201`, nil},
		{Date, "2024-01-31", "2024-01-31", nil}, {Date, "01/02/2024", "2024-01-02", nil},
		{Date, "01/02/2024", "2024-02-01", dmy}, {Date, "20240131", "2024-01-31", nil},
		{Date, "1/2/24", "2024-01-02", nil}, {Date, "epoch", "1970-01-01", nil},
		{Date, "infinity", "infinity", nil}, {Date, "0001-01-01 BC", "0001-01-01 BC", nil},
		{Date, "2024-01-31 12:00:00", "2024-01-31", nil},
		{Timestamp, "2024-01-31 12:34:56.5", "2024-01-31 12:34:56.5", nil},
		{Timestamp, "2024-01-31T12:34:56.123456789", "2024-01-31 12:34:56.123457", nil},
		{Timestamp, "2024-01-31 12:34:56+05", "2024-01-31 12:34:56", nil},
		{Timestamp, "2024-01-31", "2024-01-31 00:00:00", nil},
		{Timestamp, "2024-01-31 1:02 pm", "2024-01-31 13:02:00", nil},
		{Timestamp, "-infinity", "-infinity", nil},
		{TimestampTZ, "2024-01-31 12:34:56.5+05:30", "2024-01-31 07:04:56.5+00", nil},
		{TimestampTZ, "2024-01-31T12:34:56Z", "2024-01-31 12:34:56+00", nil},
		{TimestampTZ, "2024-01-31 12:34:56", "2024-01-31 12:34:56+05:30", ist},
		{TimestampTZ, "2024-01-31 12:00 America/New_York", "2024-01-31 17:00:00+00", nil},
		{TimestampTZ, "2024-01-31 12:00 UTC", "2024-01-31 17:30:00+05:30", ist},
		{TimestampTZ, "2024-01-31 12:00 -0800", "2024-01-31 20:00:00+00", nil},
		{TimestampTZ, "epoch", "1970-01-01 00:00:00+00", nil},
		{Time, "12:34", "12:34:00", nil}, {Time, "12:34:56.789", "12:34:56.789", nil},
		{Time, "24:00:00", "24:00:00", nil}, {Time, "allballs", "00:00:00", nil},
		{IntervalT, "1 day 2 hours", "1 day 02:00:00", nil}, {IntervalT, "1.5 months", "1 mon 15 days", nil},
		{IntervalT, "-1 year 2 mons", "-10 mons", nil}, {IntervalT, "1 day -02:00:00", "1 day -02:00:00", nil},
		{IntervalT, "@ 1 hour ago", "-01:00:00", nil}, {IntervalT, "10", "00:00:10", nil},
		{IntervalT, "1:2", "01:02:00", nil}, {IntervalT, "P1Y2M3DT4H5M6.5S", "1 year 2 mons 3 days 04:05:06.5", nil},
		{IntervalT, "1-2", "1 year 2 mons", nil}, {IntervalT, "100 hours", "100:00:00", nil},
		{IntervalT, "-00:00:01.5", "-00:00:01.5", nil}, {IntervalT, "1.5 years", "1 year 6 mons", nil},
		{IntervalT, "1 week", "7 days", nil}, {IntervalT, "0.5 days", "12:00:00", nil},
		{IntervalT, "0", "00:00:00", nil}, {IntervalT, "-1 days", "-1 days", nil},
		{IntervalT, "-1 days +02:00:00", "-1 days +02:00:00", nil}, {IntervalT, "-1 years -2 days 3 hours", "-1 years -2 days +03:00:00", nil},
		{UUIDT, "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", nil},
		{UUIDT, "{a0eebc999c0b4ef8bb6d6bb9bd380a11}", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", nil},
		{UUIDT, "a0ee-bc99-9c0b-4ef8-bb6d-6bb9-bd38-0a11", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", nil},
		{JSONB, `{"b":1, "a": [1,2.50,1e2], "aa": null, "b": "x\ny"}`, `{"a": [1, 2.50, 100], "b": "x\ny", "aa": null}`, nil},
		{JSONB, `"\u00e9"`, `"é"`, nil}, {JSONT, ` {"b":1,"b":2} `, ` {"b":1,"b":2} `, nil},
		{JSONB, `[]`, `[]`, nil}, {JSONB, `{}`, `{}`, nil},
		{ArrayOf(Int4), "{1, 2 ,NULL}", "{1,2,NULL}", nil}, {ArrayOf(Int4), "{}", "{}", nil},
		{ArrayOf(Text), `{"a b","","NULL",null,"x\"y",c\,d}`, `{"a b","","NULL",NULL,"x\"y","c,d"}`, nil},
		{ArrayOf(Bytea), `{"\\x01"}`, `{"\\x01"}`, nil},
		{ArrayOf(Float8), `{1.5,NaN}`, `{1.5,NaN}`, nil},
		{OidT, "4294967295", "4294967295", nil}, {OidT, "-1", "4294967295", nil},
	} {
		set := tc.set
		if set == nil {
			set = DefaultSettings()
		}
		d, err := ParseText(tc.typ, tc.in, set)
		if err != nil {
			t.Errorf("ParseText(%s, %q): %v", TypeName(tc.typ), tc.in, err)
			continue
		}
		if got := FormatText(tc.typ, d, set); got != tc.out {
			t.Errorf("%s %q: got %q, want %q", TypeName(tc.typ), tc.in, got, tc.out)
		}
	}
}

// TestTextInputErrors checks SQLSTATEs and messages of bad input.
func TestTextInputErrors(t *testing.T) {
	for _, tc := range []struct {
		typ    T
		in     string
		code   string
		msg    string
		detail string
	}{
		{Int4, "abc", pgerror.InvalidTextRepresentation, `invalid input syntax for type integer: "abc"`, ""},
		{Int4, "", pgerror.InvalidTextRepresentation, `invalid input syntax for type integer: ""`, ""},
		{Int4, "9999999999", pgerror.NumericValueOutOfRange, `value "9999999999" is out of range for type integer`, ""},
		{Int2, "40000", pgerror.NumericValueOutOfRange, `value "40000" is out of range for type smallint`, ""},
		{Int8, "1.5", pgerror.InvalidTextRepresentation, `invalid input syntax for type bigint: "1.5"`, ""},
		{Bool, "x", pgerror.InvalidTextRepresentation, `invalid input syntax for type boolean: "x"`, ""},
		{Bool, "o", pgerror.InvalidTextRepresentation, `invalid input syntax for type boolean: "o"`, ""},
		{Float8, "x", pgerror.InvalidTextRepresentation, `invalid input syntax for type double precision: "x"`, ""},
		{Float8, "1e400", pgerror.NumericValueOutOfRange, `"1e400" is out of range for type double precision`, ""},
		{Float4, "1e40", pgerror.NumericValueOutOfRange, `"1e40" is out of range for type real`, ""},
		{Numeric, "x", pgerror.InvalidTextRepresentation, `invalid input syntax for type numeric: "x"`, ""},
		{T{Family: DecimalFamily, Oid: OidNumeric, Width: 4, Scale: 2}, "123.45", pgerror.NumericValueOutOfRange, "numeric field overflow",
			"A field with precision 4, scale 2 must round to an absolute value less than 10^2."},
		{T{Family: DecimalFamily, Oid: OidNumeric, Width: 2, Scale: 2}, "1", pgerror.NumericValueOutOfRange, "numeric field overflow",
			"A field with precision 2, scale 2 must round to an absolute value less than 1."},
		{T{Family: StringFamily, Oid: OidVarchar, Width: 5}, "abcdef", pgerror.StringDataRightTruncation, "value too long for type character varying(5)", ""},
		{T{Family: StringFamily, Oid: OidBPChar, Width: 3}, "abcd", pgerror.StringDataRightTruncation, "value too long for type character(3)", ""},
		{UUIDT, "abc", pgerror.InvalidTextRepresentation, `invalid input syntax for type uuid: "abc"`, ""},
		{Date, "x", pgerror.InvalidDatetimeFormat, `invalid input syntax for type date: "x"`, ""},
		{Date, "2024-13-01", pgerror.DatetimeFieldOverflow, `date/time field value out of range: "2024-13-01"`, ""},
		{Date, "2024-02-30", pgerror.DatetimeFieldOverflow, `date/time field value out of range: "2024-02-30"`, ""},
		{Time, "25:00", pgerror.DatetimeFieldOverflow, `date/time field value out of range: "25:00"`, ""},
		{Time, "x", pgerror.InvalidDatetimeFormat, `invalid input syntax for type time: "x"`, ""},
		{Timestamp, "x", pgerror.InvalidDatetimeFormat, `invalid input syntax for type timestamp: "x"`, ""},
		{Timestamp, "2024-01-31 25:00", pgerror.DatetimeFieldOverflow, `date/time field value out of range: "2024-01-31 25:00"`, ""},
		{TimestampTZ, "2024-01-31 12:00 foo", pgerror.InvalidDatetimeFormat, `invalid input syntax for type timestamp with time zone: "2024-01-31 12:00 foo"`, ""},
		{IntervalT, "x", pgerror.InvalidDatetimeFormat, `invalid input syntax for type interval: "x"`, ""},
		{IntervalT, "1 foo", pgerror.InvalidDatetimeFormat, `invalid input syntax for type interval: "1 foo"`, ""},
		{IntervalT, "99999999999 years", pgerror.DatetimeFieldOverflow, `interval field value out of range: "99999999999 years"`, ""},
		{ArrayOf(Int4), "{", pgerror.InvalidTextRepresentation, `malformed array literal: "{"`, "Unexpected end of input."},
		{ArrayOf(Int4), "1", pgerror.InvalidTextRepresentation, `malformed array literal: "1"`, `Array value must start with "{" or dimension information.`},
		{ArrayOf(Int4), "{1}x", pgerror.InvalidTextRepresentation, `malformed array literal: "{1}x"`, "Junk after closing right brace."},
		{ArrayOf(Int4), "{x}", pgerror.InvalidTextRepresentation, `invalid input syntax for type integer: "x"`, ""},
		{JSONB, "{", pgerror.InvalidTextRepresentation, "invalid input syntax for type json", "The input string ended unexpectedly."},
		{JSONB, "[1] 2", pgerror.InvalidTextRepresentation, "invalid input syntax for type json", `Expected end of input, but found "2".`},
		{JSONT, `"\v"`, pgerror.InvalidTextRepresentation, "invalid input syntax for type json", `Escape sequence "\v" is invalid.`},
		{JSONB, `"\u0000"`, pgerror.UntranslatableCharacter, "unsupported Unicode escape sequence", `\u0000 cannot be converted to text.`},
		{Bytea, `\xzz`, pgerror.InvalidParameterValue, `invalid hexadecimal digit: "z"`, ""},
		{Bytea, `\x0`, pgerror.InvalidParameterValue, "invalid hexadecimal data: odd number of digits", ""},
		{Bytea, `a\b`, pgerror.InvalidTextRepresentation, "invalid input syntax for type bytea", ""},
		{OidT, "x", pgerror.InvalidTextRepresentation, `invalid input syntax for type oid: "x"`, ""},
	} {
		_, err := ParseText(tc.typ, tc.in, DefaultSettings())
		checkErr(t, TypeName(tc.typ)+" "+tc.in, err, tc.code, tc.msg, tc.detail)
	}
}

func checkErr(t *testing.T, what string, err error, code, msg, detail string) {
	t.Helper()
	var pe *pgerror.Error
	if !errors.As(err, &pe) {
		t.Errorf("%s: got %v, want %s %q", what, err, code, msg)
		return
	}
	if pe.Code != code || pe.Message != msg || pe.Detail != detail {
		t.Errorf("%s: got %s %q (%q), want %s %q (%q)", what, pe.Code, pe.Message, pe.Detail, code, msg, detail)
	}
}
