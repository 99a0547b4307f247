package rowenc

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"math/rand"
	"sort"
	"testing"
	"time"

	"github.com/cockroachdb/apd/v3"
	"github.com/quorumdb/quorumdb/sql/types"
)

var (
	vc5  = types.T{Family: types.StringFamily, Oid: types.OidVarchar, Width: 5}
	bpc4 = types.T{Family: types.StringFamily, Oid: types.OidBPChar, Width: 4}
	n102 = types.T{Family: types.DecimalFamily, Oid: types.OidNumeric, Width: 10, Scale: 2}
)

// samples are text inputs per type, covering edges (extremes, NaN,
// infinities, empty and NUL-bearing strings, negative zero).
var samples = []struct {
	t    types.T
	vals []string
}{
	{types.Bool, []string{"f", "t"}},
	{types.Int2, []string{"-32768", "-1", "0", "1", "32767"}},
	{types.Int4, []string{"-2147483648", "0", "7", "2147483647"}},
	{types.Int8, []string{"-9223372036854775808", "-1", "0", "9223372036854775807"}},
	{types.Float4, []string{"-Infinity", "-1.5", "-0", "0", "1e-30", "3.4e38", "Infinity", "NaN"}},
	{types.Float8, []string{"-Infinity", "-1e308", "-5e-324", "-0", "0", "5e-324", "0.1", "1e308", "Infinity", "NaN"}},
	{types.Numeric, []string{"-Infinity", "-1e20", "-12.5", "-1.25", "-1", "-0.001", "0", "0.00", "0.001", "0.0011", "1", "1.0", "1.25", "9.99", "10", "12345678901234567890.123", "Infinity", "NaN"}},
	{n102, []string{"-99999999.99", "0.01", "1.50", "100"}},
	{types.Text, []string{"", "\x00", "\x00\x00", "\x00a", "a", "a\x00", "ab", "b", "é", "z"}},
	{vc5, []string{"", "abc", "abcd"}},
	{bpc4, []string{"a", "a b", "b"}},
	{types.Bytea, []string{`\x`, `\x00`, `\x0000`, `\x00ff`, `\x01`, `\xff`, `\xff00`}},
	{types.Date, []string{"-infinity", "4713-01-01 BC", "1999-12-31", "2000-01-01", "2024-02-29", "infinity"}},
	{types.Timestamp, []string{"-infinity", "1900-01-01 00:00:00.000001", "2000-01-01", "2024-01-31 12:34:56.5", "infinity"}},
	{types.TimestampTZ, []string{"1969-12-31 23:59:59.999999+00", "2024-01-31 12:34:56+05:30", "2024-01-31 12:34:56+00"}},
	{types.Time, []string{"00:00", "00:00:00.000001", "12:34:56.789", "24:00"}},
	{types.IntervalT, []string{"-1 years", "-1 days", "-00:00:00.000001", "0", "1 day", "24:00:00", "25:00:00", "1 mon", "30 days", "1 mon 1 day", "1 year"}},
	{types.UUIDT, []string{"00000000-0000-0000-0000-000000000000", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "ffffffff-ffff-ffff-ffff-ffffffffffff"}},
	{types.OidT, []string{"0", "1", "4294967295"}},
	// jsonb in PostgreSQL 15's order (SELECT ... ORDER BY j).
	{types.JSONB, []string{`[]`, `null`, `"a"`, `"ab"`, `"b"`, `1`, `1.0`, `9.5`, `10`, `false`, `true`, `[null]`, `["x"]`, `[true]`,
		`[[1]]`, `[1, 2]`, `{}`, `{"a": 2}`, `{"aa": 1}`, `{"b": 1}`, `{"a": 1, "b": 2}`, `{"a": [1.0], "b": {"c": null}}`}},
	{types.ArrayOf(types.Int4), []string{"{}", "{1}", "{1,2}", "{1,NULL}", "{2}", "{NULL}"}},
	{types.ArrayOf(types.Text), []string{"{}", `{""}`, `{"a b",NULL}`, "{b}"}},
}

func parse(t testing.TB, typ types.T, s string) types.Datum {
	d, err := types.ParseText(typ, s, types.DefaultSettings())
	if err != nil {
		t.Fatalf("%s %q: %v", types.TypeName(typ), s, err)
	}
	return d
}

