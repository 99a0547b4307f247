// Package difftest is quorumdb's differential tester (issue 15, "Never
// a wrong answer"), in the style of SQLancer and sqlsmith: it generates
// schemas, data and queries from a seed, runs them on PostgreSQL 15 and
// on quorumdb side by side, compares the answers, and shrinks what
// differs to a small reproduction.
//
// The parts, by file:
//
//	types.go    the types (int2/4/8, numeric, float4/8, text, varchar(n),
//	            char(n), bool, date, time, timestamp[tz], interval, bytea,
//	            uuid, jsonb, int4[], text[]) and their literal pools:
//	            boundaries, NaN and ±Infinity, empty strings, extreme dates
//	ops.go      the operators, functions and aggregates by result type,
//	            each marked when it may raise a data exception
//	gen.go      Options, the schema and data of a seed (NULLs, duplicate
//	            values and rows, indexes: plain, multi-column, partial)
//	query.go    queries: FROM (tables, joins of every kind, USING,
//	            derived tables, CTEs, VALUES, generate_series, LATERAL),
//	            WHERE, GROUP BY/HAVING, DISTINCT, set operations, WITH,
//	            ORDER BY/LIMIT/OFFSET
//	expr.go     expressions, predicates, subqueries (scalar, IN, EXISTS,
//	            ANY/ALL, correlated), window functions and frames
//	node.go     the query tree: what the shrinker may drop or replace
//	compare.go  Result and Compare: the comparison rules and the kinds of
//	            differences
//	tlp.go      the ternary logic partitioning check (quorumdb alone)
//	shrink.go   the shrinker
//	run.go      Run: a seed's setup, queries, TLP checks and shrinking
//	db.go       DB and Conn, a pgwire connection (simple protocol, text)
//	report.go   the summary table and the Markdown report
//
// # Determinism
//
// A seed's schema comes from one random stream and query i from its own
// stream (seed, i): query i is the same whatever ran before it, so a
// finding is reproduced by its seed, index and Options (Options.String
// is in every report). The generator reads no clock and no map order.
//
// # Comparison rules
//
// Values are compared as the servers print them in text format: floats
// exactly as text (quorumdb must print what PostgreSQL prints with the
// default extra_float_digits), NULL apart from the string "NULL". Rows
// are compared as multisets, unless the statement's ORDER BY sorts by
// output columns: then both answers must have the same runs of equal
// sort keys in the same order, each run the same multiset (ties may
// come in any order), and with LIMIT/OFFSET the first and last runs only
// the same length (the limit may cut a tie anywhere). An ORDER BY of an
// expression that is not an output column is compared as a multiset
// and never has a LIMIT; a LIMIT inside a subquery always has an
// ORDER BY of every column. Aggregates that depend on row order
// (string_agg, array_agg, jsonb_agg) always have an ORDER BY of their
// argument, and window functions that depend on it (row_number, ntile,
// lag, lead, first/last/nth_value, ROWS frames) end their ORDER BY with
// every FROM item's unique key k, so every generated query has one
// right answer. Errors are compared by SQLSTATE.
//
// A difference is classified (DiffKind): a wrong answer (rows, columns),
// an error on one side only or different errors, a crash, a TLP
// failure, a setup difference; or, not counted as a failure:
// unsupported (0A000, "not supported", or 42883 for a builtin PostgreSQL
// has), evaluation order, float summation order, ties printed
// differently, timeouts.
//
// Evaluation order: PostgreSQL does not say in which order it evaluates
// expressions, nor whether it evaluates one at all when another decides
// (4.2.14 of its manual). So an error on one side only is unspecified
// when some expression that may raise that error is in a place
// evaluated only for some rows, or not at all, as the planner chooses
// (WHERE, ON, HAVING, CASE, AND/OR, COALESCE, FILTER, subqueries, derived
// tables and CTEs, a select list under LIMIT), and different errors on
// the two sides are unspecified when two different expressions may
// raise them. Errors about a value the query writes as a literal are
// never unspecified (the literals are valid PostgreSQL input). The
// classification is checked by shrinking: an evaluation order finding
// whose shrunk case no longer has such an expression is counted as a
// real difference (Stats.Reclassified).
//
// Float summation: an aggregate over floats whose answers agree to 1e-9
// relative is unspecified (the order rows are summed in is).
//
// # Shrinking
//
// Shrink works on the query tree and the setup statements with an
// oracle that reruns the candidate on both servers and accepts it when
// it still differs the same way (same kind, same SQLSTATEs): clauses
// dropped, list items removed, expressions replaced by a subexpression
// of the same type or by a typed NULL; then tables the query does not
// name, rows (delta debugging over the INSERTs) and indexes; then the
// query again. Candidates that are invalid fail alike on both servers
// and are simply not accepted.
//
// # TLP
//
// On quorumdb alone: for a predicate p, the rows of a query are those
// WHERE p, WHERE NOT p and WHERE (p) IS NULL together (as multisets;
// as sets with DISTINCT), the groups of a grouped query those HAVING
// p, NOT p and p IS NULL, and count/sum/min/max of a query the sum, min
// or max of the three parts' aggregates. A check with an error in any
// part is skipped. A failed check is run on PostgreSQL too and shrunk
// while PostgreSQL passes it.
package difftest
