package sql

import (
	"strings"
	"testing"

	"github.com/quorumdb/quorumdb/sql/pgerror"
)

// TestParseDepth: statements nested deeper than the parser can take are
// refused with 54001 before they reach it (a chain of 40,000 additions
// killed the node), and long but shallow statements are not.
func TestParseDepth(t *testing.T) {
	rep := func(s string, n int) string { return strings.Repeat(s, n) }
	refused := map[string]string{
		"plus chain":  "select 1" + rep("+1", 40000),
		"cast chain":  "select 1" + rep("::int", 30000),
		"concat":      "select 'a'" + rep(" || 'a'", 25000),
		"set ops":     rep("select 1 union all ", 12000) + "select 1",
		"deep parens": "select " + rep("(1+", 6000) + "1" + rep(")", 6000),
	}
	for name, q := range refused {
		_, err := parse(q)
		if pgerror.CodeOf(err) != pgerror.StatementTooComplex {
			t.Errorf("%s: %v, want 54001", name, err)
		}
	}
	values := make([]string, 20000)
	for i := range values {
		values[i] = "(1, -2, 'x' || 'y', $1::int + 3)"
	}
	cases := make([]string, 3000)
	for i := range cases {
		cases[i] = "when x = 1 then 'a' || 'b'"
	}
	accepted := map[string]string{
		"multi-row insert": "insert into t values " + strings.Join(values, ", "),
		"long AND chain":   "select 1 where " + strings.TrimSuffix(rep("a = 1 and b <> 2 and ", 5000), " and "),
		"in list":          "select 1 where a in (" + strings.TrimSuffix(rep("-1, ", 30000), ", ") + ")",
		"wide case":        "select case " + strings.Join(cases, " ") + " end",
		"plus chain 3000":  "select 1" + rep("+1", 3000),
	}
	for name, q := range accepted {
		if _, err := parse(q); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestQuickDepthBounds: the text-only bound is never below the
// scanner's, and gives up on what it cannot lex exactly.
func TestQuickDepthBounds(t *testing.T) {
	for _, q := range []string{
		"select 1" + strings.Repeat("+1", 20000),
		"select " + strings.Repeat("'a,b' || ", 20000) + "'c'",
		"select " + strings.Repeat(`"x,y" + `, 20000) + "1",
		"select " + strings.Repeat("case when a then ", 6000) + "1" + strings.Repeat(" end", 6000),
		"select 1 where " + strings.Repeat("a = 'it''s' and ", 20000) + "true",
	} {
		quick, ok := quickDepth(q)
		if !ok {
			t.Errorf("%.40s…: quickDepth gave up", q)
			continue
		}
		scanned := checkParseDepth(q) != nil
		if scanned && quick <= maxParseDepth {
			t.Errorf("%.40s…: quick bound %d is below the limit the scanner exceeds", q, quick)
		}
	}
	for _, q := range []string{
		"select $$--$$ + 1", "select E'\\'' + 1", "select 'a\\' + 1", "select 1 -- c", "select /* c */ 1", "select x'1f'", "select $1$", "select a$b",
	} {
		if _, ok := quickDepth(q); ok {
			t.Errorf("%q: quickDepth did not give up", q)
		}
	}
}
