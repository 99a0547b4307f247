package difftest

import (
	"math"
	"sort"
	"strconv"
	"strings"
)

// Null stands for a NULL value in Result rows (PostgreSQL text never
// contains a NUL byte).
const Null = "\x00NULL"

// Result is what a server answered to one statement: rows in text
// format, or the SQLSTATE of its error.
type Result struct {
	Cols []string
	Rows [][]string
	// Code and Msg are the SQLSTATE and message of an error.
	Code, Msg string
	// Lost says the connection broke during the statement (a crash);
	// Timeout that it ran past the statement timeout.
	Lost, Timeout bool
}

// Failed says the statement did not answer rows.
func (r *Result) Failed() bool { return r.Code != "" || r.Lost || r.Timeout }

// DiffKind classifies the comparison of one query's results.
type DiffKind string

// The kinds of comparison results. Wrong answers are Rows and Columns;
// the unspecified kinds are differences PostgreSQL itself leaves open.
const (
	// Same: equal rows (or the same error).
	Same DiffKind = "same"
	// BothError: both failed with the same SQLSTATE.
	BothError DiffKind = "both-error"
	// Rows: both answered, with different rows (a wrong answer).
	Rows DiffKind = "rows"
	// Columns: both answered, with different numbers of columns.
	Columns DiffKind = "columns"
	// ErrorCode: both failed, with different SQLSTATEs.
	ErrorCode DiffKind = "error-code"
	// QdbError: PostgreSQL answered and quorumdb failed.
	QdbError DiffKind = "quorumdb-error"
	// PgError: quorumdb answered and PostgreSQL failed.
	PgError DiffKind = "pg-error"
	// Unsupported: quorumdb failed with 0A000 or "not supported", or
	// lacks a function or operator (42883) PostgreSQL has.
	Unsupported DiffKind = "unsupported"
	// EvalOrder: an error on one side only (or different errors) that
	// expressions evaluated in an order PostgreSQL leaves unspecified
	// explain: an erroring expression in a WHERE/ON/HAVING, CASE,
	// AND/OR, COALESCE, FILTER, subquery, or two that may fail.
	EvalOrder DiffKind = "eval-order"
	// FloatOrder: float aggregates that differ in the last digits only
	// (the order of summation is unspecified).
	FloatOrder DiffKind = "float-order"
	// TieOrder: the ORDER BY keys tie (equal values printed differently,
	// such as numeric 1.0 and 1.00) and the tie is broken otherwise; or,
	// without an ORDER BY, min/max, GROUP BY, DISTINCT or a set operation
	// kept another of several equal values.
	TieOrder DiffKind = "tie-order"
	// Timeout: one side ran past the statement timeout.
	Timeout DiffKind = "timeout"
	// Crash: quorumdb's connection broke.
	Crash DiffKind = "crash"
	// TLP: the ternary logic partitioning check failed on quorumdb.
	TLP DiffKind = "tlp"
	// Setup: a schema or data statement PostgreSQL accepted failed on
	// quorumdb, or the tables read back differently.
	Setup DiffKind = "setup"
)

// Real says whether a kind is a difference to report: not a match, not
// unspecified behaviour, not an unsupported feature.
func (k DiffKind) Real() bool {
	switch k {
	case Same, BothError, EvalOrder, FloatOrder, TieOrder, Unsupported, Timeout:
		return false
	}
	return true
}

// order reads the top-level ORDER BY of a query tree: the output
// columns it sorts by (nil when it has none, or sorts by an expression
// that is not an output column) and whether a LIMIT/OFFSET follows.
func order(root *Node) (keys []int, limit bool) {
	exprOrder := false
	root.Walk(func(n *Node) {
		if n.TopOrder {
			for _, p := range n.Parts {
				it := p.(*Node)
				if it.OrderPos < 0 {
					exprOrder = true
				} else {
					keys = append(keys, it.OrderPos)
				}
			}
		}
		if n.TopLimit && len(n.Parts) > 0 {
			limit = true
		}
	})
	if exprOrder {
		return nil, false
	}
	return keys, limit
}

// hasFloatAgg says whether the tree sums floats.
func hasFloatAgg(root *Node) bool {
	found := false
	root.Walk(func(n *Node) { found = found || n.FloatAgg })
	return found
}

