package sql

import (
	"fmt"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/quorumdb/quorumdb/sql/catalog"
	"github.com/quorumdb/quorumdb/sql/exec"
	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// User-defined SQL functions live in kv's system space like tables, so
// every node sees them:
//
//	fn/<db id>/<schema>\x00<name>\x00<oid> → catalog.Function (JSON)
//
// The name is part of the key so that the overloads of one name are a
// prefix scan; the oid (from the shared id generator) tells them apart.

// oidSQLLanguage is pg_language's oid of LANGUAGE sql.
const oidSQLLanguage = 14

// oidRecord is the pseudo-type record, the result of a function with
// several output columns.
const oidRecord = 2249

// funcResultCols are the columns of a call used in FROM.
func funcResultCols(f *catalog.Function) []exec.Column {
	if len(f.OutTypes) > 0 {
		cols := make([]exec.Column, len(f.OutTypes))
		for i := range f.OutTypes {
			cols[i] = exec.Column{Name: f.OutNames[i], T: f.OutTypes[i]}
		}
		return cols
	}
	return []exec.Column{{Name: f.Name, T: f.RetType}}
}

// sameSignature reports whether two input type lists identify the same
// function (PostgreSQL compares the types without typmods).
func sameSignature(a, b []types.T) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Oid != b[i].Oid {
			return false
		}
	}
	return true
}

// signature is name(type, ...) as PostgreSQL's messages write it.
func signature(name string, ts []types.T) string {
	parts := make([]string, len(ts))
	for i, t := range ts {
		parts[i] = types.TypeName(t)
	}
	return name + "(" + strings.Join(parts, ", ") + ")"
}

// planCreateFunction is CREATE [OR REPLACE] FUNCTION for LANGUAGE sql.
func (b *builder) planCreateFunction(cf *pg_query.CreateFunctionStmt) (*stmtPlan, error) {
	if cf.IsProcedure {
		return nil, unsupported("CREATE PROCEDURE")
	}
	f, err := b.funcDescFromStmt(cf)
	if err != nil {
		return nil, err
	}
	return tagOnly("CREATE FUNCTION", func(ec *execCtx) error {
		existing, err := b.cat.Functions(b.ctx, catalog.FunctionNamePrefix(f.DBID, f.Schema, f.Name))
		if err != nil {
			return err
		}
		for _, old := range existing {
			if !sameSignature(old.ArgTypes, f.ArgTypes) {
				continue
			}
			if !cf.Replace {
				return pgerror.New(pgerror.DuplicateFunction, "function %s already exists with same argument types", signature(f.Name, f.ArgTypes))
			}
			if old.RetSet != f.RetSet || old.RetType.Oid != f.RetType.Oid {
				return pgerror.New(pgerror.InvalidFunctionDefinition, "cannot change return type of existing function").
					WithHint("Use DROP FUNCTION %s first.", signature(f.Name, f.ArgTypes))
			}
			if old.OutParams && f.OutParams && !sameOutRow(old, f) {
				return pgerror.New(pgerror.InvalidFunctionDefinition, "cannot change return type of existing function").
					WithDetail("Row type defined by OUT parameters is different.").
					WithHint("Use DROP FUNCTION %s first.", signature(f.Name, f.ArgTypes))
			}
			f.OID, f.Owner = old.OID, old.Owner
		}
		if f.OID == 0 {
			if f.OID, err = b.cat.NewID(b.ctx); err != nil {
				return err
			}
		}
		if err := b.cat.WriteFunction(b.ctx, f); err != nil {
			return err
		}
		// check_function_bodies: the statements must plan (the function
		// is already visible, so a recursive body resolves itself).
		if b.sess.vars.get("check_function_bodies") != "off" {
			if f.Language == "plpgsql" {
				// PL/pgSQL is compiled (parsed, types and names of its
				// variables resolved), its statements are not planned.
				_, err := b.compilePlpgsql(f)
				return err
			}
			return bodyError(validateFunctionBody(ec, f))
		}
		return nil
	}), nil
}

// bodyError drops the position of an error found checking a function's
// body: it counts in the body's text, not the CREATE FUNCTION statement's
// (PostgreSQL maps it into the statement; quorumdb does not yet).
func bodyError(err error) error {
	if pe, ok := pgerror.As(err); ok {
		pe.Position = 0
	}
	return err
}

