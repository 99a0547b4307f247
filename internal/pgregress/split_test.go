package pgregress

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestSplit(t *testing.T) {
	src := strings.Join([]string{
		"-- a comment",                    // 1
		"CREATE TABLE t (a int,",          // 2
		"",                                // 3: not echoed
		"  b text);",                      // 4
		"SELECT 1; SELECT ';' AS \"x;\";", // 5: two statements, one unit
		"SELECT $$a;",                     // 6: in a dollar quote
		"",                                // 7: echoed (in a quote)
		"b$$, E'it''s \\' ;', $f$;$f$;",   // 8
		"COPY t FROM stdin;",              // 9
		"1\tx;",                           // 10: data, not echoed
		`\.`,                              // 11
		`\set x 1`,                        // 12: psql-only
		"SELECT 2 \\gset",                 // 13: \gset ends the statement
		"/* multi",                        // 14
		"; */ EXPLAIN SELECT (1;",         // 15: ';' in parentheses does not end it
		");",                              // 16
		`\d t`,                            // 17: a server-side backslash command
		"-- the end",                      // 18
	}, "\n")
	sc := Split(src)
	type want struct {
		first, last, stmts int
		local, explain     bool
	}
	wants := []want{{1, 4, 1, false, false}, {5, 5, 2, false, false}, {6, 8, 1, false, false}, {9, 9, 1, false, false},
		{12, 12, 0, true, false}, {13, 13, 1, false, false}, {14, 16, 1, false, false}, {17, 17, 1, false, false}}
	if len(sc.Units) != len(wants) {
		for _, u := range sc.Units {
			t.Logf("%+v", u)
		}
		t.Fatalf("%d units, want %d", len(sc.Units), len(wants))
	}
	for i, w := range wants {
		u := sc.Units[i]
		if u.First != w.first || u.Last != w.last || u.Statements != w.stmts || u.Local != w.local {
			t.Errorf("unit %d: lines %d-%d, %d statements, local %v; want %+v", i, u.First, u.Last, u.Statements, u.Local, w)
		}
	}
	if got := sc.Units[0].Echo; !slices.Equal(got, []string{"-- a comment", "CREATE TABLE t (a int,", "  b text);"}) {
		t.Errorf("unit 0 echo %q: the empty line outside quotes is not echoed", got)
	}
	if got := sc.Units[2].Echo; len(got) != 3 || got[1] != "" {
		t.Errorf("unit 2 echo %q: the empty line inside the dollar quote is echoed", got)
	}
	if got := sc.Units[4].Echo; !slices.Equal(got, []string{`\set x 1`}) {
		t.Errorf("unit after COPY echoes %q: COPY data is not echoed", got)
	}
	if !slices.Equal(sc.Tail, []string{"-- the end"}) {
		t.Errorf("tail %q", sc.Tail)
	}
	// EXPLAIN is recognized after a leading comment line.
	if e := Split("-- plan\nEXPLAIN (COSTS OFF) SELECT 1;\nSELECT 1;").Units; !e[0].Explain || e[1].Explain {
		t.Errorf("explain: %+v", e)
	}
	// \set ECHO none hides the lines read after it; COPY FROM STDOUT
	// reads data like FROM STDIN.
	e := Split("\\set ECHO none\nSELECT 1\n\\gexec\n\\set ECHO all\ncopy t from stdout;\n1\n\\.\nSELECT 2;").Units
	if len(e) != 5 || len(e[1].Echo) != 0 || len(e[2].Echo) != 0 || !slices.Equal(e[4].Echo, []string{"SELECT 2;"}) {
		t.Errorf("ECHO none, FROM STDOUT: %+v", e)
	}
	// \; joins statements into one query; COPY (query) FROM STDIN
	// fails, so the lines after it are not data.
	e = Split("select 0\\; copy t from stdin\\; select 1;\ncopy (select 1) from stdin;\nselect 2;").Units
	if len(e) != 3 || e[0].Statements != 1 || !slices.Equal(e[2].Echo, []string{"select 2;"}) {
		t.Errorf("\\; and COPY (query): %+v", e)
	}
	// The semicolons of a BEGIN ATOMIC body, and of a CASE in it, do
	// not end the CREATE FUNCTION; a transaction's BEGIN does not open
	// a block.
	e = Split("CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT CASE WHEN true THEN 1 END;\n  SELECT 2;\nEND;\nBEGIN;\nSELECT 3;").Units
	if len(e) != 3 || e[0].First != 1 || e[0].Last != 5 || e[1].Last != 6 {
		t.Errorf("BEGIN ATOMIC: %+v", e)
	}
	// A statement left without a semicolon at the end runs too.
	if u := Split("SELECT 1;\nSELECT 2").Units; len(u) != 2 || u[1].Statements != 1 {
		t.Errorf("unterminated last statement: %+v", u)
	}
}

func TestAdapt(t *testing.T) {
	src := strings.Join([]string{
		`\getenv abs_srcdir PG_ABS_SRCDIR`,
		`\set regresslib :libdir '/regress' :dlsuffix`,
		`\set filename :abs_srcdir '/data/onek.data'`,
		`COPY onek FROM :'filename';`,
		`CREATE FUNCTION binary_coercible(oid, oid)`,
		`    RETURNS bool`,
		`    AS :'regresslib', 'binary_coercible'`,
		`    LANGUAGE C STRICT STABLE PARALLEL SAFE;`,
		`create function f(int) returns int as $$`,
		`    select 1; $$ language sql;`,
		`SELECT 1;`,
	}, "\n")
	got := Adapt(src, "/suite/data", Preamble(10*time.Second))
	want := strings.Join([]string{
		`\set VERBOSITY verbose`,
		`SET statement_timeout = '10000ms';`,
		``,
		``,
		`\set filename :abs_srcdir '/data/onek.data'`,
		`\copy onek FROM '/suite/data/onek.data'`,
		``, ``, ``, ``,
		`create function f(int) returns int as $$`,
		`    select 1; $$ language sql;`,
		`SELECT 1;`,
	}, "\n")
	if got != want {
		t.Errorf("Adapt:\n%s\nwant:\n%s", got, want)
	}
	if n := strings.Count(want, "\n") - strings.Count(src, "\n"); n != PreambleLines {
		t.Errorf("the adapted script has %d more lines than the file, want PreambleLines=%d", n, PreambleLines)
	}
}

func TestOrder(t *testing.T) {
	sched := ParseSchedule("# comment\ntest: test_setup\n\ntest: boolean char varchar\nignore: random\ntest: select_into random delete\n")
	if want := []string{"test_setup", "boolean", "char", "varchar", "select_into", "random", "delete"}; !slices.Equal(sched, want) {
		t.Fatalf("ParseSchedule = %q, want %q", sched, want)
	}
	got, err := Order([]string{"delete", "varchar.sql", "boolean", "test_setup"}, sched)
	if err != nil || !slices.Equal(got, []string{"test_setup", "boolean", "varchar", "delete"}) {
		t.Errorf("Order = %q, %v", got, err)
	}
	if _, err := Order([]string{"nosuch"}, sched); err == nil {
		t.Error("Order of a file not in the schedule: want an error")
	}
}
