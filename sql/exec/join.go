package exec

import "github.com/quorumdb/quorumdb/sql/types"

// JoinKind is the SQL join type.
type JoinKind int

const (
	JoinInner JoinKind = iota
	JoinLeft
	JoinRight
	JoinFull
)

// JoinNode joins two inputs. When equality keys were extracted from the
// ON condition it hashes the right side; otherwise it loops. The output
// row is the left row followed by the right row.
type JoinNode struct {
	Kind        JoinKind
	Left, Right Node
	// leftKeys[i] = rightKeys[i] are equi-join conditions, evaluated on the
	// left row and on the right row respectively.
	LeftKeys, RightKeys []Expr
	KeyTypes            []types.T
	// on is the rest of the condition, over the concatenated row.
	On   Expr
	Cols []Column
}

func (n *JoinNode) Columns() []Column { return n.Cols }

func (n *JoinNode) Exec(ec *Ctx) (Iter, error) {
	rrows, held, err := CollectHeld(ec, n.Right)
	if err != nil {
		return nil, err
	}
	// The right side and its hash table are held until the join closes.
	release := func() { ec.Mem.Shrink(held); held = 0 }
	var table map[string][]int
	if len(n.LeftKeys) > 0 {
		table = make(map[string][]int, len(rrows))
		for i, r := range rrows {
			k, null, err := n.key(ec, n.RightKeys, r)
			if err == nil && !null {
				if err = ec.Mem.grow(int64(len(k)) + 56); err == nil {
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
	left, err := n.Left.Exec(ec)
	if err != nil {
		release()
		return nil, err
	}
	lw, rw := len(n.Left.Columns()), len(n.Right.Columns())
	matchedRight := make([]bool, len(rrows))
	var pending []Row
	leftDone := false
	rightTail := 0
	all := make([]int, len(rrows))
	for i := range all {
		all[i] = i
	}
	return &FuncIter{Fn: func() (Row, error) {
		for {
			if len(pending) > 0 {
				r := pending[0]
				pending = pending[1:]
				return r, nil
			}
			if leftDone {
				if n.Kind != JoinRight && n.Kind != JoinFull {
					return nil, nil
				}
				for rightTail < len(rrows) {
					i := rightTail
					rightTail++
					if !matchedRight[i] {
						out := make(Row, lw+rw)
						copy(out[lw:], rrows[i])
						return out, nil
					}
				}
				return nil, nil
			}
			if err := ec.Context.Err(); err != nil {
				return nil, err
			}
			l, err := left.Next()
			if err != nil {
				return nil, err
			}
			if l == nil {
				leftDone = true
				continue
			}
			candidates := all
			if table != nil {
				k, null, err := n.key(ec, n.LeftKeys, l)
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
				out := make(Row, lw+rw)
				copy(out, l)
				copy(out[lw:], rrows[i])
				if n.On != nil {
					ok, err := EvalBool(ec, n.On, out)
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
			if !matched && (n.Kind == JoinLeft || n.Kind == JoinFull) {
				out := make(Row, lw+rw)
				copy(out, l)
				pending = append(pending, out)
			}
		}
	}, CloseFn: func() { release(); left.Close() }}, nil
}

func (n *JoinNode) key(ec *Ctx, keys []Expr, r Row) (string, bool, error) {
	var buf []byte
	for i, k := range keys {
		d, err := k.Eval(ec, r)
		if err != nil {
			return "", false, err
		}
		if d == nil {
			return "", true, nil
		}
		buf = DatumKey(buf, n.KeyTypes[i], d)
	}
	return string(buf), false, nil
}
