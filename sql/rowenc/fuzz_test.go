package rowenc

import (
	"testing"

	"github.com/quorumdb/quorumdb/sql/types"
)

// fuzzTypes are the types the fuzz targets decode with; the first
// input byte chooses one.
var fuzzTypes = []types.T{
	types.Bool, types.Int8, types.Float8, types.Numeric, types.Text, bpc4, types.Bytea, types.Date,
	types.Timestamp, types.Time, types.IntervalT, types.UUIDT, types.JSONB, types.ArrayOf(types.Int4),
	types.ArrayOf(types.Numeric), n102,
}

// FuzzDecodeKey: decoding arbitrary bytes must not panic, and whatever
// decodes must re-encode to the bytes it came from when that value is
// already canonical.
func FuzzDecodeKey(f *testing.F) {
	for _, s := range samples {
		for _, v := range s.vals[:1] {
			d, err := types.ParseText(s.t, v, types.DefaultSettings())
			if err != nil {
				continue
			}
			for i, ft := range fuzzTypes {
				if ft.Equal(s.t) {
					k, _ := EncodeKey(nil, s.t, d, false)
					f.Add(byte(i), false, k)
				}
			}
		}
	}
	f.Fuzz(func(t *testing.T, which byte, desc bool, b []byte) {
		typ := fuzzTypes[int(which)%len(fuzzTypes)]
		d, rest, err := DecodeKey(b, typ, desc)
		if err != nil {
			return
		}
		if len(rest) > len(b) {
			t.Fatal("rest longer than input")
		}
		k, err := EncodeKey(nil, typ, d, desc)
		if err != nil {
			t.Fatalf("decoded %v but cannot encode it: %v", d, err)
		}
		d2, _, err := DecodeKey(k, typ, desc)
		if err != nil || (d != nil) != (d2 != nil) || d != nil && types.Compare(typ, d, d2) != 0 {
			t.Fatalf("re-decoding %x: %v %v (was %v)", k, d2, err, d)
		}
	})
}

// FuzzDecodeRow: decoding arbitrary bytes must not panic.
func FuzzDecodeRow(f *testing.F) {
	ids := make([]uint32, len(fuzzTypes))
	for i := range ids {
		ids[i] = uint32(i + 1)
	}
	seed := make([]types.Datum, len(fuzzTypes))
	for i, ft := range fuzzTypes {
		for _, s := range samples {
			if s.t.Equal(ft) {
				seed[i], _ = types.ParseText(ft, s.vals[len(s.vals)-1], types.DefaultSettings())
			}
		}
	}
	if b, err := EncodeRow(nil, ids, fuzzTypes, seed); err == nil {
		f.Add(b)
	}
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		dst := make([]types.Datum, len(fuzzTypes))
		_ = DecodeRow(b, func(id uint32) (int, types.T, bool) {
			if id == 0 || int(id) > len(fuzzTypes) {
				return 0, types.T{}, false
			}
			return int(id - 1), fuzzTypes[id-1], true
		}, dst)
	})
}
