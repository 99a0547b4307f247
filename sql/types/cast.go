package types

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/cockroachdb/apd/v3"
	"github.com/quorumdb/quorumdb/sql/pgerror"
)

// CastContext is where a cast may be applied without being written, as
// in pg_cast.castcontext. The contexts nest: a cast allowed implicitly is
// allowed in assignment and explicitly too.
type CastContext int

const (
	// Implicit casts apply anywhere, e.g. int4 + int8 promotes the int4.
	Implicit CastContext = iota
	// Assignment casts apply when storing into a column (INSERT/UPDATE).
	Assignment
	// Explicit casts apply only when written: CAST(x AS t) or x::t.
	Explicit
)

// CanCast reports whether a value of type from may be converted to type
// to in context ctx.
func CanCast(from, to T, ctx CastContext) bool {
	need, ok := castContext(from, to)
	return ok && need <= ctx
}

// castContext returns the least context in which from casts to to,
// following pg_cast and PostgreSQL's automatic I/O conversion casts
// (anything to a string type: assignment; a string type to anything:
// explicit).
func castContext(from, to T) (CastContext, bool) {
	if from.Family == UnknownFamily || to.Family == AnyFamily || from.Family == VoidFamily && to.Family == VoidFamily {
		return Implicit, true
	}
	if from.Oid == to.Oid {
		return Implicit, true // typmod coercion
	}
	ff, tf := from.Family, to.Family
	if tf == StringFamily {
		switch {
		case ff == StringFamily && to.Oid == OidChar:
			return Assignment, true
		case ff == StringFamily && (from.Oid == OidName || from.Oid == OidChar) && to.Oid != OidText:
			// pg_cast: name and "char" become varchar or char(n) (and
			// "char" name) only by assignment, text implicitly.
			return Assignment, true
		case ff == StringFamily:
			return Implicit, true
		case ff == VoidFamily || ff == AnyFamily:
			return 0, false
		}
		return Assignment, true
	}
	if ff == StringFamily {
		switch tf {
		case VoidFamily, AnyFamily, RecordFamily:
			return 0, false
		}
		return Explicit, true
	}
	switch ff {
	case IntFamily:
		switch tf {
		case IntFamily:
			if numericRank(from) < numericRank(to) {
				return Implicit, true // widening: int2 -> int4/int8, int4 -> int8
			}
			return Assignment, true
		case FloatFamily, DecimalFamily, OidFamily:
			return Implicit, true
		case BoolFamily:
			return Explicit, from.Oid == OidInt4
		}
	case FloatFamily:
		switch tf {
		case FloatFamily:
			if from.Oid == OidFloat4 {
				return Implicit, true
			}
			return Assignment, true
		case IntFamily, DecimalFamily:
			return Assignment, true
		}
	case DecimalFamily:
		switch tf {
		case FloatFamily:
			return Implicit, true
		case IntFamily:
			return Assignment, true
		}
	case BoolFamily:
		if tf == IntFamily && to.Oid == OidInt4 {
			return Explicit, true
		}
	case OidFamily:
		switch tf {
		case OidFamily:
			return Implicit, true
		case IntFamily:
			return Assignment, to.Oid != OidInt2
		}
	case DateFamily:
		switch tf {
		case TimestampFamily, TimestampTZFamily:
			return Implicit, true
		}
	case TimestampFamily:
		switch tf {
		case TimestampTZFamily:
			return Implicit, true
		case DateFamily, TimeFamily:
			return Assignment, true
		}
	case TimestampTZFamily:
		switch tf {
		case TimestampFamily, DateFamily, TimeFamily:
			return Assignment, true
		}
	case TimeFamily:
		if tf == IntervalFamily {
			return Implicit, true
		}
	case IntervalFamily:
		if tf == TimeFamily {
			return Assignment, true
		}
	case JSONFamily:
		switch tf {
		case JSONFamily:
			return Assignment, true
		case BoolFamily, IntFamily, FloatFamily, DecimalFamily:
			return Explicit, from.Oid == OidJSONB
		}
	case ArrayFamily:
		if tf == ArrayFamily && from.Elem != nil && to.Elem != nil {
			return castContext(*from.Elem, *to.Elem)
		}
	}
	return 0, false
}

