package types

import (
	"math"
	"testing"

	"github.com/cockroachdb/apd/v3"
)

func TestCompare(t *testing.T) {
	parse := func(typ T, s string) Datum {
		d, err := ParseText(typ, s, DefaultSettings())
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	for _, tc := range []struct {
		typ  T
		a, b string
		want int
	}{
		{Int4, "1", "2", -1}, {Bool, "f", "t", -1}, {Float8, "NaN", "Infinity", 1}, {Float8, "NaN", "NaN", 0},
		{Float8, "-0", "0", 0}, {Numeric, "1.0", "1.00", 0}, {Numeric, "NaN", "1e100", 1}, {Numeric, "-Infinity", "-1e100", -1},
		{Text, "a", "B", 1}, {Text, "a", "ab", -1}, {BPChar, "a  ", "a", 0}, {Bytea, `\x00`, `\x0000`, -1},
		{Date, "2024-01-01", "infinity", -1}, {Timestamp, "-infinity", "1900-01-01", -1},
		{IntervalT, "1 mon", "30 days", 0}, {IntervalT, "1 day", "24 hours", 0}, {IntervalT, "1 day", "25 hours", -1},
		{IntervalT, "-1 day", "-23:00:00", -1},
		{UUIDT, "00000000-0000-0000-0000-000000000001", "10000000-0000-0000-0000-000000000000", -1},
		{ArrayOf(Int4), "{1,2}", "{1,2,3}", -1}, {ArrayOf(Int4), "{1,NULL}", "{1,2}", 1}, {ArrayOf(Int4), "{2}", "{1,9}", 1},
		{JSONB, `{"a":1}`, `{"a": 1}`, 0}, {Time, "01:00", "02:00", -1},
	} {
		if got := Compare(tc.typ, parse(tc.typ, tc.a), parse(tc.typ, tc.b)); got != tc.want {
			t.Errorf("Compare(%s, %q, %q) = %d, want %d", TypeName(tc.typ), tc.a, tc.b, got, tc.want)
		}
		if got := Compare(tc.typ, parse(tc.typ, tc.b), parse(tc.typ, tc.a)); got != -tc.want {
			t.Errorf("Compare(%s, %q, %q) = %d, want %d", TypeName(tc.typ), tc.b, tc.a, got, -tc.want)
		}
	}
}

func TestCompareNumeric(t *testing.T) {
	for _, tc := range []struct {
		a, b Datum
		want int
	}{
		{int64(1), 1.0, 0}, {int64(1), apd.New(10, -1), 0}, {1.5, apd.New(2, 0), -1},
		{math.NaN(), int64(5), 1}, {apd.New(-1, 0), int64(0), -1},
	} {
		if got, ok := CompareNumeric(tc.a, tc.b); !ok || got != tc.want {
			t.Errorf("CompareNumeric(%v, %v) = %d %v, want %d", tc.a, tc.b, got, ok, tc.want)
		}
	}
	if _, ok := CompareNumeric("x", int64(1)); ok {
		t.Error("CompareNumeric accepted a string")
	}
}

func TestCommonNumericType(t *testing.T) {
	for _, tc := range []struct{ a, b, want T }{
		{Int2, Int4, Int4}, {Int8, Int4, Int8}, {Int8, Numeric, Numeric}, {Numeric, Float4, Float4},
		{Float4, Float8, Float8}, {Int2, Float8, Float8},
		{T{Family: DecimalFamily, Oid: OidNumeric, Width: 5, Scale: 2}, Int4, Numeric},
	} {
		if got := CommonNumericType(tc.a, tc.b); !got.Equal(tc.want) {
			t.Errorf("CommonNumericType(%s, %s) = %s, want %s", TypeName(tc.a), TypeName(tc.b), TypeName(got), TypeName(tc.want))
		}
	}
}

// TestCompareJSONB checks jsonb's order against PostgreSQL 15's ORDER BY.
func TestCompareJSONB(t *testing.T) {
	ordered := []string{`[]`, `null`, `"a"`, `"ab"`, `"b"`, `1`, `9.5`, `10`, `false`, `true`, `[null]`, `["x"]`, `[true]`,
		`[[1]]`, `[1, 2]`, `{}`, `{"a": 2}`, `{"aa": 1}`, `{"b": 1}`, `{"a": 1, "b": 2}`}
	for i := range ordered {
		for j := range ordered {
			a, _ := ParseText(JSONB, ordered[i], nil)
			b, _ := ParseText(JSONB, ordered[j], nil)
			want := 0
			if i < j {
				want = -1
			} else if i > j {
				want = 1
			}
			if got := Compare(JSONB, a, b); got != want {
				t.Errorf("Compare(%s, %s) = %d, want %d", ordered[i], ordered[j], got, want)
			}
		}
	}
	x, _ := ParseText(JSONB, `{"a": [1.0, 2e0]}`, nil)
	y, _ := ParseText(JSONB, `{"a": [1, 2]}`, nil)
	if Compare(JSONB, x, y) != 0 {
		t.Errorf("1.0 and 1 differ in jsonb")
	}
}
