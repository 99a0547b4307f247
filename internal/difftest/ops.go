package difftest

// Pseudo-types of operator arguments that are rendered as literals.
const (
	argSmall Type = "#small" // 0..3
	argScale Type = "#scale" // -1..3
	argShift Type = "#shift" // 0..15
	argUnit  Type = "#unit"  // a date_trunc/extract field
	argPat   Type = "#pat"   // a LIKE pattern
	argRe    Type = "#re"    // a regular expression
	argKey   Type = "#key"   // a jsonb object key
	argAny   Type = "#any"   // an expression of any type
	argCmp   Type = "#cmp"   // a type with min/max (aggregates)
)

// errData is any data exception (class 22), or a value PostgreSQL
// cannot convert (0A000: infinity or NaN to an integer, a unit an
// interval lacks); errCard a subquery that returns more than one row.
var (
	errData = []string{"22", "2F", "54000", "0A000"}
	errCard = []string{"21000"}
)

// op is an operator, function or aggregate call the generator uses:
// tmpl with $1..$9 for the arguments of args' types.
type op struct {
	ret  Type
	tmpl string
	args []Type
	// err: evaluating it may fail (a data exception).
	err bool
	// agg: an aggregate call; floatAgg: one whose result depends on the
	// order it sums floats in.
	agg, floatAgg bool
	// cond: its arguments after the first are evaluated only sometimes.
	cond bool
}

func o(ret Type, tmpl string, args ...Type) op { return op{ret: ret, tmpl: tmpl, args: args} }
func oe(ret Type, tmpl string, args ...Type) op {
	return op{ret: ret, tmpl: tmpl, args: args, err: true}
}
func agg(ret Type, tmpl string, args ...Type) op {
	return op{ret: ret, tmpl: tmpl, args: args, agg: true}
}

