package sql

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/quorumdb/quorumdb/kv"
	"github.com/quorumdb/quorumdb/sql/exec"
	"github.com/quorumdb/quorumdb/sql/kverror"
	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// plExec runs a compiled PL/pgSQL body in the calling statement's
// transaction. Each embedded statement or expression is planned when it
// runs, with the variables bound as parameters (their names resolve like
// a SQL function's parameters: a column of the same name wins).
type plExec struct {
	ec   *execCtx
	fn   *plFunc
	vals []types.Datum
	// caught is the error the innermost running handler caught (GET
	// STACKED DIAGNOSTICS, RAISE;).
	caught *pgerror.Error
	// rowCount is GET DIAGNOSTICS ROW_COUNT: rows of the last SQL statement.
	rowCount int64
	ret      types.Datum
}

// runPlpgsqlFunction calls a compiled PL/pgSQL function with its
// arguments and returns its result row: the OUT parameters, or the
// RETURN value. The compiled body is only read: calls may share it.
func runPlpgsqlFunction(ec *execCtx, pf *plFunc, args []types.Datum) ([]exec.Row, error) {
	x, err := newPlExec(ec, pf, args)
	if err != nil {
		return nil, err
	}
	returned, err := x.block(pf.body)
	if err != nil {
		return nil, err
	}
	if len(pf.outVars) > 0 {
		r := make(exec.Row, len(pf.outVars))
		for i, v := range pf.outVars {
			r[i] = x.vals[v]
		}
		return []exec.Row{r}, nil
	}
	if !returned && pf.ret.Oid != types.OidVoid {
		return nil, x.context(pgerror.New(pgerror.FunctionExecutedNoReturnStatement, "control reached end of function without RETURN"), nil)
	}
	return []exec.Row{{x.ret}}, nil
}

// runPlpgsqlBlock runs a DO block.
func runPlpgsqlBlock(ec *execCtx, pf *plFunc) error {
	x, err := newPlExec(ec, pf, nil)
	if err != nil {
		return err
	}
	_, err = x.block(pf.body)
	return err
}

// newPlExec binds the arguments and evaluates DECLARE defaults in order.
func newPlExec(ec *execCtx, pf *plFunc, args []types.Datum) (*plExec, error) {
	x := &plExec{ec: ec, fn: pf, vals: make([]types.Datum, len(pf.vars))}
	copy(x.vals, args)
	for i, v := range pf.vars {
		if v.name == "found" && !v.isRow {
			x.vals[i] = false
		}
		if v.def == "" {
			if v.notNull {
				return nil, pgerror.New(pgerror.NullValueNotAllowed, "variable %q must have a default value, since it's declared NOT NULL", v.name)
			}
			continue
		}
		d, err := x.Eval(v.def, v.t)
		if err != nil {
			return nil, x.context(err, nil)
		}
		x.vals[i] = d
	}
	return x, nil
}

// context adds a CONTEXT line to err, after those of inner calls:
// "PL/pgSQL function f(integer) line 3 at RAISE" for a statement of the
// body (at is ""), or just the function for an error outside one.
func (x *plExec) context(err error, s plStmt) error {
	pe := pgerror.Flatten(err)
	line := "PL/pgSQL function " + x.fn.display
	if loc, ok := x.fn.locs[s]; ok && s != nil {
		line += fmt.Sprintf(" line %d at %s", loc.line, loc.what)
	}
	if pe.Where != "" {
		line = pe.Where + "\n" + line
	}
	pe.Where = line
	return pe
}

// sqlContext marks an error of an embedded SQL statement as PostgreSQL
// does (SQL statement "..."); its position is within that statement,
// not the client's query, so it is dropped.
func sqlContext(err error, query string) error {
	if errors.Is(err, kv.ErrReadOnly) || kverror.Retryable(err) {
		return err
	}
	pe := pgerror.Flatten(err)
	pe.Position = 0
	line := fmt.Sprintf("SQL statement %q", query)
	if pe.Where != "" {
		line = pe.Where + "\n" + line
	}
	pe.Where = line
	return pe
}

