package types

import (
	"strings"

	"github.com/quorumdb/quorumdb/sql/pgerror"
)

// The error constructors below hold PostgreSQL's exact message texts so
// that every input and cast path reports a value's problem the same way.

// errSyntax is 22P02 "invalid input syntax for type T: "s"".
func errSyntax(typ, s string) error {
	return pgerror.New(pgerror.InvalidTextRepresentation, "invalid input syntax for type %s: \"%s\"", typ, s)
}

// errValueRange is 22003 "value "s" is out of range for type T" (integers).
func errValueRange(s, typ string) error {
	return pgerror.New(pgerror.NumericValueOutOfRange, "value \"%s\" is out of range for type %s", s, typ)
}

// errDatetimeSyntax is 22007 for unreadable date/time input.
func errDatetimeSyntax(typ, s string) error {
	return pgerror.New(pgerror.InvalidDatetimeFormat, "invalid input syntax for type %s: \"%s\"", typ, s)
}

// errDatetimeRange is 22008 for a date/time field out of its range.
func errDatetimeRange(s string) error {
	return pgerror.New(pgerror.DatetimeFieldOverflow, "date/time field value out of range: \"%s\"", s)
}

// errBinary is 22P03 for malformed binary input.
func errBinary(format string, args ...any) error {
	return pgerror.New(pgerror.InvalidBinaryRepresentation, format, args...)
}

// errCannotCast is 42846 "cannot cast type X to Y".
func errCannotCast(from, to T) error {
	return pgerror.New(pgerror.CannotCoerce, "cannot cast type %s to %s", TypeName(from), TypeName(to))
}

// errOutOfRange is 22003 with a bare message ("integer out of range").
func errOutOfRange(msg string) error {
	return pgerror.New(pgerror.NumericValueOutOfRange, "%s", msg)
}

func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToUpper(s), strings.ToUpper(sub))
}
