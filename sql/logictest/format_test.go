package logictest

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

const (
	int4OID    = 23
	numericOID = 1700
	textOID    = 25
)

func TestFormatValue(t *testing.T) {
	tests := []struct {
		typ  byte
		v    []byte // nil is NULL
		oid  uint32
		want string
	}{
		{'I', nil, int4OID, "NULL"},
		{'T', nil, textOID, "NULL"},
		{'R', nil, numericOID, "NULL"},
		{'I', []byte("42"), int4OID, "42"},
		{'I', []byte("-7"), int4OID, "-7"},
		{'I', []byte("9223372036854775807"), 20, "9223372036854775807"},
		{'I', []byte("12.9000"), numericOID, "12"},
		{'I', []byte("-12.9"), numericOID, "-12"},
		{'I', []byte("-0.5"), numericOID, "0"},
		{'I', []byte("123456789012345678901234567890.5"), numericOID, "123456789012345678901234567890"},
		{'I', []byte("1.5e3"), 701, "1500"},
		{'I', []byte("t"), boolOID, "1"},
		{'I', []byte("f"), boolOID, "0"},
		{'I', []byte("12abc"), textOID, "12"},
		{'I', []byte("abc"), textOID, "0"},
		{'I', []byte("NaN"), numericOID, "NaN"},
		{'R', []byte("3.5"), numericOID, "3.500"},
		{'R', []byte("2"), int4OID, "2.000"},
		{'R', []byte("-0.0004"), 701, "-0.000"},
		{'R', []byte("0.0005"), 701, "0.001"},
		{'R', []byte("1e+20"), 701, "100000000000000000000.000"},
		{'R', []byte("t"), boolOID, "1.000"},
		{'R', []byte("x"), textOID, "0.000"},
		{'R', []byte("Infinity"), 701, "Infinity"},
		{'T', []byte("hello"), textOID, "hello"},
		{'T', []byte(""), textOID, "(empty)"},
		{'T', []byte(" "), textOID, " "},
		{'T', []byte("a\tb\nc\x7f"), textOID, "a@b@c@"},
		{'T', []byte("héllo"), textOID, "héllo"},
		{'T', []byte("bad\xffutf8"), textOID, "bad@utf8"},
		{'T', []byte("t"), boolOID, "true"},
		{'T', []byte("f"), boolOID, "false"},
		{'T', []byte("t"), textOID, "t"},
		{'B', []byte("f"), boolOID, "false"},
		{'T', []byte("12.50"), numericOID, "12.50"},
	}
	for _, tt := range tests {
		if got := FormatValue(tt.typ, tt.v, tt.oid); got != tt.want {
			t.Errorf("FormatValue(%c, %q, %d) = %q, want %q", tt.typ, tt.v, tt.oid, got, tt.want)
		}
	}
}

func TestSortValues(t *testing.T) {
	tests := []struct {
		mode  SortMode
		ncols int
		in    []string
		want  []string
	}{
		{NoSort, 1, []string{"b", "a"}, []string{"b", "a"}},
		{ValueSort, 2, []string{"2", "10", "NULL", "1"}, []string{"1", "10", "2", "NULL"}},
		// Rows compare column by column as strings, keeping rows together.
		{RowSort, 2, []string{"b", "1", "a", "2", "a", "10"}, []string{"a", "10", "a", "2", "b", "1"}},
		{RowSort, 3, nil, nil},
	}
	for _, tt := range tests {
		got := slices.Clone(tt.in)
		SortValues(got, tt.ncols, tt.mode)
		if !slices.Equal(got, tt.want) {
			t.Errorf("SortValues(%v, %d, %v) = %v, want %v", tt.in, tt.ncols, tt.mode, got, tt.want)
		}
	}
}

func TestHashLine(t *testing.T) {
	// md5("1\n2\n3\n") and md5("") as sqllogictest computes them.
	if got, want := HashLine([]string{"1", "2", "3"}), "3 values hashing to c0710d6b4f15dfa88f600b0e6b624077"; got != want {
		t.Errorf("HashLine = %q, want %q", got, want)
	}
	if got, want := HashLine(nil), "0 values hashing to d41d8cd98f00b204e9800998ecf8427e"; got != want {
		t.Errorf("HashLine(nil) = %q, want %q", got, want)
	}
}

