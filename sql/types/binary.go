package types

import (
	"encoding/binary"
	"math"
	"time"

	"github.com/cockroachdb/apd/v3"
	"github.com/quorumdb/quorumdb/sql/pgencoding"
	"github.com/quorumdb/quorumdb/sql/pgerror"
)

// EncodeBinary returns d in PostgreSQL's binary send format for t (the
// wire protocol's format code 1). d must not be NULL.
func EncodeBinary(t T, d Datum) ([]byte, error) {
	return appendBinary(nil, t, d)
}

func appendBinary(b []byte, t T, d Datum) ([]byte, error) {
	switch t.Family {
	case BoolFamily:
		if v, ok := d.(bool); ok {
			if v {
				return append(b, 1), nil
			}
			return append(b, 0), nil
		}
	case IntFamily:
		if v, ok := d.(int64); ok {
			switch t.Oid {
			case OidInt2:
				return binary.BigEndian.AppendUint16(b, uint16(v)), nil
			case OidInt4:
				return binary.BigEndian.AppendUint32(b, uint32(v)), nil
			}
			return binary.BigEndian.AppendUint64(b, uint64(v)), nil
		}
	case OidFamily:
		if v, ok := d.(int64); ok {
			return binary.BigEndian.AppendUint32(b, uint32(v)), nil
		}
	case FloatFamily:
		if v, ok := d.(float64); ok {
			if t.Oid == OidFloat4 {
				return binary.BigEndian.AppendUint32(b, math.Float32bits(float32(v))), nil
			}
			return binary.BigEndian.AppendUint64(b, math.Float64bits(v)), nil
		}
	case DecimalFamily:
		if v, ok := d.(*apd.Decimal); ok {
			return appendNumericBinary(b, v)
		}
	case StringFamily, UnknownFamily, EnumFamily:
		// enum_send sends the label as text.
		if v, ok := d.(string); ok {
			return append(b, v...), nil
		}
	case BytesFamily:
		if v, ok := d.([]byte); ok {
			return append(b, v...), nil
		}
	case DateFamily:
		if v, ok := d.(time.Time); ok {
			return binary.BigEndian.AppendUint32(b, uint32(DateToPGDays(v))), nil
		}
	case TimeFamily:
		if v, ok := d.(time.Duration); ok {
			return binary.BigEndian.AppendUint64(b, uint64(v.Microseconds())), nil
		}
	case TimestampFamily, TimestampTZFamily:
		if v, ok := d.(time.Time); ok {
			return binary.BigEndian.AppendUint64(b, uint64(TimeToPGMicros(v))), nil
		}
	case IntervalFamily:
		if v, ok := d.(Interval); ok {
			b = binary.BigEndian.AppendUint64(b, uint64(v.Micros))
			b = binary.BigEndian.AppendUint32(b, uint32(v.Days))
			return binary.BigEndian.AppendUint32(b, uint32(v.Months)), nil
		}
	case UUIDFamily:
		if v, ok := d.(UUID); ok {
			return append(b, v[:]...), nil
		}
	case JSONFamily:
		if v, ok := d.(JSON); ok {
			if t.Oid == OidJSONB {
				b = append(b, 1) // jsonb binary format version
			}
			return append(b, v...), nil
		}
	case ArrayFamily:
		if v, ok := d.(*Array); ok {
			return appendArrayBinary(b, t, v)
		}
	case RecordFamily:
		if v, ok := d.([]any); ok {
			return appendRecordBinary(b, t, v)
		}
	}
	return nil, pgerror.New(pgerror.InternalError, "cannot send %T as binary %s", d, TypeName(t))
}

