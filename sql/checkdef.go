package sql

import (
	"strconv"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/quorumdb/quorumdb/sql/catalog"
	"github.com/quorumdb/quorumdb/sql/types"
)

// A CHECK constraint is stored as the text pg_get_constraintdef shows
// for it (without the outer parentheses it adds), as column defaults are
// (defaultdef.go): PostgreSQL prints the analyzed expression, whose
// implicit coercions show in an operator's arguments — CHECK (price >= 0)
// on a numeric column is (price >= (0)::numeric), a varchar column is
// compared as (name)::text, a string literal is a constant of the type
// it was resolved to ('a'::text), and x IN (...) is x = ANY (ARRAY[...]).
// SQLAlchemy's inspector and knex's reflection read these texts back.
// pgCheckText covers columns, constants, casts, comparison and
// arithmetic operators, LIKE, IN, BETWEEN, AND/OR/NOT and IS [NOT] NULL
// over the common scalar types; anything else keeps the deparsed text.

// checkTerm is a rendered sub-expression: its text and type, or an
// untyped string literal not yet given a type.
type checkTerm struct {
	text    string
	t       types.T
	literal *string // an untyped string literal ('a')
	paren   bool    // text is already parenthesized or atomic
}

// pgCheckText renders CHECK expression n over table t; ok is false when
// it uses something pgCheckText does not cover.
func pgCheckText(t *catalog.Table, n *pg_query.Node) (string, bool) {
	term, ok := checkExprTerm(t, n)
	if !ok || term.literal != nil {
		return "", false
	}
	s := term.text
	// Stored without the outer parentheses pg_get_constraintdef adds.
	if strings.HasPrefix(s, "(") && strings.HasSuffix(s, ")") && balancedOuter(s) {
		s = s[1 : len(s)-1]
	}
	return s, true
}

// balancedOuter reports whether s's first parenthesis closes at its end.
func balancedOuter(s string) bool {
	depth, inQuote := 0, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\'':
			inQuote = !inQuote
		case inQuote:
		case c == '(':
			depth++
		case c == ')':
			depth--
			if depth == 0 && i != len(s)-1 {
				return false
			}
		}
	}
	return depth == 0
}

func checkExprTerm(t *catalog.Table, n *pg_query.Node) (checkTerm, bool) {
	switch v := n.Node.(type) {
	case *pg_query.Node_ColumnRef:
		f := v.ColumnRef.Fields
		if len(f) == 0 || f[len(f)-1].GetString_() == nil {
			return checkTerm{}, false
		}
		name := f[len(f)-1].GetString_().GetSval()
		for _, c := range t.Columns {
			if c.Name == name && !c.Hidden {
				return checkTerm{text: quoteIdentIfNeeded(name), t: c.Type, paren: true}, true
			}
		}
		return checkTerm{}, false
	case *pg_query.Node_AConst:
		if v.AConst.Isnull {
			return checkTerm{}, false
		}
		if s, ok := v.AConst.Val.(*pg_query.A_Const_Sval); ok {
			lit := s.Sval.Sval
			return checkTerm{literal: &lit}, true
		}
		text, ok := pgExprText(n, types.Text, false)
		if !ok {
			return checkTerm{}, false
		}
		ct := types.Int4
		switch c := v.AConst.Val.(type) {
		case *pg_query.A_Const_Boolval:
			ct = types.Bool
		case *pg_query.A_Const_Fval:
			ct = types.Numeric
			if !strings.ContainsAny(c.Fval.Fval, ".eE") {
				ct = types.Int8
			}
		}
		return checkTerm{text: text, t: ct, paren: !strings.HasPrefix(text, "'")}, true
	case *pg_query.Node_TypeCast:
		ct, err := resolveTypeName(v.TypeCast.TypeName)
		if err != nil {
			return checkTerm{}, false
		}
		arg, ok := checkExprTerm(t, v.TypeCast.Arg)
		if !ok {
			return checkTerm{}, false
		}
		if arg.literal != nil {
			text, ok := pgLiteralOf(*arg.literal, ct)
			return checkTerm{text: text, t: ct, paren: true}, ok
		}
		if arg.t.Equal(ct) {
			return arg, true
		}
		return coercedTerm(arg, ct), true
	case *pg_query.Node_BoolExpr:
		op := map[pg_query.BoolExprType]string{pg_query.BoolExprType_AND_EXPR: " AND ", pg_query.BoolExprType_OR_EXPR: " OR "}[v.BoolExpr.Boolop]
		var parts []string
		for _, a := range v.BoolExpr.Args {
			term, ok := checkExprTerm(t, a)
			if !ok || term.literal != nil || term.t.Oid != types.OidBool {
				return checkTerm{}, false
			}
			parts = append(parts, term.text)
		}
		if v.BoolExpr.Boolop == pg_query.BoolExprType_NOT_EXPR {
			if len(parts) != 1 {
				return checkTerm{}, false
			}
			return checkTerm{text: "(NOT " + parts[0] + ")", t: types.Bool, paren: true}, true
		}
		return checkTerm{text: "(" + strings.Join(parts, op) + ")", t: types.Bool, paren: true}, true
	case *pg_query.Node_NullTest:
		arg, ok := checkExprTerm(t, v.NullTest.Arg)
		if !ok || arg.literal != nil {
			return checkTerm{}, false
		}
		test := " IS NULL)"
		if v.NullTest.Nulltesttype == pg_query.NullTestType_IS_NOT_NULL {
			test = " IS NOT NULL)"
		}
		return checkTerm{text: "(" + arg.text + test, t: types.Bool, paren: true}, true
	case *pg_query.Node_AExpr:
		return checkAExprTerm(t, v.AExpr)
	}
	return checkTerm{}, false
}

