package builtins

import (
	"crypto/rand"
	mrand "math/rand"
	"strings"
	"sync"

	"github.com/cockroachdb/apd/v3"
	"github.com/quorumdb/quorumdb/sql/types"
)

var (
	randMu  sync.Mutex
	randSrc = mrand.New(mrand.NewSource(mrand.Int63()))
)

// globalRand serves random() when the Context carries no source.
func globalRand() float64 {
	randMu.Lock()
	defer randMu.Unlock()
	return randSrc.Float64()
}

// encodings maps pg_encoding_to_char's numbers to names (PostgreSQL's
// pg_enc order) for the ones clients ask about.
var encodings = map[int64]string{
	0: "SQL_ASCII", 1: "EUC_JP", 2: "EUC_CN", 3: "EUC_KR", 4: "EUC_TW", 5: "EUC_JIS_2004",
	6: "UTF8", 7: "MULE_INTERNAL", 8: "LATIN1", 9: "LATIN2", 10: "LATIN3", 11: "LATIN4",
	12: "LATIN5", 13: "LATIN6", 14: "LATIN7", 15: "LATIN8", 16: "LATIN9", 17: "LATIN10",
	18: "WIN1256", 19: "WIN1258", 20: "WIN866", 21: "WIN874", 22: "KOI8R", 23: "WIN1251",
	24: "WIN1252", 25: "ISO_8859_5", 26: "ISO_8859_6", 27: "ISO_8859_7", 28: "ISO_8859_8",
	29: "WIN1250", 30: "WIN1253", 31: "WIN1254", 32: "WIN1255", 33: "WIN1257", 34: "KOI8U",
	35: "SJIS", 36: "BIG5", 37: "GBK", 38: "UHC", 39: "GB18030", 40: "JOHAB", 41: "SHIFT_JIS_2004",
}

// sizePretty is pg_size_pretty: bytes below 10240, then kB, MB, GB,
// TB, PB, each used while the value stays below 20480 halves of it and
// rounded half away from zero (a numeric below 10240 prints as is), with truncating division between units
// exactly as size_pretty_units drives PostgreSQL's loop.
func sizePretty(v *apd.Decimal) string {
	cur := v
	if new(apd.Decimal).Abs(cur).Cmp(apd.New(10*1024, 0)) < 0 {
		return cur.Text('f') + " bytes"
	}
	div := func(d *apd.Decimal, n int64) *apd.Decimal {
		out := new(apd.Decimal)
		_, _ = exact.QuoInteger(out, d, apd.New(n, 0))
		return out
	}
	cur = div(cur, 1<<9) // halves of a kB
	units := []string{"kB", "MB", "GB", "TB", "PB"}
	for i, u := range units {
		if i == len(units)-1 || new(apd.Decimal).Abs(cur).Cmp(apd.New(20*1024-1, 0)) < 0 {
			one := apd.New(1, 0)
			if cur.Negative {
				one.Negative = true
			}
			r, _ := numAdd(cur, one)
			return div(r, 2).Text('f') + " " + u
		}
		cur = div(cur, 1<<10)
	}
	return ""
}

func registerMisc() {
	register("gen_random_uuid", &Overload{Return: types.UUIDT, Volatile: true, Fn: func(*Context, []types.Datum) (types.Datum, error) {
		var u types.UUID
		_, _ = rand.Read(u[:])
		u[6] = u[6]&0x0f | 0x40
		u[8] = u[8]&0x3f | 0x80
		return u, nil
	}})
	register("pg_encoding_to_char", ov(types.Name, func(_ *Context, a []types.Datum) (types.Datum, error) {
		return encodings[a[0].(int64)], nil
	}, types.Int4))
	register("pg_char_to_encoding", ov(types.Int4, func(_ *Context, a []types.Datum) (types.Datum, error) {
		s := strings.ToUpper(a[0].(string))
		for n, e := range encodings {
			if e == s || s == "UTF-8" && e == "UTF8" {
				return n, nil
			}
		}
		return int64(-1), nil
	}, types.Name))
	register("pg_size_pretty",
		ov(types.Text, func(_ *Context, a []types.Datum) (types.Datum, error) {
			return sizePretty(apd.New(a[0].(int64), 0)), nil
		}, types.Int8),
		ov(types.Text, func(_ *Context, a []types.Datum) (types.Datum, error) {
			return sizePretty(a[0].(*apd.Decimal)), nil
		}, types.Numeric))
	register("num_nulls", &Overload{Args: []types.T{types.Any}, Variadic: true, Return: types.Int4, CalledOnNull: true,
		Fn: func(_ *Context, a []types.Datum) (types.Datum, error) { return countNulls(a, true), nil }})
	register("num_nonnulls", &Overload{Args: []types.T{types.Any}, Variadic: true, Return: types.Int4, CalledOnNull: true,
		Fn: func(_ *Context, a []types.Datum) (types.Datum, error) { return countNulls(a, false), nil }})
	register("pg_typeof", &Overload{Args: []types.T{types.Any}, Return: types.Regtype, CalledOnNull: true,
		Bind: func(ts []types.T) Fn {
			return func(*Context, []types.Datum) (types.Datum, error) { return int64(ts[0].Oid), nil }
		}})
}

func countNulls(a []types.Datum, nulls bool) int64 {
	n := int64(0)
	for _, d := range a {
		if (d == nil) == nulls {
			n++
		}
	}
	return n
}
