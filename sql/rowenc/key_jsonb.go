package rowenc

import (
	"encoding/binary"
	"strings"

	"github.com/cockroachdb/apd/v3"
	"github.com/quorumdb/quorumdb/sql/types"
)

// A jsonb key is its token stream (types.JSONBTokens) with each token
// written so that bytewise order is jsonb's btree order: a kind byte in
// jsonb's type order, then a string escaped as text keys are, a number as
// numeric keys are, a boolean as one byte, an array's element count and
// raw-scalar flag (a raw scalar first), an object's pair count. Counts
// come first, so the encoding is self-delimiting; equal values (1.0 and
// 1) encode equal.

func appendJSONBKey(buf []byte, j types.JSON) ([]byte, error) {
	toks, err := types.JSONBTokens(j)
	if err != nil {
		return buf, err
	}
	for _, t := range toks {
		buf = append(buf, t.Kind)
		switch t.Kind {
		case types.JSONBString:
			buf = appendEscaped(buf, t.Str)
		case types.JSONBNumber:
			buf = appendDecimalKey(buf, t.Num)
		case types.JSONBBool:
			if t.Bool {
				buf = append(buf, 1)
			} else {
				buf = append(buf, 0)
			}
		case types.JSONBArray:
			buf = binary.BigEndian.AppendUint32(buf, uint32(t.Count))
			if t.Raw {
				buf = append(buf, 0)
			} else {
				buf = append(buf, 1)
			}
		case types.JSONBObject:
			buf = binary.BigEndian.AppendUint32(buf, uint32(t.Count))
		}
	}
	return buf, nil
}

// jsonb reads a value written by appendJSONBKey back as canonical jsonb
// text (numbers without their display scale).
func (r *keyReader) jsonb() (types.JSON, bool) {
	var b strings.Builder
	if !r.jsonbValue(&b, true) {
		return "", false
	}
	return types.JSON(b.String()), true
}

func (r *keyReader) jsonbValue(b *strings.Builder, top bool) bool {
	kind, ok := r.byte1()
	if !ok {
		return false
	}
	switch kind {
	case types.JSONBNull:
		b.WriteString("null")
	case types.JSONBString:
		s, ok := r.escaped()
		if !ok {
			return false
		}
		types.WriteJSONString(b, string(s))
	case types.JSONBNumber:
		d, ok := r.decimal()
		if !ok || d.Form != apd.Finite {
			return false
		}
		b.WriteString(d.Text('f'))
	case types.JSONBBool:
		v, ok := r.byte1()
		if !ok {
			return false
		}
		b.WriteString(map[bool]string{true: "true", false: "false"}[v != 0])
	case types.JSONBArray:
		nb, ok := r.bytesN(5)
		if !ok {
			return false
		}
		n := binary.BigEndian.Uint32(nb)
		if nb[4] == 0 { // a raw scalar: the value itself
			return top && n == 1 && r.jsonbValue(b, false)
		}
		b.WriteByte('[')
		for i := uint32(0); i < n; i++ {
			if i > 0 {
				b.WriteString(", ")
			}
			if !r.jsonbValue(b, false) {
				return false
			}
		}
		b.WriteByte(']')
	case types.JSONBObject:
		nb, ok := r.bytesN(4)
		if !ok {
			return false
		}
		n := binary.BigEndian.Uint32(nb)
		b.WriteByte('{')
		for i := uint32(0); i < n; i++ {
			if i > 0 {
				b.WriteString(", ")
			}
			k, ok := r.byte1()
			if !ok || k != types.JSONBString {
				return false
			}
			s, ok := r.escaped()
			if !ok {
				return false
			}
			types.WriteJSONString(b, string(s))
			b.WriteString(": ")
			if !r.jsonbValue(b, false) {
				return false
			}
		}
		b.WriteByte('}')
	default:
		return false
	}
	return true
}