// block runs a block; with handlers, in a savepoint that a caught error
// rolls back before its handler runs (variables keep their values, as
// in PL/pgSQL).
func (x *plExec) block(blk *plBlock) (bool, error) {
	if len(blk.handlers) == 0 {
		return x.stmts(blk.body)
	}
	sp, err := x.ec.Txn.Savepoint()
	if err != nil {
		return false, kverror.AsSQL(err)
	}
	returned, err := x.stmts(blk.body)
	if err == nil {
		return returned, nil
	}
	if errors.Is(err, kv.ErrReadOnly) || kverror.Retryable(err) {
		// Not the statement's error: the server reruns the transaction.
		return false, err
	}
	code := pgerror.CodeOf(err)
	for _, h := range blk.handlers {
		if !h.catches(code) {
			continue
		}
		if rerr := x.ec.Txn.RollbackTo(sp); rerr != nil {
			return false, kverror.AsSQL(rerr)
		}
		pe := pgerror.Flatten(err)
		saved := x.caught
		x.caught = pe
		for i, v := range x.fn.vars {
			if v.constant && v.name == "sqlstate" {
				x.vals[i] = pe.Code
			} else if v.constant && v.name == "sqlerrm" {
				x.vals[i] = pe.Message
			}
		}
		returned, err := x.stmts(h.action)
		x.caught = saved
		return returned, err
	}
	return false, err
}

// catches reports whether the handler takes an error of SQLSTATE code:
// by code, by its class (a condition ending in 000), or OTHERS, which
// PostgreSQL never lets catch a cancel (nor here a serialization
// failure, which the server must see to retry the transaction).
func (h plHandler) catches(code string) bool {
	for _, c := range h.codes {
		switch {
		case c == code:
			return true
		case c == "others":
			if code != pgerror.QueryCanceled && code != "P0004" && code != pgerror.SerializationFailure {
				return true
			}
		case strings.HasSuffix(c, "000") && len(code) == 5 && code[:2] == c[:2]:
			return true
		}
	}
	return false
}

func (x *plExec) stmts(ss []plStmt) (bool, error) {
	for _, s := range ss {
		if err := x.ec.Context.Err(); err != nil {
			return false, pgerror.New(pgerror.QueryCanceled, "canceling statement due to user request")
		}
		returned, err := x.stmt(s)
		if err != nil {
			switch st := s.(type) {
			case *plBlock, *plIf:
				// Their statements said where (an IF's condition too).
			case *plReturn:
				if st.missing {
					err = x.context(err, nil)
					break
				}
				err = x.context(err, s)
			default:
				if !errors.Is(err, kv.ErrReadOnly) && !kverror.Retryable(err) {
					err = x.context(err, s)
				}
			}
			return false, err
		}
		if returned {
			return true, nil
		}
	}
	return false, nil
}

func (x *plExec) stmt(s plStmt) (bool, error) {
	switch s := s.(type) {
	case *plBlock:
		return x.block(s)
	case *plSQL:
		return false, x.execSQL(s)
	case *plPerform:
		// PERFORM query: the query with SELECT in place of PERFORM, its
		// rows discarded.
		res, err := x.query(s.query)
		if err != nil {
			return false, sqlContext(err, s.query)
		}
		x.rowCount = int64(len(res.rows))
		x.setFound(len(res.rows) > 0)
		return false, nil
	case *plAssign:
		d, err := x.Eval(s.expr, x.fn.vars[s.varno].t)
		if err != nil {
			return false, err
		}
		return false, x.assign(s.varno, d)
	case *plIf:
		for i, c := range s.conds {
			d, err := x.Eval(c, types.Bool)
			if err != nil {
				return false, x.context(err, s)
			}
			if d == true {
				return x.stmts(s.bodies[i])
			}
		}
		return x.stmts(s.els)
	case *plReturn:
		if s.missing {
			return false, pgerror.New(pgerror.FunctionExecutedNoReturnStatement, "control reached end of function without RETURN")
		}
		if s.expr != "" {
			d, err := x.Eval(s.expr, x.fn.ret)
			if err != nil {
				return false, err
			}
			x.ret = d
		}
		return true, nil
	case *plGetDiag:
		return false, x.getDiag(s)
	case *plRaise:
		return false, x.raise(s)
	}
	return false, pgerror.New(pgerror.InternalError, "unknown PL/pgSQL statement %T", s)
}