// unsupported says whether an error is quorumdb saying it lacks a
// feature: 0A000, "not supported", or a function or operator that does
// not exist (42883) where PostgreSQL has one.
func unsupported(r *Result) bool {
	if pgFeatureError(r.Msg) {
		return false
	}
	if r.Code == "0A000" || r.Code == "42883" {
		return true
	}
	m := strings.ToLower(r.Msg)
	return strings.Contains(m, "not supported") || strings.Contains(m, "not implemented") || strings.Contains(m, "unsupported")
}

// pgFeatureError says whether a 0A000 message is one PostgreSQL raises
// itself for a value (an infinite or NaN number cast to an integer, a
// unit a type lacks): quorumdb raising it is no missing feature, so it
// is compared as any other error.
func pgFeatureError(msg string) bool {
	for _, p := range []string{"cannot convert infinity to ", "cannot convert NaN to ", `unit "`} {
		if strings.HasPrefix(msg, p) {
			return true
		}
	}
	return false
}

// Compare classifies quorumdb's result q of a query against
// PostgreSQL's pg.
func Compare(root *Node, pg, q *Result) DiffKind {
	switch {
	case q.Lost:
		return Crash
	case pg.Timeout || q.Timeout || pg.Lost:
		return Timeout
	case pg.Code != "" && q.Code != "":
		if pg.Code == q.Code {
			return BothError
		}
		if unsupported(q) {
			return Unsupported
		}
		if evalOrder(root, pg.Code, q.Code) && !literalError(root, pg) && !literalError(root, q) {
			return EvalOrder
		}
		return ErrorCode
	case q.Code != "":
		if unsupported(q) {
			return Unsupported
		}
		if evalOrder(root, q.Code, "") && !literalError(root, q) {
			return EvalOrder
		}
		return QdbError
	case pg.Code != "":
		if evalOrder(root, pg.Code, "") && !literalError(root, pg) {
			return EvalOrder
		}
		return PgError
	}
	return CompareRows(root, pg, q)
}

// CompareRows compares two answers: as multisets, or run by run of the
// ORDER BY keys when the query has a top-level ORDER BY of output
// columns (where a LIMIT/OFFSET may cut the first and last run
// anywhere, so only their lengths count).
func CompareRows(root *Node, pg, q *Result) DiffKind {
	if len(pg.Cols) != len(q.Cols) {
		return Columns
	}
	keys, limit := order(root)
	if rowsEqual(pg.Rows, q.Rows, keys, limit, nil, nil) {
		return Same
	}
	// The same rows, in runs of keys that compare equal though printed
	// differently: a tie broken another way.
	if keys != nil && rowsEqual(pg.Rows, q.Rows, keys, limit, loose, nil) {
		return TieOrder
	}
	// min/max, GROUP BY, DISTINCT and set operations keep one of several
	// equal values ('24:00:00' or '1 day', 1.0 or 1.00): which one
	// depends on the order rows arrive in, which SQL leaves open.
	if keys == nil && picksAmongEqual(root) && multisetEqual(pg.Rows, q.Rows, loose) {
		return TieOrder
	}
	if hasFloatAgg(root) && multisetEqual(pg.Rows, q.Rows, floatNear) {
		return FloatOrder
	}
	return Rows
}

// picksAmongEqual says whether the query has a construct that returns
// one of several values that compare equal: min or max, GROUP BY,
// DISTINCT, UNION, INTERSECT or EXCEPT.
func picksAmongEqual(root *Node) bool {
	sql := root.Render()
	for _, w := range []string{"min(", "max(", "GROUP BY", "DISTINCT", "UNION", "INTERSECT", "EXCEPT"} {
		if strings.Contains(sql, w) {
			return true
		}
	}
	return false
}

// A valueEq says whether two printed values are the same.
type valueEq func(a, b string) bool

// loose equates values that compare equal though printed differently:
// numeric with trailing zeros, -0 and 0, and intervals of one length
// ('1 day' and '24:00:00', '1 mon' and '30 days': interval_cmp).
func loose(a, b string) bool {
	if a == b || normNum(a) == normNum(b) {
		return true
	}
	x, ok1 := intervalSpan(a)
	y, ok2 := intervalSpan(b)
	return ok1 && ok2 && x == y
}

