package sql

import (
	"fmt"
	"math"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/quorumdb/quorumdb/sql/pgerror"
)

// planAlterSequence runs ALTER SEQUENCE [IF EXISTS] s with RESTART [WITH
// n], INCREMENT BY, [NO] MINVALUE, [NO] MAXVALUE, START WITH and [NO]
// CYCLE. Like PostgreSQL's, the change is transactional: the new options
// and a restarted value commit with the statement's transaction.
func (b *builder) planAlterSequence(as *pg_query.AlterSeqStmt) (*stmtPlan, error) {
	return tagOnly("ALTER SEQUENCE", func(ec *execCtx) error {
		rv := as.Sequence
		schema, err := b.relationSchema(rv.Schemaname, rv.Relname)
		if err != nil {
			return err
		}
		seq, err := b.cat.tableByName(b.ctx, b.sess.dbID, schema, rv.Relname)
		if err != nil {
			return err
		}
		if seq == nil {
			if as.MissingOk {
				ec.addNotice(fmt.Sprintf("relation %q does not exist, skipping", rv.Relname))
				return nil
			}
			return undefinedTable(rv.Relname)
		}
		if seq.Kind != kindSequence || seq.Name != rv.Relname {
			return pgerror.New(pgerror.WrongObjectType, "%q is not a sequence", rv.Relname)
		}
		seq = seq.clone()
		opts := seq.Sequence
		var restart *int64
		noMin, noMax := false, false
		for _, o := range as.Options {
			de := o.GetDefElem()
			v, hasValue := defElemInt(de)
			switch de.Defname {
			case "increment":
				if v == 0 {
					return pgerror.New(pgerror.InvalidParameterValue, "INCREMENT must not be zero")
				}
				opts.Increment = v
			case "minvalue":
				if hasValue {
					opts.Min = v
				} else {
					noMin = true
				}
			case "maxvalue":
				if hasValue {
					opts.Max = v
				} else {
					noMax = true
				}
			case "start":
				opts.Start = v
			case "restart":
				r := opts.Start
				if hasValue {
					r = v
				}
				restart = &r
			case "cycle":
				opts.Cycle = de.Arg == nil || de.Arg.GetBoolean().GetBoolval() || de.Arg.GetInteger().GetIval() != 0
			case "cache":
				// One value at a time is always correct; the cache size only
				// trades speed.
			default:
				return pgerror.New(pgerror.FeatureNotSupported, "ALTER SEQUENCE option %s is not supported", de.Defname)
			}
		}
		// NO MINVALUE and NO MAXVALUE take the defaults for the (possibly
		// new) direction, as PostgreSQL's do.
		if noMin {
			opts.Min = 1
			if opts.Increment < 0 {
				opts.Min = math.MinInt64
			}
		}
		if noMax {
			opts.Max = math.MaxInt64
			if opts.Increment < 0 {
				opts.Max = -1
			}
		}
		if opts.Min >= opts.Max {
			return pgerror.New(pgerror.InvalidParameterValue, "MINVALUE (%d) must be less than MAXVALUE (%d)", opts.Min, opts.Max)
		}
		if err := seqValueInRange("START", opts.Start, opts); err != nil {
			return err
		}
		if restart != nil {
			if err := seqValueInRange("RESTART", *restart, opts); err != nil {
				return err
			}
			// The stored value is the last one handed out: the one before
			// the restart value, so that nextval returns it next.
			if err := kvError(ec.txn.Put(ec.ctx, seqValueKey(seq.ID), be64(*restart-opts.Increment))); err != nil {
				return err
			}
		}
		return b.cat.writeTable(b.ctx, seq)
	}), nil
}

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
