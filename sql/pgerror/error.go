package pgerror

import (
	"context"
	"errors"
	"fmt"
)

// Error is an error with PostgreSQL's error fields. Code is a five
// character SQLSTATE (see codes.go).
type Error struct {
	Code     string
	Severity string // ERROR unless set (FATAL, PANIC for connection-ending errors)
	Message  string
	Detail   string
	Hint     string
	// Position is the 1-based character offset into the query text, 0 if unknown.
	Position int
	// Schema, Table, Column and Constraint name the object an integrity
	// error is about (drivers expose them: psycopg's diag, node-postgres'
	// error.constraint).
	Schema     string
	Table      string
	Column     string
	Constraint string
	// Where is PostgreSQL's CONTEXT: where the error arose (inside which
	// SQL function), innermost first, one line each.
	Where string
	cause error
}

func (e *Error) Error() string { return e.Message }

// Unwrap returns the error this one was created from, if any.
func (e *Error) Unwrap() error { return e.cause }

// New returns an error with the given SQLSTATE and formatted message.
func New(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Wrap attaches a SQLSTATE to err, keeping err reachable through errors.Is/As.
// The message is msg when non-empty, else err's text.
func Wrap(err error, code, msg string) *Error {
	if msg == "" {
		msg = err.Error()
	}
	return &Error{Code: code, Message: msg, cause: err}
}

// WithDetail returns e with its Detail set.
func (e *Error) WithDetail(format string, args ...any) *Error {
	e.Detail = fmt.Sprintf(format, args...)
	return e
}

// WithHint returns e with its Hint set.
func (e *Error) WithHint(format string, args ...any) *Error {
	e.Hint = fmt.Sprintf(format, args...)
	return e
}

// WithConstraint returns e naming the table and constraint it is about.
func (e *Error) WithConstraint(schema, table, constraint string) *Error {
	e.Schema, e.Table, e.Constraint = schema, table, constraint
	return e
}

// WithColumn returns e naming the table column it is about.
func (e *Error) WithColumn(schema, table, column string) *Error {
	e.Schema, e.Table, e.Column = schema, table, column
	return e
}

// WithPosition returns e with its Position (1-based) set.
func (e *Error) WithPosition(pos int) *Error {
	e.Position = pos
	return e
}

// codeMappers let lower layers (kv, cluster) whose sentinels cannot import
// this package be mapped to SQLSTATEs in one place. See RegisterCodeMapper.
var codeMappers []func(error) (string, bool)

// As finds the *Error in err's chain (errors.As), so that a caller adding a
// position or context reaches an error however it was wrapped.
func As(err error) (*Error, bool) {
	var pe *Error
	ok := errors.As(err, &pe)
	return pe, ok
}

// RegisterCodeMapper adds a function that maps errors of a lower layer to a
// SQLSTATE. It must be called from an init function.
func RegisterCodeMapper(f func(error) (string, bool)) {
	codeMappers = append(codeMappers, f)
}

// Flatten returns err as an *Error, choosing a code for errors that carry
// none: context cancellation is 57014, registered lower-layer sentinels map
// through their mapper, anything else is XX000 (internal error).
func Flatten(err error) *Error {
	if err == nil {
		return nil
	}
	var pe *Error
	if errors.As(err, &pe) {
		out := *pe
		if out.Severity == "" {
			out.Severity = "ERROR"
		}
		return &out
	}
	if errors.Is(err, context.Canceled) {
		return &Error{Code: QueryCanceled, Severity: "ERROR", Message: "canceling statement due to user request", cause: err}
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return &Error{Code: QueryCanceled, Severity: "ERROR", Message: "canceling statement due to statement timeout", cause: err}
	}
	for _, m := range codeMappers {
		if code, ok := m(err); ok {
			return &Error{Code: code, Severity: "ERROR", Message: err.Error(), cause: err}
		}
	}
	return &Error{Code: InternalError, Severity: "ERROR", Message: err.Error(), cause: err}
}

// CodeOf returns the SQLSTATE Flatten would report for err, "" for nil.
func CodeOf(err error) string {
	if err == nil {
		return ""
	}
	return Flatten(err).Code
}
