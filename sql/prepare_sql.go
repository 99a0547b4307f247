package sql

import (
	"context"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/quorumdb/quorumdb/kv"
	"github.com/quorumdb/quorumdb/sql/exec"
	"github.com/quorumdb/quorumdb/sql/kverror"
	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// SQL-level PREPARE, EXECUTE and DEALLOCATE. They use the same prepared
// statements as the protocol's Parse/Bind/Execute (Session.prepared).

// Statements returns the session's named prepared statements, which
// pgwire's Parse, Bind, Describe and Close use.
func (s *Session) Statements() *PreparedStatements { return &s.prepared }

// execPrepare runs PREPARE name [(types)] AS statement.
func (s *Session) execPrepare(ctx context.Context, v *pg_query.PrepareStmt, st statement) (*result, error) {
	if s.prepared.Exists(v.Name) {
		return nil, pgerror.New(pgerror.DuplicatePreparedStatement, "prepared statement \"%s\" already exists", v.Name)
	}
	pt := &exec.ParamTypes{}
	for i, a := range v.Argtypes {
		t, err := resolveTypeName(a.GetTypeName())
		if err != nil {
			return nil, err
		}
		pt.Ensure(i + 1)
		pt.Types[i], pt.Fixed[i] = t, true
	}
	inner := statement{node: v.Query, sql: st.sql, offset: st.offset}
	ps, err := s.prepareParsed(ctx, &inner, pt)
	if err != nil {
		return nil, err
	}
	if err := s.prepared.Add(v.Name, st.sql, ps, true); err != nil {
		return nil, err
	}
	return &result{tag: "PREPARE"}, nil
}

// runExecute runs EXECUTE name [(args)]: the arguments are evaluated and
// converted to the parameter types, then the statement runs as a Bind and
// Execute of it would.
func (s *Session) runExecute(ctx context.Context, ex *pg_query.ExecuteStmt, w ResultWriter, extended bool) (*result, error) {
	ps, err := s.prepared.Lookup(ex.Name)
	if err != nil {
		s.failTxn()
		return nil, err
	}
	p := preparedOf(ps)
	if len(ex.Params) != len(p.params) {
		s.failTxn()
		return nil, pgerror.New(pgerror.SyntaxError, "wrong number of parameters for prepared statement \"%s\"", ex.Name).
			WithDetail("Expected %d parameters but got %d.", len(p.params), len(ex.Params))
	}
	args, err := s.evalExecuteArgs(ctx, ex.Params, p.params)
	if err != nil {
		s.failTxn()
		return nil, err
	}
	if p.stmt == nil {
		return &result{}, nil
	}
	return s.runStatement(ctx, *p.stmt, p.params, args, w, &p.cache, extended)
}

// evalExecuteArgs evaluates EXECUTE's arguments, which may be any
// expression without column references, in the open transaction or a
// read-only one.
func (s *Session) evalExecuteArgs(ctx context.Context, nodes []*pg_query.Node, want []types.T) ([]types.Datum, error) {
	if len(nodes) == 0 {
		return nil, nil
	}
	txn := s.txn
	if txn == nil {
		txn = s.extTxn
	}
	if txn == nil {
		var err error
		if txn, err = s.engine.cfg.DB.Begin(ctx, kv.TxnOptions{ReadOnly: true}); err != nil {
			return nil, kverror.AsSQL(err)
		}
		defer txn.Rollback()
	}
	b := s.newBuilder(ctx, txn, nil)
	ec := newExecCtx(ctx, s, txn, b.cat)
	args := make([]types.Datum, len(nodes))
	for i, n := range nodes {
		e, err := b.buildExpr(n, &scope{})
		if err != nil {
			return nil, err
		}
		if e, err = b.coerce(e, want[i], "EXECUTE"); err != nil {
			return nil, err
		}
		if args[i], err = e.Eval(ec.Ctx, nil); err != nil {
			return nil, err
		}
	}
	return args, nil
}

// execDeallocate runs DEALLOCATE [PREPARE] name | ALL.
func (s *Session) execDeallocate(v *pg_query.DeallocateStmt) (*result, error) {
	if v.Name == "" {
		s.prepared.Clear()
		return &result{tag: "DEALLOCATE ALL"}, nil
	}
	if _, err := s.prepared.Lookup(v.Name); err != nil {
		return nil, err
	}
	s.prepared.Remove(v.Name)
	return &result{tag: "DEALLOCATE"}, nil
}

// pgPreparedStatementsRows lists the session's named prepared statements.
// generic_plans and custom_plans are 0: plans are cached per statement,
// not chosen between generic and custom ones.
func pgPreparedStatementsRows(ec *execCtx) ([]exec.Row, error) {
	reg := &ec.sess.prepared
	var out []exec.Row
	for _, name := range reg.Named() {
		ps, query, at, fromSQL, _ := reg.Entry(name)
		params := &types.Array{Elem: types.Regtype}
		for _, t := range preparedOf(ps).params {
			params.Elems = append(params.Elems, int64(t.Oid))
		}
		out = append(out, exec.Row{name, query, at, params, fromSQL, int64(0), int64(0)})
	}
	return out, nil
}

// registerPrepareSql adds this file's relations and functions to the engine's
// registries (registry.go calls it).
func registerPrepareSql() {
	registerVirtualTable(&virtualTable{schema: "pg_catalog", name: "pg_prepared_statements", cols: []vcol{
		{"name", pgText}, {"statement", pgText}, {"prepare_time", pgTSTZ},
		{"parameter_types", types.ArrayOf(types.Regtype)}, {"from_sql", pgBool},
		{"generic_plans", pgInt8}, {"custom_plans", pgInt8},
	}, rows: pgPreparedStatementsRows})
}
