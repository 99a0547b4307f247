package builtins

import (
	"github.com/quorumdb/quorumdb/sql/types"
)

// VariadicCall is a builtin called with VARIADIC: its last argument is an
// array whose elements are the variadic arguments, as many as it holds
// when the call runs.
type VariadicCall struct {
	ov    *Overload
	fixed []types.T // the types of the arguments before the array
	elem  types.T   // the array's element type after its cast
}

// ResolveVariadic picks the variadic overload of name for arguments of
// types fixed followed by an array of elem elements. The casts are those
// of the fixed arguments, then the element type the array's elements
// must be cast to (types.Any: none).
func ResolveVariadic(name string, fixed []types.T, elem types.T) (*VariadicCall, []types.T, error) {
	n := normName(name)
	var vs []*Overload
	for _, o := range funcs[n] {
		if o.Variadic {
			vs = append(vs, o)
		}
	}
	ins := append(append([]types.T(nil), fixed...), elem)
	c, err := pick(vs, nil, ins, false)
	if err != nil {
		arr := types.ArrayOf(elem)
		return nil, nil, funcError(err, n, append(append([]types.T(nil), fixed...), arr), "function")
	}
	casts := castTypes(c.params, ins)
	final := finalTypes(casts, ins)
	return &VariadicCall{ov: c.ov, fixed: final[:len(fixed)], elem: final[len(fixed)]}, casts, nil
}

// Return is the call's result type.
func (v *VariadicCall) Return() types.T {
	if v.ov.ReturnFn != nil {
		ts := append(append([]types.T(nil), v.fixed...), v.elem)
		return v.ov.ReturnFn(ts)
	}
	return v.ov.Return
}

// Call runs the function on the fixed arguments and the array's
// elements. A NULL array makes the result NULL, as PostgreSQL's
// extract_variadic_args does for VARIADIC "any" and strictness for the
// others.
func (v *VariadicCall) Call(c *Context, fixed []types.Datum, arr types.Datum) (types.Datum, error) {
	if arr == nil {
		return nil, nil
	}
	elems := arr.(*types.Array).Elems
	args := append(append(make([]types.Datum, 0, len(fixed)+len(elems)), fixed...), elems...)
	if !v.ov.CalledOnNull {
		for _, a := range args {
			if a == nil {
				return nil, nil
			}
		}
	}
	fn := v.ov.Fn
	if v.ov.Bind != nil {
		ts := append(make([]types.T, 0, len(args)), v.fixed...)
		for range elems {
			ts = append(ts, v.elem)
		}
		fn = v.ov.Bind(ts)
	}
	return fn(c, args)
}