// funcDescFromStmt reads CREATE FUNCTION's name, parameters, result and
// options.
func (b *builder) funcDescFromStmt(cf *pg_query.CreateFunctionStmt) (*catalog.Function, error) {
	schema, name := funcName(cf.Funcname)
	schema, err := b.functionSchema(schema)
	if err != nil {
		return nil, err
	}
	f := &catalog.Function{DBID: b.sess.dbID, Schema: schema, Name: name, Owner: b.sess.user, Volatility: "v"}
	for _, p := range cf.Parameters {
		fp := p.GetFunctionParameter()
		t, err := b.resolveParamType(fp.ArgType)
		if err != nil {
			return nil, err
		}
		switch fp.Mode {
		case pg_query.FunctionParameterMode_FUNC_PARAM_TABLE:
			f.OutNames, f.OutTypes = append(f.OutNames, fp.Name), append(f.OutTypes, t)
			continue
		case pg_query.FunctionParameterMode_FUNC_PARAM_OUT:
			if fp.Defexpr != nil {
				return nil, pgerror.New(pgerror.InvalidFunctionDefinition, "only input parameters can have default values")
			}
			f.OutNames, f.OutTypes, f.OutParams = append(f.OutNames, fp.Name), append(f.OutTypes, t), true
			continue
		case pg_query.FunctionParameterMode_FUNC_PARAM_INOUT:
			return nil, unsupported("INOUT parameters")
		case pg_query.FunctionParameterMode_FUNC_PARAM_VARIADIC:
			return nil, unsupported("VARIADIC parameters")
		}
		def := ""
		if fp.Defexpr != nil {
			if def, err = deparseExpr(fp.Defexpr); err != nil {
				return nil, err
			}
			// PostgreSQL stores the default coerced to the parameter's
			// type: a quoted literal shows its cast.
			if c := fp.Defexpr.GetAConst(); c != nil && c.GetSval() != nil {
				def += "::" + types.TypeName(t)
			}
		} else if f.DefaultCount() > 0 {
			return nil, pgerror.New(pgerror.InvalidFunctionDefinition, "input parameters after one with a default value must also have defaults")
		}
		f.ArgNames, f.ArgTypes, f.ArgDefaults = append(f.ArgNames, fp.Name), append(f.ArgTypes, t), append(f.ArgDefaults, def)
	}
	if cf.ReturnType == nil && !f.OutParams {
		return nil, pgerror.New(pgerror.InvalidFunctionDefinition, "function result type must be specified")
	}
	switch {
	case f.OutParams:
		if err := b.setOutResult(f, cf.ReturnType); err != nil {
			return nil, err
		}
	case len(f.OutTypes) > 0:
		f.RetSet = true
		f.RetType = f.OutTypes[0]
		if len(f.OutTypes) > 1 {
			f.RetType = types.T{Family: types.UnknownFamily, Oid: oidRecord}
		}
	default:
		rt, err := b.resolveTypeName(cf.ReturnType)
		if err != nil {
			return nil, fmt.Errorf("sql: RETURNS of function %s: %w", name, err)
		}
		f.RetType, f.RetSet = rt, cf.ReturnType.Setof
	}
	language := ""
	for _, o := range cf.Options {
		de := o.GetDefElem()
		switch de.Defname {
		case "language":
			language = strings.ToLower(defElemString(de))
		case "volatility":
			f.Volatility = defElemString(de)[:1]
		case "strict":
			f.Strict = de.Arg.GetBoolean().GetBoolval()
		case "as":
			items := de.Arg.GetList().GetItems()
			if len(items) != 1 {
				return nil, pgerror.New(pgerror.InvalidFunctionDefinition, "only one AS item needed for language %q", language)
			}
			f.Body = items[0].GetString_().GetSval()
		case "security", "leakproof", "parallel", "cost", "rows", "set", "support", "window":
			// Accepted and ignored: they change nothing a SQL function
			// here does.
		default:
			return nil, pgerror.New(pgerror.FeatureNotSupported, "function option %s is not supported", strings.ToUpper(de.Defname))
		}
	}
	switch language {
	case "sql":
	case "":
		if cf.SqlBody == nil {
			return nil, pgerror.New(pgerror.InvalidFunctionDefinition, "no language specified")
		}
	case "plpgsql":
		f.Language = language
		if cf.SqlBody != nil {
			return nil, pgerror.New(pgerror.InvalidFunctionDefinition, "inline SQL function body only valid for language SQL")
		}
		if f.RetSet {
			return nil, unsupported("set-returning PL/pgSQL functions")
		}
	default:
		return nil, pgerror.New(pgerror.UndefinedObject, "language %q does not exist", language)
	}
	if cf.SqlBody != nil {
		if err := setStandardBody(f, cf.SqlBody); err != nil {
			return nil, err
		}
	}
	return f, nil
}

