package types

import (
	"testing"
	"time"

	"github.com/quorumdb/quorumdb/sql/pgerror"
)

// TestCast checks cast results against PostgreSQL 15 (psql output of
// SELECT 'in'::from::to).
func TestCast(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no zone database")
	}
	nySet := DefaultSettings()
	nySet.Location = ny
	vc := func(n int32) T { return T{Family: StringFamily, Oid: OidVarchar, Width: n} }
	bpc := func(n int32) T { return T{Family: StringFamily, Oid: OidBPChar, Width: n} }
	num := func(p, s int32) T { return T{Family: DecimalFamily, Oid: OidNumeric, Width: p, Scale: s} }
	for _, tc := range []struct {
		from, to T
		in       string
		explicit bool
		out      string
		set      *Settings
	}{
		{Int4, Int8, "5", false, "5", nil}, {Int8, Int2, "-32768", false, "-32768", nil},
		{Float8, Int4, "2.5", true, "2", nil}, {Float8, Int4, "3.5", true, "4", nil}, {Float8, Int4, "-2.5", true, "-2", nil},
		{Numeric, Int4, "2.5", true, "3", nil}, {Numeric, Int4, "-2.5", true, "-3", nil},
		{Int4, Numeric, "7", false, "7", nil}, {Int4, num(5, 2), "7", false, "7.00", nil},
		{Float8, Numeric, "0.3333333333333333", true, "0.333333333333333", nil},
		{Float8, Numeric, "1e20", true, "100000000000000000000", nil}, {Float4, Numeric, "0.1", true, "0.1", nil},
		{Numeric, Float8, "0.1", false, "0.1", nil}, {Int8, Float4, "16777217", false, "1.6777216e+07", nil},
		{Float8, Float4, "0.1", false, "0.1", nil}, {num(10, 4), num(5, 1), "12.3456", false, "12.3", nil},
		{Int4, Bool, "0", true, "f", nil}, {Int4, Bool, "-3", true, "t", nil}, {Bool, Int4, "t", true, "1", nil},
		{Int4, Text, "42", false, "42", nil}, {Bool, Text, "t", false, "true", nil},
		{Text, Int4, " 42 ", true, "42", nil}, {Text, Bool, "yes", true, "t", nil},
		{Text, vc(3), "abcdef", true, "abc", nil}, {Text, vc(3), "abc   ", false, "abc", nil},
		{Text, bpc(5), "ab", false, "ab   ", nil}, {bpc(5), Text, "ab   ", false, "ab", nil},
		{bpc(5), vc(5), "ab   ", false, "ab", nil}, {Int4, vc(2), "12", false, "12", nil},
		{Date, Timestamp, "2024-01-31", false, "2024-01-31 00:00:00", nil},
		{Date, TimestampTZ, "2024-01-31", false, "2024-01-31 00:00:00-05", nySet},
		{TimestampTZ, Timestamp, "2024-01-31 12:00+00", false, "2024-01-31 07:00:00", nySet},
		{Timestamp, TimestampTZ, "2024-07-01 12:00", false, "2024-07-01 12:00:00-04", nySet},
		{TimestampTZ, Date, "2024-01-31 02:00+00", false, "2024-01-30", nySet},
		{Timestamp, Date, "2024-01-31 23:59", false, "2024-01-31", nil},
		{Timestamp, Time, "2024-01-31 23:59:01.5", false, "23:59:01.5", nil},
		{Time, IntervalT, "01:02:03", false, "01:02:03", nil}, {IntervalT, Time, "1 day 01:02:03", false, "01:02:03", nil},
		{Text, JSONB, `{"b":1,"a":2}`, true, `{"a": 2, "b": 1}`, nil}, {JSONT, JSONB, `{"b":1,"a":2}`, false, `{"a": 2, "b": 1}`, nil},
		{JSONB, Text, `{"a": 2}`, false, `{"a": 2}`, nil}, {JSONB, Int4, `1.5`, true, "2", nil},
		{JSONB, Numeric, `1.50`, true, "1.50", nil}, {JSONB, Bool, `true`, true, "t", nil},
		{UUIDT, Text, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", false, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", nil},
		{ArrayOf(Int4), ArrayOf(Int8), "{1,NULL}", false, "{1,NULL}", nil},
		{ArrayOf(Text), ArrayOf(Int4), "{1,2}", true, "{1,2}", nil}, {ArrayOf(Int4), Text, "{1,2}", false, "{1,2}", nil},
		{Int4, OidT, "-1", false, "4294967295", nil}, {OidT, Int8, "4294967295", false, "4294967295", nil},
		{Unknown, Int4, "12", false, "12", nil}, {Unknown, vc(2), "abc", true, "ab", nil},
	} {
		set := tc.set
		if set == nil {
			set = DefaultSettings()
		}
		d, err := ParseText(tc.from, tc.in, set)
		if err != nil {
			t.Fatalf("%s %q: %v", TypeName(tc.from), tc.in, err)
		}
		got, err := Cast(d, tc.from, tc.to, tc.explicit, set)
		if err != nil {
			t.Errorf("%q::%s::%s: %v", tc.in, TypeName(tc.from), TypeName(tc.to), err)
			continue
		}
		if s := FormatText(tc.to, got, set); s != tc.out {
			t.Errorf("%q::%s::%s = %q, want %q", tc.in, TypeName(tc.from), TypeName(tc.to), s, tc.out)
		}
	}
}

