package builtins

import (
	"strings"

	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// The JSON set-returning functions' row sources. The executor's srf code
// calls these once per input value; errors carry the wording PostgreSQL
// uses for each function and each wrong kind of value, which differ
// between json and jsonb because they are implemented separately there.

// JSONArrayElements returns the raw elements of a JSON array for
// json(b)_array_elements(_text) called as fn.
func JSONArrayElements(s, fn string) ([]string, error) {
	kind := jsonKind(s)
	if kind == 'a' {
		_, vals := jsonMembers(s)
		return vals, nil
	}
	if strings.HasPrefix(fn, "jsonb") {
		if kind == 'o' {
			return nil, pgerror.New(pgerror.InvalidParameterValue, "cannot extract elements from an object")
		}
		return nil, pgerror.New(pgerror.InvalidParameterValue, "cannot extract elements from a scalar")
	}
	if kind == 'o' {
		return nil, pgerror.New(pgerror.InvalidParameterValue, "cannot call %s on a non-array", fn)
	}
	return nil, pgerror.New(pgerror.InvalidParameterValue, "cannot call %s on a scalar", fn)
}

// JSONObjectMembers returns the keys and raw values of a JSON object for
// json(b)_each(_text) and json(b)_object_keys called as fn.
func JSONObjectMembers(s, fn string) (keys, vals []string, err error) {
	kind := jsonKind(s)
	if kind == 'o' {
		keys, vals = jsonMembers(s)
		return keys, vals, nil
	}
	switch {
	case strings.HasSuffix(fn, "object_keys"):
		if kind == 'a' {
			return nil, nil, pgerror.New(pgerror.InvalidParameterValue, "cannot call %s on an array", fn)
		}
		return nil, nil, pgerror.New(pgerror.InvalidParameterValue, "cannot call %s on a scalar", fn)
	case strings.HasPrefix(fn, "jsonb"):
		return nil, nil, pgerror.New(pgerror.InvalidParameterValue, "cannot call %s on a non-object", fn)
	case kind == 'a':
		return nil, nil, pgerror.New(pgerror.InvalidParameterValue, "cannot deconstruct an array as an object")
	}
	return nil, nil, pgerror.New(pgerror.InvalidParameterValue, "cannot deconstruct a scalar")
}

// JSONValueText is a raw JSON value as the _text functions return it:
// strings unquoted, JSON null as SQL NULL, anything else as written.
func JSONValueText(v string) types.Datum { return jsonText(v) }
