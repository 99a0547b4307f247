// Package builtins is quorumdb's library of scalar functions, operators
// and aggregates, with PostgreSQL 15's names, argument types, results,
// edge cases and error messages.
//
// The planner (package sql) owns everything that needs the parse tree or
// the session: CASE, COALESCE, NULLIF, GREATEST/LEAST, IN, BETWEEN,
// set-returning functions and catalog/session functions. It asks this
// package three questions:
//
//   - Resolve, ResolveBinaryOp, ResolveUnaryOp: which overload does a call
//     with these argument types mean, and to which type must each argument
//     be cast first? The rules are PostgreSQL's (func_select_candidate):
//     exact match, then implicit coercibility, most exact matches, most
//     preferred types, unknown literals resolved by type category with the
//     string category first.
//   - ResolveAggregate and IsAggregate for aggregate calls.
//   - Exists for "is this name a builtin at all".
//
// Layout:
//
//	registry.go   Context, Overload, the registries and pseudo-types;
//	              the one init that fills the function table, calling
//	              each file's register function in a fixed order
//	resolve.go    overload resolution and the 42883/42725 errors
//	errors.go     the SQLSTATEs and messages shared by several files
//	numeric.go    apd arithmetic with PostgreSQL's result-scale rules
//	arith.go      + - * / % ^ and bitwise operators on numbers
//	compare.go    = <> < > <= >= for every comparable type
//	compare_datetime.go  date/timestamp/timestamptz compared across types
//	              (out-of-range dates against infinity)
//	math.go       abs, round, sqrt, ln, trigonometry, gcd, ...
//	libm.go       the float8 functions PostgreSQL takes from the C library:
//	              libm_cgo.go calls the same libm, libm_nocgo.go uses Go's
//	              math, with sinh/cosh computed from expm1 in
//	              hyperbolic.go so the last digit matches
//	string.go     length, substr, trim, pad, split_part, ...
//	ctype.go      upper/lower/initcap and case-insensitive matching under
//	              ctype C: ASCII letters only
//	pattern.go    LIKE/ILIKE and POSIX regular expressions
//	similar.go    SIMILAR TO (similar_to_escape), substring with patterns
//	regexp_split.go  regexp_split_to_array/_table, regexp_matches
//	regexp_pos.go    regexp_count/_instr/_substr, regexp_replace(start, N)
//	format.go     format(), quote_ident, quote_literal, concat
//	encode.go     encode/decode, md5, sha*, to_hex
//	datetime.go   date/time arithmetic, extract, date_trunc, make_*
//	tochar_template.go     date/time template patterns
//	tochar.go              to_char for timestamps, dates and intervals
//	tochar_numtemplate.go  number template patterns
//	tochar_number.go       to_char for integers, floats and numerics
//	todate.go     to_date, to_timestamp(text, text)
//	tonumber.go   to_number
//	json.go       jsonb operators and constructors
//	json_contains.go  @> and <@ on jsonb (PostgreSQL's JsonbDeepContains)
//	json_srf.go   the elements and members behind json(b)_array_elements,
//	              json(b)_each, json(b)_object_keys (rows built in sql)
//	json_misc.go  json(b)_strip_nulls, json(b)_object, jsonb_pretty,
//	              json(b)_object_agg
//	json_record.go  json(b)_to_record(set), populate_record(set): a column
//	              definition list filled from an object's members
//	jsonb_edit.go   jsonb's editing operators and functions (-, #-,
//	              jsonb_set, jsonb_insert, jsonb_set_lax)
//	jsonb_setpath.go  PostgreSQL's setPath, which they share
//	jsonb_tree.go   the decoded document they edit
//	jsonb_subscript.go  jsonb subscripting's fetch and assignment
//	variadic.go   VariadicCall: a builtin called with VARIADIC array
//	array.go      array functions and || on arrays
//	misc.go       gen_random_uuid, pg_size_pretty, num_nulls, ...
//	aggregate.go  count, sum, avg, min/max, string_agg, stddev, ...
//	orderedset.go percentile_cont, percentile_disc, mode (WITHIN GROUP)
//	regr.go       corr, covar_pop/samp, regr_* (float8_regr_accum)
//
// Functions are strict unless Overload.CalledOnNull is set: the caller
// returns NULL without calling Fn when any argument is NULL. Datums use
// the Go representations documented in package types.
//
// Polymorphic overloads ("any", anyelement, anyarray) that need the
// argument types at run time (concat prints a date differently from a
// timestamp, both being time.Time) set Bind; Resolve then returns a copy
// of the overload whose Fn is bound to the resolved argument types.
//
// Debugging: every expectation in this package's test tables
// (builtins_test.go and the other test files) was checked
// against PostgreSQL 15; to check a new one, run the statement in psql
// and copy the result or the SQLSTATE and message.
package builtins