func TestCastErrors(t *testing.T) {
	for _, tc := range []struct {
		from, to T
		in       string
		explicit bool
		code     string
		msg      string
	}{
		{Int4, Int2, "40000", true, pgerror.NumericValueOutOfRange, "smallint out of range"},
		{Int8, Int4, "9999999999", true, pgerror.NumericValueOutOfRange, "integer out of range"},
		{Float8, Int8, "1e19", true, pgerror.NumericValueOutOfRange, "bigint out of range"},
		{Float8, Int4, "NaN", true, pgerror.NumericValueOutOfRange, "integer out of range"},
		{Numeric, Int4, "NaN", true, pgerror.FeatureNotSupported, "cannot convert NaN to integer"},
		{Numeric, Int2, "Infinity", true, pgerror.FeatureNotSupported, "cannot convert infinity to smallint"},
		{Float8, Float4, "1e300", true, pgerror.NumericValueOutOfRange, "value out of range: overflow"},
		{Float8, Float4, "1e-300", true, pgerror.NumericValueOutOfRange, "value out of range: underflow"},
		{Text, T{Family: StringFamily, Oid: OidVarchar, Width: 3}, "abcd", false, pgerror.StringDataRightTruncation, "value too long for type character varying(3)"},
		{Int4, T{Family: StringFamily, Oid: OidVarchar, Width: 2}, "123", false, pgerror.StringDataRightTruncation, "value too long for type character varying(2)"},
		{Numeric, T{Family: DecimalFamily, Oid: OidNumeric, Width: 3, Scale: 2}, "10", false, pgerror.NumericValueOutOfRange, "numeric field overflow"},
		{Int8, Bool, "1", true, pgerror.CannotCoerce, "cannot cast type bigint to boolean"},
		{Date, Int4, "2024-01-01", true, pgerror.CannotCoerce, "cannot cast type date to integer"},
		{UUIDT, Int4, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", true, pgerror.CannotCoerce, "cannot cast type uuid to integer"},
		{JSONB, Int4, `{"a":1}`, true, pgerror.InvalidParameterValue, "cannot cast jsonb object to type integer"},
		{Text, Int4, "x", true, pgerror.InvalidTextRepresentation, `invalid input syntax for type integer: "x"`},
	} {
		d, err := ParseText(tc.from, tc.in, DefaultSettings())
		if err != nil {
			t.Fatalf("%s %q: %v", TypeName(tc.from), tc.in, err)
		}
		_, err = Cast(d, tc.from, tc.to, tc.explicit, DefaultSettings())
		pe, ok := err.(*pgerror.Error)
		if !ok || pe.Code != tc.code || pe.Message != tc.msg {
			t.Errorf("%q::%s::%s: got %v, want %s %q", tc.in, TypeName(tc.from), TypeName(tc.to), err, tc.code, tc.msg)
		}
	}
}

func TestCanCast(t *testing.T) {
	for _, tc := range []struct {
		from, to T
		ctx      CastContext
		want     bool
	}{
		{Int2, Int4, Implicit, true}, {Int4, Int8, Implicit, true}, {Int8, Int4, Implicit, false},
		{Int8, Int4, Assignment, true}, {Int4, Numeric, Implicit, true}, {Numeric, Float8, Implicit, true},
		{Float8, Numeric, Implicit, false}, {Float8, Numeric, Assignment, true}, {Numeric, Int4, Assignment, true},
		{Float4, Float8, Implicit, true}, {Float8, Float4, Assignment, true}, {Varchar, Text, Implicit, true},
		{Text, Varchar, Implicit, true}, {BPChar, Text, Implicit, true}, {Text, Int4, Assignment, false},
		{Text, Int4, Explicit, true}, {Int4, Text, Implicit, false}, {Int4, Text, Assignment, true},
		{Int4, Bool, Assignment, false}, {Int4, Bool, Explicit, true}, {Int8, Bool, Explicit, false},
		{Date, Timestamp, Implicit, true}, {TimestampTZ, Timestamp, Implicit, false}, {TimestampTZ, Timestamp, Assignment, true},
		{Unknown, Date, Implicit, true}, {JSONT, JSONB, Assignment, true}, {JSONB, Int4, Explicit, true},
		{UUIDT, Int4, Explicit, false}, {ArrayOf(Int4), ArrayOf(Int8), Implicit, true},
		{ArrayOf(Int8), ArrayOf(Int4), Implicit, false}, {Int4, OidT, Implicit, true}, {OidT, Int8, Assignment, true},
		{Bool, Int8, Explicit, false}, {Date, Int4, Explicit, false},
	} {
		if got := CanCast(tc.from, tc.to, tc.ctx); got != tc.want {
			t.Errorf("CanCast(%s, %s, %d) = %v, want %v", TypeName(tc.from), TypeName(tc.to), tc.ctx, got, tc.want)
		}
	}
}
