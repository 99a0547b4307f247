package sql

import (
	"context"
	"errors"
	"slices"

	"github.com/quorumdb/quorumdb/kv"
	"github.com/quorumdb/quorumdb/sql/exec"
	"github.com/quorumdb/quorumdb/sql/kverror"
	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// prepared is the sql layer's side of a prepared statement: the parsed
// statement and its parameter types. It is re-planned at each execution
// against the current catalog, so a schema change never runs a stale plan.
type prepared struct {
	stmt   *statement
	params []types.T
	cols   []exec.Column
	// cache is the plan of the last execution (see plancache.go).
	cache planCache
}

// portal is a bound statement: parameter values and result formats, and,
// once executed, its buffered rows.
type portal struct {
	ps       *PreparedStatement
	args     []types.Datum
	formats  []int16
	executed bool
	res      *result
	next     int
}

// Prepare parses and plans query (Parse message). paramOids may be
// shorter than the number of parameters or hold 0 for unspecified types;
// the returned statement reports every parameter's inferred type.
func (s *Session) Prepare(ctx context.Context, query string, paramOids []uint32) (*PreparedStatement, error) {
	stmts, err := parse(query)
	if err != nil {
		return nil, err
	}
	if len(stmts) > 1 {
		return nil, pgerror.New(pgerror.SyntaxError, "cannot insert multiple commands into a prepared statement")
	}
	pt := &exec.ParamTypes{}
	for i, oid := range paramOids {
		pt.Ensure(i + 1)
		if oid != 0 {
			t, ok, err := s.paramTypeOfOid(ctx, oid)
			if err != nil {
				return nil, err
			}
			if !ok {
				return nil, pgerror.New(pgerror.UndefinedObject, "type with OID %d does not exist", oid)
			}
			pt.Types[i], pt.Fixed[i] = t, true
		}
	}
	var st *statement
	if len(stmts) == 1 {
		st = &stmts[0]
	}
	return s.prepareParsed(ctx, st, pt)
}

// prepareParsed makes a prepared statement of st (nil: the empty query)
// with the parameter types pt fixes, inferring the others.
func (s *Session) prepareParsed(ctx context.Context, st *statement, pt *exec.ParamTypes) (*PreparedStatement, error) {
	p := &prepared{stmt: st}
	if st != nil {
		cols, err := s.describe(ctx, p.stmt, pt)
		if err != nil {
			return nil, err
		}
		p.cols = cols
		p.cache.described = cols
	}
	out := &PreparedStatement{Impl: p}
	for i, t := range pt.Types {
		if t.Family == types.UnknownFamily {
			t = types.Text
			pt.Types[i] = t
		}
		out.ParamOids = append(out.ParamOids, t.Oid)
	}
	p.params = pt.Types
	if p.cols != nil {
		out.Columns = wireColumns(p.cols, nil)
	}
	return out, nil
}

// describe plans st to learn its parameter and result types, inside the
// open transaction (to see its uncommitted DDL) or a read-only one.
func (s *Session) describe(ctx context.Context, st *statement, pt *exec.ParamTypes) ([]exec.Column, error) {
	if fs := st.node.GetFetchStmt(); fs != nil {
		return s.fetchColumns(fs), nil
	}
	if isUtility(st.node) {
		return utilityColumns(st.node), nil
	}
	if ex := st.node.GetExecuteStmt(); ex != nil {
		ps, err := s.prepared.Lookup(ex.Name)
		if err != nil {
			return nil, err
		}
		return preparedOf(ps).cols, nil
	}
	txn := s.txn
	if txn == nil {
		txn = s.extTxn // a batch sees its own earlier statements
	}
	if txn == nil && localViewEligible(*st) {
		// Planning the operator tables reads nothing from kv, so it
		// needs no leader: try without one, and fall back below if the
		// planner did read (a cast to regclass, say).
		probe := &exec.ParamTypes{Types: slices.Clone(pt.Types), Fixed: slices.Clone(pt.Fixed)}
		p, err := s.newBuilder(ctx, localViewTxn{nodeID: s.engine.cfg.NodeID}, probe).planStatement(*st)
		if err == nil {
			*pt = *probe
			return p.cols, nil
		}
		if !errors.Is(err, errNeedsKeyspace) {
			return nil, err
		}
	}
	if txn == nil {
		var err error
		if txn, err = s.engine.cfg.DB.Begin(ctx, kv.TxnOptions{ReadOnly: true}); err != nil {
			return nil, kverror.AsSQL(err)
		}
		defer txn.Rollback()
	}
	b := s.newBuilder(ctx, txn, pt)
	b.describing = true
	p, err := b.planStatement(*st)
	if err != nil {
		return nil, err
	}
	return p.cols, nil
}

// Bind binds parameter values (Bind message). params[i] nil is NULL;
// paramFormats and resultFormats follow the protocol's rules (empty: all
// text; one element: applies to all).
func (s *Session) Bind(ctx context.Context, ps *PreparedStatement, params [][]byte, paramFormats, resultFormats []int16) (*Portal, error) {
	p := preparedOf(ps)
	if len(params) != len(p.params) {
		s.abortBatch()
		return nil, pgerror.New(pgerror.ProtocolViolation, "bind message supplies %d parameters, but prepared statement requires %d", len(params), len(p.params))
	}
	args := make([]types.Datum, len(params))
	for i, raw := range params {
		if raw == nil {
			continue
		}
		format := formatAt(paramFormats, i)
		var err error
		if format == 1 {
			args[i], err = types.DecodeBinary(p.params[i], raw)
		} else {
			args[i], err = types.ParseText(p.params[i], string(raw), s.typeSettings())
		}
		if err != nil {
			s.abortBatch()
			return nil, err
		}
	}
	pt := &portal{ps: ps, args: args, formats: resultFormats}
	out := &Portal{Impl: pt}
	if p.cols != nil {
		out.Columns = wireColumns(p.cols, resultFormats)
	}
	return out, nil
}

func formatAt(formats []int16, i int) int16 {
	switch len(formats) {
	case 0:
		return 0
	case 1:
		return formats[0]
	}
	if i < len(formats) {
		return formats[i]
	}
	return 0
}

// Execute runs portal p (Execute message), sending at most maxRows rows
// (0: all). It returns suspended=true when rows remain (PortalSuspended);
// otherwise it has called w.Complete.
func (s *Session) Execute(ctx context.Context, p *Portal, maxRows int, w ResultWriter) (bool, error) {
	if err := s.engine.refusal(); err != nil {
		s.failTxn()
		return false, err
	}
	pt := portalOf(p)
	if preparedOf(pt.ps).stmt == nil {
		return false, w.EmptyQuery()
	}
	if !pt.executed {
		if maxRows == 0 {
			// Every row is asked for: they may stream (stream.go).
			s.stream = &rowStream{w: w, formats: pt.formats}
		}
		pp := preparedOf(pt.ps)
		res, err := s.runStatement(ctx, *pp.stmt, pp.params, pt.args, w, &pp.cache, true)
		s.stream = nil
		if err != nil {
			return false, err
		}
		pt.executed, pt.res = true, res
		if err := s.flushStatus(w); err != nil {
			return false, err
		}
		if res.cols != nil && res.copyOut == nil {
			// writeResult sends the notices of the other results.
			if err := writeNotices(w, res); err != nil {
				return false, err
			}
		}
	}
	res := pt.res
	if res.cols == nil || res.copyOut != nil {
		return false, writeResult(s, w, res, pt.formats, false)
	}
	cols := wireColumns(res.cols, pt.formats)
	for sent := 0; pt.next < len(res.rows); sent++ {
		if maxRows > 0 && sent >= maxRows {
			return true, nil
		}
		if err := writeRow(s, w, cols, res.cols, res.rows[pt.next]); err != nil {
			return false, err
		}
		pt.next++
	}
	return false, w.Complete(res.tag)
}
