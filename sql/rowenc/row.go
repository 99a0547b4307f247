package rowenc

import (
	"encoding/binary"
	"math"
	"sort"
	"time"

	"github.com/cockroachdb/apd/v3"
	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// Wire kinds of row values. A column is written as
//
//	uvarint(id delta << 3 | kind)  value
//
// and the kind alone says how to step over the value, so a reader can
// skip columns it does not know.
const (
	kindVarint  = 0 // zigzag varint: int, oid, date, time, timestamp
	kindFixed1  = 1 // bool
	kindFixed4  = 2 // float4
	kindFixed8  = 3 // float8
	kindFixed16 = 4 // uuid
	kindBytes   = 5 // uvarint length + bytes: strings, bytea, json, numeric, interval, arrays
	kindBits    = 3
)

// EncodeRow appends the value encoding of a row: every non-NULL datum
// with its column id and type at the same index of colIDs and colTypes.
// Column ids must be distinct; they are written in ascending order.
func EncodeRow(buf []byte, colIDs []uint32, colTypes []types.T, datums []types.Datum) ([]byte, error) {
	enc, err := NewRowEncoder(colIDs, colTypes)
	if err != nil {
		return nil, err
	}
	return enc.Encode(buf, datums)
}

// RowEncoder encodes rows of one column layout. It orders the layout
// once, so encoding many rows (a bulk load) costs no sorting or
// allocation per row.
type RowEncoder struct {
	ids   []uint32
	types []types.T
	order []int // indexes into ids, by ascending id
}

// NewRowEncoder prepares the encoding of rows whose datum i belongs to
// column colIDs[i] of type colTypes[i]. Column ids must be distinct.
func NewRowEncoder(colIDs []uint32, colTypes []types.T) (*RowEncoder, error) {
	if len(colIDs) != len(colTypes) {
		return nil, pgerror.New(pgerror.InternalError, "rowenc: %d column ids, %d types", len(colIDs), len(colTypes))
	}
	order := make([]int, len(colIDs))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return colIDs[order[a]] < colIDs[order[b]] })
	for k := 1; k < len(order); k++ {
		if colIDs[order[k]] == colIDs[order[k-1]] {
			return nil, pgerror.New(pgerror.InternalError, "rowenc: column id %d given twice", colIDs[order[k]])
		}
	}
	return &RowEncoder{ids: colIDs, types: colTypes, order: order}, nil
}

// Encode appends the value encoding of datums (one per column of the
// layout) to buf.
func (e *RowEncoder) Encode(buf []byte, datums []types.Datum) ([]byte, error) {
	if len(datums) != len(e.ids) {
		return nil, pgerror.New(pgerror.InternalError, "rowenc: %d column ids, %d values", len(e.ids), len(datums))
	}
	var prev uint32
	for _, i := range e.order {
		d := datums[i]
		if d == nil {
			continue
		}
		id := e.ids[i]
		var err error
		if buf, err = appendColumn(buf, uint64(id-prev), e.types[i], d); err != nil {
			return nil, err
		}
		prev = id
	}
	return buf, nil
}

