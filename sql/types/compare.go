package types

import (
	"bytes"
	"cmp"
	"math"
	"strings"
	"time"

	"github.com/cockroachdb/apd/v3"
)

// Compare orders two non-NULL values of type t as PostgreSQL's default
// btree operator class does, returning -1, 0 or +1. Strings compare
// bytewise (the C collation) and char(n) ignores trailing spaces; float
// and numeric NaN equal each other and sort above every other value;
// arrays compare elementwise with NULL elements above non-NULL ones;
// jsonb as compareJsonbContainers does (jsonb_order.go), json by its text. Values of different numeric families (int,
// float, numeric) are compared by value.
func Compare(t T, a, b Datum) int {
	switch x := a.(type) {
	case bool:
		if y, ok := b.(bool); ok {
			switch {
			case x == y:
				return 0
			case !x:
				return -1
			}
			return 1
		}
	case int64:
		if y, ok := b.(int64); ok {
			return cmp.Compare(x, y)
		}
	case float64:
		if y, ok := b.(float64); ok {
			return compareFloat(x, y)
		}
	case *apd.Decimal:
		if y, ok := b.(*apd.Decimal); ok {
			return compareDecimal(x, y)
		}
	case string:
		if y, ok := b.(string); ok {
			if t.Family == EnumFamily {
				return compareEnum(t, x, y)
			}
			if t.Oid == OidBPChar {
				x, y = strings.TrimRight(x, " "), strings.TrimRight(y, " ")
			}
			return strings.Compare(x, y)
		}
	case []byte:
		if y, ok := b.([]byte); ok {
			return bytes.Compare(x, y)
		}
	case time.Time:
		if y, ok := b.(time.Time); ok {
			return x.Compare(y)
		}
	case time.Duration:
		if y, ok := b.(time.Duration); ok {
			return cmp.Compare(x, y)
		}
	case Interval:
		if y, ok := b.(Interval); ok {
			return CompareInterval(x, y)
		}
	case UUID:
		if y, ok := b.(UUID); ok {
			return bytes.Compare(x[:], y[:])
		}
	case JSON:
		if y, ok := b.(JSON); ok {
			if t.Oid == OidJSONB {
				return CompareJSONB(x, y)
			}
			return strings.Compare(string(x), string(y))
		}
	case *Array:
		if y, ok := b.(*Array); ok {
			elem := x.Elem
			if t.Elem != nil {
				elem = *t.Elem
			}
			return compareElems(elem, x.Elems, y.Elems)
		}
	case []any:
		if y, ok := b.([]any); ok {
			return compareElems(Unknown, x, y)
		}
	}
	if c, ok := CompareNumeric(a, b); ok {
		return c
	}
	// Mismatched representations are a caller bug; order them by type
	// so that sorting stays total rather than panicking mid-query.
	return strings.Compare(FormatText(t, a, nil), FormatText(t, b, nil))
}

// compareElems compares sequences elementwise; NULL sorts after values
// and a proper prefix sorts first.
func compareElems(elem T, xs, ys []Datum) int {
	for i := 0; i < len(xs) && i < len(ys); i++ {
		x, y := xs[i], ys[i]
		switch {
		case x == nil && y == nil:
			continue
		case x == nil:
			return 1
		case y == nil:
			return -1
		}
		et := elem
		if et.Family == UnknownFamily {
			et = datumType(x)
		}
		if c := Compare(et, x, y); c != 0 {
			return c
		}
	}
	return cmp.Compare(len(xs), len(ys))
}

// compareFloat is float8's btree order: NaN equals NaN and is above
// everything; -0 equals 0.
func compareFloat(x, y float64) int {
	xn, yn := math.IsNaN(x), math.IsNaN(y)
	switch {
	case xn && yn:
		return 0
	case xn:
		return 1
	case yn:
		return -1
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

// compareDecimal orders numerics by value (1.0 = 1.00), NaN above all.
func compareDecimal(x, y *apd.Decimal) int {
	xn, yn := x.Form == apd.NaN || x.Form == apd.NaNSignaling, y.Form == apd.NaN || y.Form == apd.NaNSignaling
	switch {
	case xn && yn:
		return 0
	case xn:
		return 1
	case yn:
		return -1
	}
	return x.Cmp(y)
}

// CompareInterval orders intervals as PostgreSQL does: by their length
// with a month counted as 30 days and a day as 24 hours. It is exact
// (no overflow) by carrying whole days out of the microseconds.
func CompareInterval(x, y Interval) int {
	dx, ux := intervalSpan(x)
	dy, uy := intervalSpan(y)
	if c := cmp.Compare(dx, dy); c != 0 {
		return c
	}
	return cmp.Compare(ux, uy)
}

// intervalSpan returns iv's length as whole days and the remaining
// microseconds (0 <= rest < one day).
func intervalSpan(iv Interval) (days, rest int64) {
	const usPerDay = 86400e6
	q, r := iv.Micros/usPerDay, iv.Micros%usPerDay
	if r < 0 {
		q, r = q-1, r+usPerDay
	}
	return int64(iv.Months)*30 + int64(iv.Days) + q, r
}

// CompareNumeric compares numbers of possibly different numeric
// families (int64, float64, *apd.Decimal) by value. ok is false when
// either is not a number.
func CompareNumeric(a, b Datum) (c int, ok bool) {
	switch x := a.(type) {
	case int64:
		switch y := b.(type) {
		case int64:
			return cmp.Compare(x, y), true
		case float64:
			return compareFloat(float64(x), y), true
		case *apd.Decimal:
			return compareDecimal(apd.New(x, 0), y), true
		}
	case float64:
		switch y := b.(type) {
		case int64:
			return compareFloat(x, float64(y)), true
		case float64:
			return compareFloat(x, y), true
		case *apd.Decimal:
			return compareFloat(x, DecimalToFloat(y)), true
		}
	case *apd.Decimal:
		switch y := b.(type) {
		case int64:
			return compareDecimal(x, apd.New(y, 0)), true
		case float64:
			return compareFloat(DecimalToFloat(x), y), true
		case *apd.Decimal:
			return compareDecimal(x, y), true
		}
	}
	return 0, false
}

// numericRank orders the numeric types by PostgreSQL's implicit
// promotion: int2 < int4 < int8 < numeric < float4 < float8.
func numericRank(t T) int {
	switch t.Oid {
	case OidInt2:
		return 1
	case OidInt4:
		return 2
	case OidInt8:
		return 3
	case OidNumeric:
		return 4
	case OidFloat4:
		return 5
	case OidFloat8:
		return 6
	}
	return 0
}

// CommonNumericType returns the type two numeric operands are both
// converted to: the later of the two in int2 < int4 < int8 < numeric <
// float4 < float8, without modifiers unless both sides share them.
func CommonNumericType(a, b T) T {
	if a.Equal(b) {
		return a
	}
	if numericRank(b) > numericRank(a) {
		a = b
	}
	return T{Family: a.Family, Oid: a.Oid}
}