// appendNumericBinary writes numeric_send's form: ndigits, weight, sign,
// dscale (int16 each) and ndigits base-10000 digits, most significant
// first, without leading or trailing zero digits.
func appendNumericBinary(b []byte, d *apd.Decimal) ([]byte, error) {
	var sign uint16
	switch d.Form {
	case apd.NaN, apd.NaNSignaling:
		return append(b, 0, 0, 0, 0, 0xC0, 0, 0, 0), nil
	case apd.Infinite:
		sign = 0xD000
		if d.Negative {
			sign = 0xF000
		}
		b = binary.BigEndian.AppendUint16(append(b, 0, 0, 0, 0), sign)
		return append(b, 0, 0), nil
	}
	if d.Exponent > 0 {
		if n, err := normalizeNumeric(new(apd.Decimal).Set(d)); err == nil {
			d = n
		}
	}
	if d.Negative {
		sign = 0x4000
	}
	scale := int(-d.Exponent)
	digits := d.Coeff.String()
	if digits == "0" {
		digits = ""
	}
	// Split at the decimal point and pad both sides to whole base-10000
	// groups.
	var intPart, frac string
	if len(digits) > scale {
		intPart, frac = digits[:len(digits)-scale], digits[len(digits)-scale:]
	} else {
		frac = zeros(scale-len(digits)) + digits
	}
	intPart = zeros((4-len(intPart)%4)%4) + intPart
	frac += zeros((4 - len(frac)%4) % 4)
	all := intPart + frac
	groups := make([]uint16, 0, len(all)/4)
	for i := 0; i < len(all); i += 4 {
		groups = append(groups, uint16(atoi(all[i:i+4])))
	}
	weight := len(intPart)/4 - 1
	for len(groups) > 0 && groups[0] == 0 {
		groups, weight = groups[1:], weight-1
	}
	for len(groups) > 0 && groups[len(groups)-1] == 0 {
		groups = groups[:len(groups)-1]
	}
	if len(groups) == 0 {
		weight = 0
		sign = 0
	}
	b = binary.BigEndian.AppendUint16(b, uint16(len(groups)))
	b = binary.BigEndian.AppendUint16(b, uint16(int16(weight)))
	b = binary.BigEndian.AppendUint16(b, sign)
	b = binary.BigEndian.AppendUint16(b, uint16(scale))
	for _, g := range groups {
		b = binary.BigEndian.AppendUint16(b, g)
	}
	return b, nil
}

func zeros(n int) string {
	if n <= 0 {
		return ""
	}
	b := make([]byte, n)
	for i := range b {
		b[i] = '0'
	}
	return string(b)
}

func appendArrayBinary(b []byte, t T, a *Array) ([]byte, error) {
	elem := a.Elem
	if t.Elem != nil {
		elem = *t.Elem
	}
	hasNull := uint32(0)
	for _, e := range a.Elems {
		if e == nil {
			hasNull = 1
		}
	}
	if len(a.Elems) == 0 {
		b = binary.BigEndian.AppendUint32(b, 0)
		b = binary.BigEndian.AppendUint32(b, 0)
		return binary.BigEndian.AppendUint32(b, elem.Oid), nil
	}
	b = binary.BigEndian.AppendUint32(b, 1)
	b = binary.BigEndian.AppendUint32(b, hasNull)
	b = binary.BigEndian.AppendUint32(b, elem.Oid)
	b = binary.BigEndian.AppendUint32(b, uint32(len(a.Elems)))
	b = binary.BigEndian.AppendUint32(b, 1)
	for _, e := range a.Elems {
		if e == nil {
			b = binary.BigEndian.AppendUint32(b, 0xFFFFFFFF)
			continue
		}
		at := len(b)
		b = append(b, 0, 0, 0, 0)
		var err error
		if b, err = appendBinary(b, elem, e); err != nil {
			return nil, err
		}
		binary.BigEndian.PutUint32(b[at:], uint32(len(b)-at-4))
	}
	return b, nil
}

// appendRecordBinary writes record_send's form: the column count, then
// each column's type oid and length-prefixed value (-1 for NULL).
func appendRecordBinary(b []byte, t T, vals []any) ([]byte, error) {
	b = binary.BigEndian.AppendUint32(b, uint32(len(vals)))
	for i, v := range vals {
		ft := recordFieldType(t, i, v)
		b = binary.BigEndian.AppendUint32(b, uint32(ft.Oid))
		if v == nil {
			b = binary.BigEndian.AppendUint32(b, 0xFFFFFFFF)
			continue
		}
		at := len(b)
		b = append(b, 0, 0, 0, 0)
		var err error
		if b, err = appendBinary(b, ft, v); err != nil {
			return nil, err
		}
		binary.BigEndian.PutUint32(b[at:], uint32(len(b)-at-4))
	}
	return b, nil
}

