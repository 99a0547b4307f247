package builtins

import (
	"math"

	"github.com/cockroachdb/apd/v3"
	"github.com/quorumdb/quorumdb/sql/types"
)

// Accumulator is the running state of one aggregate over one group.
// Add is called once per input row (rows with a NULL argument are
// skipped by the caller unless the Aggregate CountsNulls); Result may be
// called once at the end. An Accumulator is used by one goroutine.
type Accumulator interface {
	Add(c *Context, args []types.Datum) error
	Result(c *Context) (types.Datum, error)
}

// Aggregate is one signature of an aggregate function.
type Aggregate struct {
	Args     []types.T
	Return   types.T
	ReturnFn func([]types.T) types.T
	New      func() Accumulator
	// CountsNulls: Add also sees rows whose arguments are NULL (count(*),
	// array_agg, string_agg with a NULL delimiter).
	CountsNulls bool
	// Bind, when set, builds New for the resolved argument types;
	// ResolveAggregate returns a copy with New filled in.
	Bind func(argTypes []types.T) func() Accumulator
	// Direct is the number of direct arguments of an ordered-set
	// aggregate (percentile_cont(0.5) WITHIN GROUP (ORDER BY x) has one):
	// Args holds them first, then the WITHIN GROUP arguments.
	// OrderedSet marks an ordered-set aggregate with none (mode). Their
	// accumulators are OrderedSets.
	Direct     int
	OrderedSet bool
}

// IsOrderedSet reports whether a is called with WITHIN GROUP.
func (a *Aggregate) IsOrderedSet() bool { return a.Direct > 0 || a.OrderedSet }

func registerAgg(names string, as ...*Aggregate) {
	for _, n := range splitNames(names) {
		aggs[n] = append(aggs[n], as...)
	}
}

// accFunc adapts two closures to Accumulator.
type accFunc struct {
	add    func(c *Context, args []types.Datum) error
	result func(c *Context) (types.Datum, error)
}

func (a *accFunc) Add(c *Context, args []types.Datum) error { return a.add(c, args) }
func (a *accFunc) Result(c *Context) (types.Datum, error)   { return a.result(c) }

// count(*) and count(x).
type countAcc struct{ n int64 }

func (a *countAcc) Add(*Context, []types.Datum) error    { a.n++; return nil }
func (a *countAcc) Result(*Context) (types.Datum, error) { return a.n, nil }

// intSum sums int2/int4 into an int8 (sum) or keeps a count too (avg).
type intSum struct {
	n   int64
	sum int64
	big *apd.Decimal // int8 inputs, or after int64 overflow for avg
	avg bool
	dec bool // result is numeric (sum(int8), avg of any int)
}

func (a *intSum) Add(_ *Context, args []types.Datum) error {
	v := args[0].(int64)
	a.n++
	if a.big != nil {
		r, err := numAdd(a.big, apd.New(v, 0))
		a.big = r
		return err
	}
	s := a.sum + v
	if (a.sum >= 0) == (v >= 0) && (s >= 0) != (v >= 0) {
		if !a.dec {
			return fresh(errInt8Range)
		}
		r, err := numAdd(apd.New(a.sum, 0), apd.New(v, 0))
		a.big = r
		return err
	}
	a.sum = s
	return nil
}

func (a *intSum) Result(*Context) (types.Datum, error) {
	if a.n == 0 {
		return nil, nil
	}
	total := a.big
	if total == nil {
		if !a.dec {
			return a.sum, nil
		}
		total = apd.New(a.sum, 0)
	}
	if a.avg {
		return numDiv(total, apd.New(a.n, 0))
	}
	return total, nil
}

// numSum sums numerics (sum and avg of numeric).
type numSum struct {
	n   int64
	sum *apd.Decimal
	avg bool
}

func (a *numSum) Add(_ *Context, args []types.Datum) error {
	a.n++
	if a.sum == nil {
		a.sum = args[0].(*apd.Decimal)
		return nil
	}
	r, err := numAdd(a.sum, args[0].(*apd.Decimal))
	a.sum = r
	return err
}

func (a *numSum) Result(*Context) (types.Datum, error) {
	if a.n == 0 {
		return nil, nil
	}
	if a.avg {
		return numDiv(a.sum, apd.New(a.n, 0))
	}
	return a.sum, nil
}

// floatSum is sum(float4) and sum(float8): float4pl/float8pl, an overflow
// error when finite inputs give an infinite sum.
type floatSum struct {
	n   int64
	sum float64
	f4  bool
}

