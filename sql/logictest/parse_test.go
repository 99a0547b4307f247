package logictest

import (
	"reflect"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []Record
	}{
		{
			name: "statement ok",
			in:   "# comment\n\nstatement ok\nCREATE TABLE t(a INT)\n",
			want: []Record{{Kind: Statement, Line: 3, SQL: "CREATE TABLE t(a INT)"}},
		},
		{
			name: "multi-line SQL ends at blank line",
			in:   "statement ok\nINSERT INTO t\nVALUES (1)\n\nstatement ok\nSELECT 1",
			want: []Record{
				{Kind: Statement, Line: 1, SQL: "INSERT INTO t\nVALUES (1)"},
				{Kind: Statement, Line: 5, SQL: "SELECT 1"},
			},
		},
		{
			name: "statement error with SQLSTATE",
			in:   "statement error 42P01\nSELECT * FROM nosuch\n",
			want: []Record{{Kind: Statement, Line: 1, SQL: "SELECT * FROM nosuch", ExpectError: true,
				Error: ErrorSpec{Raw: "42P01", Codes: []string{"42P01"}}}},
		},
		{
			name: "statement count",
			in:   "statement count 3\nDELETE FROM t\n",
			want: []Record{{Kind: Statement, Line: 1, SQL: "DELETE FROM t", Count: 3, HasCount: true}},
		},
		{
			name: "query with sort, label and results",
			in:   "query IT rowsort label-7\nSELECT a, b\nFROM t\n----\n1\nx\n\n",
			want: []Record{{Kind: Query, Line: 1, SQL: "SELECT a, b\nFROM t", Types: "IT", Sort: RowSort,
				Label: "label-7", Expected: []string{"1", "x"}, HasResults: true}},
		},
		{
			name: "query without results",
			in:   "query I nosort\nSELECT 1 WHERE false\n",
			want: []Record{{Kind: Query, Line: 1, SQL: "SELECT 1 WHERE false", Types: "I"}},
		},
		{
			name: "query with empty result section",
			in:   "query I valuesort\nSELECT 1 WHERE false\n----\n",
			want: []Record{{Kind: Query, Line: 1, SQL: "SELECT 1 WHERE false", Types: "I", Sort: ValueSort, HasResults: true}},
		},
		{
			name: "conditions with comments, CRLF",
			in:   "skipif postgresql # needs AS\r\nonlyif sqlite\r\nquery I\r\nSELECT 1\r\n----\r\n1\r\n",
			want: []Record{{Kind: Query, Line: 3, Conditions: []Condition{{Skip: true, Engine: "postgresql"}, {Engine: "sqlite"}},
				SQL: "SELECT 1", Types: "I", Expected: []string{"1"}, HasResults: true}},
		},
		{
			name: "hash-threshold, halt, unsupported",
			in:   "hash-threshold 8\n\nonlyif mysql\nhalt\n\nuser root\nfoo\n\nhalt\n",
			want: []Record{
				{Kind: HashThreshold, Line: 1, Threshold: 8},
				{Kind: Halt, Line: 4, Conditions: []Condition{{Engine: "mysql"}}},
				{Kind: User, Line: 6, User: "root"},
				{Kind: Halt, Line: 9},
			},
		},
		{
			name: "query error with message regexp",
			in:   "query error pq: relation \"t\" does not exist\nSELECT * FROM t\n",
			want: []Record{{Kind: Query, Line: 1, SQL: "SELECT * FROM t", ExpectError: true,
				Error: ErrorSpec{Raw: `pq: relation "t" does not exist`}}},
		},
		{
			name: "cockroach options",
			in:   "query I rowsort,nosort\nSELECT 1\n----\n1\n",
			want: []Record{{Kind: Query, Line: 1, SQL: "SELECT 1", Types: "I", Sort: NoSort,
				Expected: []string{"1"}, HasResults: true}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(strings.NewReader(tt.in))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			for i := range got {
				got[i].Error.Pattern = nil // compared through Raw
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Parse:\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"statement\nSELECT 1\n", "line 1: statement needs"},
		{"statement maybe\nSELECT 1\n", "line 1: statement argument"},
		{"query\nSELECT 1\n", "line 1: query needs a type string"},
		{"\n\nquery i\nSELECT 1\n", "line 3: bad type string"},
		{"query I sideways\nSELECT 1\n", "line 1: unknown sort mode"},
		{"hash-threshold x\n", "line 1: bad hash-threshold"},
		{"skipif\nstatement ok\nSELECT 1\n", "line 1: skipif needs an engine"},
		{"skipif mysql\n", "condition without a record"},
	}
	for _, tt := range tests {
		_, err := Parse(strings.NewReader(tt.in))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Parse(%q) = %v, want error containing %q", tt.in, err, tt.want)
		}
	}
}

func TestParseErrorSpec(t *testing.T) {
	tests := []struct {
		in        string
		codes     []string
		pattern   string
		substring string
	}{
		{in: ""},
		{in: "42P01", codes: []string{"42P01"}},
		{in: "22007|22008", codes: []string{"22007", "22008"}},
		{in: "SQLSTATE 42P01", codes: []string{"42P01"}},
		{in: "pgcode 23505 duplicate key", codes: []string{"23505"}, pattern: "duplicate key"},
		{in: "ERROR", pattern: "ERROR"}, // no digit: a regexp, not a SQLSTATE
		{in: `pq: relation "t" does not exist`, pattern: `relation "t" does not exist`},
		{in: "unbalanced (paren", substring: "unbalanced (paren"},
	}
	for _, tt := range tests {
		spec, err := ParseErrorSpec(tt.in)
		if err != nil {
			t.Errorf("ParseErrorSpec(%q): %v", tt.in, err)
			continue
		}
		pattern := ""
		if spec.Pattern != nil {
			pattern = spec.Pattern.String()
		}
		if !reflect.DeepEqual(spec.Codes, tt.codes) || pattern != tt.pattern || spec.Substring != tt.substring {
			t.Errorf("ParseErrorSpec(%q) = codes %v pattern %q substring %q, want %v %q %q",
				tt.in, spec.Codes, pattern, spec.Substring, tt.codes, tt.pattern, tt.substring)
		}
	}
	if _, err := ParseErrorSpec("SQLSTATE nope"); err == nil {
		t.Error("ParseErrorSpec(SQLSTATE nope): want an error")
	}
}
