package sql

import (
	"sort"

	"github.com/quorumdb/quorumdb/sql/builtins"
	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// windowNode computes its input's window functions and appends their
// results to each row.
type windowNode struct {
	input planNode
	info  *windowInfo
	cols  []resultCol
}

func (n *windowNode) columns() []resultCol { return n.cols }

func (n *windowNode) exec(ec *execCtx) (rowIter, error) {
	rows, held, err := collectHeld(ec, n.input)
	if err != nil {
		return nil, err
	}
	// The output rows are copies, with the window values added.
	extra := held + int64(len(rows))*int64(24+16*(len(n.cols)))
	if err := ec.mem.grow(extra - held); err != nil {
		ec.mem.shrink(held)
		return nil, err
	}
	out := make([]row, len(rows))
	for i, r := range rows {
		out[i] = append(append(row(nil), r...), make(row, len(n.info.calls))...)
	}
	for k, call := range n.info.calls {
		if err := computeWindow(ec, call, rows, out, n.info.base+k); err != nil {
			return nil, err
		}
	}
	for _, spec := range n.info.specs {
		if err := sortForWindow(ec, spec.call, out); err != nil {
			ec.mem.shrink(extra)
			return nil, err
		}
	}
	return &heldIter{rows: out, mem: ec.mem, held: extra}, nil
}

// sortForWindow sorts rows stably as the window of call sorts them:
// PARTITION BY keys ascending, NULLS LAST, then its ORDER BY.
func sortForWindow(ec *execCtx, call *windowCall, rows []row) error {
	type keyed struct {
		r    row
		keys row
	}
	ks := make([]keyed, len(rows))
	for i, r := range rows {
		ks[i].r = r
		for _, p := range call.partition {
			d, err := p.eval(ec, r)
			if err != nil {
				return err
			}
			ks[i].keys = append(ks[i].keys, d)
		}
		for _, o := range call.order {
			d, err := o.e.eval(ec, r)
			if err != nil {
				return err
			}
			ks[i].keys = append(ks[i].keys, d)
		}
	}
	np := len(call.partition)
	sort.SliceStable(ks, func(i, j int) bool {
		for k, x := range ks[i].keys {
			y := ks[j].keys[k]
			var c int
			if k < np {
				desc, nullsFirst := call.partitionDirection(k)
				c = compareDatums(call.partition[k].typ(), x, y, desc, nullsFirst)
			} else {
				o := call.order[k-np]
				c = compareDatums(o.e.typ(), x, y, o.desc, o.nullsFirst)
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
func compareInOrder(o windowOrder, t types.T, x, y types.Datum) int {
	var c int
	switch {
	case x == nil && y == nil:
		return 0
	case x == nil:
		c = 1
		if o.nullsFirst {
			c = -1
		}
		return c
	case y == nil:
		c = -1
		if o.nullsFirst {
			c = 1
		}
		return c
	}
	c = types.Compare(t, x, y)
	if o.desc {
		return -c
	}
	return c
}

// windowEntry is one input row placed in its partition and order.
type windowEntry struct {
	idx   int
	part  string
	order row
}

func computeWindow(ec *execCtx, call *windowCall, rows, out []row, col int) error {
	entries := make([]windowEntry, len(rows))
	for i, r := range rows {
		var pk []byte
		for _, p := range call.partition {
			d, err := p.eval(ec, r)
			if err != nil {
				return err
			}
			pk = datumKey(pk, p.typ(), d)
		}
		ord := make(row, len(call.order))
		for j, o := range call.order {
			d, err := o.e.eval(ec, r)
			if err != nil {
				return err
			}
			ord[j] = d
		}
		entries[i] = windowEntry{idx: i, part: string(pk), order: ord}
	}
	cmpOrder := func(a, b row) int {
		for j, o := range call.order {
			if c := compareInOrder(o, o.e.typ(), a[j], b[j]); c != 0 {
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
	ec     *execCtx
	call   *windowCall
	rows   []row
	part   []windowEntry
	frames partitionFrames
}

func (w *windowPartition) row(j int) row { return w.rows[w.part[j].idx] }

// plan finds the peer groups and evaluates the frame's offsets.
func (w *windowPartition) plan(cmpOrder func(a, b row) int) error {
	n := len(w.part)
	pf := &w.frames
	pf.frame = &w.call.frame
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
	if n == 0 || (!f.start.offsetted() && !f.end.offsetted()) {
		return nil
	}
	first := w.row(0)
	for _, b := range []struct {
		fb    *frameBound
		start bool
		dst   *int64
	}{{&f.start, true, &pf.startOff}, {&f.end, false, &pf.endOff}} {
		if !b.fb.offsetted() {
			continue
		}
		d, err := b.fb.offset.eval(w.ec, first)
		if err != nil {
			return err
		}
		if f.mode != frameRange {
			if *b.dst, err = frameCount(d, b.start); err != nil {
				return err
			}
			continue
		}
		if err := checkRangeOffset(f.offsetType, d, b.start); err != nil {
			return err
		}
	}
	if f.mode != frameRange {
		return nil
	}
	keyType := f.rangeKey.typ()
	order := w.call.order[0]
	pf.cmp = func(a, b types.Datum) int { return compareInOrder(order, keyType, a, b) }
	pf.keys = make([]types.Datum, n)
	pf.lows = make([]types.Datum, n)
	pf.highs = make([]types.Datum, n)
	pf.lowOut = make([]bool, n)
	pf.highOut = make([]bool, n)
	for i := range w.part {
		r := w.row(i)
		var err error
		if pf.keys[i], err = f.rangeKey.eval(w.ec, r); err != nil {
			return err
		}
		if f.start.offsetted() {
			if pf.lows[i], pf.lowOut[i], err = evalRangeBound(w.ec, f.start.moved, r); err != nil {
				return err
			}
		}
		if f.end.offsetted() {
			if pf.highs[i], pf.highOut[i], err = evalRangeBound(w.ec, f.end.moved, r); err != nil {
				return err
			}
		}
	}
	return nil
}

// evalRangeBound computes a row's RANGE bound; out reports a bound past
// the range of its type.
func evalRangeBound(ec *execCtx, moved expr, r row) (d types.Datum, out bool, err error) {
	d, err = moved.eval(ec, r)
	switch pgerror.CodeOf(err) {
	case pgerror.NumericValueOutOfRange, pgerror.DatetimeFieldOverflow:
		return nil, true, nil
	}
	return d, false, err
}

func (w *windowPartition) compute(out []row, col int) error {
	call := w.call
	switch call.name {
	case "row_number", "rank", "dense_rank", "percent_rank", "cume_dist":
		n := len(w.part)
		for i, e := range w.part {
			var v types.Datum
			switch call.name {
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
func (w *windowPartition) ntile(out []row, col int) error {
	d, err := w.call.args[0].eval(w.ec, w.row(0))
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

func (w *windowPartition) lagLead(out []row, col int) error {
	call := w.call
	for i, e := range w.part {
		cur := w.rows[e.idx]
		off := int64(1)
		if len(call.args) >= 2 {
			d, err := call.args[1].eval(w.ec, cur)
			if err != nil {
				return err
			}
			if d == nil {
				continue
			}
			off = d.(int64)
		}
		j := int64(i) - off
		if call.name == "lead" {
			j = int64(i) + off
		}
		var v types.Datum
		var err error
		if j >= 0 && j < int64(len(w.part)) {
			v, err = call.args[0].eval(w.ec, w.row(int(j)))
		} else if len(call.args) == 3 {
			v, err = call.args[2].eval(w.ec, cur)
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
func (w *windowPartition) nthValue(out []row, col int) error {
	call := w.call
	for i, e := range w.part {
		want := int64(1)
		if call.name == "nth_value" {
			d, err := call.args[1].eval(w.ec, w.rows[e.idx])
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
		if call.name == "last_value" {
			pick = len(members) - 1
		}
		if pick < 0 || pick >= len(members) {
			continue
		}
		v, err := call.args[0].eval(w.ec, w.row(members[pick]))
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
func (w *windowPartition) aggregate(out []row, col int) error {
	if w.shrinkingFrames() {
		return w.aggregateBackward(out, col)
	}
	bctx := w.ec.builtinCtx()
	var acc builtins.Accumulator
	accLo, accHi, reusable := 0, 0, false
	for i, e := range w.part {
		lo, hi := w.frames.bounds(i)
		if !reusable || lo != accLo || hi < accHi {
			acc = w.call.agg.New()
			accLo, accHi = lo, lo
			reusable = w.call.frame.exclude == excludeNoOthers
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
	f := &w.call.frame
	if f.exclude != excludeNoOthers || f.end.kind != boundUnboundedFollowing || f.start.kind == boundUnboundedPreceding {
		return false
	}
	if !orderInsensitiveAggs[w.call.name] {
		return false
	}
	for _, a := range w.call.args {
		if a.typ().Family == types.FloatFamily {
			return false
		}
	}
	return true
}

// aggregateBackward computes shrinking frames from the partition's end:
// frame starts never decrease with the row, so going backward each frame
// adds rows to the next one's.
func (w *windowPartition) aggregateBackward(out []row, col int) error {
	bctx := w.ec.builtinCtx()
	acc := w.call.agg.New()
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

func (w *windowPartition) addRow(bctx *builtins.Context, acc builtins.Accumulator, r row) error {
	call := w.call
	if call.filter != nil {
		d, err := call.filter.eval(w.ec, r)
		if err != nil {
			return err
		}
		if d != true {
			return nil
		}
	}
	args := make([]types.Datum, len(call.args))
	for a, x := range call.args {
		d, err := x.eval(w.ec, r)
		if err != nil {
			return err
		}
		if d == nil && !call.agg.CountsNulls {
			return nil
		}
		args[a] = d
	}
	return acc.Add(bctx, args)
}