// setStandardBody stores a RETURN expr or BEGIN ATOMIC ... END body.
func setStandardBody(f *catalog.Function, n *pg_query.Node) error {
	if rs := n.GetReturnStmt(); rs != nil {
		text, err := deparseExpr(rs.Returnval)
		if err != nil {
			return err
		}
		f.Body = "SELECT " + text
		f.StandardBody = "RETURN " + text
		return nil
	}
	var stmts []string
	for _, l := range n.GetList().GetItems() {
		for _, s := range l.GetList().GetItems() {
			text, err := pg_query.Deparse(&pg_query.ParseResult{Stmts: []*pg_query.RawStmt{{Stmt: s}}})
			if err != nil {
				return fmt.Errorf("sql: deparsing function body: %w", err)
			}
			stmts = append(stmts, text)
		}
	}
	f.Body = strings.Join(stmts, "; ")
	var sb strings.Builder
	sb.WriteString("BEGIN ATOMIC\n")
	for _, s := range stmts {
		sb.WriteString(" " + s + ";\n")
	}
	sb.WriteString("END")
	f.StandardBody = sb.String()
	return nil
}

// planDropFunction is DROP FUNCTION [IF EXISTS] name[(types)], ...
func (b *builder) planDropFunction(ds *pg_query.DropStmt) (*stmtPlan, error) {
	return tagOnly("DROP FUNCTION", func(ec *execCtx) error {
		for _, obj := range ds.Objects {
			owa := obj.GetObjectWithArgs()
			schema, name := funcName(owa.Objname)
			var want []types.T
			for _, a := range owa.Objargs {
				t, err := b.resolveTypeName(a.GetTypeName())
				if err != nil {
					return err
				}
				want = append(want, t)
			}
			candidates, err := b.visibleFunctions(schema, name)
			if err != nil {
				return err
			}
			var matches []*catalog.Function
			for _, f := range candidates {
				if owa.ArgsUnspecified || sameSignature(f.ArgTypes, want) {
					matches = append(matches, f)
				}
			}
			if owa.ArgsUnspecified && len(matches) > 1 {
				return pgerror.New(pgerror.AmbiguousFunction, "function name %q is not unique", name).
					WithHint("Specify the argument list to select the function unambiguously.")
			}
			if len(matches) == 0 {
				shown := name
				if !owa.ArgsUnspecified {
					shown = signature(name, want)
				}
				if schema != "" {
					shown = schema + "." + shown
				}
				if ds.MissingOk {
					ec.AddNotice(fmt.Sprintf("function %s does not exist, skipping", shown))
					continue
				}
				if owa.ArgsUnspecified {
					return pgerror.New(pgerror.UndefinedFunction, "could not find a function named %q", name)
				}
				return pgerror.New(pgerror.UndefinedFunction, "function %s does not exist", shown)
			}
			if err := b.cat.DeleteFunction(b.ctx, matches[0]); err != nil {
				return err
			}
		}
		return nil
	}), nil
}

// visibleFunctions are the functions called name in schema, or when
// schema is "" in the schemas of the search path.
func (b *builder) visibleFunctions(schema, name string) ([]*catalog.Function, error) {
	own := b.sess.ownTempSchema()
	if schema == "pg_temp" {
		if own == "" {
			return nil, nil
		}
		schema = own
	}
	if schema != "" {
		return b.cat.Functions(b.ctx, catalog.FunctionNamePrefix(b.sess.dbID, schema, name))
	}
	// As in PostgreSQL, the temporary schema is searched for functions
	// only when the search_path names pg_temp (a temporary function
	// cannot capture calls of a permanent one).
	path := searchPathSchemas(b.sess.vars.get("search_path"), b.sess.user)
	all, err := b.cat.Functions(b.ctx, catalog.FunctionPrefix(b.sess.dbID))
	if err != nil {
		return nil, err
	}
	var out []*catalog.Function
	for _, f := range all {
		if f.Name == name && (path[f.Schema] || f.Schema == own && own != "" && path["pg_temp"]) {
			out = append(out, f)
		}
	}
	return out, nil
}
