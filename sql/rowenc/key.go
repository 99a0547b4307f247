package rowenc

import (
	"encoding/binary"
	"math"
	"strings"
	"time"

	"github.com/cockroachdb/apd/v3"
	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// Marker bytes that open every key value (ascending form). NULL sorts
// after every value; arrayEnd closes an array's element list and sorts
// before any element so that a shorter array sorts first.
const (
	markerArrayEnd byte = 0x01
	markerValue    byte = 0x10
	markerNull     byte = 0xF0
)

// String escaping: a 0x00 byte in the value is written 0x00 0xFF and the
// value ends with 0x00 0x01, so the encoding is prefix-free and ordered.
const (
	escByte    byte = 0x00
	escEscaped byte = 0xFF
	escTerm    byte = 0x01
)

// EncodeKey appends the order-preserving encoding of d (NULL when nil)
// of type t to buf. With desc the order is reversed (NULL first).
func EncodeKey(buf []byte, t types.T, d types.Datum, desc bool) ([]byte, error) {
	start := len(buf)
	buf, err := appendKey(buf, t, d)
	if err != nil {
		return buf[:start], err
	}
	if desc {
		for i := start; i < len(buf); i++ {
			buf[i] = ^buf[i]
		}
	}
	return buf, nil
}

func appendKey(buf []byte, t types.T, d types.Datum) ([]byte, error) {
	if d == nil {
		return append(buf, markerNull), nil
	}
	buf = append(buf, markerValue)
	bad := func() ([]byte, error) {
		return buf, pgerror.New(pgerror.InternalError, "rowenc: %T is not a value of type %s", d, types.TypeName(t))
	}
	switch t.Family {
	case types.BoolFamily:
		v, ok := d.(bool)
		if !ok {
			return bad()
		}
		if v {
			return append(buf, 1), nil
		}
		return append(buf, 0), nil
	case types.IntFamily, types.OidFamily:
		v, ok := d.(int64)
		if !ok {
			return bad()
		}
		return appendOrderedInt64(buf, v), nil
	case types.FloatFamily:
		v, ok := d.(float64)
		if !ok {
			return bad()
		}
		return binary.BigEndian.AppendUint64(buf, orderedFloatBits(v)), nil
	case types.DecimalFamily:
		v, ok := d.(*apd.Decimal)
		if !ok {
			return bad()
		}
		return appendDecimalKey(buf, v), nil
	case types.StringFamily, types.UnknownFamily:
		v, ok := d.(string)
		if !ok {
			return bad()
		}
		if t.Oid == types.OidBPChar {
			v = strings.TrimRight(v, " ")
		}
		return appendEscaped(buf, v), nil
	case types.BytesFamily:
		v, ok := d.([]byte)
		if !ok {
			return bad()
		}
		return appendEscaped(buf, v), nil
	case types.JSONFamily:
		v, ok := d.(types.JSON)
		if !ok {
			return bad()
		}
		if t.Oid == types.OidJSONB {
			return appendJSONBKey(buf, v)
		}
		return appendEscaped(buf, string(v)), nil
	case types.DateFamily:
		v, ok := d.(time.Time)
		if !ok {
			return bad()
		}
		return appendOrderedInt64(buf, int64(types.DateToPGDays(v))), nil
	case types.TimestampFamily, types.TimestampTZFamily:
		v, ok := d.(time.Time)
		if !ok {
			return bad()
		}
		return appendOrderedInt64(buf, types.TimeToPGMicros(v)), nil
	case types.TimeFamily:
		v, ok := d.(time.Duration)
		if !ok {
			return bad()
		}
		return appendOrderedInt64(buf, v.Microseconds()), nil
	case types.IntervalFamily:
		v, ok := d.(types.Interval)
		if !ok {
			return bad()
		}
		// PostgreSQL orders (and equates) intervals by their span with
		// 30-day months: 1 mon = 30 days. Whole days and the rest in
		// microseconds are exact where a single µs count would overflow.
		days, rest := intervalSpan(v)
		buf = appendOrderedInt64(buf, days)
		return appendOrderedInt64(buf, rest), nil
	case types.UUIDFamily:
		v, ok := d.(types.UUID)
		if !ok {
			return bad()
		}
		return append(buf, v[:]...), nil
	case types.EnumFamily:
		// The label's order key, so keys sort in declaration order.
		v, ok := d.(string)
		if !ok || t.Enum == nil {
			return bad()
		}
		l, ok := t.Enum.Label(v)
		if !ok {
			return buf, pgerror.New(pgerror.InvalidTextRepresentation, "invalid input value for enum %s: %q", types.TypeName(t), v)
		}
		return appendEscaped(buf, l.Key), nil
	case types.ArrayFamily:
		v, ok := d.(*types.Array)
		if !ok || t.Elem == nil {
			return bad()
		}
		var err error
		for _, e := range v.Elems {
			if buf, err = appendKey(buf, *t.Elem, e); err != nil {
				return buf, err
			}
		}
		return append(buf, markerArrayEnd), nil
	}
	return buf, pgerror.New(pgerror.FeatureNotSupported, "values of type %s cannot be used in an index key", types.TypeName(t))
}

// appendOrderedInt64 writes v big-endian with the sign bit flipped, so
// that unsigned byte order is signed numeric order.
func appendOrderedInt64(buf []byte, v int64) []byte {
	return binary.BigEndian.AppendUint64(buf, uint64(v)^(1<<63))
}

// orderedFloatBits maps a float to bits whose unsigned order is
// PostgreSQL's float order: -0 is 0, every NaN is one value above +Inf.
func orderedFloatBits(f float64) uint64 {
	switch {
	case math.IsNaN(f):
		return math.MaxUint64
	case f == 0:
		f = 0
	}
	b := math.Float64bits(f)
	if b&(1<<63) != 0 {
		return ^b
	}
	return b | 1<<63
}

func floatFromOrderedBits(b uint64) float64 {
	if b == math.MaxUint64 {
		return math.NaN()
	}
	if b&(1<<63) != 0 {
		return math.Float64frombits(b &^ (1 << 63))
	}
	return math.Float64frombits(^b)
}

func appendEscaped[S string | []byte](buf []byte, s S) []byte {
	for i := 0; i < len(s); i++ {
		if s[i] == escByte {
			buf = append(buf, escByte, escEscaped)
			continue
		}
		buf = append(buf, s[i])
	}
	return append(buf, escByte, escTerm)
}

// intervalSpan returns iv's length as whole days (months at 30 days)
// and the remaining microseconds in [0, one day), as types.CompareInterval.
func intervalSpan(iv types.Interval) (days, rest int64) {
	const usPerDay = 86400e6
	q, r := iv.Micros/usPerDay, iv.Micros%usPerDay
	if r < 0 {
		q, r = q-1, r+usPerDay
	}
	return int64(iv.Months)*30 + int64(iv.Days) + q, r
}

// keyReader reads a key value, undoing the complement of a descending
// column as it goes.
type keyReader struct {
	b    []byte
	mask byte
	// skipOnly: the caller wants the length, not the value (KeyLen);
	// values that need more than the type's encoding to decode (enum
	// labels) are skipped.
	skipOnly bool
}

func (r *keyReader) byte1() (byte, bool) {
	if len(r.b) == 0 {
		return 0, false
	}
	c := r.b[0] ^ r.mask
	r.b = r.b[1:]
	return c, true
}

func (r *keyReader) bytesN(n int) ([]byte, bool) {
	if len(r.b) < n {
		return nil, false
	}
	out := make([]byte, n)
	for i := range out {
		out[i] = r.b[i] ^ r.mask
	}
	r.b = r.b[n:]
	return out, true
}

func (r *keyReader) int64() (int64, bool) {
	b, ok := r.bytesN(8)
	if !ok {
		return 0, false
	}
	return int64(binary.BigEndian.Uint64(b) ^ (1 << 63)), true
}

// escaped reads an escaped string up to and including its terminator.
func (r *keyReader) escaped() ([]byte, bool) {
	var out []byte
	for {
		c, ok := r.byte1()
		if !ok {
			return nil, false
		}
		if c != escByte {
			out = append(out, c)
			continue
		}
		c, ok = r.byte1()
		switch {
		case !ok:
			return nil, false
		case c == escTerm:
			if out == nil {
				out = []byte{}
			}
			return out, true
		case c == escEscaped:
			out = append(out, escByte)
		default:
			return nil, false
		}
	}
}

// DecodeKey reads one value of type t encoded by EncodeKey from the
// front of buf and returns it with the bytes that follow. Values come
// back in canonical form (see the package doc); char(n) is re-padded.
func DecodeKey(buf []byte, t types.T, desc bool) (types.Datum, []byte, error) {
	r := keyReader{b: buf}
	if desc {
		r.mask = 0xFF
	}
	d, err := r.decode(t)
	if err != nil {
		return nil, buf, err
	}
	return d, r.b, nil
}

// KeyLen returns the length of the value of type t encoded by EncodeKey
// at the front of buf: where a key's first column ends, which the
// partitioned keyspace hashes (kv/dist's KeyPlacement).
//
// Only the encoding is read, not the value: an enum's labels, which a
// descriptor's column type does not carry, are not needed.
func KeyLen(buf []byte, t types.T, desc bool) (int, error) {
	r := keyReader{b: buf, skipOnly: true}
	if desc {
		r.mask = 0xFF
	}
	if _, err := r.decode(t); err != nil {
		return 0, err
	}
	return len(buf) - len(r.b), nil
}

func (r *keyReader) decode(t types.T) (types.Datum, error) {
	m, ok := r.byte1()
	if !ok {
		return nil, corrupt("key value of type %s: truncated", types.TypeName(t))
	}
	switch m {
	case markerNull:
		return nil, nil
	case markerValue:
	default:
		return nil, corrupt("key value of type %s: bad marker 0x%02x", types.TypeName(t), m)
	}
	short := func() (types.Datum, error) {
		return nil, corrupt("key value of type %s: truncated or malformed", types.TypeName(t))
	}
	switch t.Family {
	case types.BoolFamily:
		c, ok := r.byte1()
		if !ok || c > 1 {
			return short()
		}
		return c == 1, nil
	case types.IntFamily, types.OidFamily:
		v, ok := r.int64()
		if !ok {
			return short()
		}
		return v, nil
	case types.FloatFamily:
		b, ok := r.bytesN(8)
		if !ok {
			return short()
		}
		return floatFromOrderedBits(binary.BigEndian.Uint64(b)), nil
	case types.DecimalFamily:
		d, ok := r.decimal()
		if !ok {
			return short()
		}
		return d, nil
	case types.StringFamily, types.UnknownFamily:
		b, ok := r.escaped()
		if !ok {
			return short()
		}
		s := string(b)
		if t.Oid == types.OidBPChar && t.Width > 0 {
			if n := int(t.Width) - len([]rune(s)); n > 0 {
				s += strings.Repeat(" ", n)
			}
		}
		return s, nil
	case types.BytesFamily:
		b, ok := r.escaped()
		if !ok {
			return short()
		}
		return b, nil
	case types.JSONFamily:
		if t.Oid == types.OidJSONB {
			j, ok := r.jsonb()
			if !ok {
				return short()
			}
			return j, nil
		}
		b, ok := r.escaped()
		if !ok {
			return short()
		}
		return types.JSON(b), nil
	case types.DateFamily:
		v, ok := r.int64()
		if !ok || v < math.MinInt32 || v > math.MaxInt32 {
			return short()
		}
		return types.PGDaysToDate(int32(v)), nil
	case types.TimestampFamily, types.TimestampTZFamily:
		v, ok := r.int64()
		if !ok {
			return short()
		}
		return types.PGMicrosToTime(v), nil
	case types.TimeFamily:
		v, ok := r.int64()
		if !ok || v < 0 || v > math.MaxInt64/1000 {
			return short()
		}
		return time.Duration(v) * time.Microsecond, nil
	case types.IntervalFamily:
		days, ok1 := r.int64()
		rest, ok2 := r.int64()
		months := days / 30
		if !ok1 || !ok2 || months < math.MinInt32 || months > math.MaxInt32 || rest < 0 || rest >= 86400e6 {
			return short()
		}
		// Canonical form: whole 30-day months, the remaining days, and
		// less than a day of microseconds.
		return types.Interval{Months: int32(months), Days: int32(days % 30), Micros: rest}, nil
	case types.UUIDFamily:
		b, ok := r.bytesN(16)
		if !ok {
			return short()
		}
		var u types.UUID
		copy(u[:], b)
		return u, nil
	case types.EnumFamily:
		b, ok := r.escaped()
		if ok && r.skipOnly {
			return nil, nil
		}
		if !ok || t.Enum == nil {
			return short()
		}
		l, ok := t.Enum.ByKey(b)
		if !ok {
			return nil, corrupt("key value of type %s: no label has this order key", types.TypeName(t))
		}
		return l.Label, nil
	case types.ArrayFamily:
		if t.Elem == nil {
			return short()
		}
		a := &types.Array{Elem: *t.Elem, Elems: []types.Datum{}}
		for {
			if len(r.b) == 0 {
				return short()
			}
			if r.b[0]^r.mask == markerArrayEnd {
				r.b = r.b[1:]
				return a, nil
			}
			e, err := r.decode(*t.Elem)
			if err != nil {
				return nil, err
			}
			a.Elems = append(a.Elems, e)
		}
	}
	return nil, pgerror.New(pgerror.FeatureNotSupported, "values of type %s cannot be used in an index key", types.TypeName(t))
}