// DecodeBinary reads PostgreSQL's binary recv format for t. Malformed
// input is 22P03.
func DecodeBinary(t T, b []byte) (Datum, error) {
	need := func(n int) error {
		if len(b) != n {
			return errBinary("incorrect binary data format")
		}
		return nil
	}
	switch t.Family {
	case EnumFamily:
		return parseEnum(t, string(b))
	case BoolFamily:
		if err := need(1); err != nil {
			return nil, err
		}
		return b[0] != 0, nil
	case IntFamily:
		switch t.Oid {
		case OidInt2:
			if err := need(2); err != nil {
				return nil, err
			}
			return int64(int16(binary.BigEndian.Uint16(b))), nil
		case OidInt4:
			if err := need(4); err != nil {
				return nil, err
			}
			return int64(int32(binary.BigEndian.Uint32(b))), nil
		}
		if err := need(8); err != nil {
			return nil, err
		}
		return int64(binary.BigEndian.Uint64(b)), nil
	case OidFamily:
		if err := need(4); err != nil {
			return nil, err
		}
		return int64(binary.BigEndian.Uint32(b)), nil
	case FloatFamily:
		if t.Oid == OidFloat4 {
			if err := need(4); err != nil {
				return nil, err
			}
			return float64(math.Float32frombits(binary.BigEndian.Uint32(b))), nil
		}
		if err := need(8); err != nil {
			return nil, err
		}
		return math.Float64frombits(binary.BigEndian.Uint64(b)), nil
	case DecimalFamily:
		d, err := decodeNumericBinary(b)
		if err != nil {
			return nil, err
		}
		return applyNumericTypmod(d, t)
	case StringFamily, UnknownFamily:
		if err := pgencoding.CheckUTF8(b); err != nil {
			return nil, err
		}
		if t.Oid == OidChar && len(b) > 1 {
			return nil, errBinary("incorrect binary data format")
		}
		return string(b), nil
	case BytesFamily:
		return append([]byte{}, b...), nil
	case DateFamily:
		if err := need(4); err != nil {
			return nil, err
		}
		d := PGDaysToDate(int32(binary.BigEndian.Uint32(b)))
		if !DateInRange(d) {
			return nil, pgerror.New(pgerror.DatetimeFieldOverflow, "date out of range")
		}
		return d, nil
	case TimeFamily:
		if err := need(8); err != nil {
			return nil, err
		}
		us := int64(binary.BigEndian.Uint64(b))
		if us < 0 || us > 24*3600e6 {
			return nil, errBinary("time out of range")
		}
		return time.Duration(us) * time.Microsecond, nil
	case TimestampFamily, TimestampTZFamily:
		if err := need(8); err != nil {
			return nil, err
		}
		ts := PGMicrosToTime(int64(binary.BigEndian.Uint64(b)))
		if !TimestampInRange(ts) {
			return nil, pgerror.New(pgerror.DatetimeFieldOverflow, "timestamp out of range")
		}
		return ts, nil
	case IntervalFamily:
		if err := need(16); err != nil {
			return nil, err
		}
		return Interval{
			Micros: int64(binary.BigEndian.Uint64(b)),
			Days:   int32(binary.BigEndian.Uint32(b[8:])),
			Months: int32(binary.BigEndian.Uint32(b[12:])),
		}, nil
	case UUIDFamily:
		if err := need(16); err != nil {
			return nil, err
		}
		var u UUID
		copy(u[:], b)
		return u, nil
	case JSONFamily:
		if t.Oid == OidJSONB {
			if len(b) == 0 || b[0] != 1 {
				return nil, errBinary("unsupported jsonb version number %d", firstByte(b))
			}
			b = b[1:]
		}
		return parseJSON(string(b), t.Oid == OidJSONB, nil)
	case ArrayFamily:
		return decodeArrayBinary(t, b)
	}
	return nil, pgerror.New(pgerror.FeatureNotSupported, "binary input of type %s is not supported", TypeName(t))
}

func firstByte(b []byte) int {
	if len(b) == 0 {
		return 0
	}
	return int(b[0])
}