func TestKeyRoundTrip(t *testing.T) {
	for _, s := range samples {
		for _, v := range s.vals {
			d := parse(t, s.t, v)
			for _, desc := range []bool{false, true} {
				k, err := EncodeKey([]byte("prefix"), s.t, d, desc)
				if err != nil {
					t.Fatalf("%s %q: %v", types.TypeName(s.t), v, err)
				}
				k = append(k, "tail"...)
				back, rest, err := DecodeKey(k[len("prefix"):], s.t, desc)
				if err != nil {
					t.Fatalf("%s %q desc=%v: %v", types.TypeName(s.t), v, desc, err)
				}
				if string(rest) != "tail" {
					t.Errorf("%s %q desc=%v: rest %q", types.TypeName(s.t), v, desc, rest)
				}
				if types.Compare(s.t, d, back) != 0 {
					t.Errorf("%s %q desc=%v: decoded %v", types.TypeName(s.t), v, desc, back)
				}
			}
		}
		// NULL round trip.
		k, _ := EncodeKey(nil, s.t, nil, false)
		if d, rest, err := DecodeKey(k, s.t, false); d != nil || len(rest) != 0 || err != nil {
			t.Errorf("%s NULL: %v %q %v", types.TypeName(s.t), d, rest, err)
		}
	}
}

// TestKeyOrderSamples checks every pair of samples: the byte order of
// encodings agrees with types.Compare, both directions, NULL included.
func TestKeyOrderSamples(t *testing.T) {
	for _, s := range samples {
		ds := []types.Datum{nil}
		for _, v := range s.vals {
			ds = append(ds, parse(t, s.t, v))
		}
		checkOrder(t, s.t, ds)
	}
}

// cmpNullsLast is types.Compare with NULL after every value.
func cmpNullsLast(t types.T, a, b types.Datum) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return 1
	case b == nil:
		return -1
	}
	return types.Compare(t, a, b)
}

func sign(x int) int {
	switch {
	case x < 0:
		return -1
	case x > 0:
		return 1
	}
	return 0
}

func checkOrder(t *testing.T, typ types.T, ds []types.Datum) {
	t.Helper()
	for _, desc := range []bool{false, true} {
		keys := make([][]byte, len(ds))
		for i, d := range ds {
			k, err := EncodeKey(nil, typ, d, desc)
			if err != nil {
				t.Fatalf("%s %v: %v", types.TypeName(typ), d, err)
			}
			keys[i] = k
		}
		for i := range ds {
			for j := range ds {
				want := cmpNullsLast(typ, ds[i], ds[j])
				if desc {
					want = -want
				}
				if got := bytes.Compare(keys[i], keys[j]); sign(got) != want {
					t.Fatalf("%s desc=%v: %v vs %v: bytes %d, values %d (%x vs %x)",
						types.TypeName(typ), desc, ds[i], ds[j], got, want, keys[i], keys[j])
				}
			}
		}
	}
}

