package pgregress

import (
	"slices"
	"strings"
	"testing"
)

// script and its outputs below are as psql -a prints them (captured
// from PostgreSQL 15 and quorumdb, trimmed).
const script = `-- c
create table t(a int);

select * from t; select 1/0;
select 1
  as x;
-- end`

const pgOut = `-- c
create table t(a int);
CREATE TABLE
select * from t; select 1/0;
 a 
---
(0 rows)

psql:/tmp/x/t.sql:4: ERROR:  22012: division by zero
LOCATION:  int4div, int.c:869
select 1
  as x;
 x 
---
 1
(1 row)

-- end
`

func TestAlign(t *testing.T) {
	sc := Split(script)
	a := Align(sc, Normalize(pgOut))
	want := [][]string{
		{"CREATE TABLE"},
		{" a ", "---", "(0 rows)", "", "ERROR:  22012: division by zero"},
		{" x ", "---", " 1", "(1 row)"},
	}
	if len(a.Outputs) != len(want) {
		t.Fatalf("%d outputs, want %d", len(a.Outputs), len(want))
	}
	for i := range want {
		if !a.Ran[i] || !slices.Equal(a.Outputs[i], want[i]) {
			t.Errorf("unit %d: ran %v, output %q; want %q", i, a.Ran[i], a.Outputs[i], want[i])
		}
	}

	// A result ending in the next unit's echo would be cut there: the
	// first match is taken. An empty line is never echoed, so psql's
	// empty line after a result cannot be mistaken for one.
	sc = Split("select '-- x' as \"-- x\";\n-- x\nselect 2;")
	a = Align(sc, Normalize("select '-- x' as \"-- x\";\n -- x \n------\n -- x\n(1 row)\n\n-- x\nselect 2;\n"))
	if !slices.Equal(a.Outputs[0], []string{" -- x ", "------", " -- x", "(1 row)"}) {
		t.Errorf("output %q", a.Outputs[0])
	}

	// psql stopped after a lost connection: the units after it did
	// not run.
	lost := "-- c\ncreate table t(a int);\nserver closed the connection unexpectedly\nconnection to server was lost\n"
	a = Align(Split(script), Normalize(lost))
	if !a.Ran[0] || a.Ran[1] || a.Ran[2] {
		t.Errorf("ran %v, want [true false false]", a.Ran)
	}
	if _, kind := Compare([]string{" a "}, a.Outputs[1], a.Ran[1]); kind != NotRun {
		t.Errorf("kind %v, want NotRun", kind)
	}
	if _, kind := Compare([]string{"CREATE TABLE"}, a.Outputs[0], true); kind != Crash {
		t.Errorf("kind %v, want Crash", kind)
	}
}

func TestCompare(t *testing.T) {
	ok := []string{" x ", "---", " 1", "(1 row)"}
	for _, c := range []struct {
		name      string
		pg, q     []string
		identical bool
		kind      Kind
	}{
		{"same", ok, ok, true, 0},
		{"wrong rows", ok, []string{" x ", "---", " 2", "(1 row)"}, false, WrongResult},
		{"row order", []string{" x ", "---", " 1", " 2", "(2 rows)"}, []string{" x ", "---", " 2", " 1", "(2 rows)"}, false, RowOrder},
		{"wrong tag", []string{"UPDATE 2"}, []string{"UPDATE 3"}, false, WrongResult},
		{"notice", append([]string{"NOTICE:  00000: hi", "DETAIL:  d"}, ok...), ok, false, NoticesOnly},
		{"unsupported", ok, []string{"ERROR:  0A000: not supported: x"}, false, Unsupported},
		{"no function", ok, []string{"ERROR:  42883: function f(int) does not exist"}, false, Unsupported},
		{"other", ok, []string{"ERROR:  22012: division by zero"}, false, OtherError},
		{"sqlstate", []string{"ERROR:  22003: out of range"}, []string{"ERROR:  22P02: invalid input"}, false, WrongSQLSTATE},
		{"message", []string{"ERROR:  22003: integer out of range"}, []string{"ERROR:  22003: smallint out of range"}, false, MessageText},
		{"no error", []string{"ERROR:  22003: out of range"}, ok, false, NoError},
		{"terse one", []string{"ERROR:  out of range"}, []string{"ERROR:  statement X is not supported"}, false, MessageText},
		{"terse both", []string{"ERROR:  out of range"}, []string{"ERROR:  out of range!"}, false, MessageText},
		{"crash", ok, []string{"server closed the connection unexpectedly"}, false, Crash},
	} {
		identical, kind := Compare(c.pg, c.q, true)
		if identical != c.identical || (!identical && kind != c.kind) {
			t.Errorf("%s: identical %v, kind %v; want %v, %v", c.name, identical, kind, c.identical, c.kind)
		}
	}
}

func TestScore(t *testing.T) {
	src := Preamble(0) + strings.Join([]string{
		"select 1;",
		"explain select 1;",
		"select 1/0;",
		`\set x 1`,
		"select 2;",
	}, "\n")
	sc := Split(src)
	outs := func(last string) Aligned {
		return Aligned{Outputs: [][]string{nil, {"SET"}, {"1"}, {"plan"}, {"ERROR:  22012: division by zero"}, nil, {last}},
			Ran: []bool{true, true, true, true, true, true, true}}
	}
	r := Score("f", sc, outs("2"), outs("3"))
	if r.Statements != 3 || r.Identical != 2 || r.PGOK != 2 || r.PGOKIdentical != 1 || r.Explain != 1 || r.ExplainIdentical != 1 {
		t.Errorf("Score: %+v", r)
	}
	if len(r.Diffs) != 1 || r.Diffs[0].Line != 5 || r.Diffs[0].Kind != WrongResult {
		t.Errorf("diffs %+v", r.Diffs)
	}
}
