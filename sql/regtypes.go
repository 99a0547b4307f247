package sql

import (
	"context"
	"strconv"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/quorumdb/quorumdb/sql/catalog"
	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// The reg* types' input and output by name, and the to_reg* functions
// (to_regtype, to_regproc, ...) that return NULL where the input
// function would fail for want of the object. What is checked and how it
// fails follows regproc.c: names are split as SplitIdentifierString does
// (quoted identifiers kept, others down-cased), a name with too many dots
// or an empty one is an error even for the to_reg* forms, a missing
// object is NULL.

type pgBuiltinProc struct {
	name string
	oid  int64
	args string // oidvectortypes: "integer, text"
}

type pgBuiltinOperator struct {
	name        string
	oid         int64
	left, right string // format_type names, NONE for a missing operand
}

// splitQualifiedName is stringToQualifiedNameList: the dot-separated
// identifiers of s, unquoted ones down-cased. 42602 "invalid name
// syntax" for anything SplitIdentifierString rejects.
func splitQualifiedName(s string) ([]string, error) {
	bad := pgerror.New(pgerror.InvalidName, "invalid name syntax")
	var out []string
	i := 0
	skipSpace := func() {
		for i < len(s) && isNameSpace(s[i]) {
			i++
		}
	}
	skipSpace()
	if i == len(s) {
		return nil, bad
	}
	for {
		var name string
		if s[i] == '"' {
			var b strings.Builder
			i++
			for {
				j := strings.IndexByte(s[i:], '"')
				if j < 0 {
					return nil, bad // unterminated quote
				}
				b.WriteString(s[i : i+j])
				i += j + 1
				if i < len(s) && s[i] == '"' {
					b.WriteByte('"')
					i++
					continue
				}
				break
			}
			name = b.String()
		} else {
			start := i
			for i < len(s) && s[i] != '.' && !isNameSpace(s[i]) {
				i++
			}
			if i == start {
				return nil, bad
			}
			name = lowerASCII(s[start:i])
		}
		if len(name) > 63 {
			name = name[:63]
		}
		out = append(out, name)
		skipSpace()
		if i == len(s) {
			return out, nil
		}
		if s[i] != '.' {
			return nil, bad
		}
		i++
		skipSpace()
		if i == len(s) {
			return nil, bad
		}
	}
}

func isNameSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

// parseTypeString is PostgreSQL's parseTypeString: s must be exactly a
// type name as it may follow "::".
func parseTypeString(s string) (*pg_query.TypeName, error) {
	invalid := func() error { return pgerror.New(pgerror.SyntaxError, "invalid type name %q", s) }
	if strings.TrimSpace(s) == "" {
		return nil, invalid()
	}
	if strings.Contains(s, ";") {
		// The type-name grammar has no statement separator.
		return nil, pgerror.New(pgerror.SyntaxError, "syntax error at or near \";\"")
	}
	res, err := pg_query.Parse("SELECT NULL::" + s)
	if err != nil {
		e := parseError(err)
		if pe, ok := pgerror.As(e); ok {
			pe.Position = 0
			pe.Where = "invalid type name \"" + s + "\""
		}
		return nil, e
	}
	if len(res.Stmts) != 1 {
		return nil, invalid()
	}
	sel := res.Stmts[0].Stmt.GetSelectStmt()
	if sel == nil || len(sel.TargetList) != 1 || sel.FromClause != nil || sel.WhereClause != nil ||
		sel.GroupClause != nil || sel.HavingClause != nil || sel.WindowClause != nil || sel.DistinctClause != nil ||
		sel.ValuesLists != nil || sel.SortClause != nil || sel.LimitCount != nil || sel.LimitOffset != nil ||
		sel.LockingClause != nil || sel.WithClause != nil || sel.Op != pg_query.SetOperation_SETOP_NONE {
		return nil, invalid()
	}
	rt := sel.TargetList[0].GetResTarget()
	if rt == nil || rt.Name != "" || rt.Indirection != nil {
		return nil, invalid()
	}
	tc := rt.Val.GetTypeCast()
	if tc == nil || tc.Arg.GetAConst() == nil || !tc.Arg.GetAConst().Isnull || tc.TypeName == nil || tc.TypeName.Setof {
		return nil, invalid()
	}
	return tc.TypeName, nil
}

// lookupTypeString resolves regtype input; ok is false when no type has
// the name (missing schema included), err is set for malformed input.
func (b *builder) lookupTypeString(s string) (oid int64, ok bool, err error) {
	tn, err := parseTypeString(s)
	if err != nil {
		return 0, false, err
	}
	names := make([]string, len(tn.Names))
	for i, n := range tn.Names {
		names[i] = n.GetString_().GetSval()
	}
	switch len(names) {
	case 1, 2:
	case 3:
		if names[0] != b.sess.dbName {
			return 0, false, pgerror.New(pgerror.FeatureNotSupported, "cross-database references are not implemented: %s", strings.Join(names, "."))
		}
		names = names[1:]
	default:
		return 0, false, pgerror.New(pgerror.SyntaxError, "improper qualified name (too many dotted names): %s", strings.Join(names, "."))
	}
	if len(names) == 2 && names[0] != "pg_catalog" {
		// Builtin types live in pg_catalog: only a user type can match.
		t, ok, err := b.lookupUserType(names, len(tn.ArrayBounds))
		return int64(t.Oid), ok, err
	}
	if n := names[len(names)-1]; n != lowerASCII(n) {
		// Builtin type names are lower case ("INT4" quoted is none).
		t, ok, err := b.lookupUserType(names[len(names)-1:], len(tn.ArrayBounds))
		return int64(t.Oid), ok, err
	}
	tn.Names = tn.Names[len(tn.Names)-len(names):]
	t, err := b.resolveTypeName(tn)
	if c := pgerror.CodeOf(err); c == pgerror.UndefinedObject || c == pgerror.InvalidSchemaName {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, err
	}
	return int64(t.Oid), true, nil
}

// regtypeInput is regtypein: the oid of the type named s, 42704 when
// there is none.
func (b *builder) regtypeInput(s string) (int64, error) {
	oid, ok, err := b.lookupTypeString(s)
	if err != nil {
		return 0, err
	}
	if !ok {
		if n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64); err == nil {
			return n, nil
		}
		tn, _ := parseTypeString(s)
		name := s
		if tn != nil {
			var parts []string
			for _, n := range tn.Names {
				parts = append(parts, n.GetString_().GetSval())
			}
			name = strings.Join(parts, ".")
		}
		return 0, pgerror.New(pgerror.UndefinedObject, "type %q does not exist", name)
	}
	return oid, nil
}