// TestKeyOrderRandom sorts random values by Compare and by their
// encodings and checks the two orders agree.
func TestKeyOrderRandom(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	gens := map[string]struct {
		t   types.T
		gen func() types.Datum
	}{
		"int": {types.Int8, func() types.Datum { return rng.Int63n(2000) - 1000 }},
		"float": {types.Float8, func() types.Datum {
			switch rng.Intn(10) {
			case 0:
				return math.NaN()
			case 1:
				return math.Copysign(0, -1)
			case 2:
				return math.Inf(rng.Intn(2)*2 - 1)
			}
			return rng.NormFloat64() * math.Pow(10, float64(rng.Intn(40)-20))
		}},
		"numeric": {types.Numeric, func() types.Datum {
			if rng.Intn(15) == 0 {
				return &apd.Decimal{Form: apd.NaN}
			}
			return apd.New(rng.Int63n(200000)-100000, -int32(rng.Intn(8)))
		}},
		"string": {types.Text, func() types.Datum {
			b := make([]byte, rng.Intn(4))
			for i := range b {
				b[i] = []byte{0, 1, 'a', 0xff}[rng.Intn(4)]
			}
			return string(b)
		}},
		"interval": {types.IntervalT, func() types.Datum {
			return types.Interval{Months: int32(rng.Intn(5) - 2), Days: int32(rng.Intn(70) - 35), Micros: rng.Int63n(4*86400e6) - 2*86400e6}
		}},
		"timestamp": {types.Timestamp, func() types.Datum {
			return time.Unix(rng.Int63n(1e10)-5e9, rng.Int63n(1e6)*1000).UTC()
		}},
		"array": {types.ArrayOf(types.Int4), func() types.Datum {
			a := &types.Array{Elem: types.Int4, Elems: []types.Datum{}}
			for n := rng.Intn(4); n > 0; n-- {
				if rng.Intn(4) == 0 {
					a.Elems = append(a.Elems, nil)
				} else {
					a.Elems = append(a.Elems, int64(rng.Intn(3)))
				}
			}
			return a
		}},
	}
	for name, g := range gens {
		t.Run(name, func(t *testing.T) {
			ds := make([]types.Datum, 60)
			for i := range ds {
				if rng.Intn(12) != 0 {
					ds[i] = g.gen()
				}
			}
			checkOrder(t, g.t, ds)
			for _, desc := range []bool{false, true} {
				byVal := append([]types.Datum(nil), ds...)
				sort.SliceStable(byVal, func(i, j int) bool {
					c := cmpNullsLast(g.t, byVal[i], byVal[j])
					if desc {
						c = -c
					}
					return c < 0
				})
				byKey := append([]types.Datum(nil), ds...)
				keyOf := func(d types.Datum) []byte { k, _ := EncodeKey(nil, g.t, d, desc); return k }
				sort.SliceStable(byKey, func(i, j int) bool { return bytes.Compare(keyOf(byKey[i]), keyOf(byKey[j])) < 0 })
				for i := range byVal {
					if cmpNullsLast(g.t, byVal[i], byKey[i]) != 0 {
						t.Fatalf("desc=%v position %d: by value %v, by key %v", desc, i, byVal[i], byKey[i])
					}
				}
			}
		})
	}
}

// TestKeyEquivalents checks values PostgreSQL calls equal encode alike.
func TestKeyEquivalents(t *testing.T) {
	for _, tc := range []struct {
		t1, t2 types.T
		a, b   string
	}{
		{types.Int4, types.Int8, "1", "1"}, {types.Int2, types.Int8, "-5", "-5"},
		{types.Numeric, types.Numeric, "1.0", "1.00"}, {types.Numeric, types.Numeric, "100", "1e2"},
		{types.Numeric, types.Numeric, "0", "-0.000"}, {types.Float8, types.Float8, "0", "-0"},
		{types.Float4, types.Float8, "1.5", "1.5"}, {bpc4, types.BPChar, "ab", "ab"},
		{types.IntervalT, types.IntervalT, "1 mon", "30 days"}, {types.IntervalT, types.IntervalT, "1 day", "24:00:00"},
	} {
		ka, _ := EncodeKey(nil, tc.t1, parse(t, tc.t1, tc.a), false)
		kb, _ := EncodeKey(nil, tc.t2, parse(t, tc.t2, tc.b), false)
		if !bytes.Equal(ka, kb) {
			t.Errorf("%s %q and %s %q encode differently: %x vs %x", types.TypeName(tc.t1), tc.a, types.TypeName(tc.t2), tc.b, ka, kb)
		}
	}
}

func TestKeyCompositeOrder(t *testing.T) {
	// (text, int) keys: the text column's terminator must keep "a",2 < "ab",1.
	enc := func(s string, n int64) []byte {
		k, _ := EncodeKey(nil, types.Text, s, false)
		k, _ = EncodeKey(k, types.Int4, n, true)
		return k
	}
	if bytes.Compare(enc("a", 2), enc("ab", 1)) >= 0 || bytes.Compare(enc("a", 2), enc("a", 1)) >= 0 {
		t.Fatal("composite key order broken")
	}
}

func TestKeyUnsupported(t *testing.T) {
	if _, err := EncodeKey(nil, types.Record, []any{int64(1)}, false); err == nil {
		t.Fatal("record key encoded")
	}
}

