package sql

import (
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/quorumdb/quorumdb/sql/builtins"
	"github.com/quorumdb/quorumdb/sql/exec"
	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// callBuiltinNamed builds a builtin call that names some of its
// arguments (jsonb_set_lax(j, p, v, null_value_treatment => 'x')): the
// arguments are put in the builtin's parameter order, the left-out
// trailing parameters take their defaults, and the call resolves as a
// positional one. A name the builtin does not have, or a parameter left
// without a value, is PostgreSQL's 42883; a builtin that declares no
// names refuses such calls (0A000).
func (b *builder) callBuiltinNamed(f *pg_query.FuncCall, name string, args []exec.Expr, argNames []string) (exec.Expr, error) {
	noSuch := func() error {
		sig := make([]string, len(args))
		for i, a := range args {
			sig[i] = types.TypeName(a.Typ())
			if argNames[i] != "" {
				sig[i] = argNames[i] + " => " + sig[i]
			}
		}
		return pgerror.New(pgerror.UndefinedFunction, "function %s(%s) does not exist", name, strings.Join(sig, ", ")).
			WithHint("No function matches the given name and argument types. You might need to add explicit type casts.").
			WithPosition(int(f.Location) + 1)
	}
	params, defaults, ok := builtins.NamedParams(name)
	if !ok {
		if builtins.Exists(name) {
			// PostgreSQL names the parameters of some builtins
			// (make_interval's days); which, quorumdb does not know.
			return nil, unsupported("named arguments to built-in functions")
		}
		return nil, noSuch()
	}
	for i := 1; i < len(args); i++ {
		if argNames[i] == "" && argNames[i-1] != "" {
			return nil, pgerror.New(pgerror.SyntaxError, "positional argument cannot follow named argument").
				WithPosition(exprStart(f.Args[i]) + 1)
		}
	}
	placed := make([]exec.Expr, len(params))
	for i, a := range args {
		if argNames[i] == "" {
			if i >= len(params) {
				return nil, noSuch()
			}
			placed[i] = a
			continue
		}
		at := -1
		for j, p := range params {
			if p == argNames[i] {
				at = j
			}
		}
		if at < 0 || placed[at] != nil {
			return nil, noSuch()
		}
		placed[at] = a
	}
	// The call ends at its last given argument; the gaps before it take
	// the defaults, which cover the trailing parameters only.
	last := -1
	for i, a := range placed {
		if a != nil {
			last = i
		}
	}
	firstDefault := len(params) - len(defaults)
	for i := 0; i <= last; i++ {
		if placed[i] != nil {
			continue
		}
		if i < firstDefault {
			return nil, noSuch()
		}
		placed[i] = &exec.ConstExpr{Value: defaults[i-firstDefault], T: types.Unknown}
	}
	return b.callBuiltin(name, placed[:last+1])
}