// query plans and runs one SQL statement with the variables bound.
func (x *plExec) query(text string) (*result, error) {
	stmts, err := parse(text)
	if err != nil {
		return nil, err
	}
	if len(stmts) != 1 {
		return nil, pgerror.New(pgerror.SyntaxError, "syntax error at or near \";\"")
	}
	switch stmts[0].node.Node.(type) {
	case *pg_query.Node_TransactionStmt, *pg_query.Node_DoStmt:
		return nil, pgerror.New(pgerror.FeatureNotSupported, "%s in PL/pgSQL is not supported", strings.TrimPrefix(nodeName(stmts[0].node), "*pg_query.Node_"))
	}
	fixed := make([]bool, len(x.fn.scope.ArgTypes))
	for i := range fixed {
		fixed[i] = true
	}
	ec := x.ec
	b := &builder{ctx: ec.Context, sess: ec.sess, cat: ec.Catalog, fn: x.fn.scope,
		params: &exec.ParamTypes{Types: append([]types.T(nil), x.fn.scope.ArgTypes...), Fixed: fixed}}
	p, err := b.planStatement(stmts[0])
	if err != nil {
		return nil, err
	}
	saved := ec.Params
	ec.Params = x.vals
	defer func() { ec.Params = saved }()
	return p.run(ec)
}

// eval computes an expression (the text after SELECT) as type want.
func (x *plExec) Eval(text string, want types.T) (types.Datum, error) {
	res, err := x.query("SELECT " + text)
	if err != nil {
		return nil, err
	}
	if len(res.cols) != 1 {
		return nil, pgerror.New(pgerror.SyntaxError, "query \"SELECT %s\" returned %d columns", text, len(res.cols))
	}
	if len(res.rows) > 1 {
		return nil, pgerror.New(pgerror.CardinalityViolation, "query \"SELECT %s\" returned more than one row", text)
	}
	if len(res.rows) == 0 {
		return nil, nil
	}
	return x.convert(res.rows[0][0], res.cols[0].T, want)
}

// convert casts d of type from to a variable's type, as an assignment.
func (x *plExec) convert(d types.Datum, from, want types.T) (types.Datum, error) {
	if d == nil || want.Oid == 0 || from.Equal(want) || want.Family == types.RecordFamily && from.Family == types.RecordFamily {
		return d, nil
	}
	return (&exec.CastExpr{E: &exec.ConstExpr{Value: d, T: from}, T: want}).Eval(x.ec.Ctx, nil)
}

func (x *plExec) assign(varno int, d types.Datum) error {
	v := x.fn.vars[varno]
	if d == nil && v.notNull {
		return pgerror.New(pgerror.NullValueNotAllowed, "null value cannot be assigned to variable %q declared NOT NULL", v.name)
	}
	x.vals[varno] = d
	return nil
}

func (x *plExec) setFound(found bool) {
	for i, v := range x.fn.vars {
		if v.name == "found" && !v.isRow {
			x.vals[i] = found
		}
	}
}

