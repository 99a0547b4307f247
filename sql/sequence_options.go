package sql

import (
	"math"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/quorumdb/quorumdb/sql/catalog"
	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// seqSpec is what a CREATE/ALTER SEQUENCE option list (or an identity
// column's sequence options) says; nil fields were not given.
type seqSpec struct {
	typ              *types.T
	start, increment *int64
	min, max         *int64
	noMin, noMax     bool
	restart          bool
	restartWith      *int64
	cycle            *bool
	ownedBy          []string // nil: not given; ["none"]: OWNED BY NONE
	sequenceName     []string // identity columns' SEQUENCE NAME
}

// parseSeqOptions reads sequence options as PostgreSQL spells them in
// the parse tree. CACHE changes nothing here (values come one at a time
// from the kv store).
func (b *builder) parseSeqOptions(options []*pg_query.Node) (*seqSpec, error) {
	s := &seqSpec{}
	intArg := func(de *pg_query.DefElem) (*int64, error) {
		v, ok := defElemInt(de)
		if !ok {
			return nil, pgerror.New(pgerror.InvalidParameterValue, "%s requires a numeric value", de.Defname)
		}
		return &v, nil
	}
	for _, o := range options {
		de := o.GetDefElem()
		if de == nil {
			continue
		}
		var err error
		switch de.Defname {
		case "as":
			t, terr := b.resolveTypeName(de.Arg.GetTypeName())
			if terr != nil {
				return nil, terr
			}
			if t.Oid != types.OidInt2 && t.Oid != types.OidInt4 && t.Oid != types.OidInt8 {
				return nil, pgerror.New(pgerror.InvalidParameterValue, "sequence type must be smallint, integer, or bigint")
			}
			s.typ = &t
		case "start":
			s.start, err = intArg(de)
		case "increment":
			s.increment, err = intArg(de)
			if err == nil && *s.increment == 0 {
				return nil, pgerror.New(pgerror.InvalidParameterValue, "INCREMENT must not be zero")
			}
		case "minvalue":
			if de.Arg == nil {
				s.noMin = true
			} else {
				s.min, err = intArg(de)
			}
		case "maxvalue":
			if de.Arg == nil {
				s.noMax = true
			} else {
				s.max, err = intArg(de)
			}
		case "restart":
			s.restart = true
			if de.Arg != nil {
				s.restartWith, err = intArg(de)
			}
		case "cache":
			// Every value is its own kv write; there is nothing to cache.
		case "cycle":
			c := de.Arg == nil || de.Arg.GetBoolean().GetBoolval() || de.Arg.GetInteger().GetIval() != 0
			s.cycle = &c
		case "owned_by":
			s.ownedBy = stringList(de.Arg)
		case "sequence_name":
			s.sequenceName = stringList(de.Arg)
		default:
			return nil, pgerror.New(pgerror.FeatureNotSupported, "sequence option %q is not supported", de.Defname)
		}
		if err != nil {
			return nil, err
		}
	}
	return s, nil
}

func stringList(n *pg_query.Node) []string {
	var out []string
	for _, item := range n.GetList().GetItems() {
		out = append(out, item.GetString_().GetSval())
	}
	return out
}

// typeBounds are the values a sequence of type t can reach.
func typeBounds(t types.T) (int64, int64) {
	switch t.Oid {
	case types.OidInt2:
		return math.MinInt16, math.MaxInt16
	case types.OidInt4:
		return math.MinInt32, math.MaxInt32
	}
	return math.MinInt64, math.MaxInt64
}

// newSeqOptions applies a spec to a new sequence of type def (the column
// type for serial and identity columns, bigint for CREATE SEQUENCE),
// with PostgreSQL's defaults: ascending sequences run from 1 to the
// type's maximum, descending ones from -1 down to its minimum.
func (s *seqSpec) newSeqOptions(def types.T) (*catalog.SequenceOptions, error) {
	t := def
	if s.typ != nil {
		t = *s.typ
	}
	lo, hi := typeBounds(t)
	o := &catalog.SequenceOptions{Increment: 1}
	if s.increment != nil {
		o.Increment = *s.increment
	}
	if o.Increment > 0 {
		o.Min, o.Max = 1, hi
	} else {
		o.Min, o.Max = lo, -1
	}
	if s.min != nil {
		o.Min = *s.min
	}
	if s.max != nil {
		o.Max = *s.max
	}
	o.Start = o.Min
	if o.Increment < 0 {
		o.Start = o.Max
	}
	if s.start != nil {
		o.Start = *s.start
	}
	if s.cycle != nil {
		o.Cycle = *s.cycle
	}
	return o, validateSequenceOptions(o, lo, hi)
}

// alter applies a spec to an existing sequence's options.
func (s *seqSpec) alter(o *catalog.SequenceOptions) error {
	if s.increment != nil {
		o.Increment = *s.increment
	}
	lo, hi := typeBounds(types.Int8)
	if s.typ != nil {
		lo, hi = typeBounds(*s.typ)
		if o.Max > hi {
			o.Max = hi
		}
		if o.Min < lo {
			o.Min = lo
		}
	}
	if s.noMin {
		o.Min = 1
		if o.Increment < 0 {
			o.Min = lo
		}
	}
	if s.noMax {
		o.Max = hi
		if o.Increment < 0 {
			o.Max = -1
		}
	}
	if s.min != nil {
		o.Min = *s.min
	}
	if s.max != nil {
		o.Max = *s.max
	}
	if s.start != nil {
		o.Start = *s.start
	}
	if s.cycle != nil {
		o.Cycle = *s.cycle
	}
	return validateSequenceOptions(o, lo, hi)
}

func validateSequenceOptions(o *catalog.SequenceOptions, lo, hi int64) error {
	if o.Min < lo || o.Max > hi {
		return pgerror.New(pgerror.InvalidParameterValue, "MINVALUE (%d) and MAXVALUE (%d) must be within the sequence type's range", o.Min, o.Max)
	}
	if o.Min >= o.Max {
		return pgerror.New(pgerror.InvalidParameterValue, "MINVALUE (%d) must be less than MAXVALUE (%d)", o.Min, o.Max)
	}
	return seqValueInRange("START", o.Start, o)
}

// seqValueInRange is PostgreSQL's check of START and RESTART values.
func seqValueInRange(what string, v int64, opts *catalog.SequenceOptions) error {
	if v < opts.Min {
		return pgerror.New(pgerror.InvalidParameterValue, "%s value (%d) cannot be less than MINVALUE (%d)", what, v, opts.Min)
	}
	if v > opts.Max {
		return pgerror.New(pgerror.InvalidParameterValue, "%s value (%d) cannot be greater than MAXVALUE (%d)", what, v, opts.Max)
	}
	return nil
}
