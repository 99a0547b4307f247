package difftest

import (
	"context"
	"strconv"
	"strings"
	"testing"
)

// TestGenerationIsDeterministic: a seed gives the same schema, and
// query i of a seed is the same whatever was generated before it.
func TestGenerationIsDeterministic(t *testing.T) {
	opt := DefaultOptions()
	a, b := GenSchema(7, opt), GenSchema(7, opt)
	if len(a.Stmts) != len(b.Stmts) {
		t.Fatalf("schemas of one seed differ in length: %d, %d", len(a.Stmts), len(b.Stmts))
	}
	for i := range a.Stmts {
		if a.Stmts[i] != b.Stmts[i] {
			t.Fatalf("statement %d differs:\n%s\n%s", i, a.Stmts[i].SQL, b.Stmts[i].SQL)
		}
	}
	q5 := GenQuery(a, opt, 5).SQL()
	for i := range 5 {
		GenQuery(b, opt, i)
	}
	if got := GenQuery(b, opt, 5).SQL(); got != q5 {
		t.Errorf("query 5 depends on what ran before it:\n%s\n%s", q5, got)
	}
	if GenQuery(a, opt, 6).SQL() == q5 {
		t.Error("queries 5 and 6 are the same")
	}
	if GenSchema(8, opt).Stmts[0].SQL == a.Stmts[0].SQL && GenSchema(9, opt).Stmts[0].SQL == a.Stmts[0].SQL {
		t.Error("seeds 7, 8 and 9 create the same first table")
	}
}

// TestGeneratorCoverage: over some queries of a few seeds, every kind of
// construct the brief names shows up.
func TestGeneratorCoverage(t *testing.T) {
	opt := DefaultOptions()
	var all strings.Builder
	for seed := range uint64(3) {
		s := GenSchema(seed, opt)
		for _, st := range s.Stmts {
			all.WriteString(st.SQL + "\n")
		}
		for i := range 400 {
			all.WriteString(GenQuery(s, opt, i).SQL() + "\n")
			if i%10 == 0 {
				all.WriteString(GenTLP(s, opt, i).Root.Render() + "\n")
			}
		}
	}
	text := all.String()
	for _, want := range []string{
		"NULL", "'NaN'", "'Infinity'", "''", "'infinity'::date", "int2", "int8", "numeric", "real", "double precision",
		"varchar(", "char(", "bool", "date", "time", "timestamp", "timestamptz", "interval", "bytea", "uuid", "jsonb", "int4[]", "text[]",
		" LEFT JOIN ", " RIGHT JOIN ", " FULL JOIN ", " CROSS JOIN ", " USING (", " JOIN LATERAL ", " GROUP BY ", " HAVING ",
		"SELECT DISTINCT ", " UNION ", " INTERSECT ", " EXCEPT ", "EXISTS (", " IN (SELECT", " ANY (SELECT", " ALL (SELECT",
		" OVER (", "PARTITION BY", "ROWS BETWEEN", "WITH ", " ORDER BY ", " LIMIT ", " OFFSET ", " FILTER (WHERE ", "count(DISTINCT ",
		"string_agg(", "CREATE INDEX", "PRIMARY KEY", "CASE WHEN", "COALESCE(", "NULLIF(", "generate_series(", "(VALUES ",
		"-- TLP where", "-- TLP distinct", "-- TLP having", "-- TLP agg:",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("no %q in 1,200 queries of 3 seeds", want)
		}
	}
}

// TestExclude: an excluded call is never generated, and the options say
// so.
func TestExclude(t *testing.T) {
	opt := DefaultOptions()
	opt.Exclude = []string{"upper(", "?|"}
	s := GenSchema(1, opt)
	for i := range 500 {
		if sql := GenQuery(s, opt, i).SQL(); strings.Contains(sql, "upper(") || strings.Contains(sql, "?|") {
			t.Fatalf("query %d calls an excluded function: %s", i, sql)
		}
	}
	if !strings.Contains(opt.String(), "exclude=upper(,?|") {
		t.Errorf("options do not list the exclusions: %s", opt)
	}
}

func res(cols int, rows ...string) *Result {
	r := &Result{}
	for i := range cols {
		r.Cols = append(r.Cols, "c"+string(rune('0'+i)))
	}
	for _, row := range rows {
		vals := strings.Split(row, ",")
		for i, v := range vals {
			if v == "NULL" {
				vals[i] = Null
			}
		}
		r.Rows = append(r.Rows, vals)
	}
	return r
}

