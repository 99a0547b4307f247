package builtins

import (
	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// jsonb's editing operators and functions: - (by key, keys or index),
// #-, ?, ?| and ?& with their function names, jsonb_set, jsonb_insert
// and jsonb_set_lax. The checks come in PostgreSQL's order (a scalar is
// refused before the path is looked at) so that the errors match.

// isRawScalar reports whether a decoded jsonb document is a scalar.
func isRawScalar(v any) bool {
	switch v.(type) {
	case jsonObject, []any:
		return false
	}
	return true
}

// jsonbDeleteKeys is jsonb - text and jsonb - text[]: keys of an object,
// string elements of an array; NULL keys are skipped.
func jsonbDeleteKeys(d types.Datum, keys []types.Datum) (types.Datum, error) {
	v := decodeJSONB(d)
	if isRawScalar(v) {
		return nil, newErr(pgerror.InvalidParameterValue, "cannot delete from scalar")
	}
	drop := map[string]bool{}
	for _, k := range keys {
		if k != nil {
			drop[k.(string)] = true
		}
	}
	if len(drop) == 0 {
		return d, nil
	}
	switch x := v.(type) {
	case jsonObject:
		for k := range drop {
			delete(x, k)
		}
	case []any:
		out := x[:0]
		for _, e := range x {
			if s, ok := e.(string); ok && drop[s] {
				continue
			}
			out = append(out, e)
		}
		v = out
	}
	return encodeJSONB(v)
}

// jsonbDeleteIndex is jsonb - int: the element at the index (from the
// end when negative); an index outside the array changes nothing.
func jsonbDeleteIndex(d types.Datum, idx int64) (types.Datum, error) {
	v := decodeJSONB(d)
	if isRawScalar(v) {
		return nil, newErr(pgerror.InvalidParameterValue, "cannot delete from scalar")
	}
	arr, ok := v.([]any)
	if !ok {
		return nil, newErr(pgerror.InvalidParameterValue, "cannot delete from object using integer index")
	}
	n := int64(len(arr))
	if idx < 0 {
		idx += n
	}
	if idx < 0 || idx >= n {
		return d, nil
	}
	return encodeJSONB(append(arr[:idx:idx], arr[idx+1:]...))
}

// jsonbDeletePath is #- and jsonb_delete_path.
func jsonbDeletePath(d types.Datum, path []types.Datum) (types.Datum, error) {
	v := decodeJSONB(d)
	if isRawScalar(v) {
		return nil, newErr(pgerror.InvalidParameterValue, "cannot delete path in scalar")
	}
	if len(path) == 0 || isEmptyContainer(v) {
		return d, nil
	}
	nv, err := setPath(v, path, 0, nil, pathDelete)
	if err != nil {
		return nil, err
	}
	return encodeJSONB(nv)
}

func isEmptyContainer(v any) bool {
	switch x := v.(type) {
	case jsonObject:
		return len(x) == 0
	case []any:
		return len(x) == 0
	}
	return false
}

// jsonbSetPath is jsonb_set and jsonb_insert: op applied with newval at
// path inside the document d.
func jsonbSetPath(d types.Datum, path []types.Datum, newval types.Datum, op pathOp) (types.Datum, error) {
	v := decodeJSONB(d)
	if isRawScalar(v) {
		return nil, newErr(pgerror.InvalidParameterValue, "cannot set path in scalar")
	}
	if len(path) == 0 || op == pathReplace && isEmptyContainer(v) {
		// An empty document has nothing to replace (jsonb_set's shortcut
		// when not creating: no path is looked at).
		return d, nil
	}
	nv, err := setPath(v, path, 0, decodeJSONB(newval), op)
	if err != nil {
		return nil, err
	}
	return encodeJSONB(nv)
}

// jsonbSetLax is jsonb_set_lax: jsonb_set unless the new value is SQL
// NULL, which null_value_treatment says what to do with.
func jsonbSetLax(_ *Context, a []types.Datum) (types.Datum, error) {
	create := true
	if len(a) > 3 {
		if a[3] == nil {
			return nil, nil
		}
		create = a[3].(bool)
	}
	if a[0] == nil || a[1] == nil {
		return nil, nil
	}
	treatment := "use_json_null"
	if len(a) > 4 {
		if a[4] == nil {
			return nil, errNullTreatment()
		}
		treatment = a[4].(string)
	}
	path := textArrayElems(a[1])
	if a[2] != nil {
		return jsonbSetPath(a[0], path, a[2], setOp(create))
	}
	switch treatment {
	case "raise_exception":
		return nil, newErr(pgerror.NullValueNotAllowed, "JSON value must not be null").(*pgerror.Error).
			WithDetail("Exception was raised because null_value_treatment is \"raise_exception\".").
			WithHint("To avoid, either change the null_value_treatment argument or ensure that an SQL NULL is not passed.")
	case "use_json_null":
		return jsonbSetPath(a[0], path, types.JSON("null"), setOp(create))
	case "delete_key":
		return jsonbDeletePath(a[0], path)
	case "return_target":
		return a[0], nil
	}
	return nil, errNullTreatment()
}

func errNullTreatment() error {
	return newErr(pgerror.InvalidParameterValue, "null_value_treatment must be \"delete_key\", \"return_target\", \"use_json_null\", or \"raise_exception\"")
}

// setOp is jsonb_set's operation for its create_if_missing argument.
func setOp(create bool) pathOp {
	if create {
		return pathCreate
	}
	return pathReplace
}

// jsonbExists is ?, ?| and ?&: whether a key of an object, a string
// element of an array or a string scalar equals key.
func jsonbExists(v any, key string) bool {
	switch x := v.(type) {
	case jsonObject:
		_, ok := x[key]
		return ok
	case []any:
		for _, e := range x {
			if s, ok := e.(string); ok && s == key {
				return true
			}
		}
		return false
	case string:
		return x == key
	}
	return false
}

// jsonbExistsKeys is ?| (any) and ?& (all); NULL keys are skipped.
func jsonbExistsKeys(d, keys types.Datum, all bool) bool {
	v := decodeJSONB(d)
	for _, k := range textArrayElems(keys) {
		if k == nil {
			continue
		}
		if jsonbExists(v, k.(string)) != all {
			return !all
		}
	}
	return all
}

func registerJSONBEdit() {
	J, T, TA := types.JSONB, types.Text, types.ArrayOf(types.Text)
	deleteKey := ov(J, func(_ *Context, a []types.Datum) (types.Datum, error) {
		return jsonbDeleteKeys(a[0], a[1:2])
	}, J, T)
	deleteKeys := ov(J, func(_ *Context, a []types.Datum) (types.Datum, error) {
		return jsonbDeleteKeys(a[0], textArrayElems(a[1]))
	}, J, TA)
	deleteIndex := ov(J, func(_ *Context, a []types.Datum) (types.Datum, error) {
		return jsonbDeleteIndex(a[0], a[1].(int64))
	}, J, types.Int4)
	register("jsonb_concat", ov(J, func(_ *Context, a []types.Datum) (types.Datum, error) {
		return jsonConcat(string(a[0].(types.JSON)), string(a[1].(types.JSON)))
	}, J, J))
	registerBin("-", deleteKey, deleteKeys, deleteIndex)
	register("jsonb_delete", deleteKey, deleteIndex, &Overload{Args: []types.T{J, T}, Variadic: true, Return: J,
		Fn: func(_ *Context, a []types.Datum) (types.Datum, error) { return jsonbDeleteKeys(a[0], a[1:]) }})
	deletePath := ov(J, func(_ *Context, a []types.Datum) (types.Datum, error) {
		return jsonbDeletePath(a[0], textArrayElems(a[1]))
	}, J, TA)
	registerBin("#-", deletePath)
	register("jsonb_delete_path", deletePath)

	register("jsonb_exists", ov(types.Bool, func(_ *Context, a []types.Datum) (types.Datum, error) {
		return jsonbExists(decodeJSONB(a[0]), a[1].(string)), nil
	}, J, T))
	existsAny := ov(types.Bool, func(_ *Context, a []types.Datum) (types.Datum, error) {
		return jsonbExistsKeys(a[0], a[1], false), nil
	}, J, TA)
	existsAll := ov(types.Bool, func(_ *Context, a []types.Datum) (types.Datum, error) {
		return jsonbExistsKeys(a[0], a[1], true), nil
	}, J, TA)
	registerBin("?|", existsAny)
	registerBin("?&", existsAll)
	register("jsonb_exists_any", existsAny)
	register("jsonb_exists_all", existsAll)
	register("jsonb_contains", ov(types.Bool, func(_ *Context, a []types.Datum) (types.Datum, error) {
		return jsonContains(decodeJSONB(a[0]), decodeJSONB(a[1])), nil
	}, J, J))
	register("jsonb_contained", ov(types.Bool, func(_ *Context, a []types.Datum) (types.Datum, error) {
		return jsonContains(decodeJSONB(a[1]), decodeJSONB(a[0])), nil
	}, J, J))

	set := func(op func(a []types.Datum) pathOp) Fn {
		return func(_ *Context, a []types.Datum) (types.Datum, error) {
			return jsonbSetPath(a[0], textArrayElems(a[1]), a[2], op(a))
		}
	}
	named := func(o *Overload, names []string, defaults ...string) *Overload {
		o.ArgNames, o.Defaults = names[:len(o.Args)], defaults
		return o
	}
	setNames := []string{"jsonb_in", "path", "replacement", "create_if_missing"}
	register("jsonb_set",
		named(ov(J, set(func([]types.Datum) pathOp { return pathCreate }), J, TA, J), setNames),
		named(ov(J, set(func(a []types.Datum) pathOp { return setOp(a[3].(bool)) }), J, TA, J, types.Bool), setNames, "true"))
	insertOp := func(a []types.Datum) pathOp {
		if len(a) > 3 && a[3].(bool) {
			return pathInsertAfter
		}
		return pathInsertBefore
	}
	insertNames := []string{"jsonb_in", "path", "replacement", "insert_after"}
	register("jsonb_insert", named(ov(J, set(insertOp), J, TA, J), insertNames),
		named(ov(J, set(insertOp), J, TA, J, types.Bool), insertNames, "false"))
	lax := func(args ...types.T) *Overload {
		return &Overload{Args: args, Return: J, CalledOnNull: true, Fn: jsonbSetLax,
			ArgNames: []string{"jsonb_in", "path", "replacement", "create_if_missing", "null_value_treatment"}[:len(args)],
			Defaults: []string{"true", "use_json_null"}[:len(args)-3]}
	}
	register("jsonb_set_lax", lax(J, TA, J), lax(J, TA, J, types.Bool), lax(J, TA, J, types.Bool, T))
}
