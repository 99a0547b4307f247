package rowenc

import (
	"encoding/binary"
	"math"
	"strings"

	"github.com/cockroachdb/apd/v3"
)

// Decimal keys. A numeric is written as a class byte, then for finite
// non-zero values its adjusted exponent and its significant digits:
//
//	value = 0.d1d2d3... × 10^E   (d1 != 0, no trailing zero digits)
//
// E is a sign-flipped big-endian int32, the digits go two per byte as
// 1 + (10*d1 + d2) (1..100, an odd count padded with a 0 digit) and end
// with 0x00. Dropping trailing zeros makes 1.0 and 1.00 encode alike. A
// negative value writes the same bytes complemented, so larger
// magnitudes sort first.
const (
	decNegInf byte = 0x01
	decNeg    byte = 0x02
	decZero   byte = 0x03
	decPos    byte = 0x04
	decPosInf byte = 0x05
	decNaN    byte = 0x06 // NaN sorts above everything, as in PostgreSQL
)

func appendDecimalKey(buf []byte, d *apd.Decimal) []byte {
	switch d.Form {
	case apd.NaN, apd.NaNSignaling:
		return append(buf, decNaN)
	case apd.Infinite:
		if d.Negative {
			return append(buf, decNegInf)
		}
		return append(buf, decPosInf)
	}
	digits := d.Coeff.String()
	if digits == "0" {
		return append(buf, decZero)
	}
	exp := int64(d.Exponent) + int64(len(digits))
	digits = strings.TrimRight(digits, "0")
	neg := d.Negative
	if neg {
		buf = append(buf, decNeg)
	} else {
		buf = append(buf, decPos)
	}
	start := len(buf)
	buf = binary.BigEndian.AppendUint32(buf, uint32(int32(exp))^(1<<31))
	for i := 0; i < len(digits); i += 2 {
		hi := digits[i] - '0'
		var lo byte
		if i+1 < len(digits) {
			lo = digits[i+1] - '0'
		}
		buf = append(buf, 1+10*hi+lo)
	}
	buf = append(buf, 0)
	if neg {
		for i := start; i < len(buf); i++ {
			buf[i] = ^buf[i]
		}
	}
	return buf
}

// decimal reads a value written by appendDecimalKey.
func (r *keyReader) decimal() (*apd.Decimal, bool) {
	class, ok := r.byte1()
	if !ok {
		return nil, false
	}
	switch class {
	case decNaN:
		return &apd.Decimal{Form: apd.NaN}, true
	case decNegInf:
		return &apd.Decimal{Form: apd.Infinite, Negative: true}, true
	case decPosInf:
		return &apd.Decimal{Form: apd.Infinite}, true
	case decZero:
		return apd.New(0, 0), true
	case decPos, decNeg:
	default:
		return nil, false
	}
	var inv byte
	if class == decNeg {
		inv = 0xFF
	}
	eb, ok := r.bytesN(4)
	if !ok {
		return nil, false
	}
	for i := range eb {
		eb[i] ^= inv
	}
	exp := int64(int32(binary.BigEndian.Uint32(eb) ^ (1 << 31)))
	var digits []byte
	for {
		c, ok := r.byte1()
		if !ok {
			return nil, false
		}
		c ^= inv
		if c == 0 {
			break
		}
		if c > 100 {
			return nil, false
		}
		c--
		digits = append(digits, '0'+c/10, '0'+c%10)
	}
	s := strings.TrimRight(string(digits), "0")
	if s == "" || s[0] == '0' {
		return nil, false
	}
	e := exp - int64(len(s))
	// 10^200000 is beyond any numeric PostgreSQL (or types) can hold;
	// the bound keeps a forged exponent from forcing a huge expansion.
	if e < math.MinInt32 || e > 200000 {
		return nil, false
	}
	d := new(apd.Decimal)
	if _, ok := d.Coeff.SetString(s, 10); !ok {
		return nil, false
	}
	d.Exponent = int32(e)
	d.Negative = class == decNeg
	if d.Exponent > 0 {
		// Keep the types package invariant: finite numerics have a
		// non-positive exponent.
		z := new(apd.Decimal)
		if _, err := apd.BaseContext.WithPrecision(uint32(len(s))+uint32(d.Exponent)+1).Quantize(z, d, 0); err != nil {
			return nil, false
		}
		d = z
	}
	return d, true
}
