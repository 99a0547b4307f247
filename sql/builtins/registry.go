package builtins

import (
	"context"
	"math/rand"
	"strconv"
	"strings"
	"time"

	"github.com/quorumdb/quorumdb/sql/types"
)

// init fills the function table in one place and a fixed order (the
// order the registrations ran in when each file had an init of its own,
// which was the files' names): overloads registered under one name keep
// their order, which resolution's ties depend on, and renaming a file
// cannot change it.
func init() {
	registerAggregates()
	registerArithmetic()
	registerArrays()
	registerEnumFunctions()
	registerComparison()
	registerDatetime()
	registerEncoding()
	loadKeywords()
	registerQuoting()
	registerJSON()
	registerJSONBEdit()
	registerJSONMisc()
	registerJSONPopulate()
	registerMath()
	registerMisc()
	registerOrderedSet()
	registerPatterns()
	registerRegexpPosition()
	registerRegexpSplit()
	registerRegression()
	registerSimilar()
	registerStrings()
	registerToChar()
	registerToCharNumber()
	registerToDate()
	registerToNumber()
}

// Context is what a builtin may read while it runs. One Context serves a
// whole statement; builtins do not keep it.
type Context struct {
	Ctx      context.Context
	Settings *types.Settings // session settings; nil means PostgreSQL defaults
	TxnTime  time.Time       // now(), transaction_timestamp()
	StmtTime time.Time       // statement_timestamp()
	Rand     *rand.Rand      // random(); nil uses a process-wide source
	// RegName prints a value of a reg* type (regclass, regtype, …) by
	// name, which needs the session's catalog; nil prints the number.
	RegName func(typ types.Oid, v int64) string
}

// oidText is the text of a value of oid or a reg* type.
func (c *Context) oidText(t types.T, v int64) string {
	if t.Oid != types.OidOid && c != nil && c.RegName != nil {
		return c.RegName(t.Oid, v)
	}
	return strconv.FormatInt(v, 10)
}

// settings returns the session settings, defaults when unset.
func (c *Context) settings() *types.Settings {
	if c == nil || c.Settings == nil {
		return types.DefaultSettings()
	}
	return c.Settings
}

// location returns the session time zone.
func (c *Context) location() *time.Location {
	if s := c.settings(); s.Location != nil {
		return s.Location
	}
	return time.UTC
}

// Fn is the implementation of one overload. args has one datum per
// argument, already cast to the overload's argument types.
type Fn func(c *Context, args []types.Datum) (types.Datum, error)

// Overload is one signature of a function or operator.
type Overload struct {
	Args     []types.T // types.Any = any type (polymorphic)
	Variadic bool      // last Arg repeats (at least once)
	Return   types.T
	// ReturnFn computes the result type from the argument types when it
	// depends on them (optional).
	ReturnFn func(args []types.T) types.T
	// CalledOnNull: Fn also sees NULL arguments. By default overloads are
	// strict: any NULL argument gives NULL without calling Fn.
	CalledOnNull bool
	// Volatile overloads (random(), clock_timestamp()) are not
	// constant-folded.
	Volatile bool
	// SameArrays: the anyarray arguments must be arrays of one type, as
	// PostgreSQL's anyarray (array_eq, arraycontains, ...); without it
	// they meet at a common element type, as anycompatiblearray
	// (array_cat(int4[], int8[])).
	SameArrays bool
	Fn         Fn
	// Bind, when set, builds Fn for the resolved argument types; Resolve
	// returns a copy with Fn filled in. Polymorphic overloads use it when
	// the datums alone do not say how to print or compare them.
	Bind func(argTypes []types.T) Fn
	// ArgNames are the parameters' names, for calls naming their
	// arguments (name => value); Defaults are the trailing parameters'
	// defaults as SQL literals, for those such calls leave out.
	ArgNames []string
	Defaults []string
}

// NamedParams returns the parameter names and the defaults of the
// trailing parameters of function name, from its overload with the most
// named parameters; ok is false when it has none.
func NamedParams(name string) (names, defaults []string, ok bool) {
	for _, o := range funcs[normName(name)] {
		if len(o.ArgNames) > len(names) {
			names, defaults, ok = o.ArgNames, o.Defaults, true
		}
	}
	return names, defaults, ok
}

// Pseudo-types of polymorphic signatures. They share types.AnyFamily so
// that callers treat them as "no cast needed"; their OIDs are
// PostgreSQL's. types.Any ("any") lets each position be any type;
// anyelement positions must agree with each other and with the element
// type of anyarray positions.
var (
	anyElement  = types.T{Family: types.AnyFamily, Oid: 2283}
	anyArray    = types.T{Family: types.AnyFamily, Oid: 2277}
	anyNonArray = types.T{Family: types.AnyFamily, Oid: 2776}
	anyEnum     = types.T{Family: types.AnyFamily, Oid: 3500}
)

// The registries are filled by init functions and read-only afterwards,
// so lookups need no lock.
var (
	funcs  = map[string][]*Overload{}
	binOps = map[string][]*Overload{}
	unOps  = map[string][]*Overload{}
	aggs   = map[string][]*Aggregate{}
)

// register adds overloads of a function under one or more names.
func register(names string, ovs ...*Overload) {
	for _, n := range splitNames(names) {
		funcs[n] = append(funcs[n], ovs...)
	}
}

// registerBin adds binary operator overloads.
func registerBin(op string, ovs ...*Overload) { binOps[op] = append(binOps[op], ovs...) }

// registerUn adds prefix operator overloads.
func registerUn(op string, ovs ...*Overload) { unOps[op] = append(unOps[op], ovs...) }

// ov builds a strict, immutable overload.
func ov(ret types.T, fn Fn, args ...types.T) *Overload {
	return &Overload{Args: args, Return: ret, Fn: fn}
}

// normName strips the pg_catalog schema (the only schema builtins live
// in) from a possibly qualified name.
func normName(name string) string {
	return strings.TrimPrefix(name, "pg_catalog.")
}

// Exists reports whether name is a builtin scalar function or aggregate.
func Exists(name string) bool {
	n := normName(name)
	return len(funcs[n]) > 0 || len(aggs[n]) > 0
}

// MaybeVolatile reports whether a call of name may be volatile: some
// overload is, or name is not a builtin scalar function (aggregates are
// not volatile).
func MaybeVolatile(name string) bool {
	n := normName(name)
	if len(aggs[n]) > 0 {
		return false
	}
	ovs := funcs[n]
	if len(ovs) == 0 {
		return true
	}
	for _, o := range ovs {
		if o.Volatile {
			return true
		}
	}
	return false
}

// IsAggregate reports whether name is an aggregate function.
func IsAggregate(name string) bool { return len(aggs[normName(name)]) > 0 }

// splitNames splits a space-separated list of names (aliases).
func splitNames(s string) []string { return strings.Fields(s) }