func decodeNumericBinary(b []byte) (*apd.Decimal, error) {
	if len(b) < 8 {
		return nil, errBinary("insufficient data left in message")
	}
	n := int(binary.BigEndian.Uint16(b))
	weight := int(int16(binary.BigEndian.Uint16(b[2:])))
	sign := binary.BigEndian.Uint16(b[4:])
	dscale := int(binary.BigEndian.Uint16(b[6:]))
	if len(b) != 8+2*n {
		return nil, errBinary("incorrect binary data format")
	}
	switch sign {
	case 0xC000:
		return &apd.Decimal{Form: apd.NaN}, nil
	case 0xD000:
		return &apd.Decimal{Form: apd.Infinite}, nil
	case 0xF000:
		return &apd.Decimal{Form: apd.Infinite, Negative: true}, nil
	case 0, 0x4000:
	default:
		return nil, errBinary("invalid sign in external \"numeric\" value")
	}
	if dscale > 0x3FFF {
		return nil, errBinary("invalid scale in external \"numeric\" value")
	}
	// The value is sum(digit[i] * 10000^(weight-i)): collect the decimal
	// digits and place the exponent at the last group.
	buf := make([]byte, 0, 4*n+1)
	for i := 0; i < n; i++ {
		g := binary.BigEndian.Uint16(b[8+2*i:])
		if g > 9999 {
			return nil, errBinary("invalid digit in external \"numeric\" value")
		}
		buf = append(buf, byte('0'+g/1000), byte('0'+g/100%10), byte('0'+g/10%10), byte('0'+g%10))
	}
	if len(buf) == 0 {
		buf = append(buf, '0')
	}
	d := new(apd.Decimal)
	if _, ok := d.Coeff.SetString(string(buf), 10); !ok {
		return nil, errBinary("invalid digit in external \"numeric\" value")
	}
	d.Exponent = int32(4 * (weight - n + 1))
	if n == 0 {
		d.Exponent = 0
	}
	d.Negative = sign == 0x4000
	out := new(apd.Decimal)
	if _, err := numCtx.Quantize(out, d, int32(-dscale)); err != nil {
		return nil, errBinary("numeric value out of range")
	}
	return normalizeNumeric(out)
}

func decodeArrayBinary(t T, b []byte) (*Array, error) {
	if t.Elem == nil {
		return nil, errBinary("incorrect binary data format")
	}
	rd := func() (uint32, error) {
		if len(b) < 4 {
			return 0, errBinary("insufficient data left in message")
		}
		v := binary.BigEndian.Uint32(b)
		b = b[4:]
		return v, nil
	}
	ndim, err := rd()
	if err != nil {
		return nil, err
	}
	if _, err = rd(); err != nil { // has-null flag; elements say it again
		return nil, err
	}
	elemOid, err := rd()
	if err != nil {
		return nil, err
	}
	if elemOid != t.Elem.Oid {
		return nil, pgerror.New(pgerror.DatatypeMismatch, "binary data has array element type %d (%s) instead of expected %d (%s)",
			elemOid, TypeName(T{Oid: elemOid}), t.Elem.Oid, TypeName(*t.Elem))
	}
	out := &Array{Elem: *t.Elem, Elems: []Datum{}}
	switch ndim {
	case 0:
		if len(b) != 0 {
			return nil, errBinary("incorrect binary data format")
		}
		return out, nil
	case 1:
	default:
		if ndim > 6 {
			return nil, errBinary("invalid number of dimensions: %d", ndim)
		}
		return nil, pgerror.New(pgerror.FeatureNotSupported, "multidimensional arrays are not supported")
	}
	n, err := rd()
	if err != nil {
		return nil, err
	}
	if _, err = rd(); err != nil { // lower bound: kept as 1
		return nil, err
	}
	if int(n) > len(b)/4 {
		return nil, errBinary("insufficient data left in message")
	}
	for i := uint32(0); i < n; i++ {
		l, err := rd()
		if err != nil {
			return nil, err
		}
		if l == 0xFFFFFFFF {
			out.Elems = append(out.Elems, nil)
			continue
		}
		if int(l) > len(b) {
			return nil, errBinary("insufficient data left in message")
		}
		e, err := DecodeBinary(*t.Elem, b[:l])
		if err != nil {
			return nil, err
		}
		out.Elems = append(out.Elems, e)
		b = b[l:]
	}
	if len(b) != 0 {
		return nil, errBinary("incorrect binary data format")
	}
	return out, nil
}
