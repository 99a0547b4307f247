package sql

import (
	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/quorumdb/quorumdb/sql/exec"
	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

func (b *builder) buildFrame(w *pg_query.WindowDef, order []exec.WindowOrder, s *scope) (exec.WindowFrame, error) {
	opts := w.FrameOptions
	if opts&frameNonDefault == 0 {
		return exec.DefaultFrame, nil
	}
	var f exec.WindowFrame
	switch {
	case opts&exec.FrameOptRows != 0:
		f.Mode = exec.FrameRows
	case opts&exec.FrameOptGroups != 0:
		f.Mode = exec.FrameGroups
		if len(order) == 0 {
			return f, pgerror.New(pgerror.WindowingError, "GROUPS mode requires an ORDER BY clause").WithPosition(int(w.Location) + 1)
		}
	}
	switch {
	case opts&exec.FrameOptExcludeCurrentRow != 0:
		f.Exclude = exec.ExcludeCurrentRow
	case opts&exec.FrameOptExcludeGroup != 0:
		f.Exclude = exec.ExcludeGroup
	case opts&exec.FrameOptExcludeTies != 0:
		f.Exclude = exec.ExcludeTies
	}
	f.Start.Kind, f.End.Kind = exec.BoundCurrentRow, exec.BoundCurrentRow
	switch {
	case opts&exec.FrameOptStartUnboundedPreceding != 0:
		f.Start.Kind = exec.BoundUnboundedPreceding
	case opts&exec.FrameOptStartOffsetPreceding != 0:
		f.Start.Kind = exec.BoundPreceding
	case opts&exec.FrameOptStartOffsetFollowing != 0:
		f.Start.Kind = exec.BoundFollowing
	}
	switch {
	case opts&exec.FrameOptEndUnboundedFollowing != 0:
		f.End.Kind = exec.BoundUnboundedFollowing
	case opts&exec.FrameOptEndOffsetPreceding != 0:
		f.End.Kind = exec.BoundPreceding
	case opts&exec.FrameOptEndOffsetFollowing != 0:
		f.End.Kind = exec.BoundFollowing
	}
	if f.Mode == exec.FrameRange && (f.Start.Offsetted() || f.End.Offsetted()) {
		if len(order) != 1 {
			return f, pgerror.New(pgerror.WindowingError, "RANGE with offset PRECEDING/FOLLOWING requires exactly one ORDER BY column").WithPosition(int(w.Location) + 1)
		}
	}
	var err error
	if f.Start.Offsetted() {
		if err = b.buildFrameOffset(&f, &f.Start, w.StartOffset, order, true, s); err != nil {
			return f, err
		}
	}
	if f.End.Offsetted() {
		if err = b.buildFrameOffset(&f, &f.End, w.EndOffset, order, false, s); err != nil {
			return f, err
		}
	}
	return f, nil
}

// buildFrameOffset types a bound's offset: a row or group count for ROWS
// and GROUPS; for RANGE, a distance in the ORDER BY column's terms
// (interval for dates and times), as PostgreSQL's in_range functions take.
func (b *builder) buildFrameOffset(f *exec.WindowFrame, fb *exec.FrameBound, n *pg_query.Node, order []exec.WindowOrder, start bool, s *scope) error {
	off, err := b.buildExpr(n, s)
	if err != nil {
		return err
	}
	if cols, opaque := exprColumns(off); len(cols) > 0 || opaque {
		return pgerror.New(pgerror.InvalidColumnReference, "argument of %s must not contain variables", f.Mode)
	}
	if f.Mode != exec.FrameRange {
		fb.Offset, err = b.coerce(off, types.Int8, f.Mode.String())
		return err
	}
	key := order[0].E
	kt := key.Typ()
	var want types.T
	var accepted []types.Family
	switch kt.Family {
	case types.IntFamily:
		want, accepted = types.Int8, []types.Family{types.IntFamily}
	case types.FloatFamily:
		want, accepted = types.Float8, []types.Family{types.IntFamily, types.FloatFamily, types.DecimalFamily}
	case types.DecimalFamily:
		want, accepted = types.Numeric, []types.Family{types.IntFamily, types.DecimalFamily}
	case types.DateFamily, types.TimestampFamily, types.TimestampTZFamily, types.TimeFamily, types.IntervalFamily:
		want, accepted = types.IntervalT, []types.Family{types.IntervalFamily}
	default:
		return pgerror.New(pgerror.FeatureNotSupported, "RANGE with offset PRECEDING/FOLLOWING is not supported for column type %s", types.SQLName(kt))
	}
	ok := off.Typ().Family == types.UnknownFamily
	for _, fam := range accepted {
		ok = ok || off.Typ().Family == fam
	}
	if !ok {
		return pgerror.New(pgerror.FeatureNotSupported, "RANGE with offset PRECEDING/FOLLOWING is not supported for column type %s and offset type %s", types.SQLName(kt), types.SQLName(off.Typ()))
	}
	if fb.Offset, err = b.coerce(off, want, "RANGE"); err != nil {
		return err
	}
	f.OffsetType = want
	// PRECEDING moves against the sort direction, FOLLOWING with it.
	op := "+"
	if (fb.Kind == exec.BoundPreceding) != order[0].Desc {
		op = "-"
	}
	if fb.Moved, err = b.binaryOp(op, key, fb.Offset); err != nil {
		return err
	}
	f.RangeKey = key
	if !key.Typ().Equal(fb.Moved.Typ()) {
		f.RangeKey, err = b.castTo(key, fb.Moved.Typ())
	}
	return err
}