// procMatches lists the builtin and user functions named by names (an
// optional schema and the name) with their argument type lists.
func (b *builder) procMatches(names []string) ([]procCandidate, error) {
	schema, name := "", names[len(names)-1]
	if len(names) > 1 {
		schema = names[len(names)-2]
	}
	var out []procCandidate
	if schema == "" || schema == "pg_catalog" {
		for _, p := range pgBuiltinProcs {
			if p.name == name {
				out = append(out, procCandidate{oid: p.oid, args: p.args})
			}
		}
	}
	if schema != "pg_catalog" {
		fs, err := b.cat.Functions(b.ctx, catalog.FunctionPrefix(b.sess.dbID))
		if err != nil {
			return nil, err
		}
		for _, f := range fs {
			if f.Name != name || (schema != "" && f.Schema != schema) || (schema == "" && !b.onSearchPath(f.Schema)) {
				continue
			}
			args := make([]string, len(f.ArgTypes))
			for i, t := range f.ArgTypes {
				args[i] = types.TypeNameNoMod(t)
			}
			out = append(out, procCandidate{oid: int64(f.OID), args: strings.Join(args, ", ")})
		}
	}
	return out, nil
}

type procCandidate struct {
	oid  int64
	args string
}

// onSearchPath reports whether schema is searched for unqualified names.
func (b *builder) onSearchPath(schema string) bool {
	if schema == b.sess.ownTempSchema() && schema != "" {
		return true
	}
	return searchPathSchemas(b.sess.vars.get("search_path"), b.sess.user)[schema]
}

