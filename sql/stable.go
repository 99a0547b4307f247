package sql

import (
	"github.com/quorumdb/quorumdb/sql/exec"
	"github.com/quorumdb/quorumdb/sql/types"
)

// stableNode reports whether e itself (its arguments aside) is what
// PostgreSQL marks stable rather than immutable: it depends on the
// session's time zone or date style, so the planner never folds it and
// its errors happen only when a row evaluates it (issue 15, group I).
// quorumdb still folds such an expression when that succeeds (the value
// is the same for the whole statement); only a failure is left to run
// time.
func stableNode(e exec.Expr) bool {
	switch v := e.(type) {
	case *exec.CastExpr:
		return stableCast(v.E.Typ(), v.T)
	case *exec.FuncExpr:
		ts := make([]types.T, len(v.Args))
		for i, a := range v.Args {
			ts[i] = a.Typ()
		}
		return stableCall(v.Name, ts)
	}
	return false
}

// isDateTime reports whether t is one of the types whose text input and
// output depend on DateStyle, IntervalStyle or the time zone.
func isDateTime(t types.T) bool {
	switch t.Family {
	case types.DateFamily, types.TimestampFamily, types.TimestampTZFamily, types.IntervalFamily:
		return true
	}
	return false
}

// stableCast reports whether a cast from one type to another is stable
// in PostgreSQL: text input of a date/time type (date_in, time_in,
// timestamp_in, timestamptz_in, interval_in), text output of
// date/timestamp/timestamptz/interval, and the casts between the
// time-zone-dependent types.
func stableCast(from, to types.T) bool {
	switch {
	case from.Family == types.StringFamily:
		return isDateTime(to) || to.Family == types.TimeFamily
	case to.Family == types.StringFamily:
		return isDateTime(from)
	case from.Family == types.TimestampTZFamily:
		return to.Family != types.TimestampTZFamily
	case to.Family == types.TimestampTZFamily:
		return from.Family == types.DateFamily || from.Family == types.TimestampFamily
	}
	return false
}

// stableCall reports whether the builtin name called with arguments of
// types ts is stable in PostgreSQL (pg_proc.provolatile 's').
func stableCall(name string, ts []types.T) bool {
	hasTZ := false
	allText := true
	for _, t := range ts {
		hasTZ = hasTZ || t.Family == types.TimestampTZFamily
		allText = allText && (t.Family == types.StringFamily || t.Family == types.UnknownFamily)
	}
	switch name {
	case "to_char", "to_date", "to_number", "format", "concat", "concat_ws", "to_json", "to_jsonb",
		"json_build_object", "json_build_array", "jsonb_build_object", "jsonb_build_array",
		"array_to_string", "array_to_json", "row_to_json", "now", "statement_timestamp",
		"transaction_timestamp", "timezone", "make_timestamptz":
		return true
	case "||":
		// textanycat and anytextcat: the other operand's output
		// function may depend on the session.
		return !allText && len(ts) == 2 && (ts[0].Family == types.StringFamily) != (ts[1].Family == types.StringFamily) &&
			ts[0].Family != types.ArrayFamily && ts[1].Family != types.ArrayFamily
	case "quote_literal", "quote_nullable":
		return !allText
	case "age":
		return len(ts) == 1
	case "to_timestamp":
		return len(ts) == 2
	case "date_part", "extract", "date_trunc", "+", "-", "=", "<>", "<", "<=", ">", ">=":
		return hasTZ && !allTZ(ts)
	}
	return false
}

// allTZ reports whether every type in ts is timestamptz (timestamptz -
// timestamptz and its comparisons are immutable).
func allTZ(ts []types.T) bool {
	for _, t := range ts {
		if t.Family != types.TimestampTZFamily {
			return false
		}
	}
	return true
}