func appendColumn(buf []byte, delta uint64, t types.T, d types.Datum) ([]byte, error) {
	head := func(kind uint64) []byte { return binary.AppendUvarint(buf, delta<<kindBits|kind) }
	bad := func() ([]byte, error) {
		return nil, pgerror.New(pgerror.InternalError, "rowenc: %T is not a value of type %s", d, types.TypeName(t))
	}
	switch t.Family {
	case types.BoolFamily:
		v, ok := d.(bool)
		if !ok {
			return bad()
		}
		b := byte(0)
		if v {
			b = 1
		}
		return append(head(kindFixed1), b), nil
	case types.IntFamily, types.OidFamily:
		v, ok := d.(int64)
		if !ok {
			return bad()
		}
		return binary.AppendVarint(head(kindVarint), v), nil
	case types.FloatFamily:
		v, ok := d.(float64)
		if !ok {
			return bad()
		}
		if t.Oid == types.OidFloat4 {
			return binary.LittleEndian.AppendUint32(head(kindFixed4), math.Float32bits(float32(v))), nil
		}
		return binary.LittleEndian.AppendUint64(head(kindFixed8), math.Float64bits(v)), nil
	case types.DateFamily:
		v, ok := d.(time.Time)
		if !ok {
			return bad()
		}
		return binary.AppendVarint(head(kindVarint), int64(types.DateToPGDays(v))), nil
	case types.TimestampFamily, types.TimestampTZFamily:
		v, ok := d.(time.Time)
		if !ok {
			return bad()
		}
		return binary.AppendVarint(head(kindVarint), types.TimeToPGMicros(v)), nil
	case types.TimeFamily:
		v, ok := d.(time.Duration)
		if !ok {
			return bad()
		}
		return binary.AppendVarint(head(kindVarint), v.Microseconds()), nil
	case types.UUIDFamily:
		v, ok := d.(types.UUID)
		if !ok {
			return bad()
		}
		return append(head(kindFixed16), v[:]...), nil
	case types.StringFamily, types.UnknownFamily:
		v, ok := d.(string)
		if !ok {
			return bad()
		}
		return appendBytes(head(kindBytes), v), nil
	case types.BytesFamily:
		v, ok := d.([]byte)
		if !ok {
			return bad()
		}
		return appendBytes(head(kindBytes), v), nil
	case types.JSONFamily:
		v, ok := d.(types.JSON)
		if !ok {
			return bad()
		}
		return appendBytes(head(kindBytes), string(v)), nil
	case types.IntervalFamily:
		v, ok := d.(types.Interval)
		if !ok {
			return bad()
		}
		var tmp [3 * binary.MaxVarintLen64]byte
		b := binary.AppendVarint(tmp[:0], int64(v.Months))
		b = binary.AppendVarint(b, int64(v.Days))
		b = binary.AppendVarint(b, v.Micros)
		return appendBytes(head(kindBytes), b), nil
	case types.EnumFamily:
		// The label's oid: RENAME VALUE rewrites no row.
		oid, err := enumOid(t, d)
		if err != nil {
			return nil, err
		}
		return binary.AppendVarint(head(kindVarint), int64(oid)), nil
	case types.ArrayFamily:
		if t.Elem != nil && t.Elem.Family == types.EnumFamily {
			// An enum array: its labels' oids (0 for NULL).
			v, ok := d.(*types.Array)
			if !ok {
				return bad()
			}
			var tmp []byte
			for _, e := range v.Elems {
				oid := uint32(0)
				if e != nil {
					var err error
					if oid, err = enumOid(*t.Elem, e); err != nil {
						return nil, err
					}
				}
				tmp = binary.AppendUvarint(tmp, uint64(oid))
			}
			return appendBytes(head(kindBytes), tmp), nil
		}
		b, err := types.EncodeBinary(t, d)
		if err != nil {
			return nil, err
		}
		return appendBytes(head(kindBytes), b), nil
	case types.DecimalFamily:
		// PostgreSQL's binary form is compact and keeps numeric's
		// display scale and array NULLs.
		if _, ok := d.(*apd.Decimal); !ok && t.Family == types.DecimalFamily {
			return bad()
		}
		b, err := types.EncodeBinary(t, d)
		if err != nil {
			return nil, err
		}
		return appendBytes(head(kindBytes), b), nil
	}
	return nil, pgerror.New(pgerror.FeatureNotSupported, "values of type %s cannot be stored", types.TypeName(t))
}

func appendBytes[S string | []byte](buf []byte, s S) []byte {
	buf = binary.AppendUvarint(buf, uint64(len(s)))
	return append(buf, s...)
}

