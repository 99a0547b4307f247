package builtins

import (
	"math"
	"strconv"
	"strings"

	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// pathOp says what setPath does at the end of the path, as PostgreSQL's
// JB_PATH_* flags (jsonfuncs.c): jsonb_set creates or replaces,
// jsonb_insert inserts before or after, #- deletes, and a subscripted
// assignment creates, filling the gaps on the way.
type pathOp int

const (
	pathCreate pathOp = 1 << iota
	pathDelete
	pathReplace
	pathInsertBefore
	pathInsertAfter
	// pathFillGaps creates missing containers along the path and pads
	// arrays with nulls up to the index (subscripted assignment).
	pathFillGaps
	// pathConsistentPosition refuses a negative index before the start
	// of an array instead of prepending (subscripted assignment).
	pathConsistentPosition

	pathCreateOrInsert = pathCreate | pathInsertBefore | pathInsertAfter
)

// minPathIndex stands for an index before the start of the array, where
// a created value is prepended (PostgreSQL's INT_MIN).
const minPathIndex = math.MinInt32

// setPath applies op with newval at path[level:] inside v and returns
// the new value. Only the containers on the path are visited, so a NULL
// path element past a missing key is never looked at (as in PostgreSQL).
func setPath(v any, path []types.Datum, level int, newval any, op pathOp) (any, error) {
	if path[level] == nil {
		return nil, newErr(pgerror.NullValueNotAllowed, "path element at position %d is null", level+1)
	}
	switch x := v.(type) {
	case jsonObject:
		return setPathObject(x, path, level, newval, op)
	case []any:
		return setPathArray(x, path, level, newval, op)
	}
	if op&pathFillGaps != 0 {
		return nil, errScalarOnPath()
	}
	return v, nil
}

func errScalarOnPath() error {
	return newErr(pgerror.InvalidParameterValue, "cannot replace existing key").(*pgerror.Error).
		WithDetail("The path assumes key is a composite object, but it is a scalar value.")
}

func setPathObject(obj jsonObject, path []types.Datum, level int, newval any, op pathOp) (any, error) {
	last := level == len(path)-1
	key := path[level].(string)
	old, found := obj[key]
	switch {
	case found && last:
		if op&(pathInsertBefore|pathInsertAfter) != 0 {
			// jsonb_insert never redefines an existing value.
			return nil, newErr(pgerror.InvalidParameterValue, "cannot replace existing key").(*pgerror.Error).
				WithHint("Try using the function jsonb_set to replace key value.")
		}
		if op&pathDelete != 0 {
			delete(obj, key)
		} else {
			obj[key] = newval
		}
	case found:
		nv, err := setPath(old, path, level+1, newval, op)
		if err != nil {
			return nil, err
		}
		obj[key] = nv
	case last && op&pathCreateOrInsert != 0:
		obj[key] = newval
	case !last && op&pathFillGaps != 0:
		nv, err := newPathValue(path, level, newval)
		if err != nil {
			return nil, err
		}
		obj[key] = nv
	}
	return obj, nil
}

// pathIndex reads an array subscript of a path as PostgreSQL's strtoint
// does (leading blanks and a sign allowed, nothing after the digits,
// within int4).
func pathIndex(path []types.Datum, level int) (int, bool) {
	s := strings.TrimLeft(path[level].(string), " \t\n\r\v\f")
	n, err := strconv.ParseInt(s, 10, 32)
	return int(n), err == nil
}

func setPathArray(arr []any, path []types.Datum, level int, newval any, op pathOp) (any, error) {
	last := level == len(path)-1
	n := len(arr)
	idx, ok := pathIndex(path, level)
	if !ok {
		return nil, newErr(pgerror.InvalidTextRepresentation, "path element at position %d is not an integer: \"%s\"", level+1, path[level].(string))
	}
	if idx < 0 {
		if -idx > n {
			if op&pathConsistentPosition != 0 {
				return nil, newErr(pgerror.InvalidParameterValue, "path element at position %d is out of range: %d", level+1, idx)
			}
			idx = minPathIndex
		} else {
			idx += n
		}
	}
	if op&pathFillGaps == 0 && idx > n {
		idx = n
	}
	out := make([]any, 0, n+1)
	done := false
	if (idx == minPathIndex || n == 0) && last && op&pathCreateOrInsert != 0 {
		if op&pathFillGaps != 0 && n == 0 && idx > 0 {
			out = appendNulls(out, idx)
		}
		out = append(out, newval)
		done = true
	}
	for i, e := range arr {
		if i != idx {
			out = append(out, e)
			continue
		}
		if !last {
			ne, err := setPath(e, path, level+1, newval, op)
			if err != nil {
				return nil, err
			}
			out = append(out, ne)
			done = true
			continue
		}
		if op&(pathInsertBefore|pathCreate) != 0 {
			out = append(out, newval)
		}
		if op&(pathInsertBefore|pathInsertAfter) != 0 {
			out = append(out, e)
		}
		if op&(pathInsertAfter|pathReplace) != 0 {
			out = append(out, newval)
		}
		done = true
	}
	if done {
		return out, nil
	}
	switch {
	case last && op&pathCreateOrInsert != 0:
		if op&pathFillGaps != 0 {
			out = appendNulls(out, idx-n)
		}
		out = append(out, newval)
	case !last && op&pathFillGaps != 0:
		if idx > 0 {
			out = appendNulls(out, idx-n)
		}
		nv, err := newPathValue(path, level, newval)
		if err != nil {
			return nil, err
		}
		out = append(out, nv)
	}
	return out, nil
}

func appendNulls(a []any, k int) []any {
	for ; k > 0; k-- {
		a = append(a, nil)
	}
	return a
}

// newPathValue builds the containers a subscripted assignment creates
// below path[level] for the rest of the path: an array (padded with
// nulls up to the index) where the next element is an integer, an
// object otherwise, newval at the bottom. A NULL element ends the chain
// there, as PostgreSQL's push_path does.
func newPathValue(path []types.Datum, level int, newval any) (any, error) {
	end := len(path)
	for i := level + 1; i < len(path); i++ {
		if path[i] == nil {
			end = i
			break
		}
	}
	v := newval
	for i := end - 1; i > level; i-- {
		if idx, ok := pathIndex(path, i); ok {
			a := appendNulls(make([]any, 0, max(idx, 0)+1), idx)
			v = append(a, v)
		} else {
			v = jsonObject{path[i].(string): v}
		}
	}
	return v, nil
}