// checkNameParts applies the dotted-name limits of the reg* inputs:
// catalog.schema.name must name this database; more parts are 42601.
func (b *builder) checkNameParts(names []string, input string) ([]string, error) {
	switch {
	case len(names) == 3:
		if names[0] != b.sess.dbName {
			return nil, pgerror.New(pgerror.FeatureNotSupported, "cross-database references are not implemented: %s", input)
		}
		return names[1:], nil
	case len(names) > 3:
		return nil, pgerror.New(pgerror.SyntaxError, "improper qualified name (too many dotted names): %s", input)
	}
	return names, nil
}

// splitSignature splits "name(arg, arg)" (regprocedure and regoperator
// input) into the name and the argument type names, with
// parseNameAndArgTypes' errors.
func splitSignature(s string) (string, []string, error) {
	open := strings.IndexByte(s, '(')
	if open < 0 {
		return "", nil, pgerror.New(pgerror.InvalidTextRepresentation, "expected a left parenthesis")
	}
	t := strings.TrimRightFunc(s[open+1:], func(r rune) bool { return r < 128 && isNameSpace(byte(r)) })
	if !strings.HasSuffix(t, ")") {
		return "", nil, pgerror.New(pgerror.InvalidTextRepresentation, "expected a right parenthesis")
	}
	inner := strings.TrimSpace(t[:len(t)-1])
	var args []string
	if inner != "" {
		depth, start := 0, 0
		inQuote := false
		for i := 0; i < len(inner); i++ {
			switch c := inner[i]; {
			case c == '"':
				inQuote = !inQuote
			case inQuote:
			case c == '(':
				depth++
			case c == ')':
				depth--
			case c == ',' && depth == 0:
				args = append(args, strings.TrimSpace(inner[start:i]))
				start = i + 1
			}
		}
		args = append(args, strings.TrimSpace(inner[start:]))
	}
	return s[:open], args, nil
}

// lookupProc is regprocin/to_regproc (sig false) and
// regprocedurein/to_regprocedure (sig true): the oid, or ok false.
func (b *builder) lookupProc(s string, sig bool) (int64, bool, error) {
	namePart, argNames := s, []string(nil)
	if sig {
		var err error
		if namePart, argNames, err = splitSignature(s); err != nil {
			return 0, false, err
		}
	}
	names, err := splitQualifiedName(namePart)
	if err != nil {
		return 0, false, err
	}
	if names, err = b.checkNameParts(names, strings.Join(names, ".")); err != nil {
		return 0, false, err
	}
	var want []string
	for _, a := range argNames {
		if a == "" {
			return 0, false, pgerror.New(pgerror.SyntaxError, "syntax error at or near \")\"")
		}
		oid, err := b.regtypeInput(a)
		if err != nil {
			return 0, false, err
		}
		t, _ := types.FromOid(uint32(oid))
		want = append(want, types.TypeNameNoMod(t))
	}
	if len(names) == 2 && names[0] != "pg_catalog" {
		if _, err := b.schemaOID(names[0]); err != nil {
			return 0, false, nil
		}
	}
	cands, err := b.procMatches(names)
	if err != nil {
		return 0, false, err
	}
	if !sig {
		if len(cands) != 1 {
			return 0, false, nil // none, or ambiguous: NULL
		}
		return cands[0].oid, true, nil
	}
	joined := strings.Join(want, ", ")
	for _, c := range cands {
		if c.args == joined {
			return c.oid, true, nil
		}
	}
	return 0, false, nil
}

