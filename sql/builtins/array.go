package builtins

import (
	"strings"

	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// Arrays are one-dimensional with lower bound 1 (types.Array), so the
// dimension argument of array_length and friends is 1 or gives NULL.

func arrDim(a []types.Datum, f func(n int64) types.Datum) (types.Datum, error) {
	arr := a[0].(*types.Array)
	if a[1].(int64) != 1 || len(arr.Elems) == 0 {
		return nil, nil
	}
	return f(int64(len(arr.Elems))), nil
}

func elemOf(ts []types.T, i int) types.T {
	if ts[i].Elem != nil {
		return *ts[i].Elem
	}
	return types.Text
}

func registerArrays() {
	AA, AE := anyArray, anyElement
	retArr := func(ts []types.T) types.T {
		for _, t := range ts {
			if t.Family == types.ArrayFamily {
				return t
			}
		}
		for _, t := range ts {
			if t.Family != types.UnknownFamily {
				return types.ArrayOf(t)
			}
		}
		return types.ArrayOf(types.Text)
	}
	register("array_length", ov(types.Int4, func(_ *Context, a []types.Datum) (types.Datum, error) {
		return arrDim(a, func(n int64) types.Datum { return n })
	}, AA, types.Int4))
	// int2vector and oidvector count from 0.
	lowerOf := func(ts []types.T) int64 {
		if ts[0].Oid == types.OidInt2Vector || ts[0].Oid == types.OidOidVector {
			return 0
		}
		return 1
	}
	register("array_upper", &Overload{Args: []types.T{AA, types.Int4}, Return: types.Int4, Bind: func(ts []types.T) Fn {
		lower := lowerOf(ts)
		return func(_ *Context, a []types.Datum) (types.Datum, error) {
			return arrDim(a, func(n int64) types.Datum { return n + lower - 1 })
		}
	}})
	register("array_lower", &Overload{Args: []types.T{AA, types.Int4}, Return: types.Int4, Bind: func(ts []types.T) Fn {
		lower := lowerOf(ts)
		return func(_ *Context, a []types.Datum) (types.Datum, error) {
			return arrDim(a, func(int64) types.Datum { return lower })
		}
	}})
	register("array_ndims", ov(types.Int4, func(_ *Context, a []types.Datum) (types.Datum, error) {
		if len(a[0].(*types.Array).Elems) == 0 {
			return nil, nil
		}
		return int64(1), nil
	}, AA))
	register("cardinality", ov(types.Int4, func(_ *Context, a []types.Datum) (types.Datum, error) {
		return int64(len(a[0].(*types.Array).Elems)), nil
	}, AA))
	toString := func(ts []types.T) Fn {
		return func(c *Context, a []types.Datum) (types.Datum, error) {
			if a[0] == nil || a[1] == nil {
				return nil, nil
			}
			arr := a[0].(*types.Array)
			var parts []string
			for _, e := range arr.Elems {
				switch {
				case e != nil:
					parts = append(parts, textOf(c, arr.Elem, e))
				case len(a) > 2 && a[2] != nil:
					parts = append(parts, a[2].(string))
				}
			}
			return strings.Join(parts, a[1].(string)), nil
		}
	}
	register("array_to_string",
		&Overload{Args: []types.T{AA, types.Text}, Return: types.Text, Bind: toString},
		&Overload{Args: []types.T{AA, types.Text, types.Text}, Return: types.Text, CalledOnNull: true, Bind: toString})
	register("array_position", &Overload{Args: []types.T{AA, AE}, Return: types.Int4, CalledOnNull: true, Bind: func(ts []types.T) Fn {
		return func(_ *Context, a []types.Datum) (types.Datum, error) {
			if a[0] == nil {
				return nil, nil
			}
			arr := a[0].(*types.Array)
			for i, e := range arr.Elems {
				if e == nil && a[1] == nil || e != nil && a[1] != nil && types.Compare(elemOf(ts, 0), e, a[1]) == 0 {
					return int64(i + 1), nil
				}
			}
			return nil, nil
		}
	}})
	appendFn := func(ts []types.T) Fn {
		return func(_ *Context, a []types.Datum) (types.Datum, error) {
			var base *types.Array
			if a[0] != nil {
				base = a[0].(*types.Array)
			}
			out := &types.Array{Elem: elemOf(ts, 0)}
			if base != nil {
				out.Elems = append(out.Elems, base.Elems...)
			}
			out.Elems = append(out.Elems, a[1])
			return out, nil
		}
	}
	prependFn := func(ts []types.T) Fn {
		return func(_ *Context, a []types.Datum) (types.Datum, error) {
			out := &types.Array{Elem: elemOf(ts, 1), Elems: []types.Datum{a[0]}}
			if a[1] != nil {
				out.Elems = append(out.Elems, a[1].(*types.Array).Elems...)
			}
			return out, nil
		}
	}
	catFn := func(ts []types.T) Fn {
		return func(_ *Context, a []types.Datum) (types.Datum, error) {
			if a[0] == nil {
				return a[1], nil
			}
			if a[1] == nil {
				return a[0], nil
			}
			x, y := a[0].(*types.Array), a[1].(*types.Array)
			out := &types.Array{Elem: elemOf(ts, 0)}
			out.Elems = append(append(out.Elems, x.Elems...), y.Elems...)
			return out, nil
		}
	}
	register("array_append", &Overload{Args: []types.T{AA, AE}, ReturnFn: retArr, CalledOnNull: true, Bind: appendFn})
	register("array_prepend", &Overload{Args: []types.T{AE, AA}, ReturnFn: retArr, CalledOnNull: true, Bind: prependFn})
	register("array_cat", &Overload{Args: []types.T{AA, AA}, ReturnFn: retArr, CalledOnNull: true, Bind: catFn})
	registerBin("||", &Overload{Args: []types.T{AA, AA}, ReturnFn: retArr, CalledOnNull: true, Bind: catFn})
	registerBin("||", &Overload{Args: []types.T{AA, AE}, ReturnFn: retArr, CalledOnNull: true, Bind: appendFn})
	registerBin("||", &Overload{Args: []types.T{AE, AA}, ReturnFn: retArr, CalledOnNull: true, Bind: prependFn})
	register("array_remove", &Overload{Args: []types.T{AA, AE}, ReturnFn: retArr, CalledOnNull: true, Bind: func(ts []types.T) Fn {
		return func(_ *Context, a []types.Datum) (types.Datum, error) {
			if a[0] == nil {
				return nil, nil
			}
			arr := a[0].(*types.Array)
			out := &types.Array{Elem: arr.Elem, Elems: []types.Datum{}}
			for _, e := range arr.Elems {
				if e == nil && a[1] == nil || e != nil && a[1] != nil && types.Compare(arr.Elem, e, a[1]) == 0 {
					continue
				}
				out.Elems = append(out.Elems, e)
			}
			return out, nil
		}
	}})
	// @> and <@ on arrays: containment ignoring order and duplicates.
	contains := func(ts []types.T, x, y *types.Array) bool {
		for _, e := range y.Elems {
			found := false
			for _, f := range x.Elems {
				if e != nil && f != nil && types.Compare(elemOf(ts, 0), e, f) == 0 {
					found = true
					break
				}
			}
			if !found {
				return false
			}
		}
		return true
	}
	registerBin("@>", &Overload{Args: []types.T{AA, AA}, Return: types.Bool, SameArrays: true, Bind: func(ts []types.T) Fn {
		return func(_ *Context, a []types.Datum) (types.Datum, error) {
			return contains(ts, a[0].(*types.Array), a[1].(*types.Array)), nil
		}
	}})
	registerBin("<@", &Overload{Args: []types.T{AA, AA}, Return: types.Bool, SameArrays: true, Bind: func(ts []types.T) Fn {
		return func(_ *Context, a []types.Datum) (types.Datum, error) {
			return contains(ts, a[1].(*types.Array), a[0].(*types.Array)), nil
		}
	}})
	registerBin("&&", &Overload{Args: []types.T{AA, AA}, Return: types.Bool, SameArrays: true, Bind: func(ts []types.T) Fn {
		return func(_ *Context, a []types.Datum) (types.Datum, error) {
			for _, e := range a[1].(*types.Array).Elems {
				if e != nil && contains(ts, a[0].(*types.Array), &types.Array{Elems: []types.Datum{e}}) {
					return true, nil
				}
			}
			return false, nil
		}
	}})
}

// The enum support functions: enum_first, enum_last and enum_range take
// a value of the enum type only for its type (usually NULL::t).
func registerEnumFunctions() {
	bindEnum := func(f func(e *types.EnumInfo, t types.T, a []types.Datum) (types.Datum, error)) func([]types.T) Fn {
		return func(ts []types.T) Fn {
			t := ts[0]
			return func(_ *Context, a []types.Datum) (types.Datum, error) {
				if t.Enum == nil {
					return nil, newErr(pgerror.InternalError, "enum type %d has no labels loaded", t.Oid)
				}
				return f(t.Enum, t, a)
			}
		}
	}
	enumRet := func(ts []types.T) types.T { return ts[0] }
	arrRet := func(ts []types.T) types.T { return types.ArrayOf(ts[0]) }
	register("enum_first", &Overload{Args: []types.T{anyEnum}, ReturnFn: enumRet, CalledOnNull: true,
		Bind: bindEnum(func(e *types.EnumInfo, _ types.T, _ []types.Datum) (types.Datum, error) {
			if len(e.Labels) == 0 {
				return nil, newErr(pgerror.ObjectNotInPrerequisiteState, "enum %s contains no values", e.QualifiedName())
			}
			return e.Labels[0].Label, nil
		})})
	register("enum_last", &Overload{Args: []types.T{anyEnum}, ReturnFn: enumRet, CalledOnNull: true,
		Bind: bindEnum(func(e *types.EnumInfo, _ types.T, _ []types.Datum) (types.Datum, error) {
			if len(e.Labels) == 0 {
				return nil, newErr(pgerror.ObjectNotInPrerequisiteState, "enum %s contains no values", e.QualifiedName())
			}
			return e.Labels[len(e.Labels)-1].Label, nil
		})})
	register("enum_range",
		&Overload{Args: []types.T{anyEnum}, ReturnFn: arrRet, CalledOnNull: true,
			Bind: bindEnum(func(e *types.EnumInfo, t types.T, _ []types.Datum) (types.Datum, error) {
				out := &types.Array{Elem: t, Elems: []types.Datum{}}
				for _, l := range e.Labels {
					out.Elems = append(out.Elems, l.Label)
				}
				return out, nil
			})},
		// enum_range(lower, upper): NULL bounds are open.
		&Overload{Args: []types.T{anyEnum, anyEnum}, ReturnFn: arrRet, CalledOnNull: true,
			Bind: bindEnum(func(e *types.EnumInfo, t types.T, a []types.Datum) (types.Datum, error) {
				lo, hi := 0, len(e.Labels)-1
				if a[0] != nil {
					lo, _ = e.Position(a[0].(string))
				}
				if a[1] != nil {
					hi, _ = e.Position(a[1].(string))
				}
				out := &types.Array{Elem: t, Elems: []types.Datum{}}
				for i := lo; i <= hi; i++ {
					out.Elems = append(out.Elems, e.Labels[i].Label)
				}
				return out, nil
			})})
}
