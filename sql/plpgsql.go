package sql

import (
	"encoding/json"
	"fmt"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/quorumdb/quorumdb/sql/catalog"
	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// The PL/pgSQL subset, for DO blocks and LANGUAGE plpgsql functions:
// blocks with DECLARE and EXCEPTION WHEN handlers, SQL statements (with
// INTO), PERFORM, assignment, IF/ELSIF/ELSE, RETURN, GET [STACKED]
// DIAGNOSTICS, RAISE and NULL. The body is parsed by PostgreSQL's own
// PL/pgSQL grammar (pg_query.ParsePlPgSqlToJSON), which needs a CREATE
// FUNCTION around it; the JSON tree is compiled here into plFunc and run
// by plpgsql_exec.go. Loops, cursors, dynamic EXECUTE and RETURN
// NEXT/QUERY are 0A000 when the body is compiled.

// oidPlpgsqlLanguage is pg_language's oid of plpgsql (PostgreSQL 15's
// initdb gives it 13563).
const oidPlpgsqlLanguage = 13563

// plFunc is a compiled PL/pgSQL body.
type plFunc struct {
	name string
	vars []plVar
	body *plBlock
	// outVars are the OUT parameters' variables; ret is the declared
	// result when there are none (Void for DO).
	outVars []int
	ret     types.T
	// scope presents the variables to the SQL planner as the parameters
	// of a function (names resolve through builder.paramByName).
	scope *catalog.Function
	// display names the function in CONTEXT lines (f(integer), or
	// inline_code_block for DO); locs are the statements' lines.
	display string
	locs    map[plStmt]plLoc
}

// plLoc is where a statement is, for CONTEXT: "line 3 at RAISE".
type plLoc struct {
	line int
	what string
}

// plWhat is how PostgreSQL's CONTEXT names each statement kind.
var plWhat = map[string]string{
	"PLpgSQL_stmt_execsql": "SQL statement", "PLpgSQL_stmt_perform": "PERFORM",
	"PLpgSQL_stmt_assign": "assignment", "PLpgSQL_stmt_if": "IF", "PLpgSQL_stmt_return": "RETURN",
	"PLpgSQL_stmt_getdiag": "GET DIAGNOSTICS", "PLpgSQL_stmt_raise": "RAISE",
}

// plVar is a datum of the body: a variable, or a row of variables (the
// target of INTO a, b) when row is set.
type plVar struct {
	name     string
	t        types.T
	def      string // DECLARE's default expression, "" when none
	constant bool
	notNull  bool
	row      []int
	isRow    bool
}

type plStmt any

type plBlock struct {
	body     []plStmt
	handlers []plHandler
}

type plHandler struct {
	codes  []string // SQLSTATEs; "others" matches any
	action []plStmt
}

type plSQL struct {
	query  string
	into   bool
	strict bool
	target int
	mod    bool // INSERT, UPDATE or DELETE
}

type plPerform struct{ query string }

type plAssign struct {
	varno int
	expr  string
}

type plIf struct {
	conds  []string
	bodies [][]plStmt
	els    []plStmt
}

// plReturn is RETURN [expr]; missing marks the RETURN the parser adds
// at the end of every body, which a function returning a value must not
// reach.
type plReturn struct {
	expr    string
	missing bool
}

type plGetDiag struct {
	stacked bool
	kinds   []string
	targets []int
}

type plRaise struct {
	level   int // elog level: ERROR is 21
	cond    string
	message string
	params  []string
	options []plRaiseOption
}

type plRaiseOption struct {
	typ  int // ERRCODE, MESSAGE, DETAIL, HINT, COLUMN, CONSTRAINT, DATATYPE, TABLE, SCHEMA
	expr string
}

// elog levels of RAISE (elog.h).
const (
	plLevelDebug   = 14
	plLevelLog     = 15
	plLevelInfo    = 17
	plLevelNotice  = 18
	plLevelWarning = 19
	plLevelError   = 21
)

// plUnsupported names the statement kinds outside the subset.
var plUnsupported = map[string]string{
	"PLpgSQL_stmt_loop": "LOOP", "PLpgSQL_stmt_while": "WHILE", "PLpgSQL_stmt_fori": "FOR",
	"PLpgSQL_stmt_fors": "FOR", "PLpgSQL_stmt_forc": "FOR", "PLpgSQL_stmt_foreach_a": "FOREACH",
	"PLpgSQL_stmt_exit": "EXIT", "PLpgSQL_stmt_return_next": "RETURN NEXT",
	"PLpgSQL_stmt_return_query": "RETURN QUERY", "PLpgSQL_stmt_case": "CASE",
	"PLpgSQL_stmt_dynexecute": "EXECUTE", "PLpgSQL_stmt_dynfors": "FOR ... EXECUTE",
	"PLpgSQL_stmt_open": "OPEN", "PLpgSQL_stmt_fetch": "FETCH", "PLpgSQL_stmt_close": "CLOSE",
	"PLpgSQL_stmt_call": "CALL", "PLpgSQL_stmt_commit": "COMMIT", "PLpgSQL_stmt_rollback": "ROLLBACK",
	"PLpgSQL_stmt_assert": "ASSERT",
}

func plNotSupported(what string) error {
	return pgerror.New(pgerror.FeatureNotSupported, "PL/pgSQL %s is not supported", what)
}

// plFunctionSource wraps a body in the CREATE FUNCTION the PL/pgSQL
// parser needs: the parameters in datum order (inputs, then OUT ones).
func plFunctionSource(f *catalog.Function, body string) string {
	var params []string
	for _, n := range f.ArgNames {
		params = append(params, plParam("", n))
	}
	for _, n := range f.OutNames {
		params = append(params, plParam("OUT ", n))
	}
	ret := "void"
	if f.Language != "" || f.RetType.Oid != 0 {
		ret = "record"
	}
	tag := "$plpgsql_body$"
	for i := 0; strings.Contains(body, tag); i++ {
		tag = fmt.Sprintf("$plpgsql_body%d$", i)
	}
	return "CREATE FUNCTION plpgsql_body(" + strings.Join(params, ", ") + ") RETURNS " + ret +
		" AS " + tag + body + tag + " LANGUAGE plpgsql"
}

// plParam declares a parameter for the parser, whose datums carry no
// types (the real ones come from the function).
func plParam(mode, name string) string {
	if name == "" {
		return mode + "int"
	}
	return mode + quoteIdent(name) + " int"
}

// compilePlpgsql parses and checks f's body (a DO block's when f has no
// parameters and a Void result).
func (b *builder) compilePlpgsql(f *catalog.Function) (*plFunc, error) {
	js, err := pg_query.ParsePlPgSqlToJSON(plFunctionSource(f, f.Body))
	if err != nil {
		perr := parseError(err)
		if pe, ok := pgerror.As(perr); ok {
			// The grammar reports every compile error as a syntax
			// error; PostgreSQL gives these their own codes.
			pe.Position = 0
			switch {
			case strings.HasPrefix(pe.Message, "unrecognized exception condition"):
				pe.Code = pgerror.UndefinedObject
			case strings.HasPrefix(pe.Message, "type ") && strings.HasSuffix(pe.Message, "does not exist"):
				pe.Code = pgerror.UndefinedObject
			case strings.HasSuffix(pe.Message, "is declared CONSTANT"):
				pe.Code = pgerror.ErrorInAssignment
			}
		}
		return nil, perr
	}
	var tree []struct {
		Fn struct {
			Datums []map[string]json.RawMessage `json:"datums"`
			Action map[string]json.RawMessage   `json:"action"`
		} `json:"PLpgSQL_function"`
	}
	if err := json.Unmarshal([]byte(js), &tree); err != nil || len(tree) != 1 {
		return nil, fmt.Errorf("sql: reading the PL/pgSQL parse tree: %v", err)
	}
	pf := &plFunc{name: f.Name, ret: f.RetType, display: signature(f.Name, f.ArgTypes), locs: map[plStmt]plLoc{}}
	if pf.ret.Oid == 0 {
		pf.ret = types.Void
	}
	nIn := len(f.ArgTypes)
	for i, d := range tree[0].Fn.Datums {
		v, err := b.plDatum(d)
		if err != nil {
			return nil, err
		}
		switch {
		case i < nIn:
			v.t = f.ArgTypes[i]
		case i < nIn+len(f.OutTypes):
			v.t = f.OutTypes[i-nIn]
			pf.outVars = append(pf.outVars, i)
		}
		pf.vars = append(pf.vars, v)
	}
	c := &plCompiler{b: b, f: pf, void: pf.ret.Oid == types.OidVoid, out: len(pf.outVars) > 0}
	top, err := c.stmt(tree[0].Fn.Action)
	if err != nil {
		return nil, err
	}
	blk, ok := top.(*plBlock)
	if !ok {
		blk = &plBlock{body: []plStmt{top}}
	}
	pf.body = blk
	pf.scope = &catalog.Function{Name: f.Name}
	for _, v := range pf.vars {
		name := v.name
		if v.isRow {
			name = ""
		}
		pf.scope.ArgNames = append(pf.scope.ArgNames, name)
		pf.scope.ArgTypes = append(pf.scope.ArgTypes, v.t)
	}
	return pf, nil
}

// plDatum reads one datum; its type is resolved here unless it is a
// parameter (the caller sets those).
func (b *builder) plDatum(d map[string]json.RawMessage) (plVar, error) {
	var v struct {
		Refname  string `json:"refname"`
		Datatype struct {
			Type struct {
				Typname string `json:"typname"`
			} `json:"PLpgSQL_type"`
		} `json:"datatype"`
		DefaultVal *plExprJSON `json:"default_val"`
		Isconst    bool        `json:"isconst"`
		Notnull    bool        `json:"notnull"`
		Fields     []struct {
			Varno int `json:"varno"`
		} `json:"fields"`
	}
	for kind, raw := range d {
		if err := json.Unmarshal(raw, &v); err != nil {
			return plVar{}, fmt.Errorf("sql: reading a PL/pgSQL datum: %w", err)
		}
		switch kind {
		case "PLpgSQL_row":
			out := plVar{name: v.Refname, isRow: true, t: types.Record}
			for _, fl := range v.Fields {
				out.row = append(out.row, fl.Varno)
			}
			return out, nil
		case "PLpgSQL_var", "PLpgSQL_rec":
		default:
			return plVar{}, plNotSupported(strings.TrimPrefix(kind, "PLpgSQL_") + " variables")
		}
	}
	out := plVar{name: v.Refname, constant: v.Isconst, notNull: v.Notnull}
	if v.DefaultVal != nil {
		out.def = v.DefaultVal.Expr.Query
	}
	switch tn := strings.TrimSpace(v.Datatype.Type.Typname); {
	case out.name == "found":
		out.t = types.Bool
	case out.name == "sqlstate" || out.name == "sqlerrm":
		out.t = types.Text
	case tn == "UNKNOWN" || tn == "":
		// A parameter: typed by the caller.
	default:
		t, err := b.plTypeName(tn)
		if err != nil {
			return plVar{}, err
		}
		out.t = t
	}
	return out, nil
}

// plTypeName resolves a declared variable's type: a SQL type name, a
// table's name (its row type) or table%ROWTYPE.
func (b *builder) plTypeName(text string) (types.T, error) {
	if strings.HasSuffix(strings.ToLower(text), "%rowtype") {
		text = text[:len(text)-len("%rowtype")]
	} else if strings.Contains(text, "%") {
		return types.T{}, plNotSupported("%TYPE")
	}
	if strings.EqualFold(text, "record") {
		return types.T{}, plNotSupported("variables of type record")
	}
	res, err := pg_query.Parse("SELECT NULL::" + text)
	if err != nil {
		return types.T{}, parseError(err)
	}
	tc := res.Stmts[0].Stmt.GetSelectStmt().GetTargetList()[0].GetResTarget().GetVal().GetTypeCast()
	if tc == nil {
		return types.T{}, pgerror.New(pgerror.SyntaxError, "invalid type name %q", text)
	}
	return b.resolveParamType(tc.TypeName)
}

type plExprJSON struct {
	Expr struct {
		Query string `json:"query"`
	} `json:"PLpgSQL_expr"`
}

// plCompiler turns the statement tree into plStmt values.
type plCompiler struct {
	b    *builder
	f    *plFunc
	void bool // RETURNS void (or a DO block)
	out  bool // has OUT parameters
}

func (c *plCompiler) stmts(raws []map[string]json.RawMessage) ([]plStmt, error) {
	var out []plStmt
	for _, r := range raws {
		s, err := c.stmt(r)
		if err != nil {
			return nil, err
		}
		if s != nil {
			out = append(out, s)
			for kind, raw := range r {
				var v struct {
					Lineno int `json:"lineno"`
				}
				if json.Unmarshal(raw, &v) == nil && plWhat[kind] != "" {
					c.f.locs[s] = plLoc{line: v.Lineno, what: plWhat[kind]}
				}
			}
		}
	}
	return out, nil
}

func (c *plCompiler) stmt(n map[string]json.RawMessage) (plStmt, error) {
	for kind, raw := range n {
		if what, ok := plUnsupported[kind]; ok {
			return nil, plNotSupported(what)
		}
		switch kind {
		case "PLpgSQL_stmt_block":
			var v struct {
				Body       []map[string]json.RawMessage `json:"body"`
				Exceptions *struct {
					Block struct {
						List []struct {
							Exc struct {
								Conditions []struct {
									Cond struct {
										Name string `json:"condname"`
									} `json:"PLpgSQL_condition"`
								} `json:"conditions"`
								Action []map[string]json.RawMessage `json:"action"`
							} `json:"PLpgSQL_exception"`
						} `json:"exc_list"`
					} `json:"PLpgSQL_exception_block"`
				} `json:"exceptions"`
			}
			if err := json.Unmarshal(raw, &v); err != nil {
				return nil, err
			}
			blk := &plBlock{}
			var err error
			if blk.body, err = c.stmts(v.Body); err != nil {
				return nil, err
			}
			if v.Exceptions != nil {
				for _, e := range v.Exceptions.Block.List {
					var h plHandler
					for _, cond := range e.Exc.Conditions {
						code, err := plConditionCode(cond.Cond.Name)
						if err != nil {
							return nil, err
						}
						h.codes = append(h.codes, code)
					}
					if h.action, err = c.stmts(e.Exc.Action); err != nil {
						return nil, err
					}
					blk.handlers = append(blk.handlers, h)
				}
			}
			return blk, nil
		case "PLpgSQL_stmt_execsql":
			var v struct {
				SQL    plExprJSON                 `json:"sqlstmt"`
				Into   bool                       `json:"into"`
				Strict bool                       `json:"strict"`
				Target map[string]json.RawMessage `json:"target"`
			}
			if err := json.Unmarshal(raw, &v); err != nil {
				return nil, err
			}
			st := &plSQL{query: v.SQL.Expr.Query, into: v.Into, strict: v.Strict, target: -1}
			node, err := plCheckSQL(st.query)
			if err != nil {
				return nil, err
			}
			switch node.Node.(type) {
			case *pg_query.Node_InsertStmt, *pg_query.Node_UpdateStmt, *pg_query.Node_DeleteStmt:
				st.mod = true
			case *pg_query.Node_TransactionStmt:
				return nil, pgerror.New(pgerror.FeatureNotSupported, "transaction control in PL/pgSQL is not supported")
			}
			if v.Into {
				if st.target, err = c.target(v.Target); err != nil {
					return nil, err
				}
			}
			return st, nil
		case "PLpgSQL_stmt_perform":
			var v struct {
				Expr plExprJSON `json:"expr"`
			}
			if err := json.Unmarshal(raw, &v); err != nil {
				return nil, err
			}
			if _, err := plCheckSQL(v.Expr.Expr.Query); err != nil {
				return nil, err
			}
			return &plPerform{query: v.Expr.Expr.Query}, nil
		case "PLpgSQL_stmt_assign":
			var v struct {
				Varno int        `json:"varno"`
				Expr  plExprJSON `json:"expr"`
			}
			if err := json.Unmarshal(raw, &v); err != nil {
				return nil, err
			}
			target, value := plSplitAssign(v.Expr.Expr.Query)
			if strings.ContainsAny(target, ".[") {
				return nil, plNotSupported("assignment to a field or an element")
			}
			if c.f.vars[v.Varno].constant {
				return nil, pgerror.New(pgerror.ErrorInAssignment, "variable %q is declared CONSTANT", c.f.vars[v.Varno].name)
			}
			if _, err := plCheckSQL("SELECT " + value); err != nil {
				return nil, err
			}
			return &plAssign{varno: v.Varno, expr: value}, nil
		case "PLpgSQL_stmt_if":
			var v struct {
				Cond   plExprJSON                   `json:"cond"`
				Then   []map[string]json.RawMessage `json:"then_body"`
				Elsifs []struct {
					E struct {
						Cond  plExprJSON                   `json:"cond"`
						Stmts []map[string]json.RawMessage `json:"stmts"`
					} `json:"PLpgSQL_if_elsif"`
				} `json:"elsif_list"`
				Else []map[string]json.RawMessage `json:"else_body"`
			}
			if err := json.Unmarshal(raw, &v); err != nil {
				return nil, err
			}
			st := &plIf{}
			add := func(cond string, body []map[string]json.RawMessage) error {
				if _, err := plCheckSQL("SELECT " + cond); err != nil {
					return err
				}
				ss, err := c.stmts(body)
				st.conds, st.bodies = append(st.conds, cond), append(st.bodies, ss)
				return err
			}
			if err := add(v.Cond.Expr.Query, v.Then); err != nil {
				return nil, err
			}
			for _, e := range v.Elsifs {
				if err := add(e.E.Cond.Expr.Query, e.E.Stmts); err != nil {
					return nil, err
				}
			}
			var err error
			st.els, err = c.stmts(v.Else)
			return st, err
		case "PLpgSQL_stmt_return":
			var v struct {
				Expr *plExprJSON `json:"expr"`
			}
			if err := json.Unmarshal(raw, &v); err != nil {
				return nil, err
			}
			if v.Expr == nil {
				return &plReturn{missing: !c.void && !c.out}, nil
			}
			switch {
			case c.out:
				return nil, pgerror.New(pgerror.DatatypeMismatch, "RETURN cannot have a parameter in function with OUT parameters")
			case c.void:
				return nil, pgerror.New(pgerror.DatatypeMismatch, "RETURN cannot have a parameter in function returning void")
			}
			if _, err := plCheckSQL("SELECT " + v.Expr.Expr.Query); err != nil {
				return nil, err
			}
			return &plReturn{expr: v.Expr.Expr.Query}, nil
		case "PLpgSQL_stmt_getdiag":
			var v struct {
				Stacked bool `json:"is_stacked"`
				Items   []struct {
					Item struct {
						Kind   string `json:"kind"`
						Target int    `json:"target"`
					} `json:"PLpgSQL_diag_item"`
				} `json:"diag_items"`
			}
			if err := json.Unmarshal(raw, &v); err != nil {
				return nil, err
			}
			st := &plGetDiag{stacked: v.Stacked}
			for _, it := range v.Items {
				st.kinds, st.targets = append(st.kinds, it.Item.Kind), append(st.targets, it.Item.Target)
			}
			return st, nil
		case "PLpgSQL_stmt_raise":
			var v struct {
				Level   int          `json:"elog_level"`
				Cond    string       `json:"condname"`
				Message string       `json:"message"`
				Params  []plExprJSON `json:"params"`
				Options []struct {
					Opt struct {
						Type int        `json:"opt_type"`
						Expr plExprJSON `json:"expr"`
					} `json:"PLpgSQL_raise_option"`
				} `json:"options"`
			}
			if err := json.Unmarshal(raw, &v); err != nil {
				return nil, err
			}
			st := &plRaise{level: v.Level, cond: v.Cond, message: v.Message}
			if st.cond != "" {
				if _, err := plConditionCode(st.cond); err != nil {
					return nil, err
				}
			}
			for _, p := range v.Params {
				st.params = append(st.params, p.Expr.Query)
			}
			if n := plFormatSlots(st.message); v.Message != "" && n != len(st.params) {
				if n > len(st.params) {
					return nil, pgerror.New(pgerror.SyntaxError, "too few parameters specified for RAISE")
				}
				return nil, pgerror.New(pgerror.SyntaxError, "too many parameters specified for RAISE")
			}
			for _, o := range v.Options {
				st.options = append(st.options, plRaiseOption{typ: o.Opt.Type, expr: o.Opt.Expr.Expr.Query})
			}
			return st, nil
		}
		return nil, plNotSupported(strings.TrimPrefix(kind, "PLpgSQL_stmt_") + " statements")
	}
	// A statement the tree prints with no fields: NULL;
	return nil, nil
}

// target is the variable INTO names: a variable, or a row of several.
func (c *plCompiler) target(t map[string]json.RawMessage) (int, error) {
	for kind, raw := range t {
		var v struct {
			Dno    int `json:"dno"`
			Fields []struct {
				Varno int `json:"varno"`
			} `json:"fields"`
		}
		if err := json.Unmarshal(raw, &v); err != nil {
			return 0, err
		}
		if kind != "PLpgSQL_row" {
			return v.Dno, nil
		}
		if len(v.Fields) == 1 {
			return v.Fields[0].Varno, nil
		}
		// The row datum of the same fields.
		for i, d := range c.f.vars {
			if d.isRow && len(d.row) == len(v.Fields) {
				same := true
				for j, fl := range v.Fields {
					same = same && d.row[j] == fl.Varno
				}
				if same {
					return i, nil
				}
			}
		}
		row := plVar{name: "(unnamed row)", isRow: true, t: types.Record}
		for _, fl := range v.Fields {
			row.row = append(row.row, fl.Varno)
		}
		c.f.vars = append(c.f.vars, row)
		return len(c.f.vars) - 1, nil
	}
	return 0, pgerror.New(pgerror.SyntaxError, "INTO without a target")
}

// plCheckSQL parses an embedded statement, as PL/pgSQL does when it
// compiles, so syntax errors surface at CREATE FUNCTION.
func plCheckSQL(query string) (*pg_query.Node, error) {
	stmts, err := parse(query)
	if err != nil {
		return nil, err
	}
	if len(stmts) != 1 {
		return nil, pgerror.New(pgerror.SyntaxError, "syntax error at or near \";\"")
	}
	return stmts[0].node, nil
}

// plSplitAssign splits "target := expr" (or "target = expr").
func plSplitAssign(s string) (target, value string) {
	inQuote := byte(0)
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case inQuote != 0:
			if ch == inQuote {
				inQuote = 0
			}
		case ch == '\'' || ch == '"':
			inQuote = ch
		case ch == ':' && i+1 < len(s) && s[i+1] == '=':
			return strings.TrimSpace(s[:i]), strings.TrimSpace(s[i+2:])
		case ch == '=':
			return strings.TrimSpace(s[:i]), strings.TrimSpace(s[i+1:])
		}
	}
	return "", s
}

