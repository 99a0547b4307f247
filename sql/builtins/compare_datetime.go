package builtins

import (
	"time"

	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// castDateTimes converts the operands of a date/timestamp/timestamptz
// cross-type comparison to t, except that a date with no
// timestamp (past 294276 AD, or just before the first timestamptz in
// the session's zone) still compares, as date_cmp_timestamp and
// date_cmp_timestamptz do: above every finite timestamp and below
// infinity (or below every finite one and above -infinity).
func castDateTimes(l, r, t types.T) func(c *Context, a, b types.Datum) (types.Datum, types.Datum, error) {
	conv := func(c *Context, d types.Datum, from types.T) (types.Datum, error) {
		v, err := types.Cast(d, from, t, false, c.settings())
		if err == nil || from.Family != types.DateFamily || pgerror.CodeOf(err) != pgerror.DatetimeFieldOverflow {
			return v, err
		}
		day, ok := d.(time.Time)
		if !ok {
			return v, err
		}
		if day.Year() > 0 {
			// EndTimestamp is after every finite timestamp and before
			// the infinity sentinel.
			return types.EndTimestamp, nil
		}
		return types.MinTimestamp.Add(-time.Microsecond), nil
	}
	return func(c *Context, a, b types.Datum) (types.Datum, types.Datum, error) {
		x, err := conv(c, a, l)
		if err != nil {
			return nil, nil, err
		}
		y, err := conv(c, b, r)
		return x, y, err
	}
}
