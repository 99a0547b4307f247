package sql

import "github.com/quorumdb/quorumdb/sql/types"

// joinKind is the SQL join type.
type joinKind int

const (
	joinInner joinKind = iota
	joinLeft
	joinRight
	joinFull
)

// joinNode joins two inputs. When equality keys were extracted from the
// ON condition it hashes the right side; otherwise it loops. The output
// row is the left row followed by the right row.
type joinNode struct {
	kind        joinKind
	left, right planNode
	// leftKeys[i] = rightKeys[i] are equi-join conditions, evaluated on the
	// left row and on the right row respectively.
	leftKeys, rightKeys []expr
	keyTypes            []types.T
	// on is the rest of the condition, over the concatenated row.
	on   expr
	cols []resultCol
}

func (n *joinNode) columns() []resultCol { return n.cols }

func (n *joinNode) exec(ec *execCtx) (rowIter, error) {
	rrows, held, err := collectHeld(ec, n.right)
	if err != nil {
		return nil, err
	}
	// The right side and its hash table are held until the join closes.
	release := func() { ec.mem.shrink(held); held = 0 }
	var table map[string][]int
	if len(n.leftKeys) > 0 {
		table = make(map[string][]int, len(rrows))
		for i, r := range rrows {
			k, null, err := n.key(ec, n.rightKeys, r)
			if err == nil && !null {
				if err = ec.mem.grow(int64(len(k)) + 56); err == nil {
					held += int64(len(k)) + 56
				}
			}
			if err != nil {
				release()
				return nil, err
			}
			if !null {
				table[k] = append(table[k], i)
			}
		}
	}
	left, err := n.left.exec(ec)
	if err != nil {
		release()
		return nil, err
	}
	lw, rw := len(n.left.columns()), len(n.right.columns())
	matchedRight := make([]bool, len(rrows))
	var pending []row
	leftDone := false
	rightTail := 0
	all := make([]int, len(rrows))
	for i := range all {
		all[i] = i
	}
	return &funcIter{fn: func() (row, error) {
		for {
			if len(pending) > 0 {
				r := pending[0]
				pending = pending[1:]
				return r, nil
			}
			if leftDone {
				if n.kind != joinRight && n.kind != joinFull {
					return nil, nil
				}
				for rightTail < len(rrows) {
					i := rightTail
					rightTail++
					if !matchedRight[i] {
						out := make(row, lw+rw)
						copy(out[lw:], rrows[i])
						return out, nil
					}
				}
				return nil, nil
			}
			if err := ec.ctx.Err(); err != nil {
				return nil, err
			}
			l, err := left.next()
			if err != nil {
				return nil, err
			}
			if l == nil {
				leftDone = true
				continue
			}
			candidates := all
			if table != nil {
				k, null, err := n.key(ec, n.leftKeys, l)
				if err != nil {
					return nil, err
				}
				if null {
					candidates = nil
				} else {
					candidates = table[k]
				}
			}
			matched := false
			for _, i := range candidates {
				out := make(row, lw+rw)
				copy(out, l)
				copy(out[lw:], rrows[i])
				if n.on != nil {
					ok, err := evalBool(ec, n.on, out)
					if err != nil {
						return nil, err
					}
					if !ok {
						continue
					}
				}
				matched = true
				matchedRight[i] = true
				pending = append(pending, out)
			}
			if !matched && (n.kind == joinLeft || n.kind == joinFull) {
				out := make(row, lw+rw)
				copy(out, l)
				pending = append(pending, out)
			}
		}
	}, closeFn: func() { release(); left.close() }}, nil
}

func (n *joinNode) key(ec *execCtx, keys []expr, r row) (string, bool, error) {
	var buf []byte
	for i, k := range keys {
		d, err := k.eval(ec, r)
		if err != nil {
			return "", false, err
		}
		if d == nil {
			return "", true, nil
		}
		buf = datumKey(buf, n.keyTypes[i], d)
	}
	return string(buf), false, nil
}
