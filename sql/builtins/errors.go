package builtins

import "github.com/quorumdb/quorumdb/sql/pgerror"

// SQLSTATEs PostgreSQL uses here that package pgerror does not name.
const (
	codeInvalidArgumentForLog   = "2201E"
	codeInvalidArgumentForPower = "2201F"
	codeSubstringError          = "22011"
	codeInvalidArgumentForWidth = "2201G"
)

// The errors below recur across files; their texts are PostgreSQL's.
var (
	errDivByZero       = pgerror.New(pgerror.DivisionByZero, "division by zero")
	errInt2Range       = pgerror.New(pgerror.NumericValueOutOfRange, "smallint out of range")
	errInt4Range       = pgerror.New(pgerror.NumericValueOutOfRange, "integer out of range")
	errInt8Range       = pgerror.New(pgerror.NumericValueOutOfRange, "bigint out of range")
	errOverflow        = pgerror.New(pgerror.NumericValueOutOfRange, "value out of range: overflow")
	errUnderflow       = pgerror.New(pgerror.NumericValueOutOfRange, "value out of range: underflow")
	errNumericOverflow = pgerror.New(pgerror.NumericValueOutOfRange, "value overflows numeric format")
)

// newErr builds a fresh error so that callers may attach a position
// without touching a shared value.
func newErr(code, format string, args ...any) error { return pgerror.New(code, format, args...) }

// fresh copies a shared error value before it is returned: the planner
// sets Position on the errors it gets back.
func fresh(e *pgerror.Error) error {
	cp := *e
	return &cp
}