func (a *floatSum) Add(_ *Context, args []types.Datum) error {
	v := args[0].(float64)
	a.n++
	s := a.sum + v
	if a.f4 {
		s = float64(float32(s))
	}
	if math.IsInf(s, 0) && !math.IsInf(a.sum, 0) && !math.IsInf(v, 0) {
		return fresh(errOverflow)
	}
	a.sum = s
	return nil
}

func (a *floatSum) Result(*Context) (types.Datum, error) {
	if a.n == 0 {
		return nil, nil
	}
	return a.sum, nil
}

// intervalSum sums intervals (sum and avg of interval).
type intervalSum struct {
	n   int64
	sum types.Interval
	avg bool
}

func (a *intervalSum) Add(_ *Context, args []types.Datum) error {
	a.n++
	r, err := intervalAdd(a.sum, args[0].(types.Interval))
	a.sum = r
	return err
}

func (a *intervalSum) Result(*Context) (types.Datum, error) {
	if a.n == 0 {
		return nil, nil
	}
	if a.avg {
		return intervalMulFloat(a.sum, 1/float64(a.n))
	}
	return a.sum, nil
}

// extremum keeps the least (sign -1) or greatest (sign +1) value.
type extremum struct {
	t    types.T
	sign int
	v    types.Datum
}

func (a *extremum) Add(_ *Context, args []types.Datum) error {
	if a.v == nil {
		a.v = args[0]
		return nil
	}
	// PostgreSQL's *_larger and *_smaller return the new value on a tie
	// (max of '24:00:00' and '1 day' is the later one, of 1.0 and 1.00
	// too), except bpchar_larger and bpchar_smaller, which keep the first.
	c := types.Compare(a.t, args[0], a.v) * a.sign
	if c > 0 || c == 0 && a.t.Oid != types.OidBPChar {
		a.v = args[0]
	}
	return nil
}

func (a *extremum) Result(*Context) (types.Datum, error) { return a.v, nil }

// boolAcc is bool_and/every (and true) or bool_or (and false).
type boolAcc struct {
	and  bool
	seen bool
	v    bool
}

func (a *boolAcc) Add(_ *Context, args []types.Datum) error {
	b := args[0].(bool)
	if !a.seen {
		a.seen, a.v = true, b
	} else if a.and {
		a.v = a.v && b
	} else {
		a.v = a.v || b
	}
	return nil
}

func (a *boolAcc) Result(*Context) (types.Datum, error) {
	if !a.seen {
		return nil, nil
	}
	return a.v, nil
}

// stringAgg concatenates non-NULL values with the delimiter of each row
// but the first (a NULL delimiter counts as empty).
type stringAgg struct {
	seen  bool
	bytes bool
	buf   []byte
}

func (a *stringAgg) Add(_ *Context, args []types.Datum) error {
	if args[0] == nil {
		return nil
	}
	if a.seen && args[1] != nil {
		a.buf = append(a.buf, asBytes(args[1])...)
	}
	a.seen = true
	a.buf = append(a.buf, asBytes(args[0])...)
	return nil
}

func asBytes(d types.Datum) []byte {
	if s, ok := d.(string); ok {
		return []byte(s)
	}
	return d.([]byte)
}

func (a *stringAgg) Result(*Context) (types.Datum, error) {
	if !a.seen {
		return nil, nil
	}
	if a.bytes {
		return append([]byte(nil), a.buf...), nil
	}
	return string(a.buf), nil
}

// arrayAgg collects values, NULLs included.
type arrayAgg struct {
	elem  types.T
	elems []types.Datum
	seen  bool
}

func (a *arrayAgg) Add(_ *Context, args []types.Datum) error {
	a.seen = true
	a.elems = append(a.elems, args[0])
	return nil
}

func (a *arrayAgg) Result(*Context) (types.Datum, error) {
	if !a.seen {
		return nil, nil
	}
	return &types.Array{Elem: a.elem, Elems: append([]types.Datum(nil), a.elems...)}, nil
}

// Kinds of variance/stddev.
const (
	varSamp = iota
	varPop
	stddevSamp
	stddevPop
)

// numVar is variance/stddev over numerics (and integers, as numeric),
// computed exactly from N, sum(x) and sum(x²) as numeric_stddev_internal
// does, so that the result scale matches PostgreSQL's.
type numVar struct {
	kind    int
	n       int64
	sx, sxx *apd.Decimal
	// special counts NaN and infinite inputs: they make the result NaN
	// (numeric_stddev_internal), but count towards N.
	special int64
}

