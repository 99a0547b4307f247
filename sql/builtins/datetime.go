package builtins

import (
	"math"
	"strings"
	"time"

	"github.com/cockroachdb/apd/v3"
	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

const usPerDay = int64(86400e6)

var (
	errDateRange      = pgerror.New(pgerror.DatetimeFieldOverflow, "date out of range")
	errTimestampRange = pgerror.New(pgerror.DatetimeFieldOverflow, "timestamp out of range")
	errIntervalRange  = pgerror.New(pgerror.DatetimeFieldOverflow, "interval out of range")
)

// checkTimestamp is IS_VALID_TIMESTAMP: 4714-11-24 BC to 294276 AD.
func checkTimestamp(t time.Time) (types.Datum, error) {
	if !types.TimestampInRange(t) {
		return nil, fresh(errTimestampRange)
	}
	return t, nil
}

// addInterval adds iv to t as timestamp_pl_interval does: months first
// (clamping the day to the month's end), then days, both on the wall
// clock of loc, then the microseconds on the instant. Infinite
// timestamps stay infinite.
func addInterval(t time.Time, iv types.Interval, loc *time.Location) (types.Datum, error) {
	if types.IsInfinite(t) != 0 {
		return t, nil
	}
	w := t.In(loc)
	if iv.Months != 0 || iv.Days != 0 {
		y, m, d := w.Date()
		hh, mi, ss := w.Clock()
		tm := int(y)*12 + int(m) - 1 + int(iv.Months)
		ny, nm := tm/12, tm%12
		if nm < 0 {
			ny, nm = ny-1, nm+12
		}
		if dim := daysIn(ny, time.Month(nm+1)); d > dim {
			d = dim
		}
		w = time.Date(ny, time.Month(nm+1), d+int(iv.Days), hh, mi, ss, w.Nanosecond(), loc)
	}
	w = w.Add(time.Duration(iv.Micros) * time.Microsecond)
	if loc == time.UTC {
		return checkTimestamp(w)
	}
	return checkTimestamp(w)
}

func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func negInterval(iv types.Interval) (types.Interval, error) {
	if iv.Months == math.MinInt32 || iv.Days == math.MinInt32 || iv.Micros == math.MinInt64 {
		return types.Interval{}, fresh(errIntervalRange)
	}
	return types.Interval{Months: -iv.Months, Days: -iv.Days, Micros: -iv.Micros}, nil
}

func intervalAdd(a, b types.Interval) (types.Interval, error) {
	m := int64(a.Months) + int64(b.Months)
	d := int64(a.Days) + int64(b.Days)
	us := a.Micros + b.Micros
	if m != int64(int32(m)) || d != int64(int32(d)) || (a.Micros >= 0) == (b.Micros >= 0) && (us >= 0) != (a.Micros >= 0) {
		return types.Interval{}, fresh(errIntervalRange)
	}
	return types.Interval{Months: int32(m), Days: int32(d), Micros: us}, nil
}

func tsRound(x float64) float64 { return math.RoundToEven(x*1e6) / 1e6 }

// intervalMulFloat is interval_mul: fractional months cascade into days
// (30 per month) and fractional days into microseconds.
func intervalMulFloat(iv types.Interval, f float64) (types.Datum, error) {
	mo := float64(iv.Months) * f
	dd := float64(iv.Days) * f
	if math.IsNaN(f) || mo < math.MinInt32 || mo > math.MaxInt32 || dd < math.MinInt32 || dd > math.MaxInt32 {
		return nil, fresh(errIntervalRange)
	}
	out := types.Interval{Months: int32(mo), Days: int32(dd)}
	monthRem := tsRound((mo - float64(out.Months)) * 30)
	secRem := tsRound((dd - float64(out.Days) + monthRem - float64(int64(monthRem))) * 86400)
	// The cascaded days are added with overflow checks, as PostgreSQL's
	// interval_mul does: a wrapped day count was a wrong answer.
	addDays := func(n int64) bool {
		d := int64(out.Days) + n
		if d != int64(int32(d)) {
			return false
		}
		out.Days = int32(d)
		return true
	}
	if math.Abs(secRem) >= 86400 {
		if !addDays(int64(int32(secRem / 86400))) {
			return nil, fresh(errIntervalRange)
		}
		secRem -= float64(int64(secRem/86400)) * 86400
	}
	if !addDays(int64(int32(monthRem))) {
		return nil, fresh(errIntervalRange)
	}
	us := math.RoundToEven(float64(iv.Micros)*f + secRem*1e6)
	if math.IsNaN(us) || us < math.MinInt64 || us >= math.MaxInt64 {
		return nil, fresh(errIntervalRange)
	}
	out.Micros = int64(us)
	return out, nil
}

// justifyHours moves whole days out of the microseconds, keeping the
// signs of days and time consistent (interval_justify_hours).
func justifyHours(iv types.Interval) types.Interval {
	d := iv.Micros / usPerDay
	iv.Micros -= d * usPerDay
	iv.Days += int32(d)
	if iv.Days > 0 && iv.Micros < 0 {
		iv.Micros += usPerDay
		iv.Days--
	} else if iv.Days < 0 && iv.Micros > 0 {
		iv.Micros -= usPerDay
		iv.Days++
	}
	return iv
}

func justifyDays(iv types.Interval) types.Interval {
	m := iv.Days / 30
	iv.Days -= m * 30
	iv.Months += m
	if iv.Months > 0 && iv.Days < 0 {
		iv.Days += 30
		iv.Months--
	} else if iv.Months < 0 && iv.Days > 0 {
		iv.Days -= 30
		iv.Months++
	}
	return iv
}

func tsDiff(a, b time.Time) (types.Datum, error) {
	if types.IsInfinite(a) != 0 || types.IsInfinite(b) != 0 {
		return nil, newErr(pgerror.DatetimeFieldOverflow, "cannot subtract infinite timestamps")
	}
	return justifyHours(types.Interval{Micros: types.TimeToPGMicros(a) - types.TimeToPGMicros(b)}), nil
}

func dateAddDays(d time.Time, n int64) (types.Datum, error) {
	if types.IsInfinite(d) != 0 {
		return d, nil
	}
	// Julian day 0 to 5874897-12-31, as PostgreSQL's IS_VALID_DATE; the
	// day count is taken in 64 bits so that no input wraps into range.
	r := types.DaysSincePGEpoch(d) + n
	if r < -2451545 || r > 2145031948 {
		return nil, fresh(errDateRange)
	}
	return types.PGDaysToDate(int32(r)), nil
}

func registerDatetime() {
	ts, tz, dt, iv := types.Timestamp, types.TimestampTZ, types.Date, types.IntervalT
	utc := func(*Context) *time.Location { return time.UTC }
	zone := func(c *Context) *time.Location { return c.location() }
	for _, p := range []struct {
		t   types.T
		loc func(*Context) *time.Location
	}{{ts, utc}, {tz, zone}} {
		p := p
		registerBin("+", ov(p.t, func(c *Context, a []types.Datum) (types.Datum, error) {
			return addInterval(a[0].(time.Time), a[1].(types.Interval), p.loc(c))
		}, p.t, iv))
		registerBin("+", ov(p.t, func(c *Context, a []types.Datum) (types.Datum, error) {
			return addInterval(a[1].(time.Time), a[0].(types.Interval), p.loc(c))
		}, iv, p.t))
		registerBin("-", ov(p.t, func(c *Context, a []types.Datum) (types.Datum, error) {
			n, err := negInterval(a[1].(types.Interval))
			if err != nil {
				return nil, err
			}
			return addInterval(a[0].(time.Time), n, p.loc(c))
		}, p.t, iv))
		registerBin("-", ov(iv, func(_ *Context, a []types.Datum) (types.Datum, error) {
			return tsDiff(a[0].(time.Time), a[1].(time.Time))
		}, p.t, p.t))
	}
	registerBin("+", ov(ts, func(_ *Context, a []types.Datum) (types.Datum, error) {
		return addInterval(a[0].(time.Time), a[1].(types.Interval), time.UTC)
	}, dt, iv))
	registerBin("+", ov(ts, func(_ *Context, a []types.Datum) (types.Datum, error) {
		return addInterval(a[1].(time.Time), a[0].(types.Interval), time.UTC)
	}, iv, dt))
	registerBin("-", ov(ts, func(_ *Context, a []types.Datum) (types.Datum, error) {
		n, err := negInterval(a[1].(types.Interval))
		if err != nil {
			return nil, err
		}
		return addInterval(a[0].(time.Time), n, time.UTC)
	}, dt, iv))
	registerBin("+", ov(dt, func(_ *Context, a []types.Datum) (types.Datum, error) {
		return dateAddDays(a[0].(time.Time), a[1].(int64))
	}, dt, types.Int4))
	registerBin("+", ov(dt, func(_ *Context, a []types.Datum) (types.Datum, error) {
		return dateAddDays(a[1].(time.Time), a[0].(int64))
	}, types.Int4, dt))
	registerBin("-", ov(dt, func(_ *Context, a []types.Datum) (types.Datum, error) {
		return dateAddDays(a[0].(time.Time), -a[1].(int64))
	}, dt, types.Int4))
	registerBin("-", ov(types.Int4, func(_ *Context, a []types.Datum) (types.Datum, error) {
		x, y := a[0].(time.Time), a[1].(time.Time)
		if types.IsInfinite(x) != 0 || types.IsInfinite(y) != 0 {
			return nil, newErr(pgerror.DatetimeFieldOverflow, "cannot subtract infinite dates")
		}
		return int64(types.DateToPGDays(x)) - int64(types.DateToPGDays(y)), nil
	}, dt, dt))
	registerBin("+", ov(ts, func(_ *Context, a []types.Datum) (types.Datum, error) {
		d := a[0].(time.Time)
		if types.IsInfinite(d) != 0 {
			return d, nil
		}
		return checkTimestamp(d.Add(a[1].(time.Duration)))
	}, dt, types.Time))
	registerBin("+", ov(iv, func(_ *Context, a []types.Datum) (types.Datum, error) {
		return intervalAdd(a[0].(types.Interval), a[1].(types.Interval))
	}, iv, iv))
	registerBin("-", ov(iv, func(_ *Context, a []types.Datum) (types.Datum, error) {
		n, err := negInterval(a[1].(types.Interval))
		if err != nil {
			return nil, err
		}
		return intervalAdd(a[0].(types.Interval), n)
	}, iv, iv))
	registerUn("-", ov(iv, func(_ *Context, a []types.Datum) (types.Datum, error) { return negInterval(a[0].(types.Interval)) }, iv))
	registerBin("*", ov(iv, func(_ *Context, a []types.Datum) (types.Datum, error) {
		return intervalMulFloat(a[0].(types.Interval), a[1].(float64))
	}, iv, types.Float8))
	registerBin("*", ov(iv, func(_ *Context, a []types.Datum) (types.Datum, error) {
		return intervalMulFloat(a[1].(types.Interval), a[0].(float64))
	}, types.Float8, iv))
	registerBin("/", ov(iv, func(_ *Context, a []types.Datum) (types.Datum, error) {
		f := a[1].(float64)
		if f == 0 {
			return nil, fresh(errDivByZero)
		}
		return intervalMulFloat(a[0].(types.Interval), 1/f)
	}, iv, types.Float8))
	registerBin("+", ov(types.Time, func(_ *Context, a []types.Datum) (types.Datum, error) {
		return wrapTime(a[0].(time.Duration) + time.Duration(a[1].(types.Interval).Micros)*time.Microsecond), nil
	}, types.Time, iv))
	registerBin("-", ov(types.Time, func(_ *Context, a []types.Datum) (types.Datum, error) {
		return wrapTime(a[0].(time.Duration) - time.Duration(a[1].(types.Interval).Micros)*time.Microsecond), nil
	}, types.Time, iv))
	registerBin("-", ov(iv, func(_ *Context, a []types.Datum) (types.Datum, error) {
		return types.Interval{Micros: (a[0].(time.Duration) - a[1].(time.Duration)).Microseconds()}, nil
	}, types.Time, types.Time))

	register("now transaction_timestamp", &Overload{Return: tz, Fn: func(c *Context, _ []types.Datum) (types.Datum, error) {
		return txnTime(c), nil
	}})
	register("statement_timestamp", &Overload{Return: tz, Fn: func(c *Context, _ []types.Datum) (types.Datum, error) {
		if c != nil && !c.StmtTime.IsZero() {
			return c.StmtTime.Truncate(time.Microsecond), nil
		}
		return txnTime(c), nil
	}})
	register("clock_timestamp", &Overload{Return: tz, Volatile: true, Fn: func(*Context, []types.Datum) (types.Datum, error) {
		return time.Now().Truncate(time.Microsecond), nil
	}})
	register("timeofday", &Overload{Return: types.Text, Volatile: true, Fn: func(c *Context, _ []types.Datum) (types.Datum, error) {
		return time.Now().In(c.location()).Format("Mon Jan 02 15:04:05.000000 2006 MST"), nil
	}})

	for _, t := range []types.T{ts, tz, dt, iv, types.Time} {
		t := t
		if t.Family == types.DateFamily {
			// extract(field from date) exists; date_part(text, date)
			// does not: a date is converted to timestamptz (an error past
			// 294276 AD), as in PostgreSQL.
			register("extract", ov(types.Numeric, func(c *Context, a []types.Datum) (types.Datum, error) {
				d, err := extract(c, a[0].(string), t, a[1])
				if d == nil || err != nil {
					return nil, err // a nil *apd.Decimal is NULL, not a value
				}
				return d, nil
			}, types.Text, t))
			continue
		}
		register("date_part", ov(types.Float8, func(c *Context, a []types.Datum) (types.Datum, error) {
			d, err := extract(c, a[0].(string), t, a[1])
			if d == nil || err != nil {
				return nil, err
			}
			return decFloat(d), nil
		}, types.Text, t))
		register("extract", ov(types.Numeric, func(c *Context, a []types.Datum) (types.Datum, error) {
			d, err := extract(c, a[0].(string), t, a[1])
			if d == nil || err != nil {
				return nil, err
			}
			return d, nil
		}, types.Text, t))
	}
	register("date_trunc",
		ov(ts, func(_ *Context, a []types.Datum) (types.Datum, error) {
			return truncTime(a[0].(string), a[1].(time.Time), time.UTC, "timestamp without time zone")
		}, types.Text, ts),
		ov(tz, func(c *Context, a []types.Datum) (types.Datum, error) {
			return truncTime(a[0].(string), a[1].(time.Time), c.location(), "timestamp with time zone")
		}, types.Text, tz),
		ov(tz, func(_ *Context, a []types.Datum) (types.Datum, error) {
			loc, err := loadZone(a[2].(string))
			if err != nil {
				return nil, err
			}
			return truncTime(a[0].(string), a[1].(time.Time), loc, "timestamp with time zone")
		}, types.Text, tz, types.Text),
		ov(iv, func(_ *Context, a []types.Datum) (types.Datum, error) {
			return truncInterval(a[0].(string), a[1].(types.Interval))
		}, types.Text, iv))
	register("age",
		ov(iv, func(_ *Context, a []types.Datum) (types.Datum, error) {
			return age(a[0].(time.Time), a[1].(time.Time))
		}, ts, ts),
		ov(iv, func(c *Context, a []types.Datum) (types.Datum, error) {
			loc := c.location()
			return age(wall(a[0].(time.Time), loc), wall(a[1].(time.Time), loc))
		}, tz, tz),
		ov(iv, func(c *Context, a []types.Datum) (types.Datum, error) {
			y, m, d := txnTime(c).In(c.location()).Date()
			return age(time.Date(y, m, d, 0, 0, 0, 0, time.UTC), a[0].(time.Time))
		}, ts))
	register("make_date", ov(dt, func(_ *Context, a []types.Datum) (types.Datum, error) {
		return makeDate(a[0].(int64), a[1].(int64), a[2].(int64))
	}, types.Int4, types.Int4, types.Int4))
	register("make_timestamp", ov(ts, func(_ *Context, a []types.Datum) (types.Datum, error) {
		return makeTimestamp(a, time.UTC)
	}, types.Int4, types.Int4, types.Int4, types.Int4, types.Int4, types.Float8))
	register("make_timestamptz", ov(tz, func(c *Context, a []types.Datum) (types.Datum, error) {
		return makeTimestamp(a, c.location())
	}, types.Int4, types.Int4, types.Int4, types.Int4, types.Int4, types.Float8))
	register("to_timestamp", ov(tz, func(_ *Context, a []types.Datum) (types.Datum, error) {
		// float8_timestamptz: checked in seconds since 1970, then moved
		// to 2000 and rounded to microseconds in float8 (so values near
		// 294276 AD lose their last digits, as in PostgreSQL).
		f := a[0].(float64)
		switch {
		case math.IsNaN(f):
			return nil, newErr(pgerror.DatetimeFieldOverflow, "timestamp cannot be NaN")
		case math.IsInf(f, 1):
			return types.TimeInfinity, nil
		case math.IsInf(f, -1):
			return types.TimeNegInfinity, nil
		}
		if f < -210866803200 || f >= 9224318016000 {
			return nil, newErr(pgerror.DatetimeFieldOverflow, "timestamp out of range: \"%s\"", types.FormatText(types.Float8, f, nil))
		}
		us := math.RoundToEven((f - 946684800) * 1e6)
		t := types.PGMicrosToTime(int64(us))
		if us >= math.MaxInt64 || !types.TimestampInRange(t) {
			return nil, newErr(pgerror.DatetimeFieldOverflow, "timestamp out of range: \"%s\"", types.FormatText(types.Float8, f, nil))
		}
		return t, nil
	}, types.Float8))
	register("justify_hours", ov(iv, func(_ *Context, a []types.Datum) (types.Datum, error) {
		return justifyHours(a[0].(types.Interval)), nil
	}, iv))
	register("justify_days", ov(iv, func(_ *Context, a []types.Datum) (types.Datum, error) {
		return justifyDays(a[0].(types.Interval)), nil
	}, iv))
	register("justify_interval", ov(iv, func(_ *Context, a []types.Datum) (types.Datum, error) {
		return justifyDays(justifyHours(a[0].(types.Interval))), nil
	}, iv))
	for _, t := range []types.T{dt, ts, tz} {
		register("isfinite", ov(types.Bool, func(_ *Context, a []types.Datum) (types.Datum, error) {
			return types.IsInfinite(a[0].(time.Time)) == 0, nil
		}, t))
	}
	register("isfinite", ov(types.Bool, func(*Context, []types.Datum) (types.Datum, error) { return true, nil }, iv))
	// AT TIME ZONE arrives as timezone(zone, value).
	register("timezone",
		ov(ts, func(_ *Context, a []types.Datum) (types.Datum, error) {
			loc, err := loadZone(a[0].(string))
			if err != nil {
				return nil, err
			}
			return checkTimestamp(wall(a[1].(time.Time), loc))
		}, types.Text, tz),
		ov(tz, func(_ *Context, a []types.Datum) (types.Datum, error) {
			loc, err := loadZone(a[0].(string))
			if err != nil {
				return nil, err
			}
			w := a[1].(time.Time)
			if types.IsInfinite(w) != 0 {
				return w, nil
			}
			y, mo, d := w.Date()
			h, mi, s := w.Clock()
			return checkTimestamp(time.Date(y, mo, d, h, mi, s, w.Nanosecond(), loc))
		}, types.Text, ts),
		// An interval zone is a fixed offset east of Greenwich
		// (timestamptz_izone, timestamp_izone).
		ov(ts, func(_ *Context, a []types.Datum) (types.Datum, error) {
			loc, err := intervalZone(a[0].(types.Interval))
			if err != nil {
				return nil, err
			}
			return checkTimestamp(wall(a[1].(time.Time), loc))
		}, iv, tz),
		ov(tz, func(_ *Context, a []types.Datum) (types.Datum, error) {
			loc, err := intervalZone(a[0].(types.Interval))
			if err != nil {
				return nil, err
			}
			w := a[1].(time.Time)
			if types.IsInfinite(w) != 0 {
				return w, nil
			}
			y, mo, d := w.Date()
			h, mi, s := w.Clock()
			return checkTimestamp(time.Date(y, mo, d, h, mi, s, w.Nanosecond(), loc))
		}, iv, ts))
}

// intervalZone is the fixed zone of AT TIME ZONE INTERVAL '...'.
func intervalZone(iv types.Interval) (*time.Location, error) {
	if iv.Months != 0 || iv.Days != 0 {
		return nil, newErr(pgerror.InvalidParameterValue, "interval time zone \"%s\" must not include months or days", types.FormatText(types.IntervalT, iv, nil))
	}
	return time.FixedZone("", int(iv.Micros/1e6)), nil
}

// wrapTime keeps a time of day within 00:00 to 24:00 (time + interval wraps).
func wrapTime(d time.Duration) time.Duration {
	day := 24 * time.Hour
	d %= day
	if d < 0 {
		d += day
	}
	return d
}

func txnTime(c *Context) time.Time {
	if c != nil && !c.TxnTime.IsZero() {
		return c.TxnTime.Truncate(time.Microsecond)
	}
	return time.Now().Truncate(time.Microsecond)
}

// wall returns the wall-clock reading of instant t in loc as a
// timestamp-without-time-zone value.
func wall(t time.Time, loc *time.Location) time.Time {
	if types.IsInfinite(t) != 0 {
		return t
	}
	w := t.In(loc)
	y, mo, d := w.Date()
	h, mi, s := w.Clock()
	return time.Date(y, mo, d, h, mi, s, w.Nanosecond(), time.UTC)
}

// loadZone reads a time zone name as AT TIME ZONE and date_trunc do
// (timestamptz_zone): a time zone abbreviation (est), a tz database
// name, or a POSIX time zone string ('+05' and '+05:30' are west of
// Greenwich, 'UTC+3' too).
func loadZone(name string) (*time.Location, error) {
	lower := strings.ToLower(name)
	switch lower {
	case "utc", "gmt", "z", "zulu", "etc/utc":
		return time.UTC, nil
	}
	if off, ok := types.ZoneAbbrevOffset(lower); ok {
		return time.FixedZone(strings.ToUpper(lower), off), nil
	}
	if loc, err := time.LoadLocation(name); err == nil {
		return loc, nil
	}
	if loc, ok := types.LoadPosixTZ(name); ok {
		return loc, nil
	}
	return nil, newErr(pgerror.InvalidParameterValue, "time zone \"%s\" not recognized", name)
}

func atoiSmall(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

func makeDate(y, m, d int64) (types.Datum, error) {
	if y == 0 {
		return nil, newErr(pgerror.DatetimeFieldOverflow, "date field value out of range: %d-%02d-%02d", y, m, d)
	}
	gy := y
	if y < 0 {
		gy = y + 1 // 1 BC is year 0
	}
	if m < 1 || m > 12 || d < 1 || d > int64(daysIn(int(gy), time.Month(m))) {
		return nil, newErr(pgerror.DatetimeFieldOverflow, "date field value out of range: %d-%02d-%02d", y, m, d)
	}
	return dateAddDays(time.Date(int(gy), time.Month(m), int(d), 0, 0, 0, 0, time.UTC), 0)
}

func makeTimestamp(a []types.Datum, loc *time.Location) (types.Datum, error) {
	y, mo, d, h, mi := a[0].(int64), a[1].(int64), a[2].(int64), a[3].(int64), a[4].(int64)
	sec := a[5].(float64)
	if _, err := makeDate(y, mo, d); err != nil {
		return nil, err
	}
	if h < 0 || h > 24 || mi < 0 || mi > 59 || sec < 0 || sec > 60 || math.IsNaN(sec) ||
		h == 24 && (mi != 0 || sec != 0) {
		return nil, newErr(pgerror.DatetimeFieldOverflow, "date/time field value out of range: %d:%02d:%s", h, mi,
			types.FormatText(types.Float8, sec, nil))
	}
	gy := y
	if y < 0 {
		gy = y + 1
	}
	us := int64(math.RoundToEven(sec * 1e6))
	t := time.Date(int(gy), time.Month(mo), int(d), int(h), int(mi), 0, 0, loc).Add(time.Duration(us) * time.Microsecond)
	return checkTimestamp(t)
}

// age subtracts field by field, borrowing from the next larger field
// as PostgreSQL's timestamp_age does.
func age(a, b time.Time) (types.Datum, error) {
	var err error
	if a, err = ageOperand(a); err != nil {
		return nil, err
	}
	if b, err = ageOperand(b); err != nil {
		return nil, err
	}
	neg := a.Before(b)
	if neg {
		a, b = b, a
	}
	y1, m1, d1 := a.Date()
	y2, m2, d2 := b.Date()
	us1 := int64(a.Hour())*3600e6 + int64(a.Minute())*60e6 + int64(a.Second())*1e6 + int64(a.Nanosecond()/1000)
	us2 := int64(b.Hour())*3600e6 + int64(b.Minute())*60e6 + int64(b.Second())*1e6 + int64(b.Nanosecond()/1000)
	us := us1 - us2
	days := d1 - d2
	months := int(m1) - int(m2)
	years := y1 - y2
	if us < 0 {
		us += usPerDay
		days--
	}
	if days < 0 {
		// Borrow the length of the month before a's month.
		days += daysIn(y2, m2)
		months--
		if daysIn(y2, m2) < d2 {
			days = d1
		}
	}
	if months < 0 {
		months += 12
		years--
	}
	iv := types.Interval{Months: int32(years*12 + months), Days: int32(days), Micros: us}
	if neg {
		return negInterval(iv)
	}
	return iv, nil
}

// ageOperand is what PostgreSQL 15's timestamp_age sees of t: it does
// not check for infinity but splits the stored microseconds into fields
// (timestamp2tm), so 'infinity' (INT64_MAX) is a date in 294277 AD and
// '-infinity' (INT64_MIN) fails as out of range.
func ageOperand(t time.Time) (time.Time, error) {
	switch types.IsInfinite(t) {
	case 1:
		const us int64 = 1<<63 - 1
		return time.Unix(us/1e6+946684800, us%1e6*1000).In(t.Location()), nil // 2000-01-01 in Unix seconds
	case -1:
		return t, newErr(pgerror.DatetimeFieldOverflow, "timestamp out of range")
	}
	return t, nil
}

// truncTime is date_trunc on a timestamp (loc UTC) or timestamptz (loc
// the zone whose wall clock is truncated).
func truncTime(unit string, t time.Time, loc *time.Location, typ string) (types.Datum, error) {
	if types.IsInfinite(t) != 0 {
		return t, nil
	}
	w := t.In(loc)
	y, mo, d := w.Date()
	h, mi, s := w.Clock()
	ns := w.Nanosecond()
	switch strings.ToLower(unit) {
	case "microseconds":
	case "milliseconds":
		ns = ns / 1e6 * 1e6
	case "second", "seconds":
		ns = 0
	case "minute", "minutes":
		s, ns = 0, 0
	case "hour", "hours":
		mi, s, ns = 0, 0, 0
	case "day", "days":
		h, mi, s, ns = 0, 0, 0, 0
	case "week", "weeks":
		wd := (int(w.Weekday()) + 6) % 7 // Monday = 0
		d -= wd
		h, mi, s, ns = 0, 0, 0, 0
	case "month", "months":
		d, h, mi, s, ns = 1, 0, 0, 0, 0
	case "quarter":
		mo = (mo-1)/3*3 + 1
		d, h, mi, s, ns = 1, 0, 0, 0, 0
	case "year", "years":
		mo, d, h, mi, s, ns = 1, 1, 0, 0, 0, 0
	case "decade", "decades":
		if y > 0 {
			y = y / 10 * 10
		} else {
			y = -((8 - (y - 1)) / 10) * 10
		}
		mo, d, h, mi, s, ns = 1, 1, 0, 0, 0, 0
	case "century", "centuries":
		if y > 0 {
			y = (y+99)/100*100 - 99
		} else {
			y = -((99 - (y - 1)) / 100 * 100) + 1
		}
		mo, d, h, mi, s, ns = 1, 1, 0, 0, 0, 0
	case "millennium", "millennia":
		if y > 0 {
			y = (y+999)/1000*1000 - 999
		} else {
			y = -((999 - (y - 1)) / 1000 * 1000) + 1
		}
		mo, d, h, mi, s, ns = 1, 1, 0, 0, 0, 0
	default:
		return nil, newErr(pgerror.InvalidParameterValue, "unit \"%s\" not recognized for type %s", unit, typ)
	}
	return time.Date(y, mo, d, h, mi, s, ns, loc), nil
}

func truncInterval(unit string, iv types.Interval) (types.Datum, error) {
	out := iv
	clearTime := func(unitUs int64) { out.Micros = iv.Micros / unitUs * unitUs }
	switch strings.ToLower(unit) {
	case "microseconds":
	case "milliseconds":
		clearTime(1000)
	case "second", "seconds":
		clearTime(1e6)
	case "minute", "minutes":
		clearTime(60e6)
	case "hour", "hours":
		clearTime(3600e6)
	case "day", "days":
		out.Micros = 0
	case "month", "months":
		out.Days, out.Micros = 0, 0
	case "quarter":
		out.Months, out.Days, out.Micros = iv.Months/3*3, 0, 0
	case "year", "years":
		out.Months, out.Days, out.Micros = iv.Months/12*12, 0, 0
	case "decade", "decades":
		out.Months, out.Days, out.Micros = iv.Months/120*120, 0, 0
	case "century", "centuries":
		out.Months, out.Days, out.Micros = iv.Months/1200*1200, 0, 0
	case "millennium", "millennia":
		out.Months, out.Days, out.Micros = iv.Months/12000*12000, 0, 0
	case "week", "weeks":
		return nil, newErr(pgerror.FeatureNotSupported, "unit \"%s\" not supported for type interval", unit)
	default:
		return nil, newErr(pgerror.InvalidParameterValue, "unit \"%s\" not recognized for type interval", unit)
	}
	return out, nil
}

// scaled returns v / 10^scale as a numeric with that scale.
func scaled(v int64, scale int32) *apd.Decimal { return apd.New(v, -scale) }

func infNumeric(sign int) *apd.Decimal {
	return &apd.Decimal{Form: apd.Infinite, Negative: sign < 0}
}

// extract implements EXTRACT/date_part for type t; nil means NULL.
func extract(c *Context, field string, t types.T, d types.Datum) (*apd.Decimal, error) {
	f := strings.ToLower(field)
	switch t.Family {
	case types.IntervalFamily:
		return extractInterval(f, field, d.(types.Interval))
	case types.TimeFamily:
		return extractTime(f, field, d.(time.Duration))
	}
	tm := d.(time.Time)
	typ := map[types.Family]string{types.DateFamily: "date", types.TimestampFamily: "timestamp without time zone",
		types.TimestampTZFamily: "timestamp with time zone"}[t.Family]
	if inf := types.IsInfinite(tm); inf != 0 {
		switch f {
		case "epoch", "year", "years", "decade", "century", "millennium", "julian", "isoyear":
			return infNumeric(inf), nil
		}
		if _, ok := knownTSUnits[f]; !ok {
			return nil, newErr(pgerror.InvalidParameterValue, "unit \"%s\" not recognized for type %s", field, typ)
		}
		return nil, nil
	}
	if t.Family == types.DateFamily {
		switch f {
		case "hour", "hours", "minute", "minutes", "second", "seconds", "millisecond", "milliseconds",
			"microsecond", "microseconds", "timezone", "timezone_hour", "timezone_minute":
			return nil, newErr(pgerror.FeatureNotSupported, "unit \"%s\" not supported for type date", field)
		}
	}
	w := tm
	if t.Family == types.TimestampTZFamily {
		w = tm.In(c.location())
	}
	y, mo, day := w.Date()
	secUs := int64(w.Second())*1e6 + int64(w.Nanosecond()/1000)
	n := func(v int) (*apd.Decimal, error) { return apd.New(int64(v), 0), nil }
	switch f {
	case "microsecond", "microseconds":
		return apd.New(secUs, 0), nil
	case "millisecond", "milliseconds":
		return scaled(secUs, 3), nil
	case "second", "seconds":
		return scaled(secUs, 6), nil
	case "minute", "minutes":
		return n(w.Minute())
	case "hour", "hours":
		return n(w.Hour())
	case "day", "days":
		return n(day)
	case "month", "months":
		return n(int(mo))
	case "quarter":
		return n((int(mo)-1)/3 + 1)
	case "year", "years":
		if y <= 0 {
			return n(y - 1)
		}
		return n(y)
	case "decade", "decades":
		if y > 0 {
			return n(y / 10)
		}
		return n(-((8 - (y - 1)) / 10))
	case "century", "centuries":
		if y > 0 {
			return n((y + 99) / 100)
		}
		return n(-((99 - (y - 1)) / 100))
	case "millennium", "millennia":
		if y > 0 {
			return n((y + 999) / 1000)
		}
		return n(-((999 - (y - 1)) / 1000))
	case "dow":
		return n(int(w.Weekday()))
	case "isodow":
		wd := int(w.Weekday())
		if wd == 0 {
			wd = 7
		}
		return n(wd)
	case "doy":
		return n(w.YearDay())
	case "week":
		_, wk := w.ISOWeek()
		return n(wk)
	case "isoyear":
		iy, _ := w.ISOWeek()
		if iy <= 0 {
			iy-- // BC years have no year 0, as for year
		}
		return n(iy)
	case "julian":
		jd := int64(types.DateToPGDays(time.Date(y, mo, day, 0, 0, 0, 0, time.UTC))) + 2451545
		if t.Family == types.DateFamily {
			return apd.New(jd, 0), nil
		}
		frac, err := numDiv(apd.New(int64(w.Hour())*3600e6+int64(w.Minute())*60e6+secUs, 0), apd.New(usPerDay, 0))
		if err != nil {
			return nil, err
		}
		return numAdd(apd.New(jd, 0), frac)
	case "epoch":
		// Seconds and microseconds apart: microseconds since 1970 do not
		// fit in 64 bits near 294276 AD (a timestamp's wall clock is held
		// in UTC, so the same sum serves both timestamp types).
		if t.Family == types.DateFamily {
			return apd.New(tm.Unix(), 0), nil
		}
		// As timestamp_part_common: exact while the microseconds since
		// 1970 fit in 64 bits, else a numeric division (rounded to its
		// result scale) rounded to 6 places.
		const epoch2000 = -946684800e6 // SetEpochTimestamp
		us := types.TimeToPGMicros(tm)
		if us < math.MaxInt64+epoch2000 {
			return scaled(us-epoch2000, 6), nil
		}
		since, err := numSub(apd.New(us, 0), apd.New(epoch2000, 0))
		if err != nil {
			return nil, err
		}
		q, err := numDiv(since, apd.New(1e6, 0))
		if err != nil {
			return nil, err
		}
		r, err := roundDec(q, 6, false)
		if err != nil {
			return nil, err
		}
		return r.(*apd.Decimal), nil
	case "timezone", "timezone_hour", "timezone_minute":
		if t.Family != types.TimestampTZFamily {
			return nil, newErr(pgerror.FeatureNotSupported, "unit \"%s\" not supported for type %s", field, typ)
		}
		_, off := w.Zone()
		switch f {
		case "timezone":
			return n(off)
		case "timezone_hour":
			return n(off / 3600)
		}
		return n(off % 3600 / 60)
	}
	return nil, newErr(pgerror.InvalidParameterValue, "unit \"%s\" not recognized for type %s", field, typ)
}

var knownTSUnits = map[string]bool{"microsecond": true, "microseconds": true, "millisecond": true, "milliseconds": true,
	"second": true, "seconds": true, "minute": true, "minutes": true, "hour": true, "hours": true, "day": true, "days": true,
	"month": true, "months": true, "quarter": true, "dow": true, "isodow": true, "doy": true, "week": true,
	"timezone": true, "timezone_hour": true, "timezone_minute": true}

func extractTime(f, field string, d time.Duration) (*apd.Decimal, error) {
	us := d.Microseconds()
	switch f {
	case "microsecond", "microseconds":
		return apd.New(us%60e6, 0), nil
	case "millisecond", "milliseconds":
		return scaled(us%60e6, 3), nil
	case "second", "seconds":
		return scaled(us%60e6, 6), nil
	case "minute", "minutes":
		return apd.New(us/60e6%60, 0), nil
	case "hour", "hours":
		return apd.New(us/3600e6, 0), nil
	case "epoch":
		return scaled(us, 6), nil
	}
	return nil, newErr(pgerror.InvalidParameterValue, "unit \"%s\" not recognized for type time without time zone", field)
}

func extractInterval(f, field string, iv types.Interval) (*apd.Decimal, error) {
	n := func(v int64) (*apd.Decimal, error) { return apd.New(v, 0), nil }
	switch f {
	case "microsecond", "microseconds":
		return n(iv.Micros % 60e6)
	case "millisecond", "milliseconds":
		return scaled(iv.Micros%60e6, 3), nil
	case "second", "seconds":
		return scaled(iv.Micros%60e6, 6), nil
	case "minute", "minutes":
		return n(iv.Micros / 60e6 % 60)
	case "hour", "hours":
		return n(iv.Micros / 3600e6)
	case "day", "days":
		return n(int64(iv.Days))
	case "month", "months":
		return n(int64(iv.Months % 12))
	case "quarter":
		return n(int64(iv.Months%12/3 + 1))
	case "year", "years":
		return n(int64(iv.Months / 12))
	case "decade", "decades":
		return n(int64(iv.Months / 120))
	case "century", "centuries":
		return n(int64(iv.Months / 1200))
	case "millennium", "millennia":
		return n(int64(iv.Months / 12000))
	case "epoch":
		// As interval_part_common: in 64 bits when they suffice, else
		// in numeric (it wrapped around for intervals of 10^9 days).
		secs := (int64(4*365.25)*int64(iv.Months/12) + int64(4*30)*int64(iv.Months%12) + 4*int64(iv.Days)) * (86400 / 4)
		if us, ok := mulAdd64(secs, 1e6, iv.Micros); ok {
			return scaled(us, 6), nil
		}
		return numAdd(scaled(iv.Micros, 6), apd.New(secs, 0))
	case "dow", "isodow", "doy", "week", "julian", "isoyear", "timezone", "timezone_hour", "timezone_minute":
		return nil, newErr(pgerror.FeatureNotSupported, "unit \"%s\" not supported for type interval", field)
	}
	return nil, newErr(pgerror.InvalidParameterValue, "unit \"%s\" not recognized for type interval", field)
}

// mulAdd64 is a*b+c when it fits in 64 bits.
func mulAdd64(a, b, c int64) (int64, bool) {
	p := a * b
	if a != 0 && (p/a != b || a == -1 && b == math.MinInt64) {
		return 0, false
	}
	r := p + c
	if (c > 0 && r < p) || (c < 0 && r > p) {
		return 0, false
	}
	return r, true
}