func checkAExprTerm(t *catalog.Table, e *pg_query.A_Expr) (checkTerm, bool) {
	if len(e.Name) != 1 || e.Lexpr == nil || e.Rexpr == nil {
		return checkTerm{}, false
	}
	op := e.Name[0].GetString_().GetSval()
	l, ok := checkExprTerm(t, e.Lexpr)
	if !ok {
		return checkTerm{}, false
	}
	switch e.Kind {
	case pg_query.A_Expr_Kind_AEXPR_OP, pg_query.A_Expr_Kind_AEXPR_LIKE, pg_query.A_Expr_Kind_AEXPR_ILIKE:
		r, ok := checkExprTerm(t, e.Rexpr)
		if !ok {
			return checkTerm{}, false
		}
		return checkBinary(op, l, r)
	case pg_query.A_Expr_Kind_AEXPR_BETWEEN, pg_query.A_Expr_Kind_AEXPR_NOT_BETWEEN:
		bounds := e.Rexpr.GetList().GetItems()
		if len(bounds) != 2 {
			return checkTerm{}, false
		}
		lo, ok1 := checkExprTerm(t, bounds[0])
		hi, ok2 := checkExprTerm(t, bounds[1])
		if !ok1 || !ok2 {
			return checkTerm{}, false
		}
		if e.Kind == pg_query.A_Expr_Kind_AEXPR_BETWEEN {
			a, ok1 := checkBinary(">=", l, lo)
			b, ok2 := checkBinary("<=", l, hi)
			return checkTerm{text: "(" + a.text + " AND " + b.text + ")", t: types.Bool, paren: true}, ok1 && ok2
		}
		a, ok1 := checkBinary("<", l, lo)
		b, ok2 := checkBinary(">", l, hi)
		return checkTerm{text: "(" + a.text + " OR " + b.text + ")", t: types.Bool, paren: true}, ok1 && ok2
	case pg_query.A_Expr_Kind_AEXPR_IN:
		return checkInTerm(t, op, l, e.Rexpr.GetList().GetItems())
	}
	return checkTerm{}, false
}

