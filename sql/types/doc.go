// Package types owns SQL types and values (datums) with PostgreSQL's
// semantics: the type descriptors and their OIDs, the Go representation of
// each type's values, text and binary input/output as the wire protocol
// and COPY need them, casts, and comparison. It knows nothing of storage
// or the wire; pgwire and sql both use it.
//
// Files:
//
//   - types.go: T, Family, the OIDs and the Go value of each family.
//   - typename.go: format_type names (TypeName), pg_type names (SQLName),
//     FromOid, ParseTypeName (pg_query's type names and typmods), TypLen,
//     TypMod.
//   - settings.go: Settings, the session parameters that shape I/O.
//   - text_in.go: ParseText and the scalar input functions (bool, ints,
//     oid, strings with their length modifiers, bytea, uuid); float.go,
//     numeric.go, datetime_in.go, interval.go, json.go and array.go hold
//     the larger parsers and their printers.
//   - text_out.go: FormatText, PostgreSQL 15's output functions with
//     DateStyle ISO and IntervalStyle postgres.
//   - binary.go: EncodeBinary/DecodeBinary, PostgreSQL's send/recv formats.
//   - datetime.go: the infinity sentinels and the conversions to
//     PostgreSQL's epoch (2000-01-01) that binary and key encodings use.
//   - cast.go: Cast and CanCast (pg_cast contexts).
//   - jsonb_order.go: jsonb's btree order (compareJsonbContainers) and
//     the token stream the key encoding shares.
//   - json_input.go: the check of json and jsonb input as PostgreSQL's
//     JSON lexer and parser read it (its errors' DETAIL and CONTEXT).
//   - compare.go: Compare (btree order), CompareNumeric across numeric
//     families, CommonNumericType.
//   - errors.go: PostgreSQL's message texts for value errors.
//   - enum.go: EnumInfo, the labels of an enum type in declaration order
//     (T.Enum), by which enum values compare, sort and index.
//   - time_precision.go: the p of time(p), timestamp(p), timestamptz(p)
//     (kept in T.Width) and rounding values to it.
//   - posixtz.go: POSIX time zone strings ("EST5EDT,M3.2.0,M11.1.0",
//     "UTC+3") for TimeZone and AT TIME ZONE, as PostgreSQL's tzparse.
//
// Invariants of values: a finite *apd.Decimal has a non-positive
// exponent, so its scale (PostgreSQL's dscale) is -Exponent; float4
// values are float64s already rounded to float32; char(n) values carry
// their padding; 'infinity' timestamps and dates are TimeInfinity and
// TimeNegInfinity. Every error is a *pgerror.Error with PostgreSQL's
// SQLSTATE and message.
package types
