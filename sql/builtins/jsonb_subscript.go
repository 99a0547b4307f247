package builtins

import (
	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// jsonb subscripting (PostgreSQL 14's jsonb_subscript_handler): the
// planner coerces each subscript to text or int4 and passes it here as
// text, as PostgreSQL's jsonb_subscript_fetch and _assign do.

// JSONBSubscript is doc[key]: an object's member, or an array's element
// when key reads as an integer (from the end when negative); NULL when
// there is none, or when doc is a scalar.
func JSONBSubscript(doc types.Datum, key string) types.Datum {
	s := string(doc.(types.JSON))
	switch jsonKind(s) {
	case 'o':
		if v, ok := jsonField(s, key, 0, false); ok {
			return types.JSON(v)
		}
	case 'a':
		idx, ok := pathIndex([]types.Datum{key}, 0)
		if !ok || idx == minPathIndex {
			return nil
		}
		if v, ok := jsonField(s, "", int64(idx), true); ok {
			return types.JSON(v)
		}
	}
	return nil
}

// JSONBSubscriptAssign is UPDATE … SET doc[path…] = newval: newval (SQL
// NULL as JSON null) is set at path, creating the containers missing on
// the way and padding arrays with nulls. A NULL doc starts as an empty
// array when the first subscript is an integer (expectArray), an empty
// object otherwise.
func JSONBSubscriptAssign(doc types.Datum, path []types.Datum, expectArray bool, newval types.Datum) (types.Datum, error) {
	for _, p := range path {
		if p == nil {
			return nil, newErr(pgerror.NullValueNotAllowed, "jsonb subscript in assignment must not be null")
		}
	}
	var v any = jsonObject{}
	if doc != nil {
		v = decodeJSONB(doc)
	} else if expectArray {
		v = []any{}
	}
	var nv any
	if newval != nil {
		nv = decodeJSONB(newval)
	}
	out, err := setPath(v, path, 0, nv, pathCreate|pathFillGaps|pathConsistentPosition)
	if err != nil {
		return nil, err
	}
	return encodeJSONB(out)
}
