package sql

import (
	"github.com/quorumdb/quorumdb/sql/exec"
	"github.com/quorumdb/quorumdb/sql/types"
)

// inListCommon converts the constant items of x IN (...) to the common
// type of x and those items, as transformAExprIn does before it builds
// x = ANY (ARRAY[...]) of them: '2024-02-29'::date IN
// ('5874897-12-31'::date, '1999-12-31'::timestamp) compares timestamps,
// so the first date, which has none, fails. PostgreSQL does this only
// for two or more items without column references and only when they
// all convert implicitly; otherwise (and for the other items) each is
// compared to x with its own = operator, as here. quorumdb applies it to
// the items that are constant once built.
func (b *builder) inListCommon(l exec.Expr, rs []exec.Expr) ([]exec.Expr, error) {
	var consts []int
	ts := []types.T{l.Typ()}
	for i, r := range rs {
		if isConst(r) && r.Typ().Family != types.RecordFamily {
			consts = append(consts, i)
			ts = append(ts, r.Typ())
		}
	}
	if len(consts) < 2 || l.Typ().Family == types.RecordFamily {
		return rs, nil
	}
	t, err := commonType(ts, "IN")
	if err != nil {
		return rs, nil
	}
	for _, from := range ts {
		if from.Family != types.UnknownFamily && !types.CanCast(from, t, types.Implicit) {
			return rs, nil
		}
	}
	out := append([]exec.Expr(nil), rs...)
	for _, i := range consts {
		if out[i], err = b.coerce(rs[i], t, "IN"); err != nil {
			return nil, err
		}
	}
	return out, nil
}