// lookupOper is to_regoper (sig false) and to_regoperator (sig true).
func (b *builder) lookupOper(s string, sig bool) (int64, bool, error) {
	namePart, argNames := s, []string(nil)
	if sig {
		var err error
		if namePart, argNames, err = splitSignature(s); err != nil {
			return 0, false, err
		}
		if len(argNames) != 2 {
			if len(argNames) == 1 {
				return 0, false, pgerror.New(pgerror.UndefinedParameter, "missing argument").
					WithHint("Use NONE to denote the missing argument of a unary operator.")
			}
			return 0, false, pgerror.New(pgerror.TooManyArguments, "too many arguments").
				WithHint("Provide two argument types for operator.")
		}
	}
	names, err := splitQualifiedName(namePart)
	if err != nil {
		return 0, false, err
	}
	if names, err = b.checkNameParts(names, strings.Join(names, ".")); err != nil {
		return 0, false, err
	}
	if len(names) == 2 && names[0] != "pg_catalog" {
		return 0, false, nil
	}
	name := names[len(names)-1]
	var want [2]string
	for i, a := range argNames {
		if strings.EqualFold(a, "none") {
			want[i] = "NONE"
			continue
		}
		oid, err := b.regtypeInput(a)
		if err != nil {
			return 0, false, err
		}
		t, _ := types.FromOid(uint32(oid))
		want[i] = types.TypeNameNoMod(t)
	}
	var found []int64
	for _, o := range pgBuiltinOperators {
		if o.name == name && (!sig || (o.left == want[0] && o.right == want[1])) {
			found = append(found, o.oid)
		}
	}
	if len(found) != 1 {
		return 0, false, nil
	}
	return found[0], true, nil
}

// schemaOID is the oid of a schema of the session's database, 3F000
// when there is none.
func (b *builder) schemaOID(name string) (int64, error) {
	if name == "quorumdb" {
		return oidQuorumdbSchema, nil
	}
	if name == "pg_temp" {
		if own := b.sess.ownTempSchema(); own != "" {
			name = own
		}
	}
	schemas, err := b.cat.Schemas(b.ctx, b.sess.dbID)
	if err != nil {
		return 0, err
	}
	oid, ok := schemas[name]
	if !ok {
		return 0, pgerror.New(pgerror.InvalidSchemaName, "schema %q does not exist", name)
	}
	return int64(oid), nil
}

// collations are pg_collation's rows (see pgcatalog), by name.
var collations = map[string]int64{"default": 100, "C": 950, "POSIX": 951}

