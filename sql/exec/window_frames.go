package exec

import (
	"math"
	"sort"

	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"

	"github.com/cockroachdb/apd/v3"
)

// Window frames: ROWS, RANGE and GROUPS BETWEEN bounds, with EXCLUDE.
// The bits are PostgreSQL's FRAMEOPTION_* (nodes/parsenodes.h), which
// pg_query hands over as WindowDef.FrameOptions.
const (
	frameOptRange                   = 0x00002
	FrameOptRows                    = 0x00004
	FrameOptGroups                  = 0x00008
	FrameOptStartUnboundedPreceding = 0x00020
	FrameOptEndUnboundedFollowing   = 0x00100
	frameOptStartCurrentRow         = 0x00200
	frameOptEndCurrentRow           = 0x00400
	FrameOptStartOffsetPreceding    = 0x00800
	FrameOptEndOffsetPreceding      = 0x01000
	FrameOptStartOffsetFollowing    = 0x02000
	FrameOptEndOffsetFollowing      = 0x04000
	FrameOptExcludeCurrentRow       = 0x08000
	FrameOptExcludeGroup            = 0x10000
	FrameOptExcludeTies             = 0x20000
)

type frameMode int

func (m frameMode) String() string {
	switch m {
	case FrameRows:
		return "ROWS"
	case FrameGroups:
		return "GROUPS"
	}
	return "RANGE"
}

type boundKind int

// FrameBound is one end of a frame. For ROWS and GROUPS, offset counts
// rows or peer groups; for RANGE, moved is the ORDER BY value moved by
// the offset toward the bound (computed for each row).
type FrameBound struct {
	Kind   boundKind
	Offset Expr
	Moved  Expr
}

type frameExclusion int

// WindowFrame is a window's frame clause. rangeKey is the ORDER BY value
// in the type RANGE offsets are compared in (date moves to timestamp).
type WindowFrame struct {
	Mode       frameMode
	Start, End FrameBound
	Exclude    frameExclusion
	OffsetType types.T
	RangeKey   Expr
}

// DefaultFrame is RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW.
var DefaultFrame = WindowFrame{Mode: FrameRange, Start: FrameBound{Kind: BoundUnboundedPreceding}, End: FrameBound{Kind: BoundCurrentRow}}

func (fb FrameBound) Offsetted() bool {
	return fb.Kind == BoundPreceding || fb.Kind == BoundFollowing
}

// partitionFrames computes, for each row of a sorted partition, the
// half-open range of partition positions in its frame (before exclusion).
type partitionFrames struct {
	frame    *WindowFrame
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
	switch f.Start.Kind {
	case BoundUnboundedPreceding:
		lo = 0
	case BoundCurrentRow:
		lo = i
		if f.Mode != FrameRows {
			lo = pf.peers[i].start
		}
	default:
		lo = pf.offsetStart(i)
	}
	switch f.End.Kind {
	case BoundUnboundedFollowing:
		hi = n
	case BoundCurrentRow:
		hi = i + 1
		if f.Mode != FrameRows {
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
	switch f.Mode {
	case FrameRows:
		if f.Start.Kind == BoundPreceding {
			return int(max(int64(i)-pf.startOff, 0))
		}
		return int(min(satAdd(int64(i), pf.startOff), int64(len(pf.peers))))
	case FrameGroups:
		g := int64(pf.groupOf[i])
		if f.Start.Kind == BoundPreceding {
			return pf.groups[max(g-pf.startOff, 0)].start
		}
		if satAdd(g, pf.startOff) >= int64(len(pf.groups)) {
			return len(pf.peers)
		}
		return pf.groups[g+pf.startOff].start
	}
	if pf.lowOut[i] {
		if f.Start.Kind == BoundPreceding {
			return 0
		}
		return len(pf.keys)
	}
	low := pf.lows[i]
	return sort.Search(len(pf.keys), func(j int) bool { return pf.cmp(pf.keys[j], low) >= 0 })
}

func (pf *partitionFrames) offsetEnd(i int) int {
	f := pf.frame
	switch f.Mode {
	case FrameRows:
		if f.End.Kind == BoundPreceding {
			return int(max(int64(i)-pf.endOff+1, 0))
		}
		return int(min(satAdd(int64(i)+1, pf.endOff), int64(len(pf.peers))))
	case FrameGroups:
		g := int64(pf.groupOf[i])
		if f.End.Kind == BoundPreceding {
			if g-pf.endOff < 0 {
				return 0
			}
			return pf.groups[g-pf.endOff].end
		}
		return pf.groups[min(satAdd(g, pf.endOff), int64(len(pf.groups)-1))].end
	}
	if pf.highOut[i] {
		if f.End.Kind == BoundPreceding {
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
	switch pf.frame.Exclude {
	case ExcludeCurrentRow:
		return i == j
	case ExcludeGroup:
		return pf.groupOf[i] == pf.groupOf[j]
	case ExcludeTies:
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

const (
	FrameRange frameMode = iota
	FrameRows
	FrameGroups
)

const (
	BoundUnboundedPreceding boundKind = iota
	BoundPreceding
	BoundCurrentRow
	BoundFollowing
	BoundUnboundedFollowing
)

const (
	excludeNoOthers frameExclusion = iota
	ExcludeCurrentRow
	ExcludeGroup
	ExcludeTies
)
