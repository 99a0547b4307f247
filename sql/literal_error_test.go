package sql

import (
	"context"
	"testing"

	"github.com/quorumdb/quorumdb/sql/pgerror"
)

// TestLiteralErrorPosition checks that an error converting a string
// literal points at the literal, as PostgreSQL's parser reports it
// (positions from PostgreSQL 15) unless it comes from the type modifier,
// and that jsonb subscripting errors point at the subscript.
func TestLiteralErrorPosition(t *testing.T) {
	_, s := testSession(t)
	for _, tc := range []struct {
		sql  string
		code string
		pos  int
	}{
		{`SELECT 'abc'::int`, "22P02", 8},
		{`SELECT int4 'abc'`, "22P02", 13},
		{`SELECT cast('abc' as int)`, "22P02", 13},
		{`SELECT 1 + 'abc'`, "22P02", 12},
		{`SELECT '{1,x}'::int[]`, "22P02", 8},
		{`SELECT '01'::json`, "22P02", 8},
		{`SELECT ('[1]'::jsonb)[1.0]`, "42804", 23},
		{`SELECT ('[1]'::jsonb)[1::bigint]`, "42804", 23},
		{`SELECT ('[1]'::jsonb)[1:2]`, "42804", 25},
		// A type modifier is applied after the input function, without
		// a position.
		{`SELECT 'abc'::varchar(2)::char(1) || 'abc'::varchar(1)`, "", 0},
		{`SELECT '123.456'::numeric(3,2)`, "22003", 0},
		{`SELECT 'x'::numeric(3,2)`, "22P02", 8},
	} {
		if tc.code == "" {
			if err := s.ExecSimple(context.Background(), tc.sql, &recorder{}); err != nil {
				t.Errorf("%s: %v", tc.sql, err)
			}
			continue
		}
		err := s.ExecSimple(context.Background(), tc.sql, &recorder{})
		pe, ok := pgerror.As(err)
		if !ok || pe.Code != tc.code || pe.Position != tc.pos {
			t.Errorf("%s: got %v (position %d), want %s at %d", tc.sql, err, positionOf(pe), tc.code, tc.pos)
		}
	}
}

func positionOf(pe *pgerror.Error) int {
	if pe == nil {
		return 0
	}
	return pe.Position
}