func (a *numVar) Add(_ *Context, args []types.Datum) error {
	x := toDec(args[0])
	if a.n == 0 {
		a.sx, a.sxx = apd.New(0, 0), apd.New(0, 0)
	}
	a.n++
	if x.Form != apd.Finite {
		a.special++
		return nil
	}
	var err error
	if a.sx, err = numAdd(a.sx, x); err != nil {
		return err
	}
	x2, err := numMul(x, x)
	if err != nil {
		return err
	}
	a.sxx, err = numAdd(a.sxx, x2)
	return err
}

func (a *numVar) Result(*Context) (types.Datum, error) {
	sample := a.kind == varSamp || a.kind == stddevSamp
	if a.n == 0 || sample && a.n == 1 {
		return nil, nil
	}
	if a.special > 0 {
		return nanDec(), nil
	}
	n := apd.New(a.n, 0)
	sq, _ := numMul(a.sx, a.sx)
	nsxx, _ := numMul(n, a.sxx)
	num, err := numSub(nsxx, sq)
	if err != nil {
		return nil, err
	}
	if num.Sign() <= 0 {
		return apd.New(0, 0), nil
	}
	den := apd.New(a.n*a.n, 0)
	if sample {
		den = apd.New(a.n*(a.n-1), 0)
	}
	s := divScale(num, den)
	v, err := numDivScale(num, den, s)
	if err != nil || a.kind == varSamp || a.kind == varPop {
		return v, err
	}
	r := new(apd.Decimal)
	if _, err := withPrec(uint32(weight10(v)/2+int64(s)+10)).Sqrt(r, v); err != nil {
		return nil, fresh(errNumericOverflow)
	}
	return roundTo(r, s)
}

// floatAccum is PostgreSQL's float8_accum state (N, Sx, Sxx), shared by
// avg and the variance family over float4 and float8: Youngs-Cramer
// updates, an overflow error when finite inputs make Sx or Sxx infinite,
// and Sxx NaN once an input is infinite or NaN.
type floatAccum struct {
	kind       int // varSamp ... stddevPop, or aggAvg
	n, sx, sxx float64
}

// aggAvg is the kind of floatAccum that is avg (float8_avg).
const aggAvg = -1

func (a *floatAccum) Add(_ *Context, args []types.Datum) error {
	x := args[0].(float64)
	n, sx, sxx := a.n+1, a.sx+x, a.sxx
	if a.n > 0 {
		tmp := x*n - sx
		sxx += tmp * tmp / (n * a.n)
		if math.IsInf(sx, 0) || math.IsInf(sxx, 0) {
			if !math.IsInf(a.sx, 0) && !math.IsInf(x, 0) {
				return fresh(errOverflow)
			}
			sxx = math.NaN()
		}
	} else if math.IsNaN(x) || math.IsInf(x, 0) {
		sxx = math.NaN()
	}
	a.n, a.sx, a.sxx = n, sx, sxx
	return nil
}

func (a *floatAccum) Result(*Context) (types.Datum, error) {
	switch a.kind {
	case aggAvg:
		if a.n == 0 {
			return nil, nil
		}
		return a.sx / a.n, nil
	case varSamp, stddevSamp:
		if a.n <= 1 {
			return nil, nil
		}
		v := a.sxx / (a.n - 1)
		if a.kind == stddevSamp {
			v = math.Sqrt(v)
		}
		return v, nil
	}
	if a.n == 0 {
		return nil, nil
	}
	v := a.sxx / a.n
	if a.kind == stddevPop {
		v = math.Sqrt(v)
	}
	return v, nil
}