// Cast converts d from type from to type to with PostgreSQL's cast
// semantics. explicit selects CAST/:: behaviour (varchar(n) and char(n)
// truncate silently) over implicit and assignment behaviour (22001 unless
// only spaces are cut). Whether the cast is allowed in the caller's
// context is CanCast's question; Cast refuses only impossible casts
// (42846).
func Cast(d Datum, from, to T, explicit bool, set *Settings) (Datum, error) {
	if d == nil {
		return nil, nil
	}
	if to.Family == AnyFamily || (from.Equal(to) && to.Family != ArrayFamily) {
		return d, nil
	}
	if _, ok := TimePrecision(to); ok {
		// Convert to the type without precision, then round.
		base := to
		base.Width = 0
		v, err := Cast(d, from, base, explicit, set)
		if err != nil {
			return nil, err
		}
		return adjustTimePrecision(v, to)
	}
	if _, ok := castContext(from, to); !ok {
		return nil, errCannotCast(from, to)
	}
	if from.Family == UnknownFamily {
		s, _ := d.(string)
		if to.Family == StringFamily {
			return parseString(to, s, explicit)
		}
		return ParseText(to, s, set)
	}
	if to.Family == StringFamily {
		var s string
		if from.Family == StringFamily {
			s, _ = d.(string)
			if from.Oid == OidBPChar && to.Oid != OidBPChar {
				// char(n) loses its padding when it becomes text or varchar.
				s = strings.TrimRight(s, " ")
			}
		} else if b, ok := d.(bool); ok {
			// bool's cast to text spells the word out (booltext), unlike
			// its output function.
			s = map[bool]string{true: "true", false: "false"}[b]
		} else {
			s = FormatText(from, d, set)
		}
		return parseString(to, s, explicit)
	}
	if from.Family == StringFamily {
		s, _ := d.(string)
		return ParseText(to, s, set)
	}
	switch to.Family {
	case IntFamily:
		return castToInt(d, from, to)
	case FloatFamily:
		return castToFloat(d, from, to)
	case DecimalFamily:
		return castToNumeric(d, from, to)
	case BoolFamily:
		switch v := d.(type) {
		case int64:
			return v != 0, nil
		case JSON:
			return jsonbScalar(v, "boolean", func(s string) (Datum, error) { return parseBool(s) }, 't', 'f')
		}
	case OidFamily:
		if v, ok := d.(int64); ok {
			if from.Family == IntFamily && from.Oid == OidInt8 && (v < 0 || v > math.MaxUint32) {
				return nil, errOutOfRange("OID out of range")
			}
			return int64(uint32(v)), nil // int4 -1 is oid 4294967295, as PostgreSQL's binary coercion
		}
	case DateFamily:
		if v, ok := d.(time.Time); ok {
			if from.Family == TimestampTZFamily {
				v = v.In(set.location())
			}
			return dayOnly(v), nil
		}
	case TimestampFamily:
		if v, ok := d.(time.Time); ok {
			if from.Family == TimestampTZFamily {
				v = wallClock(v.In(set.location()))
			}
			return checkCastTimestamp(v, from)
		}
	case TimestampTZFamily:
		if v, ok := d.(time.Time); ok {
			if from.Family == TimestampFamily || from.Family == DateFamily {
				v = inZone(v, set.location())
			}
			return checkCastTimestamp(v, from)
		}
	case TimeFamily:
		switch v := d.(type) {
		case time.Time:
			if IsInfinite(v) != 0 {
				// timestamp_time and timestamptz_time return NULL for
				// ±infinity.
				return nil, nil
			}
			if from.Family == TimestampTZFamily {
				v = v.In(set.location())
			}
			h, m, s := v.Clock()
			return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(s)*time.Second +
				time.Duration(v.Nanosecond()/1000)*time.Microsecond, nil
		case Interval:
			us := v.Micros % 86400e6
			if us < 0 {
				us += 86400e6
			}
			return time.Duration(us) * time.Microsecond, nil
		}
	case IntervalFamily:
		if v, ok := d.(time.Duration); ok {
			return Interval{Micros: v.Microseconds()}, nil
		}
	case JSONFamily:
		if v, ok := d.(JSON); ok {
			if to.Oid == OidJSONB {
				return parseJSON(string(v), true, set)
			}
			return v, nil
		}
	case ArrayFamily:
		if v, ok := d.(*Array); ok && to.Elem != nil && from.Elem != nil {
			out := &Array{Elem: *to.Elem, Elems: make([]Datum, len(v.Elems))}
			for i, e := range v.Elems {
				c, err := Cast(e, *from.Elem, *to.Elem, explicit, set)
				if err != nil {
					return nil, err
				}
				out.Elems[i] = c
			}
			return out, nil
		}
	}
	return nil, errCannotCast(from, to)
}

