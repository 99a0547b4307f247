package types

import (
	"bytes"
	"encoding/hex"
	"testing"

	"github.com/quorumdb/quorumdb/sql/pgerror"
)

// TestBinaryVectors checks encodings against PostgreSQL 15's send
// functions (hex from e.g. SELECT numeric_send(12345.678)).
func TestBinaryVectors(t *testing.T) {
	for _, tc := range []struct {
		typ T
		in  string
		hex string
	}{
		{Int2, "-2", "fffe"}, {Int4, "1", "00000001"}, {Int8, "-1", "ffffffffffffffff"},
		{Float8, "1.5", "3ff8000000000000"}, {Float4, "1.5", "3fc00000"},
		{Bool, "t", "01"}, {Text, "hé", "68c3a9"}, {Bytea, `\x00ff`, "00ff"},
		{Numeric, "12345.678", "0003000100000003000109291a7c"},
		{Numeric, "-0.0015", "0001ffff40000004000f"},
		{Numeric, "0", "0000000000000000"}, {Numeric, "0.00", "0000000000000002"},
		{Numeric, "NaN", "00000000c0000000"}, {Numeric, "10000", "00010001000000000001"},
		{Date, "2000-01-02", "00000001"}, {Date, "1999-12-31", "ffffffff"},
		// The ends of the ranges (date_send, timestamp_send of PostgreSQL 15).
		{Date, "5874897-12-31", "7fda970c"}, {Date, "4714-11-24 BC", "ffda97a7"},
		{Date, "infinity", "7fffffff"}, {Date, "-infinity", "80000000"},
		{Timestamp, "294276-12-31 23:59:59.999999", "7fffff5bb3b29fff"},
		{Timestamp, "4714-11-24 00:00:00 BC", "fd0f7cc1411fa000"},
		{Timestamp, "2000-01-01 00:00:01", "00000000000f4240"},
		{TimestampTZ, "2000-01-01 00:00:00.000001+00", "0000000000000001"},
		{Time, "00:00:01", "00000000000f4240"},
		{IntervalT, "1 year 2 days 00:00:01", "00000000000f4240" + "00000002" + "0000000c"},
		{UUIDT, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "a0eebc999c0b4ef8bb6d6bb9bd380a11"},
		{JSONB, `{"a":1}`, "01" + hex.EncodeToString([]byte(`{"a": 1}`))},
		{OidT, "4294967295", "ffffffff"},
		{ArrayOf(Int4), "{1,NULL}", "00000001" + "00000001" + "00000017" + "00000002" + "00000001" + "00000004" + "00000001" + "ffffffff"},
		{ArrayOf(Int4), "{}", "00000000" + "00000000" + "00000017"},
	} {
		d, err := ParseText(tc.typ, tc.in, DefaultSettings())
		if err != nil {
			t.Fatalf("%s %q: %v", TypeName(tc.typ), tc.in, err)
		}
		b, err := EncodeBinary(tc.typ, d)
		if err != nil {
			t.Fatalf("%s %q: %v", TypeName(tc.typ), tc.in, err)
		}
		if got := hex.EncodeToString(b); got != tc.hex {
			t.Errorf("%s %q: encoded %s, want %s", TypeName(tc.typ), tc.in, got, tc.hex)
		}
		back, err := DecodeBinary(tc.typ, b)
		if err != nil {
			t.Fatalf("%s %q: decode: %v", TypeName(tc.typ), tc.in, err)
		}
		if a, z := FormatText(tc.typ, d, nil), FormatText(tc.typ, back, nil); a != z {
			t.Errorf("%s %q: round trip %q, want %q", TypeName(tc.typ), tc.in, z, a)
		}
		b2, _ := EncodeBinary(tc.typ, back)
		if !bytes.Equal(b, b2) {
			t.Errorf("%s %q: re-encoded %x, want %x", TypeName(tc.typ), tc.in, b2, b)
		}
	}
}

func TestBinaryErrors(t *testing.T) {
	for _, tc := range []struct {
		typ T
		hex string
	}{
		{Int4, "0001"}, {Int8, "00"}, {Float8, ""}, {UUIDT, "00"}, {Numeric, "0001"},
		{Numeric, "0001000000000000" + "2710"}, // digit 10000
		{Numeric, "0000000012340000"},          // bad sign
		{JSONB, "02" + "7b7d"}, {ArrayOf(Int4), "00000001"},
		{ArrayOf(Int4), "00000001" + "00000000" + "00000017" + "00000005" + "00000001"},
	} {
		b, _ := hex.DecodeString(tc.hex)
		_, err := DecodeBinary(tc.typ, b)
		pe, ok := err.(*pgerror.Error)
		if !ok || pe.Code != pgerror.InvalidBinaryRepresentation {
			t.Errorf("%s %s: got %v, want 22P03", TypeName(tc.typ), tc.hex, err)
		}
	}
}

func FuzzDecodeBinary(f *testing.F) {
	for _, s := range []string{"", "00", "0001000100000003000109290d7c", "000000010000000000000017"} {
		b, _ := hex.DecodeString(s)
		f.Add(byte(0), b)
	}
	typs := []T{Int4, Numeric, JSONB, ArrayOf(Int4), ArrayOf(Numeric), IntervalT, Text, Date, Time}
	f.Fuzz(func(t *testing.T, which byte, b []byte) {
		typ := typs[int(which)%len(typs)]
		d, err := DecodeBinary(typ, b)
		if err != nil {
			return
		}
		if _, err := EncodeBinary(typ, d); err != nil {
			t.Fatalf("decoded %v but cannot encode it: %v", d, err)
		}
	})
}

// TestBinaryDateRange checks that binary input past the ranges is 22008,
// as date_recv and timestamp_recv have it.
func TestBinaryDateRange(t *testing.T) {
	for _, tc := range []struct {
		typ T
		hex string
	}{
		{Date, "7fda970d"}, {Date, "ffda97a6"},
		{Timestamp, "7fffff5bb3b2a000"}, {TimestampTZ, "7fffff5bb3b2a000"}, {Timestamp, "fd0f7cc1411f9fff"},
	} {
		b, _ := hex.DecodeString(tc.hex)
		if _, err := DecodeBinary(tc.typ, b); pgerror.CodeOf(err) != pgerror.DatetimeFieldOverflow {
			t.Errorf("%s %s: got %v, want 22008", TypeName(tc.typ), tc.hex, err)
		}
	}
}