func registerAggregates() {
	registerAgg("count",
		&Aggregate{Return: types.Int8, CountsNulls: true, New: func() Accumulator { return &countAcc{} }},
		&Aggregate{Args: []types.T{types.Any}, Return: types.Int8, New: func() Accumulator { return &countAcc{} }})

	for _, avg := range []bool{false, true} {
		avg := avg
		name := "sum"
		if avg {
			name = "avg"
		}
		for _, t := range []types.T{types.Int2, types.Int4, types.Int8} {
			ret := types.Int8
			dec := avg || t.Oid == types.OidInt8
			if dec {
				ret = types.Numeric
			}
			registerAgg(name, &Aggregate{Args: []types.T{t}, Return: ret, New: func() Accumulator {
				return &intSum{avg: avg, dec: dec}
			}})
		}
		registerAgg(name, &Aggregate{Args: []types.T{types.Numeric}, Return: types.Numeric,
			New: func() Accumulator { return &numSum{avg: avg} }})
		if avg {
			registerAgg(name,
				&Aggregate{Args: []types.T{types.Float4}, Return: types.Float8, New: func() Accumulator { return &floatAccum{kind: aggAvg} }},
				&Aggregate{Args: []types.T{types.Float8}, Return: types.Float8, New: func() Accumulator { return &floatAccum{kind: aggAvg} }})
		} else {
			registerAgg(name,
				&Aggregate{Args: []types.T{types.Float4}, Return: types.Float4, New: func() Accumulator { return &floatSum{f4: true} }},
				&Aggregate{Args: []types.T{types.Float8}, Return: types.Float8, New: func() Accumulator { return &floatSum{} }})
		}
		registerAgg(name, &Aggregate{Args: []types.T{types.IntervalT}, Return: types.IntervalT, New: func() Accumulator { return &intervalSum{avg: avg} }})
	}

	// min and max exist for PostgreSQL's btree-ordered scalar types and
	// for arrays; not for bool, uuid, bytea or json (as in PostgreSQL).
	for _, name := range []string{"min", "max"} {
		sign := -1
		if name == "max" {
			sign = 1
		}
		for _, t := range []types.T{types.Int2, types.Int4, types.Int8, types.Float4, types.Float8, types.Numeric,
			types.Text, types.BPChar, types.Date, types.Time, types.Timestamp, types.TimestampTZ, types.IntervalT,
			types.OidT, anyArray, anyEnum} {
			t := t
			registerAgg(name, &Aggregate{Args: []types.T{t}, Return: t, ReturnFn: firstArg,
				Bind: func(ts []types.T) func() Accumulator {
					return func() Accumulator { return &extremum{t: ts[0], sign: sign} }
				}})
		}
	}
	registerAgg("bool_and every", &Aggregate{Args: []types.T{types.Bool}, Return: types.Bool, New: func() Accumulator { return &boolAcc{and: true} }})
	registerAgg("bool_or", &Aggregate{Args: []types.T{types.Bool}, Return: types.Bool, New: func() Accumulator { return &boolAcc{} }})
	registerAgg("string_agg",
		&Aggregate{Args: []types.T{types.Text, types.Text}, Return: types.Text, CountsNulls: true, New: func() Accumulator { return &stringAgg{} }},
		&Aggregate{Args: []types.T{types.Bytea, types.Bytea}, Return: types.Bytea, CountsNulls: true, New: func() Accumulator { return &stringAgg{bytes: true} }})
	registerAgg("array_agg", &Aggregate{Args: []types.T{anyNonArray}, CountsNulls: true,
		ReturnFn: func(ts []types.T) types.T { return types.ArrayOf(ts[0]) },
		Bind: func(ts []types.T) func() Accumulator {
			return func() Accumulator { return &arrayAgg{elem: ts[0]} }
		}})
	for name, kind := range map[string]int{"variance": varSamp, "var_samp": varSamp, "var_pop": varPop,
		"stddev": stddevSamp, "stddev_samp": stddevSamp, "stddev_pop": stddevPop} {
		kind := kind
		for _, t := range []types.T{types.Int2, types.Int4, types.Int8, types.Numeric} {
			registerAgg(name, &Aggregate{Args: []types.T{t}, Return: types.Numeric, New: func() Accumulator { return &numVar{kind: kind} }})
		}
		for _, t := range []types.T{types.Float4, types.Float8} {
			registerAgg(name, &Aggregate{Args: []types.T{t}, Return: types.Float8, New: func() Accumulator { return &floatAccum{kind: kind} }})
		}
	}
	for name, jt := range map[string]types.T{"json_agg": types.JSONT, "jsonb_agg": types.JSONB} {
		jt := jt
		registerAgg(name, &Aggregate{Args: []types.T{anyElement}, Return: jt, CountsNulls: true,
			Bind: func(ts []types.T) func() Accumulator {
				return func() Accumulator { return &jsonAgg{t: ts[0], jsonb: jt.Oid == types.OidJSONB} }
			}})
	}
}

// firstArg is the ReturnFn of aggregates returning their argument type.
func firstArg(ts []types.T) types.T {
	t := ts[0]
	return types.T{Family: t.Family, Oid: t.Oid, Elem: t.Elem}
}