// intervalSpan reads an interval as PostgreSQL prints it (IntervalStyle
// postgres: "1 year 2 mons -3 days 04:05:06.789") and returns its length
// in microseconds as interval_cmp counts it (a month is 30 days, a day
// 24 hours); ok is false for anything else.
func intervalSpan(s string) (span float64, ok bool) {
	f := strings.Fields(s)
	if len(f) == 0 {
		return 0, false
	}
	units := map[string]float64{"year": 12 * 30 * 86400e6, "years": 12 * 30 * 86400e6, "mon": 30 * 86400e6, "mons": 30 * 86400e6,
		"day": 86400e6, "days": 86400e6}
	seen := false
	for i := 0; i < len(f); i++ {
		if strings.Contains(f[i], ":") {
			t := f[i]
			sign := 1.0
			if t[0] == '-' || t[0] == '+' {
				if t[0] == '-' {
					sign = -1
				}
				t = t[1:]
			}
			parts := strings.Split(t, ":")
			if len(parts) != 3 {
				return 0, false
			}
			h, err1 := strconv.ParseFloat(parts[0], 64)
			m, err2 := strconv.ParseFloat(parts[1], 64)
			sec, err3 := strconv.ParseFloat(parts[2], 64)
			if err1 != nil || err2 != nil || err3 != nil {
				return 0, false
			}
			span += sign * ((h*60+m)*60e6 + math.Round(sec*1e6))
			seen = true
			continue
		}
		n, err := strconv.ParseFloat(f[i], 64)
		if err != nil || i+1 >= len(f) {
			return 0, false
		}
		u, known := units[f[i+1]]
		if !known {
			return 0, false
		}
		span += n * u
		seen = true
		i++
	}
	return span, seen
}

func normNum(s string) string {
	if _, err := strconv.ParseFloat(s, 64); err != nil {
		return s
	}
	if strings.ContainsAny(s, ".") && !strings.ContainsAny(s, "eE") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		s = "0"
	}
	return s
}

// floatNear equates floats within a relative 1e-9 (summation order).
func floatNear(a, b string) bool {
	if a == b {
		return true
	}
	x, err1 := strconv.ParseFloat(a, 64)
	y, err2 := strconv.ParseFloat(b, 64)
	if err1 != nil || err2 != nil {
		return false
	}
	return math.Abs(x-y) <= 1e-9*math.Max(math.Abs(x), math.Abs(y))
}

func rowEq(a, b []string, eq valueEq) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if eq == nil && a[i] != b[i] || eq != nil && !eq(a[i], b[i]) {
			return false
		}
	}
	return true
}

// multisetEqual compares rows ignoring order, values with eq (nil:
// exactly).
func multisetEqual(a, b [][]string, eq valueEq) bool {
	if len(a) != len(b) {
		return false
	}
	if eq == nil {
		return sortedKey(a) == sortedKey(b)
	}
	used := make([]bool, len(b))
next:
	for _, r := range a {
		for j, s := range b {
			if !used[j] && rowEq(r, s, eq) {
				used[j] = true
				continue next
			}
		}
		return false
	}
	return true
}

func sortedKey(rows [][]string) string {
	ks := make([]string, len(rows))
	for i, r := range rows {
		ks[i] = strings.Join(r, "\x01")
	}
	sort.Strings(ks)
	return strings.Join(ks, "\x02")
}

// runs splits rows into runs of equal ORDER BY keys.
func runs(rows [][]string, keys []int, eq valueEq) [][][]string {
	var out [][][]string
	for _, r := range rows {
		if n := len(out); n > 0 && sameKeys(out[n-1][0], r, keys, eq) {
			out[n-1] = append(out[n-1], r)
			continue
		}
		out = append(out, [][]string{r})
	}
	return out
}

func sameKeys(a, b []string, keys []int, eq valueEq) bool {
	for _, k := range keys {
		if k >= len(a) || k >= len(b) {
			continue // not an output column (a server would have failed)
		}
		if !rowEq(a[k:k+1], b[k:k+1], eq) {
			return false
		}
	}
	return true
}

// rowsEqual compares two answers: multisets without keys; else the same
// runs of keys in the same order, each the same multiset (with limit,
// the first and last runs only of the same length). keyEq compares the
// keys that make runs, valEq the rows of a run (nil: exactly).
func rowsEqual(a, b [][]string, keys []int, limit bool, keyEq, valEq valueEq) bool {
	if keys == nil {
		return multisetEqual(a, b, valEq)
	}
	if len(a) != len(b) {
		return false
	}
	ra, rb := runs(a, keys, keyEq), runs(b, keys, keyEq)
	if len(ra) != len(rb) {
		return false
	}
	for i := range ra {
		if !sameKeys(ra[i][0], rb[i][0], keys, keyEq) || len(ra[i]) != len(rb[i]) {
			return false
		}
		if limit && (i == 0 || i == len(ra)-1) {
			continue
		}
		if !multisetEqual(ra[i], rb[i], valEq) {
			return false
		}
	}
	return true
}