// checkInTerm is transformAExprIn: x IN (a, b) over constants becomes
// x = ANY (ARRAY[a, b]) with the list's common type, NOT IN x <> ALL.
func checkInTerm(t *catalog.Table, op string, l checkTerm, items []*pg_query.Node) (checkTerm, bool) {
	if l.literal != nil || len(items) == 0 {
		return checkTerm{}, false
	}
	if len(items) == 1 {
		// One element is a plain comparison.
		r, ok := checkExprTerm(t, items[0])
		if !ok {
			return checkTerm{}, false
		}
		return checkBinary(op, l, r)
	}
	elem := l.t
	elem.Width, elem.Scale = 0, 0
	var elems []string
	for _, it := range items {
		term, ok := checkExprTerm(t, it)
		if !ok {
			return checkTerm{}, false
		}
		switch {
		case term.literal != nil:
			text, ok := pgLiteralOf(*term.literal, elem)
			if !ok {
				return checkTerm{}, false
			}
			elems = append(elems, text)
		case term.t.Oid == elem.Oid:
			elems = append(elems, term.text)
		case elem.Family == types.IntFamily && term.t.Family == types.IntFamily && term.t.Oid == types.OidInt4:
			elems = append(elems, term.text) // an int4 constant widened: shown as written
		default:
			return checkTerm{}, false
		}
	}
	arr := checkTerm{text: "ARRAY[" + strings.Join(elems, ", ") + "]", t: types.ArrayOf(elem), paren: true}
	// The operator is chosen for (x, element type); a varchar column and
	// its array are relabeled to text.
	opType, ok := checkOperandType(elem)
	if !ok {
		return checkTerm{}, false
	}
	if !opType.Equal(elem) {
		l = coercedTerm(l, opType)
		arr = checkTerm{text: "(" + arr.text + ")::" + pgTypeLabel(types.ArrayOf(opType)), t: types.ArrayOf(opType), paren: true}
	}
	quant := " = ANY ("
	if op == "<>" {
		quant = " <> ALL ("
	} else if op != "=" {
		return checkTerm{}, false
	}
	return checkTerm{text: "(" + l.text + quant + arr.text + "))", t: types.Bool, paren: true}, true
}

// checkOperandType is the type whose operators serve a value of type t:
// varchar has none of its own and uses text's.
func checkOperandType(t types.T) (types.T, bool) {
	switch t.Family {
	case types.StringFamily:
		if t.Oid == types.OidVarchar || t.Oid == types.OidText {
			return types.Text, true
		}
		if t.Oid == types.OidBPChar {
			return types.BPChar, true
		}
		return types.T{}, false
	case types.IntFamily, types.FloatFamily, types.DecimalFamily, types.BoolFamily, types.DateFamily,
		types.TimestampFamily, types.TimestampTZFamily, types.UUIDFamily, types.IntervalFamily, types.TimeFamily:
		t.Width, t.Scale = 0, 0
		return t, true
	case types.EnumFamily:
		return t, true
	}
	return types.T{}, false
}

var checkComparisons = map[string]bool{"=": true, "<>": true, "<": true, ">": true, "<=": true, ">=": true,
	"~~": true, "!~~": true, "~~*": true, "!~~*": true}
var checkArithmetic = map[string]bool{"+": true, "-": true, "*": true, "/": true, "%": true}

// checkBinary resolves l op r as PostgreSQL's operator resolution does
// for the common types and shows the coercions of its arguments.
func checkBinary(op string, l, r checkTerm) (checkTerm, bool) {
	cmp := checkComparisons[op]
	if !cmp && !checkArithmetic[op] {
		return checkTerm{}, false
	}
	if strings.Contains(op, "~~") {
		// LIKE is text's (or bpchar's) operator.
		if l.literal != nil {
			return checkTerm{}, false
		}
		lt, ok := checkOperandType(l.t)
		if !ok || lt.Family != types.StringFamily {
			return checkTerm{}, false
		}
		r.t = lt
	}
	switch {
	case l.literal != nil && r.literal != nil:
		return checkTerm{}, false
	case l.literal != nil:
		opType, ok := checkOperandType(r.t)
		if !ok {
			return checkTerm{}, false
		}
		text, ok := pgLiteralOf(*l.literal, opType)
		if !ok {
			return checkTerm{}, false
		}
		l = checkTerm{text: text, t: opType, paren: true}
		r = coercedTerm(r, opType)
	case r.literal != nil:
		opType, ok := checkOperandType(l.t)
		if !ok {
			return checkTerm{}, false
		}
		text, ok := pgLiteralOf(*r.literal, opType)
		if !ok {
			return checkTerm{}, false
		}
		r = checkTerm{text: text, t: opType, paren: true}
		l = coercedTerm(l, opType)
	default:
		lt, ok1 := checkOperandType(l.t)
		rt, ok2 := checkOperandType(r.t)
		if !ok1 || !ok2 {
			return checkTerm{}, false
		}
		l, r = coercedTerm(l, lt), coercedTerm(r, rt)
		common, ok := checkCommonType(lt, rt, cmp)
		if !ok {
			return checkTerm{}, false
		}
		if common.Oid != 0 {
			l, r = coercedTerm(l, common), coercedTerm(r, common)
			lt, rt = common, common
		}
		res := types.Bool
		if !cmp {
			if res, ok = checkArithType(lt, rt); !ok {
				return checkTerm{}, false
			}
		}
		return checkTerm{text: "(" + l.text + " " + op + " " + r.text + ")", t: res, paren: true}, true
	}
	res := types.Bool
	if !cmp {
		var ok bool
		if res, ok = checkArithType(l.t, r.t); !ok {
			return checkTerm{}, false
		}
	}
	return checkTerm{text: "(" + l.text + " " + op + " " + r.text + ")", t: res, paren: true}, true
}