// ops lists every call by result type.
var ops = func() map[Type][]op {
	m := map[Type][]op{}
	add := func(os ...op) {
		for _, x := range os {
			m[x.ret] = append(m[x.ret], x)
		}
	}
	for _, t := range []Type{Int2, Int4, Int8} {
		add(oe(t, "($1 + $2)", t, t), oe(t, "($1 - $2)", t, t), oe(t, "($1 * $2)", t, t),
			oe(t, "($1 / $2)", t, t), oe(t, "($1 % $2)", t, t), oe(t, "(- $1)", t), oe(t, "abs($1)", t),
			o(t, "($1 & $2)", t, t), o(t, "($1 | $2)", t, t), o(t, "($1 # $2)", t, t), o(t, "(~ $1)", t),
			o(t, "($1 << $2)", t, argShift), o(t, "($1 >> $2)", t, argShift))
	}
	for _, t := range []Type{Int4, Int8} {
		add(oe(t, "gcd($1, $2)", t, t), oe(t, "lcm($1, $2)", t, t))
	}
	add(
		oe(Int2, "($1)::int2", Int4), oe(Int2, "($1)::int2", Numeric), oe(Int2, "($1)::int2", Float8),
		oe(Int4, "($1)::int4", Int8), oe(Int4, "($1)::int4", Numeric), oe(Int4, "($1)::int4", Float8),
		oe(Int4, "($1)::int4", Float4), oe(Int4, "($1)::int4", Text), o(Int4, "($1)::int4", Bool),
		o(Int4, "length($1)", Text), o(Int4, "char_length($1)", Bpchar), o(Int4, "octet_length($1)", Text),
		o(Int4, "strpos($1, $2)", Text, Text), o(Int4, "position($1 in $2)", Text, Text), o(Int4, "ascii($1)", Text),
		oe(Int4, "($1 - $2)", Date, Date), o(Int4, "array_length($1, 1)", Int4Array), o(Int4, "cardinality($1)", Int4Array),
		o(Int4, "cardinality($1)", TextArray), oe(Int4, "jsonb_array_length($1)", JSONB), o(Int4, "length($1)", Bytea),
		oe(Int4, "get_byte($1, $2)", Bytea, Int4), o(Int4, "scale($1)", Numeric), oe(Int4, "width_bucket($1, 0, 100, 4)", Float8),
		o(Int4, "($1)[$2]", Int4Array, Int4), o(Int4, "array_position($1, $2)", Int4Array, Int4),
		oe(Int4, "extract(year from $1)::int4", Date), o(Int4, "bit_length($1)", Text), o(Int4, "num_nulls($1, $2)", argAny, argAny),
		oe(Int8, "($1)::int8", Numeric), oe(Int8, "($1)::int8", Float8), oe(Int8, "($1)::int8", Text), o(Int8, "($1)::int8", Int4),
		agg(Int8, "count(*)"), agg(Int8, "count($1)", argAny), agg(Int8, "count(DISTINCT $1)", argAny),
		agg(Int8, "sum($1)", Int4), agg(Int8, "sum($1)", Int2), agg(Int4, "bit_and($1)", Int4), agg(Int8, "bit_or($1)", Int8),
	)
	add(
		oe(Numeric, "($1 + $2)", Numeric, Numeric), oe(Numeric, "($1 - $2)", Numeric, Numeric), oe(Numeric, "($1 * $2)", Numeric, Numeric),
		oe(Numeric, "($1 / $2)", Numeric, Numeric), oe(Numeric, "($1 % $2)", Numeric, Numeric), o(Numeric, "(- $1)", Numeric),
		o(Numeric, "abs($1)", Numeric), oe(Numeric, "round($1)", Numeric), oe(Numeric, "round($1, $2)", Numeric, argScale),
		oe(Numeric, "trunc($1, $2)", Numeric, argScale), oe(Numeric, "ceil($1)", Numeric), oe(Numeric, "floor($1)", Numeric),
		o(Numeric, "sign($1)", Numeric), oe(Numeric, "sqrt($1)", Numeric), oe(Numeric, "mod($1, $2)", Numeric, Numeric),
		oe(Numeric, "div($1, $2)", Numeric, Numeric), oe(Numeric, "($1)::numeric(6,2)", Numeric), oe(Numeric, "($1)::numeric", Float8),
		oe(Numeric, "($1)::numeric", Text), o(Numeric, "($1)::numeric", Int8), oe(Numeric, "exp($1)", Numeric), oe(Numeric, "ln($1)", Numeric),
		oe(Numeric, "power($1, $2)", Numeric, argSmall), o(Numeric, "trim_scale($1)", Numeric), o(Numeric, "($1 + 0.0)", Int4),
		oe(Numeric, "extract($2 from $1)", Timestamp, argUnit), oe(Numeric, "extract(epoch from $1)", TimestampTZ),
		oe(Numeric, "extract($2 from $1)", Interval, argUnit), oe(Numeric, "extract(day from $1)", Date),
		agg(Numeric, "sum($1)", Numeric), agg(Numeric, "sum($1)", Int8), agg(Numeric, "avg($1)", Int4), agg(Numeric, "avg($1)", Numeric),
		agg(Numeric, "avg($1)", Int8), agg(Numeric, "stddev_samp($1)", Numeric), agg(Numeric, "var_pop($1)", Int4),
	)
	for _, t := range []Type{Float4, Float8} {
		add(oe(t, "($1 + $2)", t, t), oe(t, "($1 - $2)", t, t), oe(t, "($1 * $2)", t, t), oe(t, "($1 / $2)", t, t),
			o(t, "(- $1)", t), o(t, "abs($1)", t))
	}
	add(
		oe(Float8, "sqrt($1)", Float8), o(Float8, "cbrt($1)", Float8), oe(Float8, "exp($1)", Float8), oe(Float8, "ln($1)", Float8),
		o(Float8, "floor($1)", Float8), o(Float8, "ceil($1)", Float8), o(Float8, "round($1)", Float8), o(Float8, "trunc($1)", Float8),
		o(Float8, "sign($1)", Float8), oe(Float8, "power($1, $2)", Float8, Float8), o(Float8, "($1)::float8", Numeric),
		o(Float8, "($1)::float8", Int8), o(Float8, "($1)::float8", Float4), oe(Float8, "($1)::float8", Text), oe(Float8, "sin($1)", Float8),
		o(Float8, "atan2($1, $2)", Float8, Float8), o(Float8, "degrees($1)", Float8), o(Float8, "date_part('epoch', $1)", Timestamp),
		oe(Float8, "date_part($2, $1)", Interval, argUnit), o(Float8, "($1 / 3.0::float8)", Int4),
		oe(Float4, "($1)::float4", Float8), oe(Float4, "($1)::float4", Numeric), o(Float4, "($1)::float4", Int4), oe(Float4, "($1)::real", Text),
		op{ret: Float8, tmpl: "sum($1)", args: []Type{Float8}, agg: true, floatAgg: true},
		op{ret: Float8, tmpl: "avg($1)", args: []Type{Float8}, agg: true, floatAgg: true},
		op{ret: Float8, tmpl: "avg($1)", args: []Type{Float4}, agg: true, floatAgg: true},
		op{ret: Float4, tmpl: "sum($1)", args: []Type{Float4}, agg: true, floatAgg: true},
		op{ret: Float8, tmpl: "stddev($1)", args: []Type{Float8}, agg: true, floatAgg: true},
		op{ret: Float8, tmpl: "variance($1)", args: []Type{Float8}, agg: true, floatAgg: true},
	)
	add(
		o(Text, "($1 || $2)", Text, Text), o(Text, "($1 || $2)", Text, argAny), o(Text, "upper($1)", Text), o(Text, "lower($1)", Text),
		o(Text, "initcap($1)", Text), o(Text, "substr($1, $2)", Text, Int4), oe(Text, "substr($1, $2, $3)", Text, Int4, Int4),
		o(Text, "left($1, $2)", Text, Int4), o(Text, "right($1, $2)", Text, Int4), o(Text, "repeat($1, $2)", Text, argSmall),
		o(Text, "replace($1, $2, $3)", Text, Text, Text), o(Text, "translate($1, $2, $3)", Text, Text, Text), o(Text, "btrim($1)", Text),
		o(Text, "ltrim($1, $2)", Text, Text), o(Text, "rtrim($1)", Text), o(Text, "lpad($1, $2, $3)", Text, argSmall, Text),
		o(Text, "rpad($1, $2)", Text, argSmall), o(Text, "reverse($1)", Text), o(Text, "md5($1)", Text), o(Text, "concat($1, $2)", Text, argAny),
		o(Text, "concat_ws('|', $1, $2, $3)", Text, argAny, argAny), oe(Text, "split_part($1, ',', $2)", Text, argScale),
		o(Text, "($1)::text", argAny), o(Text, "to_hex($1)", Int8), oe(Text, "chr($1)", Int4), o(Text, "($1 ->> $2)", JSONB, argKey),
		o(Text, "($1 ->> 0)", JSONB), o(Text, "jsonb_typeof($1)", JSONB), o(Text, "array_to_string($1, ',')", TextArray),
		o(Text, "array_to_string($1, ',', '*')", Int4Array), o(Text, "encode($1, 'hex')", Bytea), o(Text, "encode($1, 'base64')", Bytea),
		o(Text, "encode($1, 'escape')", Bytea), o(Text, "format('%s|%s', $1, $2)", argAny, argAny), o(Text, "quote_literal($1)", Text),
		o(Text, "overlay($1 placing $2 from 2)", Text, Text), o(Text, "regexp_replace($1, '[aeiou]', 'X', 'g')", Text),
		o(Text, "lower($1)", Bpchar), o(Text, "($1)::text", Bpchar), o(Text, "to_char($1, 'YYYY-MM-DD HH24:MI:SS')", Timestamp),
		o(Text, "to_char($1, 'FM9990.00')", Numeric), o(Text, "upper($1)", Varchar),
		agg(Text, "string_agg($1, ',' ORDER BY $1)", Text), agg(Text, "string_agg(DISTINCT ($1)::text, ';' ORDER BY ($1)::text)", Text),
		agg(Text, "min($1)", Text), agg(Text, "max($1)", Varchar),
		oe(Varchar, "($1)::varchar(3)", Text), o(Varchar, "($1)::varchar", Text),
		oe(Bpchar, "($1)::char(3)", Text), o(Bpchar, "($1)::char(5)", Text),
	)
	add(
		oe(Bool, "($1)::bool", Text), o(Bool, "($1)::int4::bool", Int4), o(Bool, "starts_with($1, $2)", Text, Text), o(Bool, "isfinite($1)", Date),
		o(Bool, "isfinite($1)", Timestamp), o(Bool, "isfinite($1)", Interval), o(Bool, "($1 @> $2)", Int4Array, Int4Array),
		o(Bool, "($1 && $2)", Int4Array, Int4Array), o(Bool, "($1 <@ $2)", TextArray, TextArray), o(Bool, "($1 @> $2)", JSONB, JSONB),
		o(Bool, "($1 ? $2)", JSONB, argKey), o(Bool, "($1 ?| array['a', 'b'])", JSONB), o(Bool, "($1 ~ $2)", Text, argRe),
		o(Bool, "($1 ~* $2)", Text, argRe), o(Bool, "($1 !~ $2)", Text, argRe), o(Bool, "($1 LIKE $2)", Text, argPat),
		o(Bool, "($1 ILIKE $2)", Text, argPat), o(Bool, "($1 NOT LIKE $2)", Text, argPat), oe(Bool, "($1 LIKE $2)", Text, Text),
		o(Bool, "($1 SIMILAR TO $2)", Text, argPat), o(Bool, "($1 = ANY ($2))", Int4, Int4Array), o(Bool, "($1 = ALL ($2))", Text, TextArray),
		agg(Bool, "bool_and($1)", Bool), agg(Bool, "bool_or($1)", Bool), agg(Bool, "every($1)", Bool),
	)
	add(
		oe(Date, "($1 + $2)", Date, Int4), oe(Date, "($1 - $2)", Date, Int4), oe(Date, "($1)::date", Timestamp), oe(Date, "($1)::date", TimestampTZ),
		oe(Date, "($1)::date", Text), oe(Date, "make_date(2000, $1, $2)", Int4, Int4), oe(Date, "(date_trunc('month', $1))::date", Date),
		oe(Time, "($1 + $2)", Time, Interval), oe(Time, "($1 - $2)", Time, Interval), oe(Time, "($1)::time", Timestamp),
		oe(Time, "($1)::time", Text), oe(Time, "make_time($1, 30, 1.5)", Int4), oe(Time, "($1)::time", TimestampTZ),
		oe(Timestamp, "($1 + $2)", Date, Time), oe(Timestamp, "($1 + $2)", Timestamp, Interval), oe(Timestamp, "($1 - $2)", Timestamp, Interval),
		oe(Timestamp, "date_trunc($2, $1)", Timestamp, argUnit), oe(Timestamp, "($1)::timestamp", Date), oe(Timestamp, "($1)::timestamp", TimestampTZ),
		oe(Timestamp, "($1)::timestamp", Text), oe(Timestamp, "($1 + $2)", Date, Interval), oe(Timestamp, "($1)::timestamp(0)", Timestamp),
		oe(TimestampTZ, "($1)::timestamptz", Timestamp), oe(TimestampTZ, "($1 + $2)", TimestampTZ, Interval),
		oe(TimestampTZ, "($1 - $2)", TimestampTZ, Interval), oe(TimestampTZ, "date_trunc($2, $1)", TimestampTZ, argUnit),
		oe(TimestampTZ, "($1)::timestamptz", Date), oe(TimestampTZ, "to_timestamp($1)", Float8), oe(TimestampTZ, "($1)::timestamptz", Text),
		oe(Interval, "($1 - $2)", Timestamp, Timestamp), oe(Interval, "($1 - $2)", TimestampTZ, TimestampTZ), oe(Interval, "($1 + $2)", Interval, Interval),
		oe(Interval, "($1 - $2)", Interval, Interval), oe(Interval, "(- $1)", Interval), oe(Interval, "($1 * $2)", Interval, Float8),
		oe(Interval, "($1 / $2)", Interval, Float8), oe(Interval, "justify_days($1)", Interval), oe(Interval, "justify_hours($1)", Interval),
		oe(Interval, "justify_interval($1)", Interval), oe(Interval, "make_interval(days => $1)", Int4), oe(Interval, "age($1, $2)", Timestamp, Timestamp),
		o(Interval, "($1 - $2)", Time, Time), oe(Interval, "($1)::interval", Text),
		op{ret: Interval, tmpl: "sum($1)", args: []Type{Interval}, agg: true, err: true},
		op{ret: Interval, tmpl: "avg($1)", args: []Type{Interval}, agg: true, err: true},
	)
	add(
		o(Bytea, "($1 || $2)", Bytea, Bytea), oe(Bytea, "decode($1, 'hex')", Text), o(Bytea, "sha256($1)", Bytea),
		o(Bytea, "substr($1, $2, 2)", Bytea, Int4), oe(Bytea, "($1)::bytea", Text), o(Bytea, "convert_to($1, 'UTF8')", Text),
		oe(UUID, "($1)::uuid", Text), o(UUID, "md5($1)::uuid", Text),
		o(JSONB, "($1 -> $2)", JSONB, argKey), o(JSONB, "($1 -> $2)", JSONB, Int4), o(JSONB, "($1 #> '{a,b}')", JSONB),
		oe(JSONB, "($1 || $2)", JSONB, JSONB), oe(JSONB, "($1 - $2)", JSONB, argKey), oe(JSONB, "($1 - $2)", JSONB, Int4),
		o(JSONB, "to_jsonb($1)", argAny), o(JSONB, "jsonb_build_object('a', $1, 'b', $2)", argAny, argAny),
		o(JSONB, "jsonb_build_array($1, $2)", argAny, argAny), oe(JSONB, "($1)::jsonb", Text), o(JSONB, "jsonb_strip_nulls($1)", JSONB),
		agg(JSONB, "jsonb_agg($1 ORDER BY $1)", Int4), agg(JSONB, "jsonb_agg($1 ORDER BY $1 DESC NULLS LAST)", Text),
		o(Int4Array, "ARRAY[$1, $2]", Int4, Int4), o(Int4Array, "array_append($1, $2)", Int4Array, Int4),
		o(Int4Array, "array_prepend($1, $2)", Int4, Int4Array), oe(Int4Array, "array_cat($1, $2)", Int4Array, Int4Array),
		o(Int4Array, "array_remove($1, $2)", Int4Array, Int4), o(Int4Array, "($1)[1:2]", Int4Array),
		oe(Int4Array, "string_to_array($1, ',')::int4[]", Text), agg(Int4Array, "array_agg($1 ORDER BY $1)", Int4),
		o(TextArray, "ARRAY[($1)::text]", Text), o(TextArray, "string_to_array($1, ',')", Text), o(TextArray, "array_append($1, $2)", TextArray, Text),
		agg(TextArray, "array_agg($1 ORDER BY $1 NULLS FIRST)", Text),
	)
	for _, t := range AllTypes {
		if hasMinMax(t) && t != Text && t != Varchar {
			add(agg(t, "min($1)", t), agg(t, "max($1)", t))
		}
	}
	return m
}()

// smallLit etc. render the pseudo-type arguments.
var (
	units   = []string{"'year'", "'month'", "'day'", "'hour'", "'minute'", "'week'", "'quarter'", "'decade'", "'millennium'"}
	pats    = []string{"'%'", "'a%'", "'%b'", "'_'", "'%a_%'", "'A%'", "''", "'ab\\%%'", "'%c '", "'_b%'"}
	regexes = []string{"'a'", "'^a'", "'b$'", "'[a-c]'", "'.*'", "'^$'", "'a+b?'", "'[[:digit:]]'", "'(a)(b)?'", "'a|bc'", "'^[^a]'"}
	keys    = []string{"'a'", "'b'", "'c'", "''"}
)
