package sql

import (
	"context"
	"fmt"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/quorumdb/quorumdb/kv"
	"github.com/quorumdb/quorumdb/sql/catalog"
	"github.com/quorumdb/quorumdb/sql/exec"
	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// maxFunctionDepth bounds nested SQL function calls (recursion), as
// PostgreSQL's max_stack_depth does.
const maxFunctionDepth = 1000

type funcDepthKey struct{}

func funcDepth(ctx context.Context) int {
	d, _ := ctx.Value(funcDepthKey{}).(int)
	return d
}

// implicitlyCoercible reports whether an argument of type from may be
// passed for a parameter of type to without a cast: PostgreSQL's implicit
// casts, approximated by family (unknown literals go anywhere; integers
// widen to numeric and float, numeric to float).
func implicitlyCoercible(from, to types.T) bool {
	switch {
	case from.Family == types.UnknownFamily, from.Equal(to), from.Oid == to.Oid:
		return true
	case from.Family == to.Family:
		return from.Family != types.ArrayFamily
	case from.Family == types.IntFamily:
		return to.Family == types.DecimalFamily || to.Family == types.FloatFamily
	case from.Family == types.DecimalFamily:
		return to.Family == types.FloatFamily
	}
	return false
}

// resolveUserFunction picks the overload of name for args (named holds
// the names of arguments given as name => value, "" for positional
// ones) and returns it with the arguments in parameter order, defaults
// filled in and coerced to the parameter types. found is false when no
// user function has that name, so the caller reports its own error.
func (b *builder) resolveUserFunction(schema, name string, args []exec.Expr, named []string, s *scope) (f *catalog.Function, out []exec.Expr, found bool, err error) {
	candidates, err := b.visibleFunctions(schema, name)
	if err != nil || len(candidates) == 0 {
		return nil, nil, false, err
	}
	bestScore := -1
	ambiguous := false
	for _, c := range candidates {
		placed, ok := placeArgs(c, args, named)
		if !ok {
			continue
		}
		score := 0
		for i, a := range placed {
			if a == nil {
				continue
			}
			if !implicitlyCoercible(a.Typ(), c.ArgTypes[i]) {
				ok = false
				break
			}
			if a.Typ().Oid == c.ArgTypes[i].Oid {
				score++
			}
		}
		if !ok {
			continue
		}
		switch {
		case score > bestScore:
			f, out, bestScore, ambiguous = c, placed, score, false
		case score == bestScore:
			ambiguous = true
		}
	}
	argTypes := make([]types.T, len(args))
	for i, a := range args {
		argTypes[i] = a.Typ()
	}
	if f == nil {
		return nil, nil, true, pgerror.New(pgerror.UndefinedFunction, "function %s does not exist", signature(name, argTypes)).
			WithHint("No function matches the given name and argument types. You might need to add explicit type casts.")
	}
	if ambiguous {
		return nil, nil, true, pgerror.New(pgerror.AmbiguousFunction, "function %s is not unique", signature(name, argTypes)).
			WithHint("Could not choose a best candidate function. You might need to add explicit type casts.")
	}
	for i := range out {
		if out[i] == nil {
			n, err := parseExprText(f.ArgDefaults[i])
			if err != nil {
				return nil, nil, true, err
			}
			if out[i], err = b.buildExpr(n, s); err != nil {
				return nil, nil, true, err
			}
		}
		if out[i], err = b.coerce(out[i], f.ArgTypes[i], "argument"); err != nil {
			return nil, nil, true, err
		}
	}
	return f, out, true, nil
}

// placeArgs puts the call's arguments at their parameters' positions,
// nil where a default applies; ok is false when they do not fit f.
func placeArgs(f *catalog.Function, args []exec.Expr, named []string) ([]exec.Expr, bool) {
	n := f.InputCount()
	if len(args) > n {
		return nil, false
	}
	placed := make([]exec.Expr, n)
	for i, a := range args {
		pos := i
		if named[i] != "" {
			pos = -1
			for j, an := range f.ArgNames {
				if an == named[i] {
					pos = j
				}
			}
			if pos < 0 || placed[pos] != nil {
				return nil, false
			}
		}
		placed[pos] = a
	}
	for i, a := range placed {
		if a == nil && f.ArgDefaults[i] == "" {
			return nil, false
		}
	}
	return placed, true
}

// userFuncCall is a call of a SQL function. Its body is planned on the
// first call of a statement and reused for that statement's other calls.
type userFuncCall struct {
	f    *catalog.Function
	args []exec.Expr
	// plans caches the body's plans for one statement execution.
	plannedFor *execCtx
	plans      []*stmtPlan
	// pl is the compiled PL/pgSQL body, kept like plans.
	pl *plFunc
}

func (e *userFuncCall) Typ() types.T { return e.f.RetType }

func (e *userFuncCall) Eval(ec *exec.Ctx, r exec.Row) (types.Datum, error) {
	sc := sqlCtx(ec)
	vals, skip, err := e.evalArgs(sc, r)
	if err != nil || skip {
		return nil, err
	}
	rows, err := e.run(sc, vals)
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	return outRecord(e.f, rows[0]), nil
}

// evalArgs evaluates the arguments; skip is true when the function is
// STRICT and one is NULL (the call then yields NULL or no rows).
func (e *userFuncCall) evalArgs(ec *execCtx, r exec.Row) (vals []types.Datum, skip bool, err error) {
	vals = make([]types.Datum, len(e.args))
	for i, a := range e.args {
		if vals[i], err = a.Eval(ec.Ctx, r); err != nil {
			return nil, false, err
		}
		// Every argument is evaluated before a STRICT call is skipped.
		skip = skip || vals[i] == nil && e.f.Strict
	}
	if skip {
		return nil, true, nil
	}
	return vals, false, nil
}

// run executes the body with the parameters bound to vals and returns
// the rows of its last statement, converted to the declared result.
func (e *userFuncCall) run(ec *execCtx, vals []types.Datum) ([]exec.Row, error) {
	depth := funcDepth(ec.Context) + 1
	if depth > maxFunctionDepth {
		return nil, pgerror.New(pgerror.StatementTooComplex, "stack depth limit exceeded").
			WithHint("%s", stackDepthHint(ec.sess.typeSettings()))
	}
	savedCtx, savedParams := ec.Context, ec.Params
	ec.Context, ec.Params = context.WithValue(ec.Context, funcDepthKey{}, depth), vals
	defer func() { ec.Context, ec.Params = savedCtx, savedParams }()
	if e.plannedFor != ec {
		// A prepared plan may outlive CREATE OR REPLACE or DROP: read the
		// function again once per statement execution.
		f, err := e.current(ec)
		if err != nil {
			return nil, err
		}
		e.f, e.plannedFor, e.plans, e.pl = f, ec, nil, nil
	}
	if ec.sess != nil && ec.sess.implicitReadOnly && e.f.Volatility == "v" {
		// A SELECT calling a volatile function may write: run it
		// read-write from the start, before the body takes sequence
		// values (which a rollback does not return) or a handler
		// catches the failed write.
		return nil, kv.ErrReadOnly
	}
	if e.f.Language == "plpgsql" {
		if e.pl == nil {
			b := &builder{ctx: ec.Context, sess: ec.sess, cat: ec.Catalog, params: &exec.ParamTypes{}}
			pl, err := b.compilePlpgsql(e.f)
			if err != nil {
				return nil, err
			}
			e.pl = pl
		}
		return runPlpgsqlFunction(ec, e.pl, vals)
	}
	stmts, err := parse(e.f.Body)
	if err != nil {
		return nil, e.wrap(err, 0)
	}
	var last *result
	for i, st := range stmts {
		if i >= len(e.plans) {
			p, err := planFunctionStatement(ec, e.f, st)
			if err != nil {
				return nil, e.wrap(err, 0)
			}
			e.plans = append(e.plans, p)
		}
		res, err := e.plans[i].run(ec)
		if err != nil {
			return nil, e.wrap(err, i+1)
		}
		last = res
	}
	if last == nil {
		return nil, nil
	}
	return convertFunctionRows(ec, e.f, last)
}

// current reads the function's descriptor in ec's transaction.
func (e *userFuncCall) current(ec *execCtx) (*catalog.Function, error) {
	if ec.Catalog == nil {
		return e.f, nil
	}
	var f catalog.Function
	ok, err := ec.Catalog.GetJSON(ec.Context, catalog.FunctionKey(e.f), &f)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, pgerror.New(pgerror.UndefinedFunction, "function %s does not exist", signature(e.f.Name, e.f.ArgTypes))
	}
	if err := ec.Catalog.HydrateFunction(ec.Context, &f); err != nil {
		return nil, err
	}
	return &f, nil
}

