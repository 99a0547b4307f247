package logictest

import (
	"strings"
	"testing"
)

// A NoisePage trace: records not separated by blank lines, a comment
// right after a result, and a query without a type string.
const noisePageTrace = `statement ok
CREATE TABLE t (a int)
statement ok
INSERT INTO t VALUES (1)
query I nosort
SELECT a FROM t
----
1
# a comment ends the result
query  nosort
SELECT a FROM t WHERE a IS NULL
----
0 values hashing to 68b329da9893e34099c7d8ad5cb9c940
`

func TestParseNoisePage(t *testing.T) {
	recs, err := ParseDialectScript(strings.NewReader(noisePageTrace), NoisePage)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 4 {
		t.Fatalf("got %d records, want 4: %+v", len(recs), recs)
	}
	if recs[0].SQL != "CREATE TABLE t (a int)" || recs[1].SQL != "INSERT INTO t VALUES (1)" {
		t.Errorf("statements = %q, %q", recs[0].SQL, recs[1].SQL)
	}
	if got := strings.Join(recs[2].Expected, "|"); got != "1" {
		t.Errorf("first query expects %q, want %q", got, "1")
	}
	if recs[3].Types != "" || recs[3].Sort != NoSort || len(recs[3].Expected) != 1 {
		t.Errorf("untyped query = %+v", recs[3])
	}
	// In SQLite's format the same text runs records together.
	if recs, err := Parse(strings.NewReader(noisePageTrace)); err == nil && len(recs) == 4 {
		t.Errorf("SQLite format parsed the trace as 4 records")
	}
}

func TestNoisePageResultsMatch(t *testing.T) {
	tests := []struct {
		expected []string
		vals     []string
		want     bool
	}{
		// An empty result hashes as "\n", like one NULL.
		{[]string{"0 values hashing to 68b329da9893e34099c7d8ad5cb9c940"}, nil, true},
		{[]string{"1 values hashing to 68b329da9893e34099c7d8ad5cb9c940"}, []string{""}, true},
		// Listed values leave NULLs out; values are the server's text.
		{[]string{"t", "0.9744873987650982"}, []string{"t", "", "0.9744873987650982"}, true},
		{[]string{"1"}, []string{"1.0"}, false},
	}
	for _, tt := range tests {
		rec := &Record{Kind: Query, Expected: tt.expected}
		if got := noisePageResultsMatch(rec, tt.vals); got != tt.want {
			t.Errorf("noisePageResultsMatch(%q, %q) = %v, want %v", tt.expected, tt.vals, got, tt.want)
		}
	}
}

func TestDialectOfPath(t *testing.T) {
	if DialectOfPath("/tmp/slt-corpus/noisepage/traces/select.test") != NoisePage {
		t.Error("noisepage/ file not read as NoisePage")
	}
	if DialectOfPath("shared/testdata/sqllogictest/risinglight/sql/select.slt") != SQLLogicTestRS {
		t.Error("risinglight/ file not read as sqllogictest-rs")
	}
	for _, name := range []string{"sqlite", "noisepage", "sqllogictest-rs"} {
		if d, err := ParseDialect(name); err != nil || d.String() != name {
			t.Errorf("ParseDialect(%q) = %v, %v", name, d, err)
		}
	}
	if DialectOfPath("/tmp/slt-corpus/test/select1.test") != SQLite || DialectOfPath("noisepages.test") != SQLite {
		t.Error("SQLite file read as NoisePage")
	}
}
