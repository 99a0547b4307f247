package pgwire

import (
	"context"
	"slices"

	"github.com/jackc/pgproto3/v2"
	"github.com/quorumdb/quorumdb/sql/api"
	"github.com/quorumdb/quorumdb/sql/pgencoding"
	"github.com/quorumdb/quorumdb/sql/pgerror"
)

// Extended query protocol: Parse, Bind, Describe, Execute, Close, Sync.
// Each handler returns a statement error (nil on success); extended()
// sends it and starts skipping to the next Sync. Connection errors
// (socket, FATAL) are recognised through c.connErr.

// extended finishes an extended-protocol message whose handler returned
// err. It returns an error only when the connection must end.
func (c *conn) extended(err error) error {
	if dead := c.connErr(); dead != nil {
		return dead
	}
	if err == nil {
		return nil
	}
	c.ignoreTillSync = true
	c.sess.AbortBatch()
	return c.sendError(err)
}

func (c *conn) handleParse(ctx context.Context, m *pgproto3.Parse) error {
	stmts := c.sess.Statements()
	if m.Name == "" {
		// The unnamed statement is replaced even if the new one fails.
		stmts.Remove("")
	} else if stmts.Exists(m.Name) {
		return pgerror.New(pgerror.DuplicatePreparedStatement, "prepared statement %q already exists", m.Name)
	}
	if err := pgencoding.CheckUTF8String(m.Query); err != nil {
		return err
	}
	name, query, oids := m.Name, m.Query, slices.Clone(m.ParameterOIDs)
	var ps *api.PreparedStatement
	err := c.runStmt(ctx, func(ctx context.Context) (err error) {
		ps, err = c.sess.Prepare(ctx, query, oids)
		return err
	})
	if err != nil {
		return err
	}
	if err := stmts.Add(name, query, ps, false); err != nil {
		return err
	}
	return c.send(&pgproto3.ParseComplete{})
}

func (c *conn) handleBind(ctx context.Context, m *pgproto3.Bind) error {
	if m.DestinationPortal == "" {
		delete(c.portals, "")
	} else if _, ok := c.portals[m.DestinationPortal]; ok {
		return pgerror.New(pgerror.DuplicateCursor, "portal %q already exists", m.DestinationPortal)
	}
	ps, err := c.statement(m.PreparedStatement)
	if err != nil {
		return err
	}
	if err := checkBind(m, ps); err != nil {
		return err
	}
	name := m.DestinationPortal
	var p *api.Portal
	err = c.runStmt(ctx, func(ctx context.Context) (err error) {
		p, err = c.sess.Bind(ctx, ps, m.Parameters, m.ParameterFormatCodes, m.ResultFormatCodes)
		return err
	})
	if err != nil {
		return err
	}
	c.portals[name] = p
	return c.send(&pgproto3.BindComplete{})
}

// checkBind enforces the protocol's counting rules for Bind, with
// PostgreSQL's codes and messages.
func checkBind(m *pgproto3.Bind, ps *api.PreparedStatement) error {
	nf, np := len(m.ParameterFormatCodes), len(m.Parameters)
	if nf > 1 && nf != np {
		return protocolErrorf("bind message has %d parameter formats but %d parameters", nf, np)
	}
	if np != len(ps.ParamOids) {
		return protocolErrorf("bind message supplies %d parameters, but prepared statement %q requires %d", np, m.PreparedStatement, len(ps.ParamOids))
	}
	nr := len(m.ResultFormatCodes)
	if nr > 1 && nr != len(ps.Columns) {
		return protocolErrorf("bind message has %d result formats but query has %d columns", nr, len(ps.Columns))
	}
	for _, f := range slices.Concat(m.ParameterFormatCodes, m.ResultFormatCodes) {
		if f != 0 && f != 1 {
			return pgerror.New(pgerror.InvalidParameterValue, "unsupported format code: %d", f)
		}
	}
	// Every text-format parameter is text in the client encoding,
	// whatever its type, and is checked as PostgreSQL converts it
	// (pg_client_to_server); binary ones are checked by their type's
	// decoder.
	for i, p := range m.Parameters {
		if p != nil && paramFormat(m.ParameterFormatCodes, i) == 0 {
			if err := pgencoding.CheckUTF8(p); err != nil {
				return err
			}
		}
	}
	return nil
}

// paramFormat is the format code of parameter i: none given means text,
// one applies to all.
func paramFormat(codes []int16, i int) int16 {
	switch len(codes) {
	case 0:
		return 0
	case 1:
		return codes[0]
	}
	return codes[i]
}

// statement returns the prepared statement called name (prepared by
// Parse or by SQL PREPARE).
func (c *conn) statement(name string) (*api.PreparedStatement, error) {
	return c.sess.Statements().Lookup(name)
}

// portal returns the portal called name.
func (c *conn) portal(name string) (*api.Portal, error) {
	if p, ok := c.portals[name]; ok {
		return p, nil
	}
	return nil, pgerror.New(pgerror.InvalidCursorName, "portal %q does not exist", name)
}

func (c *conn) handleDescribe(m *pgproto3.Describe) error {
	var cols []api.Column
	switch m.ObjectType {
	case 'S':
		ps, err := c.statement(m.Name)
		if err != nil {
			return err
		}
		oids := ps.ParamOids
		if oids == nil {
			oids = []uint32{}
		}
		if err := c.send(&pgproto3.ParameterDescription{ParameterOIDs: oids}); err != nil {
			return err
		}
		cols = ps.Columns
	case 'P':
		p, err := c.portal(m.Name)
		if err != nil {
			return err
		}
		cols = p.Columns
	default:
		return protocolErrorf("invalid DESCRIBE message subtype %d", m.ObjectType)
	}
	if cols == nil {
		return c.send(&pgproto3.NoData{})
	}
	return c.send(&pgproto3.RowDescription{Fields: fields(cols)})
}

func (c *conn) handleExecute(ctx context.Context, m *pgproto3.Execute) error {
	p, err := c.portal(m.Portal)
	if err != nil {
		return err
	}
	w := &resultWriter{c: c, extended: true}
	var suspended bool
	err = c.runStmt(ctx, func(ctx context.Context) (err error) {
		suspended, err = c.sess.Execute(ctx, p, int(m.MaxRows), w)
		return err
	})
	if err != nil {
		return err
	}
	if w.copyIn != nil {
		w.copyIn.drain()
	}
	if suspended {
		return c.send(&pgproto3.PortalSuspended{})
	}
	return nil
}

func (c *conn) handleClose(m *pgproto3.Close) error {
	switch m.ObjectType {
	case 'S':
		c.sess.Statements().Remove(m.Name)
	case 'P':
		delete(c.portals, m.Name)
	default:
		return protocolErrorf("invalid CLOSE message subtype %d", m.ObjectType)
	}
	return c.send(&pgproto3.CloseComplete{})
}

// handleSync ends a batch: the session commits or rolls back its
// implicit transaction, then ReadyForQuery.
func (c *conn) handleSync(ctx context.Context) error {
	c.ignoreTillSync = false
	err := c.runStmt(ctx, c.sess.Sync)
	if dead := c.connErr(); dead != nil {
		return dead
	}
	if err != nil {
		if err := c.sendError(err); err != nil {
			return err
		}
	}
	return c.readyForQuery()
}
