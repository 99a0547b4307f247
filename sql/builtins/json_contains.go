package builtins

import (
	"encoding/json"

	"github.com/cockroachdb/apd/v3"
)

// jsonContains is jsonb @> (a contains b) on decoded values, as
// PostgreSQL's JsonbDeepContains. At the top level a scalar is stored as
// a one-element "raw scalar" array: a raw scalar contains only an equal
// raw scalar, an array contains a raw scalar among its own scalar
// elements, and an object contains no scalar (the container kinds
// differ). Every recursive call is on strictly smaller parts of a and b,
// so the depth is bounded by the nesting of the input, which the JSON
// decoder limits.
func jsonContains(a, b any) bool {
	aScalar, bScalar := isJSONScalar(a), isJSONScalar(b)
	switch {
	case aScalar && bScalar:
		return jsonScalarEqual(a, b)
	case aScalar:
		return false
	case bScalar:
		av, ok := a.([]any)
		return ok && jsonArrayHasScalar(av, b)
	}
	return jsonDeepContains(a, b)
}

// jsonDeepContains compares two containers (objects or arrays): pairs
// of b must be in a with a value of the same kind (scalars equal,
// containers contained); scalar elements of b must be scalar elements
// of a, container elements of b contained in some container element of
// a.
func jsonDeepContains(a, b any) bool {
	switch bv := b.(type) {
	case map[string]any:
		av, ok := a.(map[string]any)
		if !ok || len(av) < len(bv) {
			return false
		}
		for k, v := range bv {
			x, ok := av[k]
			if !ok {
				return false
			}
			xScalar, vScalar := isJSONScalar(x), isJSONScalar(v)
			switch {
			case xScalar && vScalar:
				if !jsonScalarEqual(x, v) {
					return false
				}
			case xScalar || vScalar:
				return false
			default:
				if !jsonDeepContains(x, v) {
					return false
				}
			}
		}
		return true
	case []any:
		av, ok := a.([]any)
		if !ok {
			return false
		}
		for _, v := range bv {
			if isJSONScalar(v) {
				if !jsonArrayHasScalar(av, v) {
					return false
				}
				continue
			}
			found := false
			for _, x := range av {
				if !isJSONScalar(x) && jsonDeepContains(x, v) {
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
	return false
}

// isJSONScalar reports whether v is a decoded JSON scalar (not an
// object or array).
func isJSONScalar(v any) bool {
	switch v.(type) {
	case map[string]any, []any:
		return false
	}
	return true
}

// jsonArrayHasScalar reports whether the scalar s is an element of a.
func jsonArrayHasScalar(a []any, s any) bool {
	for _, x := range a {
		if isJSONScalar(x) && jsonScalarEqual(x, s) {
			return true
		}
	}
	return false
}

// jsonScalarEqual is equalsJsonbScalarValue: scalars of the same kind
// with equal values; numbers compare numerically (1 = 1.0).
func jsonScalarEqual(a, b any) bool {
	if an, ok := a.(json.Number); ok {
		bn, ok := b.(json.Number)
		if !ok {
			return false
		}
		x, _, e1 := apd.NewFromString(string(an))
		y, _, e2 := apd.NewFromString(string(bn))
		return e1 == nil && e2 == nil && x.Cmp(y) == 0
	}
	return a == b
}
