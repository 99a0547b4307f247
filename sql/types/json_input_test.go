package types

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/quorumdb/quorumdb/sql/pgerror"
)

// TestJSONInputErrors checks the DETAIL and CONTEXT of invalid json and
// jsonb input against PostgreSQL 15's.
func TestJSONInputErrors(t *testing.T) {
	for _, tc := range []struct {
		in, detail, where string
		jsonbOnly         bool
	}{
		{``, "The input string ended unexpectedly.", "JSON data, line 1: ", false},
		{`"abc`, `Token ""abc" is invalid.`, `JSON data, line 1: "abc`, false},
		{`"\v"`, `Escape sequence "\v" is invalid.`, `JSON data, line 1: "\v...`, false},
		{`"\é"`, `Escape sequence "\é" is invalid.`, `JSON data, line 1: "\é...`, false},
		{`"\u00"`, `"\u" must be followed by four hexadecimal digits.`, `JSON data, line 1: "\u00"`, false},
		{"\"ab\ncd\"", "Character with value 0x0a must be escaped.", `JSON data, line 1: "ab`, false},
		{`01`, `Token "01" is invalid.`, "JSON data, line 1: 01", false},
		{`.1`, `Token "." is invalid.`, "JSON data, line 1: ....", false},
		{`1.e1`, `Token "1.e1" is invalid.`, "JSON data, line 1: 1.e1", false},
		{`[1,]`, `Expected JSON value, but found "]".`, "JSON data, line 1: [1,]", false},
		{`{"a":1,}`, `Expected string, but found "}".`, `JSON data, line 1: {"a":1,}`, false},
		{`[1 2]`, `Expected "," or "]", but found "2".`, "JSON data, line 1: [1 2...", false},
		{`{1:2}`, `Expected string or "}", but found "1".`, "JSON data, line 1: {1...", false},
		{`{"a" 1}`, `Expected ":", but found "1".`, `JSON data, line 1: {"a" 1...`, false},
		{`{"a":1 "b":2}`, `Expected "," or "}", but found ""b"".`, `JSON data, line 1: {"a":1 "b"...`, false},
		{`true false`, `Expected end of input, but found "false".`, "JSON data, line 1: true false", false},
		{`[1,[2]`, "The input string ended unexpectedly.", "JSON data, line 1: [1,[2]", false},
		{"{\n\"a\": 1,\n\"c\": @}", `Token "@" is invalid.`, `JSON data, line 3: "c": @...`, false},
		{`{"abc": 1, "def": 2, "ghi": [3,4], "hij": {"klm": 5, "nop": [6]}, "xyz": truee}`, `Token "truee" is invalid.`,
			`JSON data, line 1: ...3,4], "hij": {"klm": 5, "nop": [6]}, "xyz": truee...`, false},
		{`"\ud83d\ud83d"`, "Unicode high surrogate must not follow a high surrogate.", `JSON data, line 1: "\ud83d\ud83d...`, true},
		{`"\ude04X"`, "Unicode low surrogate must follow a high surrogate.", `JSON data, line 1: "\ude04...`, true},
		{`"\ud83dX"`, "Unicode low surrogate must follow a high surrogate.", `JSON data, line 1: "\ud83dX...`, true},
	} {
		for _, typ := range []T{JSONT, JSONB} {
			_, err := ParseText(typ, tc.in, DefaultSettings())
			if tc.jsonbOnly && typ.Oid == OidJSON {
				if err != nil {
					t.Errorf("json %q: %v, want no error (json keeps escapes as written)", tc.in, err)
				}
				continue
			}
			var pe *pgerror.Error
			if !errors.As(err, &pe) || pe.Code != pgerror.InvalidTextRepresentation || pe.Detail != tc.detail || pe.Where != tc.where {
				t.Errorf("%s %q: got %v, want 22P02 %q, context %q", TypeName(typ), tc.in, describeErr(err), tc.detail, tc.where)
			}
		}
	}
}

func describeErr(err error) string {
	var pe *pgerror.Error
	if errors.As(err, &pe) {
		return pe.Code + " " + pe.Detail + " | " + pe.Where
	}
	return "no pgerror"
}

// TestJSONDepthLimit checks that max_stack_depth bounds the nesting of
// json input near where PostgreSQL 15's parser runs out of stack (about
// 680 levels with 100kB, 14,000 with 2048kB) and that the hint names the
// session's value.
func TestJSONDepthLimit(t *testing.T) {
	small := &Settings{MaxStackDepthKB: 100}
	for _, tc := range []struct {
		set     *Settings
		depth   int
		tooDeep bool
	}{
		{small, 500, false},
		{small, 10000, true},
		{nil, 10000, false},
		{nil, 20000, true},
	} {
		for _, typ := range []T{JSONT, JSONB} {
			in := strings.Repeat("[", tc.depth) + strings.Repeat("]", tc.depth)
			_, err := ParseText(typ, in, tc.set)
			var pe *pgerror.Error
			deep := errors.As(err, &pe) && pe.Code == pgerror.StatementTooComplex
			if deep != tc.tooDeep || (!deep && err != nil) {
				t.Errorf("%s nested %d deep with %dkB: %v", TypeName(typ), tc.depth, stackDepthKB(tc.set), err)
			}
			if deep && !strings.Contains(pe.Hint, fmt.Sprintf("(currently %dkB)", stackDepthKB(tc.set))) {
				t.Errorf("hint %q does not name %dkB", pe.Hint, stackDepthKB(tc.set))
			}
		}
	}
}