// plFormatSlots counts the % placeholders of a RAISE format (%% is a
// literal percent sign).
func plFormatSlots(f string) int {
	n := 0
	for i := 0; i < len(f); i++ {
		if f[i] == '%' {
			if i+1 < len(f) && f[i+1] == '%' {
				i++
				continue
			}
			n++
		}
	}
	return n
}

// plConditionCode is the SQLSTATE of an exception condition: a name of
// plerrcodes.h, OTHERS, or the code given as SQLSTATE 'xxxxx' (which the
// parser hands over as the code itself).
func plConditionCode(name string) (string, error) {
	if name == "others" {
		return name, nil
	}
	if code, ok := plConditions[name]; ok {
		return code, nil
	}
	if len(name) == 5 && strings.Trim(name, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ") == "" {
		return name, nil
	}
	return "", pgerror.New(pgerror.UndefinedObject, "unrecognized exception condition %q", name)
}

// plConditions maps PL/pgSQL condition names to their SQLSTATEs (the
// commonly named ones of plerrcodes.h). A class's name (ending in 000)
// catches every code of the class.
var plConditions = map[string]string{
	"duplicate_object": "42710", "duplicate_table": "42P07", "duplicate_column": "42701",
	"duplicate_schema": "42P06", "duplicate_function": "42723", "duplicate_database": "42P04",
	"undefined_table": "42P01", "undefined_object": "42704", "undefined_column": "42703",
	"undefined_function": "42883", "invalid_schema_name": "3F000", "unique_violation": "23505",
	"foreign_key_violation": "23503", "check_violation": "23514", "not_null_violation": "23502",
	"restrict_violation": "23001", "exclusion_violation": "23P01", "integrity_constraint_violation": "23000",
	"invalid_text_representation": "22P02", "division_by_zero": "22012", "feature_not_supported": "0A000",
	"dependent_objects_still_exist": "2BP01", "insufficient_privilege": "42501", "syntax_error": "42601",
	"wrong_object_type": "42809", "object_in_use": "55006", "invalid_parameter_value": "22023",
	"serialization_failure": "40001", "deadlock_detected": "40P01", "lock_not_available": "55P03",
	"raise_exception": "P0001", "no_data_found": "P0002", "too_many_rows": "P0003", "assert_failure": "P0004",
	"data_exception": "22000", "string_data_right_truncation": "22001", "numeric_value_out_of_range": "22003",
	"null_value_not_allowed": "22004", "invalid_datetime_format": "22007", "datetime_field_overflow": "22008",
	"cardinality_violation": "21000", "read_only_sql_transaction": "25006",
	"ambiguous_column": "42702", "ambiguous_function": "42725", "datatype_mismatch": "42804",
	"undefined_parameter": "42P02", "invalid_column_reference": "42P10", "grouping_error": "42803",
	"query_canceled": "57014", "invalid_transaction_state": "25000", "in_failed_sql_transaction": "25P02",
	"character_not_in_repertoire": "22021", "invalid_regular_expression": "2201B",
}