// ordered builds a query tree with a top-level ORDER BY of the given
// output columns, and LIMIT when limit.
func ordered(limit bool, keys ...int) *Node {
	var items []*Node
	for _, k := range keys {
		it := mk(KText, "x")
		it.OrderPos = k
		items = append(items, it)
	}
	ob := list(", ", 1, items...)
	ob.TopOrder = true
	root := mk(KQuery, "SELECT ...", clause(" ORDER BY ", ob))
	if limit {
		l := clause(" LIMIT 2")
		l.TopLimit = true
		root.Parts = append(root.Parts, l)
	}
	return root
}

func TestCompare(t *testing.T) {
	unordered := txt("SELECT a FROM t")
	floatAgg := expr(Float8, "sum(x)")
	floatAgg.FloatAgg = true
	div := expr(Int4, "(a / b)")
	div.Err = errData
	inWhere := clause(" WHERE ", expr(Bool, "(", div, " > 0)"))
	inWhere.Cond = true
	div2 := expr(Int4, "(c / d)")
	div2.Err = errData
	for _, tc := range []struct {
		name  string
		root  *Node
		pg, q *Result
		want  DiffKind
	}{
		{"multiset equal", unordered, res(1, "1", "2", "NULL"), res(1, "NULL", "2", "1"), Same},
		{"multiset duplicates", unordered, res(1, "1", "1", "2"), res(1, "1", "2", "2"), Rows},
		{"NULL is not the text NULL", unordered, res(1, "NULL"), &Result{Cols: []string{"c0"}, Rows: [][]string{{"NULL"}}}, Rows},
		{"float printed differently", unordered, res(1, "0.1"), res(1, "0.10000000000000001"), Rows},
		{"columns", unordered, res(1, "1"), res(2, "1,2"), Columns},
		{"ordered equal", ordered(false, 0), res(2, "1,a", "2,b"), res(2, "1,a", "2,b"), Same},
		{"ordered wrong order", ordered(false, 0), res(2, "1,a", "2,b"), res(2, "2,b", "1,a"), Rows},
		{"ties in any order", ordered(false, 0), res(2, "1,a", "1,b", "2,c"), res(2, "1,b", "1,a", "2,c"), Same},
		{"ties across keys", ordered(false, 0), res(2, "1,a", "1,b", "2,c"), res(2, "1,a", "2,b", "1,c"), Rows},
		{"limit cuts a tie anywhere", ordered(true, 0), res(2, "1,a", "2,b"), res(2, "1,a", "2,c"), Same},
		{"limit keeps keys", ordered(true, 0), res(2, "1,a", "2,b"), res(2, "1,a", "3,b"), Rows},
		{"numeric tie printed differently", ordered(false, 0), res(2, "1.0,a", "1.00,b"), res(2, "1.00,b", "1.0,a"), TieOrder},
		{"float sum order", floatAgg, res(1, "0.30000000000000004"), res(1, "0.3"), FloatOrder},
		{"float difference without aggregate", unordered, res(1, "0.30000000000000004"), res(1, "0.3"), Rows},
		{"same error", unordered, &Result{Code: "22012"}, &Result{Code: "22012"}, BothError},
		{"unsupported", unordered, res(1, "1"), &Result{Code: "0A000", Msg: "x is not supported"}, Unsupported},
		{"missing builtin", unordered, res(1, "1"), &Result{Code: "42883", Msg: "function f does not exist"}, Unsupported},
		{"quorumdb error", mk(KQuery, "SELECT ", div), res(1, "1"), &Result{Code: "22012"}, QdbError},
		{"pg error", mk(KQuery, "SELECT ", div), &Result{Code: "22012"}, res(1, "1"), PgError},
		{"error in WHERE: evaluation order", mk(KQuery, "SELECT 1", inWhere), res(1, "1"), &Result{Code: "22012"}, EvalOrder},
		{"two erroring expressions", mk(KQuery, "SELECT ", div, ", ", div2), &Result{Code: "22012"}, &Result{Code: "22003"}, EvalOrder},
		{"one erroring expression, two codes", mk(KQuery, "SELECT ", div), &Result{Code: "22012"}, &Result{Code: "22003"}, ErrorCode},
		{"analysis error is not evaluation order", mk(KQuery, "SELECT 1", inWhere), res(1, "1"), &Result{Code: "42803"}, QdbError},
		{"crash", unordered, res(1, "1"), &Result{Lost: true}, Crash},
		{"timeout", unordered, res(1, "1"), &Result{Timeout: true}, Timeout},
	} {
		if got := Compare(tc.root, tc.pg, tc.q); got != tc.want {
			t.Errorf("%s: got %s, want %s", tc.name, got, tc.want)
		}
	}
}

// fakeDB answers from a function of the statement and the installed
// rows (INSERTs it was given since the last DROP SCHEMA).
type fakeDB struct {
	rows   []string
	answer func(sql string, rows []string) *Result
	execs  int
}