// toRegFuncs are the to_reg* functions: each reads the name as the
// type's input function does and returns NULL where that would fail for
// want of the object.
// registerRegtypes adds this file's relations and functions to the engine's
// registries (registry.go calls it).
func registerRegtypes() {
	mk := func(ret types.T, lookup func(b *builder, s string) (int64, bool, error)) *sessionFuncDef {
		return &sessionFuncDef{minArgs: 1, maxArgs: 1, argTypes: []types.T{types.Text}, ret: ret,
			fn: func(ec *execCtx, args []types.Datum) (types.Datum, error) {
				b := &builder{ctx: ec.Context, sess: ec.sess, cat: ec.Catalog}
				oid, ok, err := lookup(b, args[0].(string))
				if err != nil || !ok {
					return nil, err
				}
				return oid, nil
			}}
	}
	sessionFuncs["to_regclass"] = mk(types.Regclass, func(b *builder, s string) (int64, bool, error) {
		names, err := splitQualifiedName(s)
		if err != nil {
			return 0, false, err
		}
		switch {
		case len(names) == 3:
			if names[0] != b.sess.dbName {
				return 0, false, pgerror.New(pgerror.FeatureNotSupported, "cross-database references are not implemented: %q", strings.Join(names, "."))
			}
			names = names[1:]
		case len(names) > 3:
			return 0, false, pgerror.New(pgerror.SyntaxError, "improper relation name (too many dotted names): %s", strings.Join(names, "."))
		}
		oid, err := b.resolveRegclassNames(names)
		if c := pgerror.CodeOf(err); c == pgerror.UndefinedTable || c == pgerror.InvalidSchemaName {
			return 0, false, nil
		}
		return oid, err == nil, err
	})
	sessionFuncs["to_regtype"] = mk(types.Regtype, (*builder).lookupTypeString)
	sessionFuncs["to_regproc"] = mk(types.Regproc, func(b *builder, s string) (int64, bool, error) { return b.lookupProc(s, false) })
	sessionFuncs["to_regprocedure"] = mk(types.Regprocedure, func(b *builder, s string) (int64, bool, error) { return b.lookupProc(s, true) })
	sessionFuncs["to_regoper"] = mk(types.Regoper, func(b *builder, s string) (int64, bool, error) { return b.lookupOper(s, false) })
	sessionFuncs["to_regoperator"] = mk(types.Regoperator, func(b *builder, s string) (int64, bool, error) { return b.lookupOper(s, true) })
	sessionFuncs["to_regnamespace"] = mk(types.Regnamespace, func(b *builder, s string) (int64, bool, error) {
		names, err := splitQualifiedName(s)
		if err != nil {
			return 0, false, err
		}
		if len(names) != 1 {
			return 0, false, pgerror.New(pgerror.InvalidName, "invalid name syntax")
		}
		if names[0] == "pg_temp" {
			return 0, false, nil // PostgreSQL's lookup does not map it here
		}
		oid, err := b.schemaOID(names[0])
		if err != nil {
			return 0, false, nil
		}
		return oid, true, nil
	})
	sessionFuncs["to_regrole"] = mk(types.Regrole, func(b *builder, s string) (int64, bool, error) {
		names, err := splitQualifiedName(s)
		if err != nil {
			return 0, false, err
		}
		if len(names) != 1 {
			return 0, false, pgerror.New(pgerror.InvalidName, "invalid name syntax")
		}
		r, err := b.cat.Role(b.ctx, names[0])
		if err != nil || r == nil {
			return 0, false, err
		}
		return int64(r.OID), true, nil
	})
	sessionFuncs["to_regcollation"] = mk(types.Regcollation, func(b *builder, s string) (int64, bool, error) {
		names, err := splitQualifiedName(s)
		if err != nil {
			return 0, false, err
		}
		if names, err = b.checkNameParts(names, strings.Join(names, ".")); err != nil {
			return 0, false, err
		}
		if len(names) == 2 && names[0] != "pg_catalog" {
			return 0, false, nil
		}
		oid, ok := collations[names[len(names)-1]]
		return oid, ok, nil
	})
}

// regOutput renders a value of a reg* type (other than regclass and
// regtype, see regName) as its output function does: the object's name,
// or the number when nothing has that oid.
func (s *Session) regOutput(typ types.Oid, v int64) string {
	num := strconv.FormatInt(v, 10)
	switch typ {
	case types.OidRegproc, types.OidRegprocedure:
		for _, p := range pgBuiltinProcs {
			if p.oid == v {
				if typ == types.OidRegproc {
					return p.name
				}
				return p.name + "(" + strings.ReplaceAll(p.args, ", ", ",") + ")"
			}
		}
		out := num
		_ = s.engine.withReadTxn(context.Background(), func(c *catalog.Txn) error {
			f, err := c.FunctionByOID(context.Background(), s.dbID, v)
			if err != nil || f == nil {
				return err
			}
			out = f.Name
			if f.Schema != "public" && f.Schema != "pg_catalog" {
				out = f.Schema + "." + f.Name
			}
			if typ == types.OidRegprocedure {
				args := make([]string, len(f.ArgTypes))
				for i, t := range f.ArgTypes {
					args[i] = types.TypeNameNoMod(t)
				}
				out += "(" + strings.Join(args, ",") + ")"
			}
			return nil
		})
		return out
	case types.OidRegoper, types.OidRegoperator:
		for _, o := range pgBuiltinOperators {
			if o.oid == v {
				if typ == types.OidRegoper {
					return o.name
				}
				return o.name + "(" + o.left + "," + o.right + ")"
			}
		}
	case types.OidRegnamespace:
		if v == oidQuorumdbSchema {
			return "quorumdb"
		}
		out := num
		_ = s.engine.withReadTxn(context.Background(), func(c *catalog.Txn) error {
			c.Session = s
			schemas, err := c.Schemas(context.Background(), s.dbID)
			for name, oid := range schemas {
				if int64(oid) == v {
					out = quoteIdent(name)
				}
			}
			return err
		})
		return out
	case types.OidRegrole:
		out := num
		_ = s.engine.withReadTxn(context.Background(), func(c *catalog.Txn) error {
			roles, err := c.Roles(context.Background())
			for _, r := range roles {
				if int64(r.OID) == v {
					out = quoteIdent(r.Name)
				}
			}
			return err
		})
		return out
	case types.OidRegcollation:
		for name, oid := range collations {
			if oid == v {
				return `"` + name + `"`
			}
		}
	}
	return num
}