// execSQL runs an SQL statement, storing its first row INTO the target.
func (x *plExec) execSQL(s *plSQL) error {
	res, err := x.query(s.query)
	if err != nil {
		return sqlContext(err, s.query)
	}
	n := int64(len(res.rows))
	if !s.into {
		if res.cols != nil && !s.mod {
			if _, isSelect := mustParseOne(s.query).(*pg_query.Node_SelectStmt); isSelect {
				return pgerror.New(pgerror.SyntaxError, "query has no destination for result data").
					WithHint("If you want to discard the results of a SELECT, use PERFORM instead.")
			}
		}
		if s.mod {
			n = tagRowCount(res.tag)
		}
		x.rowCount = n
		x.setFound(n > 0)
		return nil
	}
	switch {
	case n == 0 && s.strict:
		return pgerror.New(pgerror.NoDataFound, "query returned no rows")
	case n > 1 && (s.strict || s.mod):
		return pgerror.New(pgerror.TooManyRows, "query returned more than one row").
			WithHint("Make sure the query returns a single row, or use LIMIT 1.")
	}
	x.rowCount = n
	var r exec.Row
	if n > 0 {
		r = res.rows[0]
	}
	if err := x.storeRow(s.target, res.cols, r); err != nil {
		return err
	}
	x.setFound(n > 0)
	return nil
}

// storeRow assigns a result row (nil: no row, all NULL) to INTO's
// target: the columns to a row of variables in order, or to one
// variable of a composite type as its fields, or the first column to a
// scalar variable.
func (x *plExec) storeRow(target int, cols []exec.Column, r exec.Row) error {
	v := x.fn.vars[target]
	col := func(i int) (types.Datum, types.T) {
		if r == nil || i >= len(r) {
			return nil, types.Unknown
		}
		return r[i], cols[i].T
	}
	switch {
	case v.isRow:
		for i, varno := range v.row {
			d, t := col(i)
			d, err := x.convert(d, t, x.fn.vars[varno].t)
			if err != nil {
				return err
			}
			if err := x.assign(varno, d); err != nil {
				return err
			}
		}
		return nil
	case v.t.Family == types.RecordFamily:
		if r == nil {
			return x.assign(target, nil)
		}
		if len(cols) == 1 && cols[0].T.Family == types.RecordFamily {
			return x.assign(target, r[0])
		}
		if v.t.Fields == nil {
			return plNotSupported("INTO a variable of type record")
		}
		rec := make([]any, len(v.t.Fields.Types))
		for i, ft := range v.t.Fields.Types {
			d, t := col(i)
			d, err := x.convert(d, t, ft)
			if err != nil {
				return err
			}
			rec[i] = d
		}
		return x.assign(target, rec)
	}
	d, t := col(0)
	d, err := x.convert(d, t, v.t)
	if err != nil {
		return err
	}
	return x.assign(target, d)
}

func mustParseOne(q string) any {
	stmts, err := parse(q)
	if err != nil || len(stmts) != 1 {
		return nil
	}
	return stmts[0].node.Node
}

// tagRowCount reads the row count from a command tag ("INSERT 0 3").
func tagRowCount(tag string) int64 {
	f := strings.Fields(tag)
	if len(f) < 2 {
		return 0
	}
	n, _ := strconv.ParseInt(f[len(f)-1], 10, 64)
	return n
}

// getDiag is GET [STACKED] DIAGNOSTICS. Unset error fields are empty
// strings, as in PostgreSQL.
func (x *plExec) getDiag(s *plGetDiag) error {
	if s.stacked && x.caught == nil {
		return pgerror.New(pgerror.StackedDiagnosticsAccessedWithoutActiveHandler, "GET STACKED DIAGNOSTICS cannot be used outside an exception handler")
	}
	for i, kind := range s.kinds {
		var d types.Datum
		var t = types.Text
		e := x.caught
		switch kind {
		case "ROW_COUNT":
			d, t = x.rowCount, types.Int8
		case "PG_CONTEXT":
			d = fmt.Sprintf("PL/pgSQL function %s line 1 at GET DIAGNOSTICS", x.fn.name)
		case "RETURNED_SQLSTATE":
			d = e.Code
		case "MESSAGE_TEXT":
			d = e.Message
		case "PG_EXCEPTION_DETAIL":
			d = e.Detail
		case "PG_EXCEPTION_HINT":
			d = e.Hint
		case "PG_EXCEPTION_CONTEXT":
			d = e.Where
		case "COLUMN_NAME":
			d = e.Column
		case "CONSTRAINT_NAME":
			d = e.Constraint
		case "TABLE_NAME":
			d = e.Table
		case "SCHEMA_NAME":
			d = e.Schema
		case "PG_DATATYPE_NAME":
			d = ""
		default:
			return plNotSupported("GET DIAGNOSTICS " + kind)
		}
		d, err := x.convert(d, t, x.fn.vars[s.targets[i]].t)
		if err != nil {
			return err
		}
		if err := x.assign(s.targets[i], d); err != nil {
			return err
		}
	}
	return nil
}