func TestRowRoundTrip(t *testing.T) {
	var ids []uint32
	var ts []types.T
	var ds []types.Datum
	for i, s := range samples {
		for j, v := range s.vals {
			ids = append(ids, uint32(10000-100*i-j)) // descending: EncodeRow sorts
			ts = append(ts, s.t)
			ds = append(ds, parse(t, s.t, v))
		}
		ids = append(ids, uint32(50000+i))
		ts = append(ts, s.t)
		ds = append(ds, nil)
	}
	b, err := EncodeRow(nil, ids, ts, ds)
	if err != nil {
		t.Fatal(err)
	}
	byID := map[uint32]int{}
	for i, id := range ids {
		byID[id] = i
	}
	dst := make([]types.Datum, len(ds))
	for i := range dst {
		dst[i] = "preset"
	}
	err = DecodeRow(b, func(id uint32) (int, types.T, bool) {
		i, ok := byID[id]
		return i, ts[i], ok
	}, dst)
	if err != nil {
		t.Fatal(err)
	}
	set := types.DefaultSettings()
	for i := range ds {
		if ds[i] == nil {
			if dst[i] != "preset" {
				t.Errorf("column %d: NULL column was written: %v", ids[i], dst[i])
			}
			continue
		}
		// Row values are exact: text output (numeric scale, interval
		// fields, char padding) must match, not just compare equal.
		if a, z := types.FormatText(ts[i], ds[i], set), types.FormatText(ts[i], dst[i], set); a != z {
			t.Errorf("column %d %s: got %q, want %q", ids[i], types.TypeName(ts[i]), z, a)
		}
	}
}

func TestRowSkipsUnknownColumns(t *testing.T) {
	ts := []types.T{types.Int4, types.Text, types.Numeric, types.UUIDT, types.Float8, types.Bool, types.Float4}
	ids := []uint32{1, 2, 3, 4, 5, 6, 7}
	ds := []types.Datum{int64(1), "dropped", apd.New(15, -1), types.UUID{1}, 2.5, true, 1.5}
	b, err := EncodeRow(nil, ids, ts, ds)
	if err != nil {
		t.Fatal(err)
	}
	// Only columns 1, 5 and 7 still exist, at new positions; column 9 was
	// added later and keeps its default.
	pos := map[uint32]int{1: 2, 5: 0, 7: 1, 9: 3}
	dst := []types.Datum{nil, nil, nil, "default"}
	err = DecodeRow(b, func(id uint32) (int, types.T, bool) {
		i, ok := pos[id]
		return i, ts[(id-1)%7], ok
	}, dst)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(dst) != "[2.5 1.5 1 default]" {
		t.Fatalf("got %v", dst)
	}
}

func TestRowErrors(t *testing.T) {
	if _, err := EncodeRow(nil, []uint32{1, 1}, []types.T{types.Int4, types.Int4}, []types.Datum{int64(1), nil}); err == nil {
		t.Error("duplicate column id accepted")
	}
	if _, err := EncodeRow(nil, []uint32{1}, []types.T{types.Int4}, []types.Datum{"x"}); err == nil {
		t.Error("wrong Go type accepted")
	}
	lookup := func(uint32) (int, types.T, bool) { return 0, types.Int4, true }
	for _, b := range [][]byte{{0x80}, {0x0d}, {0x0d, 5, 'a'}, {0x0f}, {0x0b, 1}} {
		err := DecodeRow(b, lookup, make([]types.Datum, 1))
		if !errors.Is(err, ErrCorrupt) {
			t.Errorf("%x: got %v, want ErrCorrupt", b, err)
		}
	}
}

// TestDropColumn: dropping a column from an encoded row gives exactly the
// encoding of the row without it, whichever column it is (first, middle,
// last, absent as NULL, or not in the row at all).
func TestDropColumn(t *testing.T) {
	ts := []types.T{types.Int8, types.Text, types.Float8, types.Bool, types.UUIDT}
	ids := []uint32{1, 3, 4, 9, 200}
	ds := []types.Datum{int64(-7), "text", 2.5, nil, types.UUID{9}}
	b, err := EncodeRow(nil, ids, ts, ds)
	if err != nil {
		t.Fatal(err)
	}
	for _, drop := range []uint32{1, 3, 4, 9, 200, 5} {
		var kids []uint32
		var kts []types.T
		var kds []types.Datum
		for i, id := range ids {
			if id != drop {
				kids, kts, kds = append(kids, id), append(kts, ts[i]), append(kds, ds[i])
			}
		}
		want, err := EncodeRow(nil, kids, kts, kds)
		if err != nil {
			t.Fatal(err)
		}
		got, err := DropColumn([]byte("prefix"), b, drop)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != "prefix"+string(want) {
			t.Errorf("drop %d: got %x, want %x", drop, got[6:], want)
		}
	}
	if _, err := DropColumn(nil, []byte{0xff}, 1); err == nil {
		t.Error("DropColumn of a corrupt value succeeded")
	}
}