// DecodeRow reads a row value written by EncodeRow. For every column
// lookup knows it stores the value in dst[idx]; columns lookup does not
// know are skipped; columns not in b leave dst untouched, so the caller
// presets NULLs or defaults. An idx outside dst is an error.
func DecodeRow(b []byte, lookup func(colID uint32) (idx int, t types.T, ok bool), dst []types.Datum) error {
	var id uint64
	for len(b) > 0 {
		h, n := binary.Uvarint(b)
		if n <= 0 {
			return corrupt("row value: bad column header")
		}
		b = b[n:]
		kind := h & (1<<kindBits - 1)
		id += h >> kindBits
		if id > math.MaxUint32 {
			return corrupt("row value: column id overflow")
		}
		val, rest, err := splitValue(b, kind)
		if err != nil {
			return err
		}
		b = rest
		idx, t, ok := lookup(uint32(id))
		if !ok {
			continue
		}
		if idx < 0 || idx >= len(dst) {
			return pgerror.New(pgerror.InternalError, "rowenc: column %d maps to index %d of %d", id, idx, len(dst))
		}
		d, err := decodeColumn(val, kind, t)
		if err != nil {
			return err
		}
		dst[idx] = d
	}
	return nil
}

// splitValue returns the bytes of one value of the given kind (for
// varints, the varint itself) and what follows it.
func splitValue(b []byte, kind uint64) (val, rest []byte, err error) {
	size := 0
	switch kind {
	case kindVarint:
		_, n := binary.Varint(b)
		if n <= 0 {
			return nil, nil, corrupt("row value: bad varint")
		}
		return b[:n], b[n:], nil
	case kindBytes:
		l, n := binary.Uvarint(b)
		if n <= 0 || l > uint64(len(b)-n) {
			return nil, nil, corrupt("row value: bad length")
		}
		return b[n : n+int(l)], b[n+int(l):], nil
	case kindFixed1:
		size = 1
	case kindFixed4:
		size = 4
	case kindFixed8:
		size = 8
	case kindFixed16:
		size = 16
	default:
		return nil, nil, corrupt("row value: unknown kind %d", kind)
	}
	if len(b) < size {
		return nil, nil, corrupt("row value: truncated")
	}
	return b[:size], b[size:], nil
}

// DropColumn appends to dst the row value b without column colID (if b
// has it), with the following column's id delta adjusted: dropping a
// column from every row (ADD PRIMARY KEY's hidden row id) needs no
// decoding of the values.
func DropColumn(dst, b []byte, colID uint32) ([]byte, error) {
	var id, prev uint64
	for len(b) > 0 {
		h, n := binary.Uvarint(b)
		if n <= 0 {
			return nil, corrupt("row value: bad column header")
		}
		kind := h & (1<<kindBits - 1)
		id += h >> kindBits
		_, rest, err := splitValue(b[n:], kind)
		if err != nil {
			return nil, err
		}
		field := b[n : len(b)-len(rest)]
		b = rest
		if id == uint64(colID) {
			continue
		}
		dst = binary.AppendUvarint(dst, (id-prev)<<kindBits|kind)
		dst = append(dst, field...)
		prev = id
	}
	return dst, nil
}