// intOutOfRange is the error of an integer conversion that does not fit.
func intOutOfRange(to T) error {
	return errOutOfRange(intTypeName(to.Oid) + " out of range")
}

func castToInt(d Datum, from, to T) (Datum, error) {
	lo, hi := intRange(to.Oid)
	var n int64
	switch v := d.(type) {
	case int64:
		n = v
	case bool:
		if v {
			return int64(1), nil
		}
		return int64(0), nil
	case float64:
		// float -> int rounds half to even, as rint() does.
		r := math.RoundToEven(v)
		if math.IsNaN(r) || r < float64(lo) || r >= -float64(lo) {
			return nil, intOutOfRange(to)
		}
		n = int64(r)
	case *apd.Decimal:
		return decimalToInt(v, to)
	case JSON:
		return jsonbScalar(v, intTypeName(to.Oid), func(s string) (Datum, error) {
			dec, err := parseNumeric(s)
			if err != nil {
				return nil, err
			}
			return decimalToInt(dec, to)
		}, 'n')
	default:
		return nil, errCannotCast(from, to)
	}
	if from.Family == OidFamily && to.Oid == OidInt4 {
		return int64(int32(uint32(n))), nil // oid -> int4 is a binary coercion
	}
	if n < lo || n > hi {
		return nil, intOutOfRange(to)
	}
	return n, nil
}

// decimalToInt rounds half away from zero; NaN and infinities are 0A000
// in PostgreSQL 15.
func decimalToInt(v *apd.Decimal, to T) (Datum, error) {
	switch v.Form {
	case apd.NaN, apd.NaNSignaling:
		return nil, pgerror.New(pgerror.FeatureNotSupported, "cannot convert NaN to %s", intTypeName(to.Oid))
	case apd.Infinite:
		return nil, pgerror.New(pgerror.FeatureNotSupported, "cannot convert infinity to %s", intTypeName(to.Oid))
	}
	r := new(apd.Decimal)
	if _, err := numCtx.Quantize(r, v, 0); err != nil {
		return nil, intOutOfRange(to)
	}
	n, err := r.Int64()
	lo, hi := intRange(to.Oid)
	if err != nil || n < lo || n > hi {
		return nil, intOutOfRange(to)
	}
	return n, nil
}