// wrap adds PostgreSQL's CONTEXT line for statement n (1-based; 0
// while planning) of the body to err and drops its position, which
// refers to the body, not the caller's text.
func (e *userFuncCall) wrap(err error, n int) error {
	pe := pgerror.Flatten(err)
	pe.Position = 0
	line := fmt.Sprintf("SQL function %q statement %d", e.f.Name, n)
	if n == 0 {
		line = fmt.Sprintf("SQL function %q during startup", e.f.Name)
	}
	if pe.Where != "" {
		line = pe.Where + "\n" + line
	}
	pe.Where = line
	return pe
}

// planFunctionStatement plans one statement of f's body with $n and the
// parameter names bound to the call's arguments.
func planFunctionStatement(ec *execCtx, f *catalog.Function, st statement) (*stmtPlan, error) {
	fixed := make([]bool, len(f.ArgTypes))
	for i := range fixed {
		fixed[i] = true
	}
	b := &builder{ctx: ec.Context, sess: ec.sess, cat: ec.Catalog,
		params: &exec.ParamTypes{Types: append([]types.T(nil), f.ArgTypes...), Fixed: fixed}, fn: f}
	switch st.node.Node.(type) {
	case *pg_query.Node_TransactionStmt, *pg_query.Node_VariableSetStmt:
		return nil, pgerror.New(pgerror.InvalidFunctionDefinition, "%s is not allowed in an SQL function", statementTag(st))
	}
	return b.planStatement(st)
}