// literalError says whether an error is about a value the query writes
// as a literal of a type that could reject it ('v'::date, not 'v'::text,
// which only a later cast reads): such input is valid on PostgreSQL
// (the generator's literals are), so a failure to read it is no
// question of evaluation order.
func literalError(root *Node, r *Result) bool {
	_, rest, ok := strings.Cut(r.Msg, "\"")
	if !ok {
		return false
	}
	v, _, ok := strings.Cut(rest, "\"")
	if !ok {
		return false
	}
	sql := root.Render()
	lit := quote(v) + "::"
	// "invalid input syntax for type time: "1"" is about a literal
	// written '1'::time, not '1'::float8.
	casts := msgTypeCasts(r.Msg)
	for i := strings.Index(sql, lit); i >= 0; {
		after := sql[i+len(lit):]
		if !strings.HasPrefix(after, "text") && !strings.HasPrefix(after, "varchar") && !strings.HasPrefix(after, "char") &&
			(casts == nil || hasAnyPrefix(after, casts)) {
			return true
		}
		j := strings.Index(after, lit)
		if j < 0 {
			break
		}
		i += len(lit) + j
	}
	return false
}

// msgTypeCasts returns the spellings of the type an input error message
// names ("... for type timestamp with time zone: ..." is timestamptz),
// nil when it names none the generator writes.
func msgTypeCasts(msg string) []string {
	_, rest, ok := strings.Cut(msg, " for type ")
	if !ok {
		return nil
	}
	name, _, _ := strings.Cut(rest, ":")
	return map[string][]string{
		"time": {"time"}, "date": {"date"}, "timestamp": {"timestamp"}, "timestamp with time zone": {"timestamptz"},
		"interval": {"interval"}, "uuid": {"uuid"}, "smallint": {"int2"}, "integer": {"int4"}, "bigint": {"int8"},
		"numeric": {"numeric"}, "real": {"float4", "real"}, "double precision": {"float8"}, "boolean": {"bool"},
		"json": {"jsonb", "json"}, "bytea": {"bytea"},
	}[name]
}

// hasAnyPrefix says whether s starts with the type name one of ps
// spells, as a whole word (time is not timestamp).
func hasAnyPrefix(s string, ps []string) bool {
	end := strings.IndexFunc(s, func(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') })
	if end < 0 {
		end = len(s)
	}
	for _, p := range ps {
		if s[:end] == p {
			return true
		}
	}
	return false
}

// canRaise says whether node n may raise the SQLSTATE code.
func canRaise(n *Node, code string) bool {
	for _, p := range n.Err {
		if strings.HasPrefix(code, p) {
			return true
		}
	}
	return false
}

// evalOrder says whether an error difference is explained by an
// evaluation order PostgreSQL does not specify: with other "" (one
// side failed with code), some node in a conditionally evaluated
// place (or under a LIMIT) may raise code; with two codes, two
// different nodes may raise them.
func evalOrder(root *Node, code, other string) bool {
	_, limit := order(root)
	type cand struct {
		n    *Node
		cond bool
	}
	var cands []cand
	sql := root.Render()
	root.walk(false, func(n *Node, cond bool) bool {
		if n.CTE != "" && !strings.Contains(sql, n.CTE+" AS ") {
			// PostgreSQL never runs a WITH query nothing reads.
			n.walkFrom(false, func(m *Node, c bool) bool {
				if len(m.Err) > 0 {
					cands = append(cands, cand{m, c})
				}
				return true
			})
			return false
		}
		if len(n.Err) > 0 {
			cands = append(cands, cand{n, cond})
		}
		return true
	})
	if other == "" {
		for _, c := range cands {
			if canRaise(c.n, code) && (c.cond || limit) {
				return true
			}
		}
		return false
	}
	for _, a := range cands {
		for _, b := range cands {
			if a.n != b.n && canRaise(a.n, code) && canRaise(b.n, other) {
				return true
			}
		}
	}
	return false
}
