package sql

import (
	"strings"

	"github.com/quorumdb/quorumdb/sql/catalog"
	"github.com/quorumdb/quorumdb/sql/exec"
	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// pg_proc lists the user-defined SQL functions (builtins are not
// listed: psql's \df hides pg_catalog's anyway), and the pg_get_function_*
// functions describe them for \df and \sf.

var pgProcCols = []vcol{
	{"oid", pgOid}, {"proname", pgName}, {"pronamespace", pgOid}, {"proowner", pgOid},
	{"prolang", pgOid}, {"procost", pgFloat4}, {"prorows", pgFloat4}, {"provariadic", pgOid},
	{"prosupport", pgRegproc}, {"prokind", pgChar}, {"prosecdef", pgBool}, {"proleakproof", pgBool},
	{"proisstrict", pgBool}, {"proretset", pgBool}, {"provolatile", pgChar}, {"proparallel", pgChar},
	{"pronargs", pgInt2}, {"pronargdefaults", pgInt2}, {"prorettype", pgOid},
	{"proargtypes", pgOidVector}, {"proallargtypes", pgOidArr}, {"proargmodes", pgCharArr},
	{"proargnames", pgTextArr}, {"proargdefaults", pgNodeTree}, {"protrftypes", pgOidArr},
	{"prosrc", pgText}, {"probin", pgText}, {"prosqlbody", pgNodeTree}, {"proconfig", pgTextArr},
	{"proacl", pgACL},
}

// registerFunctionPgproc adds this file's relations and functions to the engine's
// registries (registry.go calls it).
func registerFunctionPgproc() {
	registerVirtualTable(&virtualTable{schema: "pg_catalog", name: "pg_proc", oid: 1255, cols: pgProcCols, rows: pgProcRows})
	describe := func(fn func(*catalog.Function) types.Datum) *sessionFuncDef {
		return &sessionFuncDef{minArgs: 1, maxArgs: 1, argTypes: []types.T{types.OidT}, ret: types.Text,
			fn: func(ec *execCtx, args []types.Datum) (types.Datum, error) {
				f, err := ec.Catalog.FunctionByOID(ec.Context, ec.sess.dbID, args[0].(int64))
				if err != nil || f == nil {
					return nil, err
				}
				return fn(f), nil
			}}
	}
	sessionFuncs["pg_get_function_arguments"] = describe(func(f *catalog.Function) types.Datum { return functionArguments(f, true) })
	sessionFuncs["pg_get_function_identity_arguments"] = describe(func(f *catalog.Function) types.Datum { return functionArguments(f, false) })
	sessionFuncs["pg_get_function_result"] = describe(func(f *catalog.Function) types.Datum { return resultTypeName(f) })
	sessionFuncs["pg_get_functiondef"] = describe(func(f *catalog.Function) types.Datum { return functionDefinition(f) })
	sessionFuncs["pg_get_function_sqlbody"] = describe(func(f *catalog.Function) types.Datum {
		if f.StandardBody == "" {
			return nil
		}
		return f.StandardBody
	})
}

func pgProcRows(ec *execCtx) ([]exec.Row, error) {
	fs, err := ec.Catalog.Functions(ec.Context, catalog.FunctionPrefix(ec.sess.dbID))
	if err != nil {
		return nil, err
	}
	schemas, err := ec.Catalog.Schemas(ec.Context, ec.sess.dbID)
	if err != nil {
		return nil, err
	}
	var out []exec.Row
	for _, f := range fs {
		owner := int64(catalog.OIDPostgresRole)
		if r, err := ec.Catalog.Role(ec.Context, f.Owner); err != nil {
			return nil, err
		} else if r != nil {
			owner = int64(r.OID)
		}
		argTypes := make([]types.Datum, len(f.ArgTypes))
		for i, t := range f.ArgTypes {
			argTypes[i] = int64(t.Oid)
		}
		var allTypes, modes, names types.Datum
		hasNames := false
		for _, n := range f.ArgNames {
			hasNames = hasNames || n != ""
		}
		if len(f.OutTypes) > 0 {
			at := &types.Array{Elem: types.OidT}
			md := &types.Array{Elem: types.Char}
			for _, t := range f.ArgTypes {
				at.Elems, md.Elems = append(at.Elems, int64(t.Oid)), append(md.Elems, "i")
			}
			mode := "t"
			if f.OutParams {
				mode = "o"
			}
			for _, t := range f.OutTypes {
				at.Elems, md.Elems = append(at.Elems, int64(t.Oid)), append(md.Elems, mode)
			}
			allTypes, modes, hasNames = at, md, true
		}
		if hasNames {
			nm := &types.Array{Elem: types.Text}
			for _, n := range append(append([]string(nil), f.ArgNames...), f.OutNames...) {
				nm.Elems = append(nm.Elems, n)
			}
			names = nm
		}
		var src, sqlBody types.Datum = f.Body, nil
		if f.StandardBody != "" {
			src, sqlBody = "", f.StandardBody
		}
		rows := 0.0
		if f.RetSet {
			rows = 1000
		}
		lang := int64(oidSQLLanguage)
		if f.Language == "plpgsql" {
			lang = oidPlpgsqlLanguage
		}
		out = append(out, exec.Row{
			int64(f.OID), f.Name, int64(schemas[f.Schema]), owner,
			lang, float64(100), rows, int64(0),
			"-", "f", false, false,
			f.Strict, f.RetSet, f.Volatility, "u",
			int64(f.InputCount()), int64(f.DefaultCount()), int64(f.RetType.Oid),
			&types.Array{Elem: types.OidT, Elems: argTypes}, allTypes, modes,
			names, nil, nil,
			src, nil, sqlBody, nil,
			nil,
		})
	}
	return out, nil
}

// functionArguments is pg_get_function_arguments (with defaults) or
// pg_get_function_identity_arguments (without).
func functionArguments(f *catalog.Function, withDefaults bool) string {
	parts := make([]string, len(f.ArgTypes))
	for i, t := range f.ArgTypes {
		p := types.TypeName(t)
		if f.ArgNames[i] != "" {
			p = quoteIdentIfNeeded(f.ArgNames[i]) + " " + p
		}
		if withDefaults && f.ArgDefaults[i] != "" {
			p += " DEFAULT " + f.ArgDefaults[i]
		}
		parts[i] = p
	}
	if f.OutParams && withDefaults {
		for i, t := range f.OutTypes {
			parts = append(parts, "OUT "+quoteIdentIfNeeded(f.OutNames[i])+" "+types.TypeName(t))
		}
	}
	return strings.Join(parts, ", ")
}

// resultTypeName is pg_get_function_result: "integer", "SETOF integer"
// or "TABLE(a integer, b text)".
func resultTypeName(f *catalog.Function) string {
	if len(f.OutTypes) > 0 && !f.OutParams {
		parts := make([]string, len(f.OutTypes))
		for i, t := range f.OutTypes {
			parts[i] = quoteIdentIfNeeded(f.OutNames[i]) + " " + types.TypeName(t)
		}
		return "TABLE(" + strings.Join(parts, ", ") + ")"
	}
	if f.RetSet {
		return "SETOF " + types.TypeName(f.RetType)
	}
	return types.TypeName(f.RetType)
}

// functionDefinition is pg_get_functiondef, laid out as PostgreSQL's.
func functionDefinition(f *catalog.Function) string {
	var sb strings.Builder
	sb.WriteString("CREATE OR REPLACE FUNCTION " + quoteIdentIfNeeded(f.Schema) + "." + quoteIdentIfNeeded(f.Name) +
		"(" + functionArguments(f, true) + ")\n")
	sb.WriteString(" RETURNS " + resultTypeName(f) + "\n")
	lang := f.Language
	if lang == "" {
		lang = "sql"
	}
	sb.WriteString(" LANGUAGE " + lang + "\n")
	var attrs []string
	switch f.Volatility {
	case "i":
		attrs = append(attrs, "IMMUTABLE")
	case "s":
		attrs = append(attrs, "STABLE")
	}
	if f.Strict {
		attrs = append(attrs, "STRICT")
	}
	if len(attrs) > 0 {
		sb.WriteString(" " + strings.Join(attrs, " ") + "\n")
	}
	if f.StandardBody != "" {
		sb.WriteString(f.StandardBody + "\n")
		return sb.String()
	}
	sb.WriteString("AS $function$" + f.Body + "$function$\n")
	return sb.String()
}

// userRegproc is 'name'::regproc for a user function (psql's \sf sends
// it): the function's oid. ok is false when no user function has the
// name, for the builtin handling in buildTypeCast.
func (b *builder) userRegproc(arg exec.Expr) (exec.Expr, bool, error) {
	c, isConst := arg.(*exec.ConstExpr)
	if !isConst {
		return nil, false, nil
	}
	text, isText := c.Value.(string)
	if !isText || strings.ContainsAny(text, "()") {
		return nil, false, nil
	}
	schema, name := "", text
	if i := strings.LastIndexByte(text, '.'); i >= 0 {
		schema, name = lowerIdent(text[:i]), text[i+1:]
	}
	fs, err := b.visibleFunctions(schema, lowerIdent(name))
	if err != nil || len(fs) == 0 {
		return nil, false, err
	}
	if len(fs) > 1 {
		return nil, true, pgerror.New(pgerror.AmbiguousFunction, "more than one function named %q", text)
	}
	return &exec.ConstExpr{Value: int64(fs[0].OID), T: types.OidT}, true, nil
}