// checkCommonType is the type both operands are coerced to; its Oid is 0
// when an operator takes the two types as they are (integers of any
// width, float4 with float8, a date with a timestamp, equal types).
func checkCommonType(l, r types.T, cmp bool) (types.T, bool) {
	if l.Equal(r) {
		return types.T{}, true
	}
	num := func(t types.T) int {
		switch t.Family {
		case types.IntFamily:
			return 1
		case types.DecimalFamily:
			return 2
		case types.FloatFamily:
			return 3
		}
		return 0
	}
	ln, rn := num(l), num(r)
	switch {
	case ln == 1 && rn == 1, ln == 3 && rn == 3:
		return types.T{}, true
	case ln > 0 && rn > 0:
		if max(ln, rn) == 3 {
			return types.Float8, true
		}
		return types.Numeric, true
	case cmp && isDateOrTimestamp(l) && isDateOrTimestamp(r):
		return types.T{}, true
	}
	return types.T{}, false
}

func isDateOrTimestamp(t types.T) bool {
	return t.Family == types.DateFamily || t.Family == types.TimestampFamily || t.Family == types.TimestampTZFamily
}

// checkArithType is an arithmetic operator's result over numbers.
func checkArithType(l, r types.T) (types.T, bool) {
	if l.Family == types.IntFamily && r.Family == types.IntFamily {
		if l.Oid == types.OidInt8 || r.Oid == types.OidInt8 {
			return types.Int8, true
		}
		if l.Oid == types.OidInt4 || r.Oid == types.OidInt4 {
			return types.Int4, true
		}
		return types.Int2, true
	}
	if l.Equal(r) && (l.Family == types.DecimalFamily || l.Family == types.FloatFamily) {
		return l, true
	}
	return types.T{}, false
}

// coercedTerm shows term coerced to t as get_coercion_expr does:
// (arg)::type; nothing when it already has that type.
func coercedTerm(term checkTerm, t types.T) checkTerm {
	bare := term.t
	bare.Width, bare.Scale = 0, 0
	if term.t.Equal(t) || bare.Equal(t) {
		return term
	}
	return checkTerm{text: "(" + term.text + ")::" + pgTypeLabel(t), t: t, paren: true}
}

// prettyCheckText is the stored CHECK text as pg_get_constraintdef(oid,
// true) prints it (psql's \d): parentheses only where ruleutils'
// isSimpleNode wants them, casts as x::type. ok is false for an
// expression it does not cover (the caller keeps the stored text).
func prettyCheckText(stored string) (string, bool) {
	n, err := parseExprText(stored)
	if err != nil {
		return "", false
	}
	return prettyNode(n)
}

