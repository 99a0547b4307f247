package builtins

import (
	"github.com/quorumdb/quorumdb/sql/types"
)

// cmpOps maps each comparison operator to its test on Compare's result.
var cmpOps = map[string]func(int) bool{
	"=":  func(c int) bool { return c == 0 },
	"<>": func(c int) bool { return c != 0 },
	"<":  func(c int) bool { return c < 0 },
	"<=": func(c int) bool { return c <= 0 },
	">":  func(c int) bool { return c > 0 },
	">=": func(c int) bool { return c >= 0 },
}

// registerCmp adds all six comparisons for l op r. conv, when set, turns
// both operands into values of one type that Compare(t) orders (the
// date/timestamp/timestamptz cross-type operators need the session zone).
func registerCmp(l, r, t types.T, conv func(c *Context, a, b types.Datum) (types.Datum, types.Datum, error)) {
	for op, test := range cmpOps {
		test := test
		registerBin(op, ov(types.Bool, func(c *Context, a []types.Datum) (types.Datum, error) {
			x, y := a[0], a[1]
			if conv != nil {
				var err error
				if x, y, err = conv(c, x, y); err != nil {
					return nil, err
				}
			}
			return test(types.Compare(t, x, y)), nil
		}, l, r))
	}
}

func registerComparison() {
	for _, l := range intTypes {
		for _, r := range intTypes {
			registerCmp(l, r, types.Int8, nil)
		}
	}
	floats := []types.T{types.Float4, types.Float8}
	for _, l := range floats {
		for _, r := range floats {
			registerCmp(l, r, types.Float8, nil)
		}
	}
	for _, t := range []types.T{types.Bool, types.Numeric, types.Text, types.BPChar, types.Name, types.Char,
		types.Bytea, types.Date, types.Timestamp, types.TimestampTZ, types.Time, types.IntervalT,
		types.UUIDT, types.JSONB, types.OidT} {
		registerCmp(t, t, t, nil)
	}
	// name and text compare as text.
	registerCmp(types.Name, types.Text, types.Text, nil)
	registerCmp(types.Text, types.Name, types.Text, nil)
	// date, timestamp and timestamptz compare across types by converting
	// to the later of the three.
	dts := []types.T{types.Date, types.Timestamp, types.TimestampTZ}
	for i, l := range dts {
		for j, r := range dts {
			if i == j {
				continue
			}
			t := dts[max(i, j)]
			registerCmp(l, r, t, castDateTimes(l, r, t))
		}
	}
	// Enums compare in declaration order (enum_eq, enum_lt, ...); the
	// labels come with the type, through Bind.
	for op, test := range cmpOps {
		test := test
		registerBin(op, &Overload{Args: []types.T{anyEnum, anyEnum}, Return: types.Bool,
			Bind: func(ts []types.T) Fn {
				t := ts[0]
				return func(_ *Context, a []types.Datum) (types.Datum, error) {
					return test(types.Compare(t, a[0], a[1])), nil
				}
			}})
	}
	// Arrays compare elementwise; the element type comes from Bind.
	for op, test := range cmpOps {
		test := test
		registerBin(op, &Overload{Args: []types.T{anyArray, anyArray}, Return: types.Bool, SameArrays: true,
			Bind: func(ts []types.T) Fn {
				t := ts[0]
				return func(_ *Context, a []types.Datum) (types.Datum, error) {
					return test(types.Compare(t, a[0], a[1])), nil
				}
			}})
	}
}
