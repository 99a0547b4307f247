package sql

import (
	"strconv"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/quorumdb/quorumdb/sql/types"
)

// A column default is stored as the text PostgreSQL's pg_get_expr shows
// for it (ruleutils' get_const_expr and friends on the cooked default),
// because tools compare it with what they expect: Alembic's autogenerate
// compares server defaults, Django's and SQLAlchemy's reflection read
// them back. PostgreSQL coerces a literal default to the column's type
// when the table is created and prints the constant with a cast unless
// the constant re-reads as that type: DEFAULT 0 on an integer column is
// 0, DEFAULT '0' on a numeric one '0'::numeric, DEFAULT -1
// '-1'::integer, DEFAULT false false, DEFAULT 'x' on text 'x'::text; an
// implicit coercion to the column's type is not shown (DEFAULT 5 on a
// bigint column is 5). pgDefaultText covers constants, casts of them,
// calls without arguments, the SQL value functions (CURRENT_TIMESTAMP)
// and operators over those; anything else keeps the deparsed text.

// pgDefaultText renders default expression n of a column of type col as
// PostgreSQL stores and prints it; ok is false for an expression it does
// not cover. null is set for DEFAULT NULL, which PostgreSQL does not
// store at all.
func pgDefaultText(n *pg_query.Node, col types.T) (text string, null, ok bool) {
	if c := n.GetAConst(); c != nil && c.Isnull {
		return "", true, true
	}
	if tc := n.GetTypeCast(); tc != nil {
		if c := tc.Arg.GetAConst(); c != nil && c.Isnull {
			return "", true, true
		}
	}
	text, ok = pgExprText(n, col, true)
	return text, false, ok
}

// pgExprText renders n; target is the type n is coerced to, which a
// string literal takes (only at the top of a default).
func pgExprText(n *pg_query.Node, target types.T, top bool) (string, bool) {
	switch v := n.Node.(type) {
	case *pg_query.Node_AConst:
		c := v.AConst
		switch val := c.Val.(type) {
		case *pg_query.A_Const_Ival:
			return pgIntConst(int64(val.Ival.Ival), types.Int4), true
		case *pg_query.A_Const_Fval:
			s := val.Fval.Fval
			if i, err := strconv.ParseInt(s, 10, 64); err == nil {
				if i >= -1<<31 && i < 1<<31 {
					return pgIntConst(i, types.Int4), true
				}
				return pgIntConst(i, types.Int8), true
			}
			d, err := types.ParseText(types.Numeric, s, nil)
			if err != nil {
				return "", false
			}
			return pgConstText(types.FormatText(types.Numeric, d, nil), types.Numeric), true
		case *pg_query.A_Const_Boolval:
			if val.Boolval.Boolval {
				return "true", true
			}
			return "false", true
		case *pg_query.A_Const_Sval:
			t := types.Text
			if top {
				// The literal becomes a constant of the column's type
				// without its modifier (the length coercion is implicit).
				t = target
				if t.Family != types.ArrayFamily {
					t.Width, t.Scale = 0, 0
				}
			}
			return pgLiteralOf(val.Sval.Sval, t)
		}
	case *pg_query.Node_TypeCast:
		t, err := resolveTypeName(v.TypeCast.TypeName)
		if err != nil {
			return "", false
		}
		if c := v.TypeCast.Arg.GetAConst(); c != nil {
			if s, isStr := c.Val.(*pg_query.A_Const_Sval); isStr {
				// 'x'::t is a constant of type t (with its typmod).
				lit, ok := pgLiteralOf(s.Sval.Sval, t)
				return lit, ok
			}
		}
		return "", false
	case *pg_query.Node_SqlvalueFunction:
		return sqlValueFunctionText(v.SqlvalueFunction)
	case *pg_query.Node_FuncCall:
		fc := v.FuncCall
		if len(fc.Args) == 0 && !fc.AggStar && fc.Over == nil && len(fc.Funcname) == 1 {
			return quoteIdentIfNeeded(fc.Funcname[0].GetString_().GetSval()) + "()", true
		}
		return "", false
	case *pg_query.Node_AExpr:
		e := v.AExpr
		if e.Kind != pg_query.A_Expr_Kind_AEXPR_OP || len(e.Name) != 1 || e.Lexpr == nil || e.Rexpr == nil {
			return "", false
		}
		l, ok := pgExprText(e.Lexpr, types.Text, false)
		if !ok {
			return "", false
		}
		r, ok := pgExprText(e.Rexpr, types.Text, false)
		if !ok {
			return "", false
		}
		return "(" + l + " " + e.Name[0].GetString_().GetSval() + " " + r + ")", true
	}
	return "", false
}

