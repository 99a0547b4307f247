package sql

import (
	"github.com/quorumdb/quorumdb/sql/pgerror"
)

// seqValueInRange is PostgreSQL's check of START and RESTART values.
func seqValueInRange(what string, v int64, opts *seqOptions) error {
	if v < opts.Min {
		return pgerror.New(pgerror.InvalidParameterValue, "%s value (%d) cannot be less than MINVALUE (%d)", what, v, opts.Min)
	}
	if v > opts.Max {
		return pgerror.New(pgerror.InvalidParameterValue, "%s value (%d) cannot be greater than MAXVALUE (%d)", what, v, opts.Max)
	}
	return nil
}
