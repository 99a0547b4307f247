package builtins

import (
	"strings"

	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// json(b)_to_record and json(b)_to_recordset: the columns of a column
// definition list filled from an object's members, as PostgreSQL's
// populate_record_field converts them (jsonfuncs.c).

// JSONRecordObjects returns the objects json(b)_to_recordset called as
// fn makes rows of: the elements of an array, each an object.
func JSONRecordObjects(doc, fn string) ([]string, error) {
	switch jsonKind(doc) {
	case 'a':
	case 'o':
		if strings.HasPrefix(fn, "jsonb") {
			return nil, newErr(pgerror.InvalidParameterValue, "cannot call %s on a non-array", fn)
		}
		return nil, newErr(pgerror.InvalidParameterValue, "cannot call %s on an object", fn)
	default:
		if strings.HasPrefix(fn, "jsonb") {
			return nil, newErr(pgerror.InvalidParameterValue, "cannot call %s on a non-array", fn)
		}
		return nil, newErr(pgerror.InvalidParameterValue, "cannot call %s on a scalar", fn)
	}
	_, elems := jsonMembers(doc)
	for _, e := range elems {
		if jsonKind(e) != 'o' {
			return nil, newErr(pgerror.InvalidParameterValue, "argument of %s must be an array of objects", fn)
		}
	}
	return elems, nil
}

// JSONRecordValues converts the members of the object doc named cols to
// the types ts: a missing member keeps its value in base (NULL without
// one: json(b)_populate_record's record, nil for _to_record), JSON null
// is NULL, json and jsonb
// columns take the value itself, arrays are filled from JSON arrays (or
// read from a string as an array literal), and anything else goes
// through the type's input function: a string's contents, or the value
// as written.
func JSONRecordValues(c *Context, doc string, cols []string, ts []types.T, base []any) ([]types.Datum, error) {
	switch jsonKind(doc) {
	case 'o':
	case 'a':
		return nil, newErr(pgerror.InvalidParameterValue, "cannot call populate_composite on an array")
	default:
		return nil, newErr(pgerror.InvalidParameterValue, "cannot call populate_composite on a scalar")
	}
	keys, vals := jsonMembers(doc)
	members := make(map[string]string, len(keys))
	for i, k := range keys {
		members[k] = vals[i] // the last duplicate wins, as in PostgreSQL
	}
	out := make([]types.Datum, len(cols))
	copy(out, base)
	for i, col := range cols {
		raw, ok := members[col]
		if !ok {
			continue
		}
		if jsonKind(raw) == 'z' {
			out[i] = nil
			continue
		}
		v, err := populateField(c, raw, ts[i], col)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

func populateField(c *Context, raw string, t types.T, key string) (types.Datum, error) {
	switch {
	case t.Oid == types.OidJSONB:
		return canonical(raw)
	case t.Oid == types.OidJSON:
		return types.JSON(raw), nil
	case t.Family == types.ArrayFamily && t.Elem != nil:
		return populateArray(c, raw, t, key)
	}
	return populateScalar(c, raw, t)
}

func populateScalar(c *Context, raw string, t types.T) (types.Datum, error) {
	text := raw
	if jsonKind(raw) == 's' {
		text = unquoteJSON(raw)
	}
	return types.Cast(text, types.Unknown, t, false, c.settings())
}

// populateArray fills a one-dimensional array from a JSON array. A first
// element that is an array would make a multidimensional one, which
// quorumdb does not have; a sibling that is not an array then is
// PostgreSQL's "expected JSON array".
func populateArray(c *Context, raw string, t types.T, key string) (types.Datum, error) {
	switch jsonKind(raw) {
	case 's':
		return types.Cast(unquoteJSON(raw), types.Unknown, t, false, c.settings())
	case 'a':
	default:
		return nil, newErr(pgerror.InvalidTextRepresentation, "expected JSON array").(*pgerror.Error).
			WithHint("See the value of key \"%s\".", key)
	}
	_, elems := jsonMembers(raw)
	if len(elems) > 0 && jsonKind(elems[0]) == 'a' {
		for i, e := range elems {
			if jsonKind(e) != 'a' {
				return nil, newErr(pgerror.InvalidTextRepresentation, "expected JSON array").(*pgerror.Error).
					WithHint("See the array element [%d] of key \"%s\".", i, key)
			}
		}
		return nil, newErr(pgerror.FeatureNotSupported, "multidimensional arrays are not supported")
	}
	arr := &types.Array{Elem: *t.Elem, Elems: make([]types.Datum, len(elems))}
	for i, e := range elems {
		if jsonKind(e) == 'z' {
			continue
		}
		v, err := populateField(c, e, *t.Elem, key)
		if err != nil {
			return nil, err
		}
		arr.Elems[i] = v
	}
	return arr, nil
}

// populateRecord is json(b)_populate_record(base, doc) called as fn:
// base's columns with the members of doc of their names. base's type
// says the columns; a record without a known row type (NULL::record)
// cannot say them outside FROM.
func populateRecord(c *Context, fn string, t types.T, base, doc types.Datum) (types.Datum, error) {
	if t.Family != types.RecordFamily {
		return nil, newErr(pgerror.DatatypeMismatch, "first argument of %s must be a row type", fn)
	}
	if t.Fields == nil {
		return nil, ErrRowTypeUnknown(fn)
	}
	if doc == nil {
		return base, nil
	}
	var b []any
	if base != nil {
		b = base.([]any)
	}
	vals, err := JSONRecordValues(c, string(doc.(types.JSON)), t.Fields.Names, t.Fields.Types, b)
	if err != nil {
		return nil, err
	}
	return []any(vals), nil
}

// ErrRowTypeUnknown is PostgreSQL's error for json(b)_populate_record(set)
// given a record of no known row type outside a column definition list.
func ErrRowTypeUnknown(fn string) error {
	return newErr(pgerror.FeatureNotSupported, "could not determine row type for result of %s", fn).(*pgerror.Error).
		WithHint("Provide a non-null record argument, or call the function in the FROM clause using a column definition list.")
}

func registerJSONPopulate() {
	for _, jt := range []types.T{types.JSONT, types.JSONB} {
		name := "json_populate_record"
		if jt.Oid == types.OidJSONB {
			name = "jsonb_populate_record"
		}
		register(name, &Overload{Args: []types.T{types.Any, jt}, Return: types.Record, CalledOnNull: true,
			ReturnFn: func(ts []types.T) types.T { return ts[0] },
			Bind: func(ts []types.T) Fn {
				return func(c *Context, a []types.Datum) (types.Datum, error) {
					return populateRecord(c, name, ts[0], a[0], a[1])
				}
			}})
	}
}