func castToFloat(d Datum, from, to T) (Datum, error) {
	var f float64
	switch v := d.(type) {
	case int64:
		f = float64(v)
	case float64:
		f = v
	case *apd.Decimal:
		f = DecimalToFloat(v)
		if math.IsInf(f, 0) && v.Form == apd.Finite {
			return nil, errOutOfRange("value out of range: overflow")
		}
	case JSON:
		typ := "double precision"
		if to.Oid == OidFloat4 {
			typ = "real"
		}
		return jsonbScalar(v, typ, func(s string) (Datum, error) {
			dec, err := parseNumeric(s)
			if err != nil {
				return nil, err
			}
			return castToFloat(dec, Numeric, to)
		}, 'n')
	default:
		return nil, errCannotCast(from, to)
	}
	if to.Oid == OidFloat4 {
		g := float32(f)
		if math.IsInf(float64(g), 0) && !math.IsInf(f, 0) {
			return nil, errOutOfRange("value out of range: overflow")
		}
		if g == 0 && f != 0 {
			return nil, errOutOfRange("value out of range: underflow")
		}
		return float64(g), nil
	}
	return f, nil
}

// DecimalToFloat converts a numeric to the nearest float64 (through the
// decimal text, which parses exactly to the nearest float), NaN and
// ±Infinity to theirs: numeric's float8 cast, and what builtins use.
func DecimalToFloat(v *apd.Decimal) float64 {
	switch v.Form {
	case apd.NaN, apd.NaNSignaling:
		return math.NaN()
	case apd.Infinite:
		if v.Negative {
			return math.Inf(-1)
		}
		return math.Inf(1)
	}
	f, _ := strconv.ParseFloat(v.Text('e'), 64)
	return f
}

func castToNumeric(d Datum, from, to T) (Datum, error) {
	var out *apd.Decimal
	switch v := d.(type) {
	case int64:
		out = apd.New(v, 0)
	case bool:
		return nil, errCannotCast(from, to)
	case float64:
		switch {
		case math.IsNaN(v):
			out = &apd.Decimal{Form: apd.NaN}
		case math.IsInf(v, 0):
			out = &apd.Decimal{Form: apd.Infinite, Negative: v < 0}
		default:
			// PostgreSQL converts through %.15g (float4: %.6g) so that
			// 0.1::float8::numeric is 0.1, not the binary expansion.
			digits := 15
			if from.Oid == OidFloat4 {
				digits = 6
			}
			var err error
			if out, err = parseNumeric(strconv.FormatFloat(v, 'g', digits, 64)); err != nil {
				return nil, err
			}
		}
	case *apd.Decimal:
		out = v
	case JSON:
		return jsonbScalar(v, "numeric", func(s string) (Datum, error) {
			dec, err := parseNumeric(s)
			if err != nil {
				return nil, err
			}
			return applyNumericTypmod(dec, to)
		}, 'n')
	default:
		return nil, errCannotCast(from, to)
	}
	return applyNumericTypmod(out, to)
}

// jsonbScalar applies a jsonb -> scalar cast: the document must be a
// scalar of one of the allowed kinds ('n' number, 't'/'f' booleans).
func jsonbScalar(v JSON, typ string, conv func(string) (Datum, error), kinds ...byte) (Datum, error) {
	s := strings.TrimSpace(string(v))
	kind, what := byte(0), "object"
	switch {
	case strings.HasPrefix(s, "{"):
	case strings.HasPrefix(s, "["):
		what = "array"
	case strings.HasPrefix(s, `"`):
		what = "string"
	case s == "null":
		what = "null"
	case s == "true":
		kind, what = 't', "boolean"
	case s == "false":
		kind, what = 'f', "boolean"
	default:
		kind, what = 'n', "numeric"
	}
	for _, k := range kinds {
		if k == kind {
			return conv(s)
		}
	}
	return nil, pgerror.New(pgerror.InvalidParameterValue, "cannot cast jsonb %s to type %s", what, typ)
}

// checkCastTimestamp is the range check of a cast to timestamp[tz]: a
// date past 294276 AD has no timestamp (date2timestamp).
func checkCastTimestamp(v time.Time, from T) (Datum, error) {
	if TimestampInRange(v) {
		return v, nil
	}
	if from.Family == DateFamily {
		return nil, pgerror.New(pgerror.DatetimeFieldOverflow, "date out of range for timestamp")
	}
	return nil, pgerror.New(pgerror.DatetimeFieldOverflow, "timestamp out of range")
}