func statementTag(st statement) string {
	switch st.node.Node.(type) {
	case *pg_query.Node_TransactionStmt:
		return "transaction control"
	}
	return "SET"
}

// convertFunctionRows checks the last statement's columns against the
// declared result and casts the values to it.
func convertFunctionRows(ec *execCtx, f *catalog.Function, res *result) ([]exec.Row, error) {
	want := funcResultCols(f)
	if len(res.cols) != len(want) {
		return nil, pgerror.New(pgerror.InvalidFunctionDefinition, "return type mismatch in function declared to return %s", resultTypeName(f)).
			WithDetail("Final statement must return exactly %s column%s.", countWord(len(want)), plural(len(want)))
	}
	out := res.rows
	if !f.RetSet && len(out) > 1 {
		out = out[:1]
	}
	for i, c := range res.cols {
		if c.T.Equal(want[i].T) {
			continue
		}
		for _, r := range out {
			if r[i] == nil {
				continue
			}
			d, err := (&exec.CastExpr{E: &exec.ConstExpr{Value: r[i], T: c.T}, T: want[i].T}).Eval(ec.Ctx, nil)
			if err != nil {
				return nil, err
			}
			r[i] = d
		}
	}
	return out, nil
}

func countWord(n int) string {
	if n == 1 {
		return "one"
	}
	return fmt.Sprint(n)
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// validateFunctionBody plans f's statements as CREATE FUNCTION does
// with check_function_bodies on, reporting what PostgreSQL reports at
// creation: unknown names and a result that does not fit RETURNS.
func validateFunctionBody(ec *execCtx, f *catalog.Function) error {
	stmts, err := parse(f.Body)
	if err != nil {
		return err
	}
	for _, st := range stmts {
		switch st.node.Node.(type) {
		case *pg_query.Node_SelectStmt, *pg_query.Node_InsertStmt, *pg_query.Node_UpdateStmt, *pg_query.Node_DeleteStmt:
		default:
			// A utility statement may create what the next ones use:
			// PostgreSQL then checks nothing either.
			return nil
		}
	}
	var last *stmtPlan
	for _, st := range stmts {
		if last, err = planFunctionStatement(ec, f, st); err != nil {
			return err
		}
	}
	want := funcResultCols(f)
	if last == nil || last.cols == nil {
		if len(stmts) == 0 || last == nil {
			return pgerror.New(pgerror.InvalidFunctionDefinition, "return type mismatch in function declared to return %s", resultTypeName(f)).
				WithDetail("Function's final statement must be SELECT or INSERT/UPDATE/DELETE RETURNING.")
		}
		return pgerror.New(pgerror.InvalidFunctionDefinition, "return type mismatch in function declared to return %s", resultTypeName(f)).
			WithDetail("Function's final statement must be SELECT or INSERT/UPDATE/DELETE RETURNING.")
	}
	if len(last.cols) != len(want) {
		return pgerror.New(pgerror.InvalidFunctionDefinition, "return type mismatch in function declared to return %s", resultTypeName(f)).
			WithDetail("Final statement must return exactly %s column%s.", countWord(len(want)), plural(len(want)))
	}
	for i, c := range last.cols {
		if !implicitlyCoercible(c.T, want[i].T) && !(c.T.Family == types.StringFamily || want[i].T.Family == types.StringFamily) {
			return pgerror.New(pgerror.InvalidFunctionDefinition, "return type mismatch in function declared to return %s", resultTypeName(f)).
				WithDetail("Actual return type is %s.", types.TypeName(c.T))
		}
	}
	return nil
}

// buildUserFuncCall is the hook buildFuncCall takes when no builtin
// matched: a scalar call, or a set-returning one in a select list.
func (b *builder) buildUserFuncCall(fc *pg_query.FuncCall, args []exec.Expr, named []string, s *scope) (exec.Expr, bool, error) {
	schema, name := funcName(fc.Funcname)
	f, callArgs, found, err := b.resolveUserFunction(schema, name, args, named, s)
	if !found || err != nil {
		if pe, ok := pgerror.As(err); ok && pe.Position == 0 {
			pe.Position = int(fc.Location) + 1
		}
		return nil, found, err
	}
	call := &userFuncCall{f: f, args: callArgs}
	if !f.RetSet {
		if f.Strict && hasNullConst(callArgs) {
			return &exec.ConstExpr{T: call.Typ()}, true, nil
		}
		return call, true, nil
	}
	if s == nil || s.srf == nil {
		return nil, true, pgerror.New(pgerror.FeatureNotSupported, "set-returning functions are not allowed here").WithPosition(int(fc.Location) + 1)
	}
	def := userSRFDef(call)
	sc := &srfCall{def: def, level: 1}
	for _, a := range def.args {
		visitExpr(a, func(x exec.Expr) {
			if r, ok := x.(*srfRef); ok && r.call.level >= sc.level {
				sc.level = r.call.level + 1
			}
		})
	}
	s.srf.calls = append(s.srf.calls, sc)
	return &srfRef{call: sc, t: def.resultType()}, true, nil
}

// userSRFDef presents a call as a set-returning function: its rows are
// the last statement's (one row, possibly NULL, for a scalar function).
func userSRFDef(call *userFuncCall) *srfDef {
	f := call.f
	// srfDef.rows evaluates the arguments and yields no rows when one is
	// NULL, which is STRICT's behaviour for a set-returning function.
	def := &srfDef{name: f.Name, cols: funcResultCols(f), args: call.args}
	def.gen = func(ec *exec.Ctx, vals []types.Datum) ([]exec.Row, error) {
		rows, err := call.run(sqlCtx(ec), vals)
		if err != nil {
			return nil, err
		}
		if !f.RetSet && len(rows) == 0 {
			return []exec.Row{make(exec.Row, len(def.cols))}, nil
		}
		return rows, nil
	}
	return def
}

// namedArgs splits a call's arguments into values and the names given
// with name => value ("" for positional ones).
func namedArgs(fc *pg_query.FuncCall) (vals []*pg_query.Node, names []string, any bool) {
	for _, a := range fc.Args {
		if na := a.GetNamedArgExpr(); na != nil {
			vals, names, any = append(vals, na.Arg), append(names, na.Name), true
			continue
		}
		vals, names = append(vals, a), append(names, "")
	}
	return vals, names, any
}

// paramByName resolves a parameter name of the function whose body is
// being planned: name alone or qualified with the function's name, and
// for a parameter (or PL/pgSQL variable) of a row type, name.field.
func (b *builder) paramByName(parts []string) (exec.Expr, bool) {
	if b.fn == nil {
		return nil, false
	}
	param := func(name string) (exec.Expr, bool) {
		for i, n := range b.fn.ArgNames {
			if n != "" && n == name {
				return &exec.ParamExpr{Idx: i, Pt: b.params}, true
			}
		}
		return nil, false
	}
	field := func(name, col string) (exec.Expr, bool) {
		p, ok := param(name)
		if !ok || p.Typ().Family != types.RecordFamily {
			return nil, false
		}
		f, err := selectField(p, col)
		return f, err == nil
	}
	switch len(parts) {
	case 1:
		return param(parts[0])
	case 2:
		if parts[0] == b.fn.Name {
			if p, ok := param(parts[1]); ok {
				return p, true
			}
		}
		return field(parts[0], parts[1])
	case 3:
		if parts[0] == b.fn.Name {
			return field(parts[1], parts[2])
		}
	}
	return nil, false
}

// buildUserRangeFunction plans a SQL function called in FROM: its rows
// (a scalar function gives one), with the function's name as the alias
// and, for a single column, as the column's name.
func (b *builder) buildUserRangeFunction(rf *pg_query.RangeFunction, fc *pg_query.FuncCall, parent *scope) (fromItem, bool, error) {
	schema, name := funcName(fc.Funcname)
	s := &scope{parent: parent}
	argNodes, argNames, _ := namedArgs(fc)
	args := make([]exec.Expr, len(argNodes))
	for i, a := range argNodes {
		e, err := b.buildExpr(a, s)
		if err != nil {
			return fromItem{}, false, err
		}
		args[i] = e
	}
	f, callArgs, found, err := b.resolveUserFunction(schema, name, args, argNames, s)
	if !found || err != nil {
		if pe, ok := pgerror.As(err); ok && pe.Position == 0 {
			pe.Position = int(fc.Location) + 1
		}
		return fromItem{}, found, err
	}
	def := userSRFDef(&userFuncCall{f: f, args: callArgs})
	return srfFromItem(rf, name, def, !f.RetSet), true, nil
}