// pgIntConst prints an integer constant of type t (int4 or int8).
func pgIntConst(i int64, t types.T) string {
	return pgConstText(strconv.FormatInt(i, 10), t)
}

// pgLiteralOf is the constant a string literal becomes as type t: its
// value read and printed by t's own functions, then labeled.
func pgLiteralOf(s string, t types.T) (string, bool) {
	if t.Family == types.UnknownFamily || t.Family == types.AnyFamily {
		t = types.Text
	}
	d, err := types.ParseText(t, s, types.DefaultSettings())
	if err != nil {
		return "", false
	}
	if d == nil {
		return "", false
	}
	return pgConstText(types.FormatText(t, d, types.DefaultSettings()), t), true
}

// pgConstText is get_const_expr: ext is the value's output text.
func pgConstText(ext string, t types.T) string {
	quoted := "'" + strings.ReplaceAll(ext, "'", "''") + "'"
	if strings.Contains(ext, `\`) {
		quoted = "E'" + strings.ReplaceAll(strings.ReplaceAll(ext, `\`, `\\`), "'", "''") + "'"
	}
	label := "::" + pgTypeLabel(t)
	switch t.Oid {
	case types.OidInt4:
		if !strings.HasPrefix(ext, "-") {
			return ext
		}
		return quoted + label
	case types.OidNumeric:
		if ext != "" && ext[0] >= '0' && ext[0] <= '9' && strings.ContainsAny(ext, "eE.") {
			if t.Width > 0 {
				return ext + label
			}
			return ext
		}
		return quoted + label
	case types.OidBool:
		if ext == "t" || ext == "true" {
			return "true"
		}
		return "false"
	}
	return quoted + label
}

// pgTypeLabel is format_type_with_typemod as a constant's cast shows it:
// "bpchar" for an unsized character, "character varying", "text[]".
func pgTypeLabel(t types.T) string {
	return types.TypeName(t)
}

// sqlValueFunctionText prints CURRENT_TIMESTAMP and friends as
// ruleutils does.
func sqlValueFunctionText(f *pg_query.SQLValueFunction) (string, bool) {
	prec := ""
	if f.Typmod >= 0 {
		prec = "(" + strconv.Itoa(int(f.Typmod)) + ")"
	}
	switch f.Op {
	case pg_query.SQLValueFunctionOp_SVFOP_CURRENT_DATE:
		return "CURRENT_DATE", true
	case pg_query.SQLValueFunctionOp_SVFOP_CURRENT_TIME:
		return "CURRENT_TIME", true
	case pg_query.SQLValueFunctionOp_SVFOP_CURRENT_TIME_N:
		return "CURRENT_TIME" + prec, true
	case pg_query.SQLValueFunctionOp_SVFOP_CURRENT_TIMESTAMP:
		return "CURRENT_TIMESTAMP", true
	case pg_query.SQLValueFunctionOp_SVFOP_CURRENT_TIMESTAMP_N:
		return "CURRENT_TIMESTAMP" + prec, true
	case pg_query.SQLValueFunctionOp_SVFOP_LOCALTIME:
		return "LOCALTIME", true
	case pg_query.SQLValueFunctionOp_SVFOP_LOCALTIME_N:
		return "LOCALTIME" + prec, true
	case pg_query.SQLValueFunctionOp_SVFOP_LOCALTIMESTAMP:
		return "LOCALTIMESTAMP", true
	case pg_query.SQLValueFunctionOp_SVFOP_LOCALTIMESTAMP_N:
		return "LOCALTIMESTAMP" + prec, true
	case pg_query.SQLValueFunctionOp_SVFOP_CURRENT_ROLE:
		return "CURRENT_ROLE", true
	case pg_query.SQLValueFunctionOp_SVFOP_CURRENT_USER:
		return "CURRENT_USER", true
	case pg_query.SQLValueFunctionOp_SVFOP_USER:
		return "USER", true
	case pg_query.SQLValueFunctionOp_SVFOP_SESSION_USER:
		return "SESSION_USER", true
	case pg_query.SQLValueFunctionOp_SVFOP_CURRENT_CATALOG:
		return "CURRENT_CATALOG", true
	case pg_query.SQLValueFunctionOp_SVFOP_CURRENT_SCHEMA:
		return "CURRENT_SCHEMA", true
	}
	return "", false
}
