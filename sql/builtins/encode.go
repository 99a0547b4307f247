package builtins

import (
	"crypto/md5"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"

	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// encodeBytes is encode(bytea, format).
func encodeBytes(b []byte, f string) (types.Datum, error) {
	switch strings.ToLower(f) {
	case "hex":
		return hex.EncodeToString(b), nil
	case "base64":
		// PostgreSQL breaks base64 output into lines of 76 characters.
		s := base64.StdEncoding.EncodeToString(b)
		var out strings.Builder
		for len(s) > 76 {
			out.WriteString(s[:76])
			out.WriteByte('\n')
			s = s[76:]
		}
		out.WriteString(s)
		return out.String(), nil
	case "escape":
		var out strings.Builder
		for _, c := range b {
			switch {
			case c == '\\':
				out.WriteString(`\\`)
			case c == 0 || c >= 0x80:
				fmt.Fprintf(&out, `\%03o`, c)
			default:
				out.WriteByte(c)
			}
		}
		return out.String(), nil
	}
	return nil, newErr(pgerror.InvalidParameterValue, "unrecognized encoding: \"%s\"", f)
}

// decodeText is decode(text, format).
func decodeText(s, f string) (types.Datum, error) {
	switch strings.ToLower(f) {
	case "hex":
		var out []byte
		for i := 0; i < len(s); {
			c := s[i]
			if c == ' ' || c == '\n' || c == '\t' || c == '\r' {
				i++
				continue
			}
			hi, ok := unhex(c)
			if !ok {
				return nil, newErr(pgerror.InvalidParameterValue, "invalid hexadecimal digit: \"%c\"", c)
			}
			if i+1 >= len(s) {
				return nil, newErr(pgerror.InvalidParameterValue, "invalid hexadecimal data: odd number of digits")
			}
			lo, ok := unhex(s[i+1])
			if !ok {
				return nil, newErr(pgerror.InvalidParameterValue, "invalid hexadecimal digit: \"%c\"", s[i+1])
			}
			out = append(out, hi<<4|lo)
			i += 2
		}
		if out == nil {
			out = []byte{}
		}
		return out, nil
	case "base64":
		clean := strings.Map(func(r rune) rune {
			if r == ' ' || r == '\n' || r == '\t' || r == '\r' {
				return -1
			}
			return r
		}, s)
		for _, r := range clean {
			if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '+' || r == '/' || r == '=') {
				return nil, newErr(pgerror.InvalidParameterValue, "invalid symbol \"%c\" found while decoding base64 sequence", r)
			}
		}
		out, err := base64.StdEncoding.DecodeString(clean)
		if err != nil {
			return nil, newErr(pgerror.InvalidParameterValue, "invalid base64 end sequence").(*pgerror.Error).WithHint("Input data is missing padding, is truncated, or is otherwise corrupted.")
		}
		return out, nil
	case "escape":
		out := []byte{}
		for i := 0; i < len(s); i++ {
			if s[i] != '\\' {
				out = append(out, s[i])
				continue
			}
			switch {
			case i+1 < len(s) && s[i+1] == '\\':
				out = append(out, '\\')
				i++
			case i+3 < len(s) && isOct(s[i+1]) && isOct(s[i+2]) && isOct(s[i+3]):
				v, _ := strconv.ParseUint(s[i+1:i+4], 8, 8)
				out = append(out, byte(v))
				i += 3
			default:
				return nil, newErr(pgerror.InvalidTextRepresentation, "invalid input syntax for type %s", "bytea")
			}
		}
		return out, nil
	}
	return nil, newErr(pgerror.InvalidParameterValue, "unrecognized encoding: \"%s\"", f)
}

func isOct(c byte) bool { return c >= '0' && c <= '7' }

func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

func registerEncoding() {
	T, By := types.Text, types.Bytea
	register("encode", ov(T, func(_ *Context, a []types.Datum) (types.Datum, error) {
		return encodeBytes(a[0].([]byte), a[1].(string))
	}, By, T))
	register("decode", ov(By, func(_ *Context, a []types.Datum) (types.Datum, error) {
		return decodeText(a[0].(string), a[1].(string))
	}, T, T))
	register("md5",
		ov(T, txt(func(s string) types.Datum { return fmt.Sprintf("%x", md5.Sum([]byte(s))) }), T),
		ov(T, func(_ *Context, a []types.Datum) (types.Datum, error) {
			return fmt.Sprintf("%x", md5.Sum(a[0].([]byte))), nil
		}, By))
	hash := func(f func([]byte) []byte) Fn {
		return func(_ *Context, a []types.Datum) (types.Datum, error) { return f(a[0].([]byte)), nil }
	}
	register("sha224", ov(By, hash(func(b []byte) []byte { s := sha256.Sum224(b); return s[:] }), By))
	register("sha256", ov(By, hash(func(b []byte) []byte { s := sha256.Sum256(b); return s[:] }), By))
	register("sha384", ov(By, hash(func(b []byte) []byte { s := sha512.Sum384(b); return s[:] }), By))
	register("sha512", ov(By, hash(func(b []byte) []byte { s := sha512.Sum512(b); return s[:] }), By))
	register("to_hex",
		ov(T, func(_ *Context, a []types.Datum) (types.Datum, error) {
			return strconv.FormatUint(uint64(uint32(a[0].(int64))), 16), nil
		}, types.Int4),
		ov(T, func(_ *Context, a []types.Datum) (types.Datum, error) {
			return strconv.FormatUint(uint64(a[0].(int64)), 16), nil
		}, types.Int8))
}