func decodeColumn(v []byte, kind uint64, t types.T) (types.Datum, error) {
	mismatch := func() (types.Datum, error) {
		return nil, corrupt("row value: kind %d does not hold type %s", kind, types.TypeName(t))
	}
	varint := func() int64 {
		x, _ := binary.Varint(v)
		return x
	}
	switch t.Family {
	case types.EnumFamily:
		if kind != kindVarint || t.Enum == nil {
			return mismatch()
		}
		l, ok := t.Enum.ByOid(uint32(varint()))
		if !ok {
			return nil, corrupt("row value: enum %s has no label with oid %d", types.TypeName(t), varint())
		}
		return l.Label, nil
	case types.ArrayFamily:
		if t.Elem != nil && t.Elem.Family == types.EnumFamily {
			if kind != kindBytes || t.Elem.Enum == nil {
				return mismatch()
			}
			a := &types.Array{Elem: *t.Elem, Elems: []types.Datum{}}
			for len(v) > 0 {
				oid, n := binary.Uvarint(v)
				if n <= 0 {
					return mismatch()
				}
				v = v[n:]
				if oid == 0 {
					a.Elems = append(a.Elems, nil)
					continue
				}
				l, ok := t.Elem.Enum.ByOid(uint32(oid))
				if !ok {
					return nil, corrupt("row value: enum %s has no label with oid %d", types.TypeName(*t.Elem), oid)
				}
				a.Elems = append(a.Elems, l.Label)
			}
			return a, nil
		}
		if kind != kindBytes {
			return mismatch()
		}
		bt := t
		bt.Width, bt.Scale = 0, 0
		d, err := types.DecodeBinary(bt, v)
		if err != nil {
			return nil, corrupt("row value of type %s: %v", types.TypeName(t), err)
		}
		return d, nil
	case types.BoolFamily:
		if kind != kindFixed1 || v[0] > 1 {
			return mismatch()
		}
		return v[0] == 1, nil
	case types.IntFamily, types.OidFamily:
		if kind != kindVarint {
			return mismatch()
		}
		return varint(), nil
	case types.FloatFamily:
		switch kind {
		case kindFixed4:
			return float64(math.Float32frombits(binary.LittleEndian.Uint32(v))), nil
		case kindFixed8:
			return math.Float64frombits(binary.LittleEndian.Uint64(v)), nil
		}
		return mismatch()
	case types.DateFamily:
		if kind != kindVarint {
			return mismatch()
		}
		x := varint()
		if x < math.MinInt32 || x > math.MaxInt32 {
			return mismatch()
		}
		return types.PGDaysToDate(int32(x)), nil
	case types.TimestampFamily, types.TimestampTZFamily:
		if kind != kindVarint {
			return mismatch()
		}
		return types.PGMicrosToTime(varint()), nil
	case types.TimeFamily:
		if kind != kindVarint {
			return mismatch()
		}
		x := varint()
		if x < 0 || x > math.MaxInt64/1000 {
			return mismatch()
		}
		return time.Duration(x) * time.Microsecond, nil
	case types.UUIDFamily:
		if kind != kindFixed16 {
			return mismatch()
		}
		var u types.UUID
		copy(u[:], v)
		return u, nil
	}
	if kind != kindBytes {
		return mismatch()
	}
	switch t.Family {
	case types.StringFamily, types.UnknownFamily:
		return string(v), nil
	case types.BytesFamily:
		return append([]byte{}, v...), nil
	case types.JSONFamily:
		return types.JSON(v), nil
	case types.IntervalFamily:
		var iv [3]int64
		for i := range iv {
			x, n := binary.Varint(v)
			if n <= 0 {
				return mismatch()
			}
			iv[i], v = x, v[n:]
		}
		if len(v) != 0 || iv[0] != int64(int32(iv[0])) || iv[1] != int64(int32(iv[1])) {
			return mismatch()
		}
		return types.Interval{Months: int32(iv[0]), Days: int32(iv[1]), Micros: iv[2]}, nil
	case types.DecimalFamily:
		// Decode without the column's typmod: stored values already
		// satisfied it, and a changed typmod must not reject old rows.
		bt := t
		bt.Width, bt.Scale = 0, 0
		d, err := types.DecodeBinary(bt, v)
		if err != nil {
			return nil, corrupt("row value of type %s: %v", types.TypeName(t), err)
		}
		return d, nil
	}
	return nil, pgerror.New(pgerror.FeatureNotSupported, "values of type %s cannot be stored", types.TypeName(t))
}

// enumOid is the oid of label d of enum type t.
func enumOid(t types.T, d types.Datum) (uint32, error) {
	v, ok := d.(string)
	if !ok || t.Enum == nil {
		return 0, pgerror.New(pgerror.InternalError, "rowenc: %T is not a value of type %s", d, types.TypeName(t))
	}
	l, ok := t.Enum.Label(v)
	if !ok {
		return 0, pgerror.New(pgerror.InvalidTextRepresentation, "invalid input value for enum %s: %q", types.TypeName(t), v)
	}
	return l.Oid, nil
}