func TestResultsMatch(t *testing.T) {
	vals := []string{"1", "10", "2", "(empty)"} // two rows of two columns
	tests := []struct {
		name     string
		sort     SortMode
		expected []string
		vals     []string
		want     bool
	}{
		{"values", NoSort, []string{"1", "10", "2", "(empty)"}, vals, true},
		{"wrong value", NoSort, []string{"1", "10", "2", "x"}, vals, false},
		{"too few", NoSort, []string{"1", "10", "2"}, vals, false},
		{"rows", NoSort, []string{"1  10", "2 (empty)"}, vals, true},
		{"rows out of order", NoSort, []string{"2 (empty)", "1 10"}, vals, false},
		{"rows out of order, rowsort", RowSort, []string{"2 (empty)", "1 10"}, vals, true},
		{"values unsorted, rowsort", RowSort, []string{"2", "(empty)", "1", "10"}, vals, true},
		{"hash", NoSort, []string{HashLine(vals)}, vals, true},
		{"hash, wrong count", NoSort, []string{"5 values hashing to " + HashValues(vals)}, vals, false},
		{"empty", NoSort, nil, nil, true},
		{"empty expected", NoSort, nil, vals, false},
	}
	for _, tt := range tests {
		rec := &Record{Kind: Query, Types: "IT", Sort: tt.sort, Expected: tt.expected}
		if got := resultsMatch(rec, tt.vals, 2); got != tt.want {
			t.Errorf("%s: resultsMatch = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestErrorSpecMatch(t *testing.T) {
	undefined := &pgconn.PgError{Code: "42P01", Message: `relation "t" does not exist`}
	wrapped := fmt.Errorf("query: %w", undefined)
	tests := []struct {
		spec string
		err  error
		want bool
	}{
		{"", undefined, true},
		{"", nil, false},
		{"42P01", wrapped, true},
		{"42703", undefined, false},
		{"42703|42P01", undefined, true},
		{"SQLSTATE 42P01", undefined, true},
		{"pgcode 42P01 does not", undefined, true},
		{"pgcode 42P01 nope", undefined, false},
		{`pq: relation "t" does not exist`, undefined, true},
		{`relation ".*" does not`, undefined, true},
		{"^does", undefined, false},
		{"42P01", errors.New("connection reset"), false},
		{"connection reset", errors.New("connection reset"), true},
	}
	for _, tt := range tests {
		spec, err := ParseErrorSpec(tt.spec)
		if err != nil {
			t.Fatalf("ParseErrorSpec(%q): %v", tt.spec, err)
		}
		if got := spec.Match(tt.err); got != tt.want {
			t.Errorf("ParseErrorSpec(%q).Match(%v) = %v, want %v", tt.spec, tt.err, got, tt.want)
		}
	}
}

func TestEngineConditions(t *testing.T) {
	rec := func(conds ...Condition) *Record { return &Record{Conditions: conds} }
	tests := []struct {
		engine string
		rec    *Record
		want   bool
	}{
		{"postgresql", rec(), true},
		{"postgresql", rec(Condition{Skip: true, Engine: "postgresql"}), false},
		{"postgresql", rec(Condition{Skip: true, Engine: "PostgreSQL"}), false},
		{"postgresql", rec(Condition{Skip: true, Engine: "mysql"}), true},
		{"postgresql", rec(Condition{Engine: "mysql"}), false},
		{"postgresql", rec(Condition{Engine: "postgresql"}), true},
		{"postgresql", rec(Condition{Engine: "quorumdb"}), false},
		{"quorumdb", rec(Condition{Engine: "quorumdb"}), true},
		{"quorumdb", rec(Condition{Skip: true, Engine: "postgresql"}), false},
		{"quorumdb", rec(Condition{Skip: true, Engine: "mssql"}, Condition{Engine: "postgresql"}), true},
	}
	for _, tt := range tests {
		r := &fileRunner{names: engineNames(tt.engine)}
		if got := r.applies(tt.rec); got != tt.want {
			t.Errorf("engine %s, conditions %+v: applies = %v, want %v", tt.engine, tt.rec.Conditions, got, tt.want)
		}
	}
}
