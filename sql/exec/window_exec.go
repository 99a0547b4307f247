package exec

import (
	"sort"

	"github.com/quorumdb/quorumdb/sql/builtins"
	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// WindowNode computes its input's window functions and appends their
// results to each row.
type WindowNode struct {
	Input Node
	Info  *WindowInfo
	Cols  []Column
}

func (n *WindowNode) Columns() []Column { return n.Cols }

func (n *WindowNode) Exec(ec *Ctx) (Iter, error) {
	rows, held, err := CollectHeld(ec, n.Input)
	if err != nil {
		return nil, err
	}
	// The output rows are copies, with the window values added.
	extra := held + int64(len(rows))*int64(24+16*(len(n.Cols)))
	if err := ec.Mem.grow(extra - held); err != nil {
		ec.Mem.Shrink(held)
		return nil, err
	}
	out := make([]Row, len(rows))
	for i, r := range rows {
		out[i] = append(append(Row(nil), r...), make(Row, len(n.Info.Calls))...)
	}
	for k, call := range n.Info.Calls {
		if err := computeWindow(ec, call, rows, out, n.Info.Base+k); err != nil {
			return nil, err
		}
	}
	for _, spec := range n.Info.Specs {
		if err := sortForWindow(ec, spec.Call, out); err != nil {
			ec.Mem.Shrink(extra)
			return nil, err
		}
	}
	return &HeldIter{Rows: out, Mem: ec.Mem, Held: extra}, nil
}

// sortForWindow sorts rows stably as the window of call sorts them:
// PARTITION BY keys ascending, NULLS LAST, then its ORDER BY.
func sortForWindow(ec *Ctx, call *WindowCall, rows []Row) error {
	type keyed struct {
		r    Row
		keys Row
	}
	ks := make([]keyed, len(rows))
	for i, r := range rows {
		ks[i].r = r
		for _, p := range call.Partition {
			d, err := p.Eval(ec, r)
			if err != nil {
				return err
			}
			ks[i].keys = append(ks[i].keys, d)
		}
		for _, o := range call.Order {
			d, err := o.E.Eval(ec, r)
			if err != nil {
				return err
			}
			ks[i].keys = append(ks[i].keys, d)
		}
	}
	np := len(call.Partition)
	sort.SliceStable(ks, func(i, j int) bool {
		for k, x := range ks[i].keys {
			y := ks[j].keys[k]
			var c int
			if k < np {
				desc, nullsFirst := call.PartitionDirection(k)
				c = compareDatums(call.Partition[k].Typ(), x, y, desc, nullsFirst)
			} else {
				o := call.Order[k-np]
				c = compareDatums(o.E.Typ(), x, y, o.Desc, o.NullsFirst)
			}
			if c != 0 {
				return c < 0
			}
		}
		return false
	})
	for i := range ks {
		rows[i] = ks[i].r
	}
	return nil
}

// compareInOrder compares two values of one window ORDER BY term in the
// term's sort order (direction and NULLS FIRST/LAST applied).
func compareInOrder(o WindowOrder, t types.T, x, y types.Datum) int {
	var c int
	switch {
	case x == nil && y == nil:
		return 0
	case x == nil:
		c = 1
		if o.NullsFirst {
			c = -1
		}
		return c
	case y == nil:
		c = -1
		if o.NullsFirst {
			c = 1
		}
		return c
	}
	c = types.Compare(t, x, y)
	if o.Desc {
		return -c
	}
	return c
}

// windowEntry is one input row placed in its partition and order.
type windowEntry struct {
	idx   int
	part  string
	order Row
}

func computeWindow(ec *Ctx, call *WindowCall, rows, out []Row, col int) error {
	entries := make([]windowEntry, len(rows))
	for i, r := range rows {
		var pk []byte
		for _, p := range call.Partition {
			d, err := p.Eval(ec, r)
			if err != nil {
				return err
			}
			pk = DatumKey(pk, p.Typ(), d)
		}
		ord := make(Row, len(call.Order))
		for j, o := range call.Order {
			d, err := o.E.Eval(ec, r)
			if err != nil {
				return err
			}
			ord[j] = d
		}
		entries[i] = windowEntry{idx: i, part: string(pk), order: ord}
	}
	cmpOrder := func(a, b Row) int {
		for j, o := range call.Order {
			if c := compareInOrder(o, o.E.Typ(), a[j], b[j]); c != 0 {
				return c
			}
		}
		return 0
	}
	sort.SliceStable(entries, func(i, j int) bool {
		if entries[i].part != entries[j].part {
			return entries[i].part < entries[j].part
		}
		return cmpOrder(entries[i].order, entries[j].order) < 0
	})
	for start := 0; start < len(entries); {
		end := start
		for end < len(entries) && entries[end].part == entries[start].part {
			end++
		}
		w := &windowPartition{ec: ec, call: call, rows: rows, part: entries[start:end]}
		if err := w.plan(cmpOrder); err != nil {
			return err
		}
		if err := w.compute(out, col); err != nil {
			return err
		}
		start = end
	}
	return nil
}

// windowPartition evaluates one call over one sorted partition.
type windowPartition struct {
	ec     *Ctx
	call   *WindowCall
	rows   []Row
	part   []windowEntry
	frames partitionFrames
}

func (w *windowPartition) row(j int) Row { return w.rows[w.part[j].idx] }

// plan finds the peer groups and evaluates the frame's offsets.
func (w *windowPartition) plan(cmpOrder func(a, b Row) int) error {
	n := len(w.part)
	pf := &w.frames
	pf.frame = &w.call.Frame
	pf.peers = make([]peerRange, n)
	pf.groupOf = make([]int, n)
	for i := 0; i < n; {
		j := i + 1
		for j < n && cmpOrder(w.part[i].order, w.part[j].order) == 0 {
			j++
		}
		g := peerRange{start: i, end: j}
		for k := i; k < j; k++ {
			pf.peers[k], pf.groupOf[k] = g, len(pf.groups)
		}
		pf.groups = append(pf.groups, g)
		i = j
	}
	f := pf.frame
	if n == 0 || (!f.Start.Offsetted() && !f.End.Offsetted()) {
		return nil
	}
	first := w.row(0)
	for _, b := range []struct {
		fb    *FrameBound
		start bool
		dst   *int64
	}{{&f.Start, true, &pf.startOff}, {&f.End, false, &pf.endOff}} {
		if !b.fb.Offsetted() {
			continue
		}
		d, err := b.fb.Offset.Eval(w.ec, first)
		if err != nil {
			return err
		}
		if f.Mode != FrameRange {
			if *b.dst, err = frameCount(d, b.start); err != nil {
				return err
			}
			continue
		}
		if err := checkRangeOffset(f.OffsetType, d, b.start); err != nil {
			return err
		}
	}
	if f.Mode != FrameRange {
		return nil
	}
	keyType := f.RangeKey.Typ()
	order := w.call.Order[0]
	pf.cmp = func(a, b types.Datum) int { return compareInOrder(order, keyType, a, b) }
	pf.keys = make([]types.Datum, n)
	pf.lows = make([]types.Datum, n)
	pf.highs = make([]types.Datum, n)
	pf.lowOut = make([]bool, n)
	pf.highOut = make([]bool, n)
	for i := range w.part {
		r := w.row(i)
		var err error
		if pf.keys[i], err = f.RangeKey.Eval(w.ec, r); err != nil {
			return err
		}
		if f.Start.Offsetted() {
			if pf.lows[i], pf.lowOut[i], err = evalRangeBound(w.ec, f.Start.Moved, r); err != nil {
				return err
			}
		}
		if f.End.Offsetted() {
			if pf.highs[i], pf.highOut[i], err = evalRangeBound(w.ec, f.End.Moved, r); err != nil {
				return err
			}
		}
	}
	return nil
}

// evalRangeBound computes a row's RANGE bound; out reports a bound past
// the range of its type.
func evalRangeBound(ec *Ctx, moved Expr, r Row) (d types.Datum, out bool, err error) {
	d, err = moved.Eval(ec, r)
	switch pgerror.CodeOf(err) {
	case pgerror.NumericValueOutOfRange, pgerror.DatetimeFieldOverflow:
		return nil, true, nil
	}
	return d, false, err
}

func (w *windowPartition) compute(out []Row, col int) error {
	call := w.call
	switch call.Name {
	case "row_number", "rank", "dense_rank", "percent_rank", "cume_dist":
		n := len(w.part)
		for i, e := range w.part {
			var v types.Datum
			switch call.Name {
			case "row_number":
				v = int64(i + 1)
			case "rank":
				v = int64(w.frames.peers[i].start + 1)
			case "dense_rank":
				v = int64(w.frames.groupOf[i] + 1)
			case "percent_rank":
				v = float64(0)
				if n > 1 {
					v = float64(w.frames.peers[i].start) / float64(n-1)
				}
			case "cume_dist":
				v = float64(w.frames.peers[i].end) / float64(n)
			}
			out[e.idx][col] = v
		}
		return nil
	case "ntile":
		return w.ntile(out, col)
	case "lag", "lead":
		return w.lagLead(out, col)
	case "first_value", "last_value", "nth_value":
		return w.nthValue(out, col)
	}
	return w.aggregate(out, col)
}

// ntile divides the partition into n buckets as evenly as possible, the
// first ones one row larger; n is read once, at the partition's first row.
func (w *windowPartition) ntile(out []Row, col int) error {
	d, err := w.call.Args[0].Eval(w.ec, w.row(0))
	if err != nil {
		return err
	}
	if d == nil {
		return nil
	}
	buckets := d.(int64)
	if buckets <= 0 {
		return pgerror.New(pgerror.InvalidArgumentForNtile, "argument of ntile must be greater than zero")
	}
	n := int64(len(w.part))
	per, extra := n/buckets, n%buckets
	for i, e := range w.part {
		pos := int64(i)
		var bucket int64
		if pos < extra*(per+1) {
			bucket = pos/(per+1) + 1
		} else {
			bucket = extra + (pos-extra*(per+1))/per + 1
		}
		out[e.idx][col] = bucket
	}
	return nil
}

func (w *windowPartition) lagLead(out []Row, col int) error {
	call := w.call
	for i, e := range w.part {
		cur := w.rows[e.idx]
		off := int64(1)
		if len(call.Args) >= 2 {
			d, err := call.Args[1].Eval(w.ec, cur)
			if err != nil {
				return err
			}
			if d == nil {
				continue
			}
			off = d.(int64)
		}
		j := int64(i) - off
		if call.Name == "lead" {
			j = int64(i) + off
		}
		var v types.Datum
		var err error
		if j >= 0 && j < int64(len(w.part)) {
			v, err = call.Args[0].Eval(w.ec, w.row(int(j)))
		} else if len(call.Args) == 3 {
			v, err = call.Args[2].Eval(w.ec, cur)
		}
		if err != nil {
			return err
		}
		out[e.idx][col] = v
	}
	return nil
}

// nthValue computes first_value, last_value and nth_value over each
// row's frame.
func (w *windowPartition) nthValue(out []Row, col int) error {
	call := w.call
	for i, e := range w.part {
		want := int64(1)
		if call.Name == "nth_value" {
			d, err := call.Args[1].Eval(w.ec, w.rows[e.idx])
			if err != nil {
				return err
			}
			if d == nil {
				continue
			}
			if want = d.(int64); want <= 0 {
				return pgerror.New(pgerror.InvalidArgumentForNthValue, "argument of nth_value must be greater than zero")
			}
		}
		lo, hi := w.frames.bounds(i)
		var members []int
		for j := lo; j < hi; j++ {
			if !w.frames.excluded(i, j) {
				members = append(members, j)
			}
		}
		pick := int(want) - 1
		if call.Name == "last_value" {
			pick = len(members) - 1
		}
		if pick < 0 || pick >= len(members) {
			continue
		}
		v, err := call.Args[0].Eval(w.ec, w.row(members[pick]))
		if err != nil {
			return err
		}
		out[e.idx][col] = v
	}
	return nil
}

// aggregate runs an aggregate over each row's frame. While the frame
// keeps its start and only grows (the default frame, UNBOUNDED
// PRECEDING starts), rows are added to one accumulator; otherwise the
// frame is aggregated afresh.
func (w *windowPartition) aggregate(out []Row, col int) error {
	if w.shrinkingFrames() {
		return w.aggregateBackward(out, col)
	}
	bctx := w.ec.BuiltinCtx()
	var acc builtins.Accumulator
	accLo, accHi, reusable := 0, 0, false
	for i, e := range w.part {
		lo, hi := w.frames.bounds(i)
		if !reusable || lo != accLo || hi < accHi {
			acc = w.call.Agg.New()
			accLo, accHi = lo, lo
			reusable = w.call.Frame.Exclude == excludeNoOthers
		}
		for ; accHi < hi; accHi++ {
			if w.frames.excluded(i, accHi) {
				continue
			}
			if err := w.addRow(bctx, acc, w.row(accHi)); err != nil {
				return err
			}
		}
		v, err := acc.Result(bctx)
		if err != nil {
			return err
		}
		out[e.idx][col] = v
	}
	return nil
}

// orderInsensitiveAggs give the same result whatever order their rows
// arrive in (for non-float arguments, whose sums are exact).
var orderInsensitiveAggs = map[string]bool{
	"count": true, "sum": true, "avg": true, "min": true, "max": true,
	"bool_and": true, "bool_or": true, "every": true, "bit_and": true, "bit_or": true,
}

// shrinkingFrames reports frames that always end at the partition's end
// while their start moves forward (ROWS BETWEEN CURRENT ROW AND UNBOUNDED
// FOLLOWING): aggregated from the last row backward, they only grow.
func (w *windowPartition) shrinkingFrames() bool {
	f := &w.call.Frame
	if f.Exclude != excludeNoOthers || f.End.Kind != BoundUnboundedFollowing || f.Start.Kind == BoundUnboundedPreceding {
		return false
	}
	if !orderInsensitiveAggs[w.call.Name] {
		return false
	}
	for _, a := range w.call.Args {
		if a.Typ().Family == types.FloatFamily {
			return false
		}
	}
	return true
}

// aggregateBackward computes shrinking frames from the partition's end:
// frame starts never decrease with the row, so going backward each frame
// adds rows to the next one's.
func (w *windowPartition) aggregateBackward(out []Row, col int) error {
	bctx := w.ec.BuiltinCtx()
	acc := w.call.Agg.New()
	accLo := len(w.part)
	for i := len(w.part) - 1; i >= 0; i-- {
		lo, _ := w.frames.bounds(i)
		for accLo > lo {
			accLo--
			if err := w.addRow(bctx, acc, w.row(accLo)); err != nil {
				return err
			}
		}
		v, err := acc.Result(bctx)
		if err != nil {
			return err
		}
		out[w.part[i].idx][col] = v
	}
	return nil
}

func (w *windowPartition) addRow(bctx *builtins.Context, acc builtins.Accumulator, r Row) error {
	call := w.call
	if call.Filter != nil {
		d, err := call.Filter.Eval(w.ec, r)
		if err != nil {
			return err
		}
		if d != true {
			return nil
		}
	}
	args := make([]types.Datum, len(call.Args))
	for a, x := range call.Args {
		d, err := x.Eval(w.ec, r)
		if err != nil {
			return err
		}
		if d == nil && !call.Agg.CountsNulls {
			return nil
		}
		args[a] = d
	}
	return acc.Add(bctx, args)
}
