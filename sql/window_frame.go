package sql

import (
	"math"
	"sort"

	"github.com/cockroachdb/apd/v3"
	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// Window frames: ROWS, RANGE and GROUPS BETWEEN bounds, with EXCLUDE.
// The bits are PostgreSQL's FRAMEOPTION_* (nodes/parsenodes.h), which
// pg_query hands over as WindowDef.FrameOptions.
const (
	frameOptRange                   = 0x00002
	frameOptRows                    = 0x00004
	frameOptGroups                  = 0x00008
	frameOptStartUnboundedPreceding = 0x00020
	frameOptEndUnboundedFollowing   = 0x00100
	frameOptStartCurrentRow         = 0x00200
	frameOptEndCurrentRow           = 0x00400
	frameOptStartOffsetPreceding    = 0x00800
	frameOptEndOffsetPreceding      = 0x01000
	frameOptStartOffsetFollowing    = 0x02000
	frameOptEndOffsetFollowing      = 0x04000
	frameOptExcludeCurrentRow       = 0x08000
	frameOptExcludeGroup            = 0x10000
	frameOptExcludeTies             = 0x20000
)

type frameMode int

const (
	frameRange frameMode = iota
	frameRows
	frameGroups
)

func (m frameMode) String() string {
	switch m {
	case frameRows:
		return "ROWS"
	case frameGroups:
		return "GROUPS"
	}
	return "RANGE"
}

type boundKind int

const (
	boundUnboundedPreceding boundKind = iota
	boundPreceding
	boundCurrentRow
	boundFollowing
	boundUnboundedFollowing
)

// frameBound is one end of a frame. For ROWS and GROUPS, offset counts
// rows or peer groups; for RANGE, moved is the ORDER BY value moved by
// the offset toward the bound (computed for each row).
type frameBound struct {
	kind   boundKind
	offset expr
	moved  expr
}

type frameExclusion int

const (
	excludeNoOthers frameExclusion = iota
	excludeCurrentRow
	excludeGroup
	excludeTies
)

// windowFrame is a window's frame clause. rangeKey is the ORDER BY value
// in the type RANGE offsets are compared in (date moves to timestamp).
type windowFrame struct {
	mode       frameMode
	start, end frameBound
	exclude    frameExclusion
	offsetType types.T
	rangeKey   expr
}

// defaultFrame is RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW.
var defaultFrame = windowFrame{mode: frameRange, start: frameBound{kind: boundUnboundedPreceding}, end: frameBound{kind: boundCurrentRow}}

func (b *builder) buildFrame(w *pg_query.WindowDef, order []windowOrder, s *scope) (windowFrame, error) {
	opts := w.FrameOptions
	if opts&frameNonDefault == 0 {
		return defaultFrame, nil
	}
	var f windowFrame
	switch {
	case opts&frameOptRows != 0:
		f.mode = frameRows
	case opts&frameOptGroups != 0:
		f.mode = frameGroups
		if len(order) == 0 {
			return f, pgerror.New(pgerror.WindowingError, "GROUPS mode requires an ORDER BY clause").WithPosition(int(w.Location) + 1)
		}
	}
	switch {
	case opts&frameOptExcludeCurrentRow != 0:
		f.exclude = excludeCurrentRow
	case opts&frameOptExcludeGroup != 0:
		f.exclude = excludeGroup
	case opts&frameOptExcludeTies != 0:
		f.exclude = excludeTies
	}
	f.start.kind, f.end.kind = boundCurrentRow, boundCurrentRow
	switch {
	case opts&frameOptStartUnboundedPreceding != 0:
		f.start.kind = boundUnboundedPreceding
	case opts&frameOptStartOffsetPreceding != 0:
		f.start.kind = boundPreceding
	case opts&frameOptStartOffsetFollowing != 0:
		f.start.kind = boundFollowing
	}
	switch {
	case opts&frameOptEndUnboundedFollowing != 0:
		f.end.kind = boundUnboundedFollowing
	case opts&frameOptEndOffsetPreceding != 0:
		f.end.kind = boundPreceding
	case opts&frameOptEndOffsetFollowing != 0:
		f.end.kind = boundFollowing
	}
	if f.mode == frameRange && (f.start.offsetted() || f.end.offsetted()) {
		if len(order) != 1 {
			return f, pgerror.New(pgerror.WindowingError, "RANGE with offset PRECEDING/FOLLOWING requires exactly one ORDER BY column").WithPosition(int(w.Location) + 1)
		}
	}
	var err error
	if f.start.offsetted() {
		if err = b.buildFrameOffset(&f, &f.start, w.StartOffset, order, true, s); err != nil {
			return f, err
		}
	}
	if f.end.offsetted() {
		if err = b.buildFrameOffset(&f, &f.end, w.EndOffset, order, false, s); err != nil {
			return f, err
		}
	}
	return f, nil
}

func (fb frameBound) offsetted() bool {
	return fb.kind == boundPreceding || fb.kind == boundFollowing
}

// buildFrameOffset types a bound's offset: a row or group count for ROWS
// and GROUPS; for RANGE, a distance in the ORDER BY column's terms
// (interval for dates and times), as PostgreSQL's in_range functions take.
func (b *builder) buildFrameOffset(f *windowFrame, fb *frameBound, n *pg_query.Node, order []windowOrder, start bool, s *scope) error {
	off, err := b.buildExpr(n, s)
	if err != nil {
		return err
	}
	if cols, opaque := exprColumns(off); len(cols) > 0 || opaque {
		return pgerror.New(pgerror.InvalidColumnReference, "argument of %s must not contain variables", f.mode)
	}
	if f.mode != frameRange {
		fb.offset, err = b.coerce(off, types.Int8, f.mode.String())
		return err
	}
	key := order[0].e
	kt := key.typ()
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
	ok := off.typ().Family == types.UnknownFamily
	for _, fam := range accepted {
		ok = ok || off.typ().Family == fam
	}
	if !ok {
		return pgerror.New(pgerror.FeatureNotSupported, "RANGE with offset PRECEDING/FOLLOWING is not supported for column type %s and offset type %s", types.SQLName(kt), types.SQLName(off.typ()))
	}
	if fb.offset, err = b.coerce(off, want, "RANGE"); err != nil {
		return err
	}
	f.offsetType = want
	// PRECEDING moves against the sort direction, FOLLOWING with it.
	op := "+"
	if (fb.kind == boundPreceding) != order[0].desc {
		op = "-"
	}
	if fb.moved, err = b.binaryOp(op, key, fb.offset); err != nil {
		return err
	}
	f.rangeKey = key
	if !key.typ().Equal(fb.moved.typ()) {
		f.rangeKey, err = b.castTo(key, fb.moved.typ())
	}
	return err
}

// partitionFrames computes, for each row of a sorted partition, the
// half-open range of partition positions in its frame (before exclusion).
type partitionFrames struct {
	frame    *windowFrame
	peers    []peerRange // each row's peer group
	groupOf  []int       // each row's peer group number
	groups   []peerRange // the peer groups in order
	startOff int64       // ROWS/GROUPS offsets, evaluated once
	endOff   int64
	keys     []types.Datum // RANGE: each row's rangeKey
	lows     []types.Datum // RANGE: each row's start bound value
	highs    []types.Datum // RANGE: each row's end bound value
	// lowOut and highOut mark bounds that overflowed the type: they lie
	// beyond every row, before them for PRECEDING, after for FOLLOWING
	// (PostgreSQL's in_range functions treat overflow the same way).
	lowOut, highOut []bool
	cmp             func(a, b types.Datum) int
}

type peerRange struct{ start, end int }

func (pf *partitionFrames) bounds(i int) (int, int) {
	f, n := pf.frame, len(pf.peers)
	var lo, hi int
	switch f.start.kind {
	case boundUnboundedPreceding:
		lo = 0
	case boundCurrentRow:
		lo = i
		if f.mode != frameRows {
			lo = pf.peers[i].start
		}
	default:
		lo = pf.offsetStart(i)
	}
	switch f.end.kind {
	case boundUnboundedFollowing:
		hi = n
	case boundCurrentRow:
		hi = i + 1
		if f.mode != frameRows {
			hi = pf.peers[i].end
		}
	default:
		hi = pf.offsetEnd(i)
	}
	lo = max(0, min(lo, n))
	hi = max(lo, min(hi, n))
	return lo, hi
}

func (pf *partitionFrames) offsetStart(i int) int {
	f := pf.frame
	switch f.mode {
	case frameRows:
		if f.start.kind == boundPreceding {
			return int(max(int64(i)-pf.startOff, 0))
		}
		return int(min(satAdd(int64(i), pf.startOff), int64(len(pf.peers))))
	case frameGroups:
		g := int64(pf.groupOf[i])
		if f.start.kind == boundPreceding {
			return pf.groups[max(g-pf.startOff, 0)].start
		}
		if satAdd(g, pf.startOff) >= int64(len(pf.groups)) {
			return len(pf.peers)
		}
		return pf.groups[g+pf.startOff].start
	}
	if pf.lowOut[i] {
		if f.start.kind == boundPreceding {
			return 0
		}
		return len(pf.keys)
	}
	low := pf.lows[i]
	return sort.Search(len(pf.keys), func(j int) bool { return pf.cmp(pf.keys[j], low) >= 0 })
}

func (pf *partitionFrames) offsetEnd(i int) int {
	f := pf.frame
	switch f.mode {
	case frameRows:
		if f.end.kind == boundPreceding {
			return int(max(int64(i)-pf.endOff+1, 0))
		}
		return int(min(satAdd(int64(i)+1, pf.endOff), int64(len(pf.peers))))
	case frameGroups:
		g := int64(pf.groupOf[i])
		if f.end.kind == boundPreceding {
			if g-pf.endOff < 0 {
				return 0
			}
			return pf.groups[g-pf.endOff].end
		}
		return pf.groups[min(satAdd(g, pf.endOff), int64(len(pf.groups)-1))].end
	}
	if pf.highOut[i] {
		if f.end.kind == boundPreceding {
			return 0
		}
		return len(pf.keys)
	}
	high := pf.highs[i]
	return sort.Search(len(pf.keys), func(j int) bool { return pf.cmp(pf.keys[j], high) > 0 })
}

// satAdd adds non-negative counts without overflowing.
func satAdd(a, b int64) int64 {
	if a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}

// excluded reports whether partition position j is left out of row i's
// frame by its EXCLUDE clause.
func (pf *partitionFrames) excluded(i, j int) bool {
	switch pf.frame.exclude {
	case excludeCurrentRow:
		return i == j
	case excludeGroup:
		return pf.groupOf[i] == pf.groupOf[j]
	case excludeTies:
		return i != j && pf.groupOf[i] == pf.groupOf[j]
	}
	return false
}

// frameCount evaluates a ROWS or GROUPS offset: a non-negative count.
func frameCount(d types.Datum, start bool) (int64, error) {
	which := "ending"
	if start {
		which = "starting"
	}
	if d == nil {
		return 0, pgerror.New(pgerror.NullValueNotAllowed, "frame %s offset must not be null", which)
	}
	v := d.(int64)
	if v < 0 {
		return 0, pgerror.New(pgerror.InvalidPrecedingOrFollowing, "frame %s offset must not be negative", which)
	}
	return v, nil
}

// checkRangeOffset rejects a NULL or negative RANGE offset.
func checkRangeOffset(t types.T, d types.Datum, start bool) error {
	if d == nil {
		which := "ending"
		if start {
			which = "starting"
		}
		return pgerror.New(pgerror.NullValueNotAllowed, "frame %s offset must not be null", which)
	}
	var zero types.Datum
	switch t.Family {
	case types.IntFamily:
		zero = int64(0)
	case types.FloatFamily:
		zero = float64(0)
	case types.DecimalFamily:
		zero = apd.New(0, 0)
	case types.IntervalFamily:
		zero = types.Interval{}
	}
	if types.Compare(t, d, zero) < 0 {
		return pgerror.New(pgerror.InvalidPrecedingOrFollowing, "invalid preceding or following size in window function")
	}
	return nil
}