// regInputFunc is the input function by name of the reg* types read
// through the catalog (regclass, regnamespace and regproc have their
// own paths in buildTypeCast), nil for other types.
func regInputFunc(oid types.Oid) func(b *builder, s string) (types.Datum, error) {
	numeric := func(s string) (int64, bool) {
		n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
		return n, err == nil && strings.TrimSpace(s) != ""
	}
	switch oid {
	case types.OidRegtype:
		return func(b *builder, s string) (types.Datum, error) {
			if n, ok := numeric(s); ok {
				return n, nil
			}
			return b.regtypeInput(s)
		}
	case types.OidRegprocedure:
		return func(b *builder, s string) (types.Datum, error) {
			if n, ok := numeric(s); ok {
				return n, nil
			}
			oid, ok, err := b.lookupProc(s, true)
			if err == nil && !ok {
				err = pgerror.New(pgerror.UndefinedFunction, "function %q does not exist", s)
			}
			return oid, err
		}
	case types.OidRegoper, types.OidRegoperator:
		return func(b *builder, s string) (types.Datum, error) {
			if n, ok := numeric(s); ok {
				return n, nil
			}
			oid, ok, err := b.lookupOper(s, oid == types.OidRegoperator)
			if err == nil && !ok {
				err = pgerror.New(pgerror.UndefinedFunction, "operator does not exist: %s", s)
			}
			return oid, err
		}
	case types.OidRegrole:
		return func(b *builder, s string) (types.Datum, error) {
			if n, ok := numeric(s); ok {
				return n, nil
			}
			names, err := splitQualifiedName(s)
			if err != nil {
				return nil, err
			}
			if len(names) != 1 {
				return nil, pgerror.New(pgerror.InvalidName, "invalid name syntax")
			}
			r, err := b.cat.Role(b.ctx, names[0])
			if err != nil {
				return nil, err
			}
			if r == nil {
				return nil, pgerror.New(pgerror.UndefinedObject, "role %q does not exist", names[0])
			}
			return int64(r.OID), nil
		}
	case types.OidRegcollation:
		return func(b *builder, s string) (types.Datum, error) {
			if n, ok := numeric(s); ok {
				return n, nil
			}
			names, err := splitQualifiedName(s)
			if err != nil {
				return nil, err
			}
			oid, ok := collations[names[len(names)-1]]
			if !ok || len(names) > 2 || (len(names) == 2 && names[0] != "pg_catalog") {
				return nil, pgerror.New(pgerror.UndefinedObject, "collation %q for encoding \"UTF8\" does not exist", strings.Join(names, "."))
			}
			return oid, nil
		}
	}
	return nil
}

// isRegType reports whether oid is one of the reg* types that print as
// names.
func isRegType(oid types.Oid) bool {
	switch oid {
	case types.OidRegclass, types.OidRegtype, types.OidRegproc, types.OidRegprocedure, types.OidRegoper,
		types.OidRegoperator, types.OidRegnamespace, types.OidRegrole, types.OidRegcollation:
		return true
	}
	return false
}