func (f *fakeDB) Exec(_ context.Context, sql string) *Result {
	f.execs++
	switch {
	case strings.HasPrefix(sql, "DROP SCHEMA"):
		f.rows = nil
		return &Result{}
	case strings.HasPrefix(sql, "CREATE "):
		return &Result{}
	case strings.HasPrefix(sql, "INSERT"):
		f.rows = append(f.rows, sql)
		return &Result{}
	}
	return f.answer(sql, f.rows)
}

func (f *fakeDB) Session(context.Context, ...string) error { return nil }

// TestShrink shrinks a query on a fake oracle: "quorumdb" is wrong when
// the query divides by a column and the table has the row with k = 7.
func TestShrink(t *testing.T) {
	opt := DefaultOptions()
	s := GenSchema(3, opt)
	// A query that fails: find one with a division.
	var root *Node
	for i := 0; root == nil; i++ {
		if q := GenQuery(s, opt, i); strings.Contains(q.SQL(), " / ") && strings.Contains(q.SQL(), "t0") {
			root = q.Root
		}
	}
	var setup []Stmt
	setup = append(setup, Stmt{SQL: "CREATE TABLE t0 (k int4)", Table: "t0"}, Stmt{SQL: "CREATE INDEX ON t0 (k)", Table: "t0"})
	for k := 1; k <= 20; k++ {
		setup = append(setup, Stmt{SQL: "INSERT INTO t0 VALUES (" + itoa(k) + ")", Table: "t0", Insert: true, Key: k})
	}
	setup = append(setup, Stmt{SQL: "CREATE TABLE t9 (k int4)", Table: "t9"})
	pg := &fakeDB{answer: func(string, []string) *Result { return res(1, "1") }}
	q := &fakeDB{answer: func(sql string, rows []string) *Result {
		for _, r := range rows {
			if strings.Contains(sql, " / ") && strings.Contains(sql, "t0") && strings.Contains(r, "(7)") {
				return res(1, "2")
			}
		}
		return res(1, "1")
	}}
	f := &Finding{Kind: Rows, PG: res(1, "1"), Q: res(1, "2"), root: root, setup: setup}
	cfg := Config{ShrinkBudget: 2000}
	if err := shrinkFinding(context.Background(), cfg, f, pg, &Target{Name: "q", DB: q}); err != nil {
		t.Fatal(err)
	}
	if len(f.Shrunk.Setup) != 2 || f.Shrunk.Setup[1].Key != 7 {
		var got []string
		for _, s := range f.Shrunk.Setup {
			got = append(got, s.SQL)
		}
		t.Errorf("shrunk setup: %q; want the CREATE TABLE t0 and the row 7", got)
	}
	if len(f.ShrunkSQL) >= len(root.Render()) || !strings.Contains(f.ShrunkSQL, " / ") {
		t.Errorf("query not shrunk, or shrunk past the failure:\n%s\nto\n%s", root.Render(), f.ShrunkSQL)
	}
	if f.ShrunkQ.Rows[0][0] != "2" {
		t.Errorf("shrunk answer %v; want the failing one", f.ShrunkQ.Rows)
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

// TestTLP: the partition check holds on a consistent fake and fails on
// one that loses the NULL part.
func TestTLP(t *testing.T) {
	opt := DefaultOptions()
	s := GenSchema(1, opt)
	var tc *TLPCase
	for i := 0; tc == nil; i++ {
		if c := GenTLP(s, opt, i); c.Mode == "where" {
			tc = c
		}
	}
	whole, parts := tc.queries(tc.Root)
	if len(parts) != 3 || !strings.Contains(parts[1], " WHERE (NOT (") || !strings.Contains(parts[2], ") IS NULL)") {
		t.Fatalf("parts: %q", parts)
	}
	good := &fakeDB{answer: func(sql string, _ []string) *Result {
		switch sql {
		case whole:
			return res(1, "1", "2", "3")
		case parts[0]:
			return res(1, "1")
		case parts[1]:
			return res(1, "2")
		}
		return res(1, "3")
	}}
	if out := tc.Check(context.Background(), good, tc.Root); !out.Holds || out.Skipped {
		t.Errorf("consistent answers: holds %v, skipped %v", out.Holds, out.Skipped)
	}
	bad := &fakeDB{answer: func(sql string, _ []string) *Result {
		if sql == whole {
			return res(1, "1", "2", "3")
		}
		if sql == parts[2] {
			return res(1)
		}
		return good.answer(sql, nil)
	}}
	if out := tc.Check(context.Background(), bad, tc.Root); out.Holds {
		t.Error("a lost NULL partition: the check holds")
	}
}

// TestEvalOrderScope: an error in a WITH query nothing reads is not a
// question of evaluation order (PostgreSQL never runs it); in one the
// statement reads, it is. A failing cast of a text literal is; reading
// a literal of the type itself is not.
func TestEvalOrderScope(t *testing.T) {
	cast := expr(Bool, "('b'::text)::bool")
	cast.Err = errData
	item := mk(KText, "w1(c0) AS (SELECT ", cast, ")")
	item.Cond, item.CTE = true, "w1"
	unread := mk(KQuery, "WITH ", item, " SELECT 1 FROM t0 AS a1")
	read := mk(KQuery, "WITH ", item, " SELECT 1 FROM w1 AS r2")
	qerr := &Result{Code: "22P02", Msg: `invalid input syntax for type boolean: "b"`}
	if got := Compare(unread, res(1, "1"), qerr); got != QdbError {
		t.Errorf("error in an unread WITH query: %s, want %s", got, QdbError)
	}
	if got := Compare(read, res(1, "1"), qerr); got != EvalOrder {
		t.Errorf("error in a WITH query the statement reads: %s, want %s", got, EvalOrder)
	}
	lit := clause(" WHERE ", expr(Bool, "('5874897-12-31'::date > ", cast, ")"))
	lit.Cond = true
	q := mk(KQuery, "SELECT 1 FROM t0", lit)
	if got := Compare(q, res(1, "1"), &Result{Code: "22008", Msg: `date/time field value out of range: "5874897-12-31"`}); got != QdbError {
		t.Errorf("a date literal quorumdb cannot read: %s, want %s", got, QdbError)
	}
}

func TestIntervalTies(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		eq   bool
	}{
		{"1 day", "24:00:00", true},
		{"1 mon", "30 days", true},
		{"1 year 2 mons 3 days 04:05:06.789", "1 year 2 mons 3 days 04:05:06.789", true},
		{"-1 days +24:00:00", "00:00:00", true},
		{"1 day", "1 day 00:00:01", false},
		{"12", "12:00:00", false},
		{"abc", "abc ", false},
	} {
		if got := loose(tc.a, tc.b); got != tc.eq {
			t.Errorf("loose(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.eq)
		}
	}
	q := ordered(false, 0)
	if got := CompareRows(q, res(1, "24:00:00", "24:00:00", "1 day", "1 day"), res(1, "24:00:00", "1 day", "24:00:00", "1 day")); got != TieOrder {
		t.Errorf("intervals of one length in another order: %s, want %s", got, TieOrder)
	}
}

// TestTieTextStillCompared: within a tie, the rows themselves must
// still print alike.
func TestTieTextStillCompared(t *testing.T) {
	q := ordered(false, 0)
	if got := CompareRows(q, res(1, "24:00:00", "1 day"), res(1, "1 day", "1 day")); got != Rows {
		t.Errorf("a row printed '1 day' instead of '24:00:00': %s, want %s", got, Rows)
	}
}

// TestEqualValuePicked: max of '24:00:00' and '1 day' may be either, but
// only where the query picks one of equal values.
func TestEqualValuePicked(t *testing.T) {
	picks := mk(KQuery, "SELECT max(c) FROM t GROUP BY k")
	plain := mk(KQuery, "SELECT c FROM t")
	if got := CompareRows(picks, res(1, "24:00:00", "1 day"), res(1, "24:00:00", "24:00:00")); got != TieOrder {
		t.Errorf("max of equal intervals: %s, want %s", got, TieOrder)
	}
	if got := CompareRows(plain, res(1, "24:00:00", "1 day"), res(1, "24:00:00", "24:00:00")); got != Rows {
		t.Errorf("a column printed '24:00:00' instead of '1 day': %s, want %s", got, Rows)
	}
	if got := CompareRows(picks, res(1, "1 day"), res(1, "2 days")); got != Rows {
		t.Errorf("different intervals: %s, want %s", got, Rows)
	}
}

// TestLiteralErrorType: an input error is about a literal only when the
// literal is written as the type the message names.
func TestLiteralErrorType(t *testing.T) {
	q := mk(KQuery, "SELECT ('1'::text)::time, '1'::float8, '1'::timestamp")
	if literalError(q, &Result{Code: "22007", Msg: `invalid input syntax for type time: "1"`}) {
		t.Error("'1'::float8 and '1'::timestamp made a time input error a literal's")
	}
	q = mk(KQuery, "SELECT '1'::time")
	if !literalError(q, &Result{Code: "22007", Msg: `invalid input syntax for type time: "1"`}) {
		t.Error("'1'::time not seen as the literal")
	}
}