func prettyNode(n *pg_query.Node) (string, bool) {
	switch v := n.Node.(type) {
	case *pg_query.Node_ColumnRef:
		f := v.ColumnRef.Fields
		if len(f) != 1 || f[0].GetString_() == nil {
			return "", false
		}
		return quoteIdentIfNeeded(f[0].GetString_().GetSval()), true
	case *pg_query.Node_AConst:
		switch c := v.AConst.Val.(type) {
		case *pg_query.A_Const_Ival:
			return strconv.Itoa(int(c.Ival.Ival)), true
		case *pg_query.A_Const_Fval:
			return c.Fval.Fval, true
		case *pg_query.A_Const_Boolval:
			if c.Boolval.Boolval {
				return "true", true
			}
			return "false", true
		case *pg_query.A_Const_Sval:
			s := c.Sval.Sval
			if strings.Contains(s, `\`) {
				return "E'" + strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), "'", "''") + "'", true
			}
			return "'" + strings.ReplaceAll(s, "'", "''") + "'", true
		}
	case *pg_query.Node_TypeCast:
		t, err := resolveTypeName(v.TypeCast.TypeName)
		if err != nil {
			return "", false
		}
		arg, ok := prettyChild(v.TypeCast.Arg, n)
		return arg + "::" + pgTypeLabel(t), ok
	case *pg_query.Node_AArrayExpr:
		var elems []string
		for _, e := range v.AArrayExpr.Elements {
			s, ok := prettyNode(e)
			if !ok {
				return "", false
			}
			elems = append(elems, s)
		}
		return "ARRAY[" + strings.Join(elems, ", ") + "]", true
	case *pg_query.Node_NullTest:
		arg, ok := prettyChild(v.NullTest.Arg, n)
		if v.NullTest.Nulltesttype == pg_query.NullTestType_IS_NOT_NULL {
			return arg + " IS NOT NULL", ok
		}
		return arg + " IS NULL", ok
	case *pg_query.Node_BoolExpr:
		var parts []string
		for _, a := range v.BoolExpr.Args {
			s, ok := prettyChild(a, n)
			if !ok {
				return "", false
			}
			parts = append(parts, s)
		}
		switch v.BoolExpr.Boolop {
		case pg_query.BoolExprType_NOT_EXPR:
			return "NOT " + strings.Join(parts, ""), len(parts) == 1
		case pg_query.BoolExprType_AND_EXPR:
			return strings.Join(parts, " AND "), true
		}
		return strings.Join(parts, " OR "), true
	case *pg_query.Node_AExpr:
		e := v.AExpr
		if len(e.Name) != 1 || e.Lexpr == nil || e.Rexpr == nil {
			return "", false
		}
		op := e.Name[0].GetString_().GetSval()
		l, ok1 := prettyChild(e.Lexpr, n)
		r, ok2 := prettyChild(e.Rexpr, n)
		switch e.Kind {
		case pg_query.A_Expr_Kind_AEXPR_OP:
			return l + " " + op + " " + r, ok1 && ok2
		case pg_query.A_Expr_Kind_AEXPR_OP_ANY:
			r, ok2 = prettyNode(e.Rexpr)
			return l + " " + op + " ANY (" + r + ")", ok1 && ok2
		case pg_query.A_Expr_Kind_AEXPR_OP_ALL:
			r, ok2 = prettyNode(e.Rexpr)
			return l + " " + op + " ALL (" + r + ")", ok1 && ok2
		}
	}
	return "", false
}

// prettyChild prints child of parent, parenthesized unless ruleutils'
// isSimpleNode says it needs none there.
func prettyChild(child, parent *pg_query.Node) (string, bool) {
	s, ok := prettyNode(child)
	if !ok {
		return "", false
	}
	if prettySimple(child, parent) {
		return s, true
	}
	return "(" + s + ")", true
}

func prettySimple(child, parent *pg_query.Node) bool {
	switch c := child.Node.(type) {
	case *pg_query.Node_ColumnRef, *pg_query.Node_AConst, *pg_query.Node_TypeCast, *pg_query.Node_AArrayExpr, *pg_query.Node_FuncCall:
		return true
	case *pg_query.Node_AExpr, *pg_query.Node_NullTest:
		switch p := parent.Node.(type) {
		case *pg_query.Node_BoolExpr:
			return true
		case *pg_query.Node_AExpr:
			// Only + - * / % nest without parentheses, a
			// higher-priority one under a lower.
			ce := c.(*pg_query.Node_AExpr)
			if ce == nil || len(ce.AExpr.Name) != 1 || len(p.AExpr.Name) != 1 {
				return false
			}
			cop := ce.AExpr.Name[0].GetString_().GetSval()
			pop := p.AExpr.Name[0].GetString_().GetSval()
			return strings.Contains("*/%", cop) && strings.Contains("+-", pop) && len(cop) == 1 && len(pop) == 1
		}
	case *pg_query.Node_BoolExpr:
		p, ok := parent.Node.(*pg_query.Node_BoolExpr)
		if !ok {
			return false
		}
		switch c.BoolExpr.Boolop {
		case pg_query.BoolExprType_NOT_EXPR, pg_query.BoolExprType_AND_EXPR:
			return p.BoolExpr.Boolop == pg_query.BoolExprType_AND_EXPR || p.BoolExpr.Boolop == pg_query.BoolExprType_OR_EXPR
		case pg_query.BoolExprType_OR_EXPR:
			return p.BoolExpr.Boolop == pg_query.BoolExprType_OR_EXPR
		}
	}
	return false
}