// raise is RAISE: an error at level EXCEPTION, else a message to the
// client when client_min_messages lets it through.
func (x *plExec) raise(s *plRaise) error {
	if s.message == "" && s.cond == "" && len(s.options) == 0 {
		if x.caught == nil {
			return pgerror.New(pgerror.StackedDiagnosticsAccessedWithoutActiveHandler, "RAISE without parameters cannot be used outside an exception handler")
		}
		return x.caught
	}
	e := &pgerror.Error{Code: pgerror.RaiseException}
	if s.level < plLevelError {
		e.Code = pgerror.SuccessfulCompletion
		if s.level == plLevelWarning {
			e.Code = pgerror.Warning
		}
	}
	if s.cond != "" {
		code, err := plConditionCode(s.cond)
		if err != nil {
			return err
		}
		e.Code, e.Message = code, s.cond
	}
	if s.message != "" {
		var sb strings.Builder
		p := 0
		for i := 0; i < len(s.message); i++ {
			c := s.message[i]
			if c != '%' {
				sb.WriteByte(c)
				continue
			}
			if i+1 < len(s.message) && s.message[i+1] == '%' {
				sb.WriteByte('%')
				i++
				continue
			}
			text, err := x.evalText(s.params[p])
			if err != nil {
				return err
			}
			if text == nil {
				sb.WriteString("<NULL>")
			} else {
				sb.WriteString(*text)
			}
			p++
		}
		e.Message = sb.String()
	}
	for _, o := range s.options {
		text, err := x.evalText(o.expr)
		if err != nil {
			return err
		}
		if text == nil {
			return pgerror.New(pgerror.NullValueNotAllowed, "RAISE statement option cannot be null")
		}
		switch o.typ {
		case 0:
			code, err := plConditionCode(*text)
			if err != nil {
				return err
			}
			e.Code = code
		case 1:
			e.Message = *text
		case 2:
			e.Detail = *text
		case 3:
			e.Hint = *text
		case 4:
			e.Column = *text
		case 5:
			e.Constraint = *text
		case 7:
			e.Table = *text
		case 8:
			e.Schema = *text
		}
	}
	if s.level >= plLevelError {
		if e.Message == "" {
			e.Message = e.Code
		}
		return e
	}
	severity := map[int]string{plLevelDebug: "DEBUG", plLevelLog: "LOG", plLevelInfo: "INFO", plLevelNotice: "NOTICE", plLevelWarning: "WARNING"}[s.level]
	if s.level == plLevelInfo || s.level >= clientMinLevel(x.ec.sess.vars.get("client_min_messages")) {
		e.Severity = severity
		x.ec.Notices = append(x.ec.Notices, e)
	}
	return nil
}

// clientMinLevel is the elog level client_min_messages names.
func clientMinLevel(v string) int {
	switch strings.ToLower(v) {
	case "debug", "debug1", "debug2", "debug3", "debug4", "debug5":
		return plLevelDebug
	case "log":
		return plLevelLog
	case "warning":
		return plLevelWarning
	case "error":
		return plLevelError
	}
	return plLevelNotice
}

// evalText evaluates a RAISE argument as its text output (nil: NULL).
func (x *plExec) evalText(expr string) (*string, error) {
	res, err := x.query("SELECT " + expr)
	if err != nil {
		return nil, err
	}
	if len(res.rows) == 0 || len(res.cols) == 0 || res.rows[0][0] == nil {
		return nil, nil
	}
	s := types.FormatText(res.cols[0].T, res.rows[0][0], x.ec.Settings())
	return &s, nil
}
