package builtins

import (
	"strings"

	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// candidate is an overload with its parameter list expanded to the
// number of arguments of the call (variadic tails repeated).
type candidate struct {
	ov     *Overload
	params []types.T
	agg    *Aggregate
}

// Resolve picks the overload of function name for arguments of the given
// types. The second result is the type each argument must be cast to
// before the call; a types.AnyFamily entry means "leave as is" (an
// unknown literal there becomes text).
func Resolve(name string, argTypes []types.T) (*Overload, []types.T, error) {
	n := normName(name)
	c, err := pick(funcs[n], nil, argTypes, false)
	if err != nil {
		return nil, nil, funcError(err, n, argTypes, "function")
	}
	return bindOverload(c, argTypes)
}

// ResolveBinaryOp picks the overload of the infix operator op.
func ResolveBinaryOp(op string, l, r types.T) (*Overload, []types.T, error) {
	op = normOp(op)
	ins := []types.T{l, r}
	c, err := pick(binOps[op], nil, ins, true)
	if err != nil {
		return nil, nil, opError(err, types.TypeName(l)+" "+op+" "+types.TypeName(r))
	}
	return bindOverload(c, ins)
}

// ResolveUnaryOp picks the overload of the prefix operator op.
func ResolveUnaryOp(op string, t types.T) (*Overload, []types.T, error) {
	op = normOp(op)
	ins := []types.T{t}
	c, err := pick(unOps[op], nil, ins, false)
	if err != nil {
		return nil, nil, opError(err, op+" "+types.TypeName(t))
	}
	return bindOverload(c, ins)
}

// ResolveAggregate picks the overload of aggregate name; count(*) is
// asked for with no argument types.
func ResolveAggregate(name string, argTypes []types.T) (*Aggregate, []types.T, error) {
	n := normName(name)
	c, err := pick(nil, aggs[n], argTypes, false)
	if err != nil {
		return nil, nil, funcError(err, n, argTypes, "function")
	}
	casts := castTypes(c.params, argTypes)
	a := c.agg
	if a.Bind != nil {
		cp := *a
		cp.New = a.Bind(finalTypes(casts, argTypes))
		a = &cp
	}
	return a, casts, nil
}

// normOp maps operator spellings to the registered symbol.
func normOp(op string) string {
	op = strings.TrimPrefix(op, "pg_catalog.")
	if op == "!=" {
		return "<>"
	}
	return op
}

func bindOverload(c *candidate, ins []types.T) (*Overload, []types.T, error) {
	casts := castTypes(c.params, ins)
	o := c.ov
	if o.Bind != nil {
		cp := *o
		cp.Fn = o.Bind(finalTypes(casts, ins))
		o = &cp
	}
	return o, casts, nil
}

// finalTypes is the type each argument will have when Fn runs.
func finalTypes(casts, ins []types.T) []types.T {
	out := make([]types.T, len(ins))
	for i, in := range ins {
		switch {
		case casts[i].Family != types.AnyFamily && !casts[i].Equal(in):
			out[i] = casts[i]
		case in.Family == types.UnknownFamily:
			out[i] = types.Text
		default:
			out[i] = in
		}
	}
	return out
}

// Resolution failures, turned into PostgreSQL's messages by the callers.
type resolveErr int

const (
	errNone resolveErr = iota
	errNoMatch
	errAmbiguous
)

func (e resolveErr) Error() string { return "resolve" }

// NoFunctionError is the 42883 "function name(types) does not exist"
// of a call that matches no signature.
func NoFunctionError(name string, argTypes []types.T) error {
	return funcError(nil, name, argTypes, "function")
}

func funcError(err error, name string, ins []types.T, _ string) error {
	names := make([]string, len(ins))
	for i, t := range ins {
		names[i] = types.TypeName(t)
	}
	sig := name + "(" + strings.Join(names, ", ") + ")"
	if err == errAmbiguous {
		return pgerror.New(pgerror.AmbiguousFunction, "function %s is not unique", sig).
			WithHint("Could not choose a best candidate function. You might need to add explicit type casts.")
	}
	return pgerror.New(pgerror.UndefinedFunction, "function %s does not exist", sig).
		WithHint("No function matches the given name and argument types. You might need to add explicit type casts.")
}

func opError(err error, sig string) error {
	if err == errAmbiguous {
		return pgerror.New(pgerror.AmbiguousFunction, "operator is not unique: %s", sig).
			WithHint("Could not choose a best candidate operator. You might need to add explicit type casts.")
	}
	return pgerror.New(pgerror.UndefinedFunction, "operator does not exist: %s", sig).
		WithHint("No operator matches the given name and argument types. You might need to add explicit type casts.")
}

// expand returns the parameter types of o for n arguments.
func expand(args []types.T, variadic bool, n int) ([]types.T, bool) {
	if !variadic {
		return args, len(args) == n
	}
	if n < len(args) {
		return nil, false
	}
	out := make([]types.T, n)
	copy(out, args)
	for i := len(args); i < n; i++ {
		out[i] = args[len(args)-1]
	}
	return out, true
}

// pick implements PostgreSQL's overload choice (func_get_detail and
// func_select_candidate). binary enables binary_oper_exact: an unknown
// operand is first tried as the other operand's type, which is why
// '1' + 1 is int4 + int4.
func pick(ovs []*Overload, ags []*Aggregate, ins []types.T, binary bool) (*candidate, error) {
	var all []*candidate
	for _, o := range ovs {
		if p, ok := expand(o.Args, o.Variadic, len(ins)); ok {
			all = append(all, &candidate{ov: o, params: p})
		}
	}
	for _, a := range ags {
		if p, ok := expand(a.Args, false, len(ins)); ok {
			all = append(all, &candidate{agg: a, params: p})
		}
	}
	all = dropShadowedVariadic(all)
	if len(all) == 0 {
		return nil, errNoMatch
	}
	// Exact match.
	look := ins
	if binary && len(ins) == 2 {
		l, r := ins[0], ins[1]
		if l.Family == types.UnknownFamily && r.Family != types.UnknownFamily {
			look = []types.T{r, r}
		} else if r.Family == types.UnknownFamily && l.Family != types.UnknownFamily {
			look = []types.T{l, l}
		}
	}
	for _, c := range all {
		if exactMatch(c.params, look) {
			return c, nil
		}
	}
	// Implicitly coercible candidates.
	var cands []*candidate
	for _, c := range all {
		if coercible(c.params, ins) && (c.ov == nil || !c.ov.SameArrays || sameArrayTypes(c.params, ins)) {
			cands = append(cands, c)
		}
	}
	switch len(cands) {
	case 0:
		return nil, errNoMatch
	case 1:
		return cands[0], nil
	}
	cands = selectCandidate(ins, cands)
	if len(cands) == 1 {
		return cands[0], nil
	}
	return nil, errAmbiguous
}

func sameType(a, b types.T) bool { return a.Oid == b.Oid }

// dropShadowedVariadic removes the variadic candidates whose expanded
// parameters are those of a fixed-arity candidate, which PostgreSQL's
// FuncnameGetCandidates prefers: jsonb_delete(jsonb, 'a') is
// jsonb_delete(jsonb, text), not jsonb_delete(jsonb, VARIADIC text[]).
func dropShadowedVariadic(all []*candidate) []*candidate {
	shadowed := func(v *candidate) bool {
		for _, c := range all {
			if c.ov == nil || c.ov.Variadic || len(c.params) != len(v.params) {
				continue
			}
			same := true
			for i := range c.params {
				same = same && sameType(c.params[i], v.params[i])
			}
			if same {
				return true
			}
		}
		return false
	}
	out := all[:0:0]
	for _, c := range all {
		if c.ov == nil || !c.ov.Variadic || !shadowed(c) {
			out = append(out, c)
		}
	}
	return out
}

// sameArrayTypes reports whether the known arguments at anyarray
// positions are all of one array type (int4[] and int2[] are not).
func sameArrayTypes(params, ins []types.T) bool {
	var first *types.T
	for i, p := range params {
		if p.Oid != anyArray.Oid || ins[i].Family == types.UnknownFamily {
			continue
		}
		if first != nil && !sameType(*first, ins[i]) {
			return false
		}
		first = &ins[i]
	}
	return true
}

func exactMatch(params, ins []types.T) bool {
	for i, p := range params {
		if p.Family == types.AnyFamily || !sameType(p, ins[i]) {
			return false
		}
	}
	return true
}

// accepts reports whether an argument of type in may be passed to a
// parameter of type p with at most an implicit cast.
func accepts(p, in types.T) bool {
	switch p.Oid {
	case types.OidAny, anyElement.Oid:
		return true
	case anyNonArray.Oid:
		return in.Family != types.ArrayFamily
	case anyArray.Oid:
		return in.Family == types.ArrayFamily || in.Family == types.UnknownFamily
	case anyEnum.Oid:
		return in.Family == types.EnumFamily || in.Family == types.UnknownFamily
	}
	if in.Family == types.UnknownFamily || sameType(p, in) {
		return true
	}
	return types.CanCast(in, p, types.Implicit)
}

func coercible(params, ins []types.T) bool {
	for i, p := range params {
		if !accepts(p, ins[i]) {
			return false
		}
	}
	_, ok := polyElem(params, ins)
	return ok
}

// polyElem finds the element type that anyelement and anyarray
// positions agree on; ok is false when they conflict. The zero T means
// no position fixed it.
func polyElem(params, ins []types.T) (elem types.T, ok bool) {
	set := false
	for i, p := range params {
		var e types.T
		switch {
		case ins[i].Family == types.UnknownFamily:
			continue
		case p.Oid == anyElement.Oid || p.Oid == anyNonArray.Oid || p.Oid == anyEnum.Oid:
			e = ins[i]
		case p.Oid == anyArray.Oid && ins[i].Elem != nil:
			e = *ins[i].Elem
		default:
			continue
		}
		if set && !sameType(e, elem) {
			// int4 and int8 elements meet at the common numeric type,
			// as array_append(int8[], 1) needs.
			if category(e) == 'N' && category(elem) == 'N' {
				elem = types.CommonNumericType(elem, e)
				continue
			}
			if e.Family == types.StringFamily && elem.Family == types.StringFamily {
				// text, varchar and char convert to each other implicitly,
				// so select_common_type keeps the first:
				// array_append(varchar[], text) is varchar[].
				continue
			}
			return types.T{}, false
		}
		elem, set = types.T{Family: e.Family, Oid: e.Oid, Elem: e.Elem, Enum: e.Enum}, true
	}
	return elem, true
}

// castTypes returns the type to cast each argument to for params.
func castTypes(params, ins []types.T) []types.T {
	elem, _ := polyElem(params, ins)
	out := make([]types.T, len(ins))
	for i, p := range params {
		switch p.Oid {
		case anyElement.Oid, anyNonArray.Oid, anyEnum.Oid:
			if elem.Oid != 0 {
				out[i] = elem
			} else {
				out[i] = types.Any
			}
		case anyArray.Oid:
			if o := ins[i].Oid; o == types.OidInt2Vector || o == types.OidOidVector {
				// A vector stays one (its subscripts start at 0).
				out[i] = ins[i]
			} else if elem.Oid != 0 {
				out[i] = types.ArrayOf(elem)
			} else {
				out[i] = types.Any
			}
		default:
			out[i] = p
		}
	}
	return out
}

// category is pg_type.typcategory.
func category(t types.T) byte { return t.Category() }

// preferred is pg_type.typispreferred.
func preferred(t types.T) bool { return t.Preferred() }

// keepBest keeps the candidates with the highest score.
func keepBest(cands []*candidate, score func(*candidate) int) []*candidate {
	best, out := -1, []*candidate(nil)
	for _, c := range cands {
		s := score(c)
		switch {
		case s > best:
			best, out = s, []*candidate{c}
		case s == best:
			out = append(out, c)
		}
	}
	return out
}

// selectCandidate narrows several coercible candidates as PostgreSQL's
// func_select_candidate does; more than one result means ambiguous.
func selectCandidate(ins []types.T, cands []*candidate) []*candidate {
	unknown := func(i int) bool { return ins[i].Family == types.UnknownFamily }
	// Most exact matches on known inputs.
	cands = keepBest(cands, func(c *candidate) int {
		n := 0
		for i, p := range c.params {
			if !unknown(i) && sameType(p, ins[i]) {
				n++
			}
		}
		return n
	})
	if len(cands) == 1 {
		return cands
	}
	// Most exact-or-preferred matches, a preferred type counting only
	// within the input's own category.
	cands = keepBest(cands, func(c *candidate) int {
		n := 0
		for i, p := range c.params {
			if !unknown(i) && (sameType(p, ins[i]) || category(p) == category(ins[i]) && preferred(p)) {
				n++
			}
		}
		return n
	})
	if len(cands) == 1 {
		return cands
	}
	// Unknown inputs: pick a category per position, the string category
	// winning, then a preferred type of it if any candidate has one.
	hasUnknown := false
	slotCat := make([]byte, len(ins))
	slotPref := make([]bool, len(ins))
	resolved := false
	resolved = true
	for i := range ins {
		if !unknown(i) {
			continue
		}
		hasUnknown = true
		conflict := false
		for _, c := range cands {
			cat, pref := category(c.params[i]), preferred(c.params[i])
			switch {
			case slotCat[i] == 0:
				slotCat[i], slotPref[i] = cat, pref
			case cat == slotCat[i]:
				slotPref[i] = slotPref[i] || pref
			case cat == 'S':
				slotCat[i], slotPref[i] = cat, pref
			default:
				conflict = true // the string category may still turn up
			}
		}
		if conflict && slotCat[i] != 'S' {
			resolved = false
			break
		}
	}
	if !hasUnknown {
		return cands
	}
	if resolved {
		var kept []*candidate
		for _, c := range cands {
			ok := true
			for i, p := range c.params {
				if unknown(i) && (category(p) != slotCat[i] || slotPref[i] && !preferred(p)) {
					ok = false
					break
				}
			}
			if ok {
				kept = append(kept, c)
			}
		}
		if len(kept) > 0 {
			cands = kept
		}
		if len(cands) == 1 {
			return cands
		}
	}
	// Last resort: the known inputs all have one type; take the single
	// candidate that accepts that type at every unknown position.
	var known *types.T
	for i := range ins {
		if unknown(i) {
			continue
		}
		if known != nil && !sameType(*known, ins[i]) {
			return cands
		}
		known = &ins[i]
	}
	if known == nil {
		return cands
	}
	var only []*candidate
	for _, c := range cands {
		ok := true
		for i, p := range c.params {
			if unknown(i) && !accepts(p, *known) {
				ok = false
				break
			}
		}
		if ok {
			only = append(only, c)
		}
	}
	if len(only) == 1 {
		return only
	}
	return cands
}
