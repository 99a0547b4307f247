package sql

import (
	"fmt"
	"math"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/quorumdb/quorumdb/sql/exec"
	"github.com/quorumdb/quorumdb/sql/pgerror"
)

// SQL cursors: DECLARE name [BINARY] [SCROLL | NO SCROLL] CURSOR [WITH
// HOLD] FOR query, FETCH and MOVE in every direction, CLOSE name | ALL.
// Django's QuerySet.iterator() (and its test database serialization)
// declares a WITH HOLD cursor and FETCHes it in chunks; psycopg2's named
// cursors do the same.
//
// The query runs when the cursor is declared, in the declaring
// statement's transaction, and its rows are kept in the session: a
// cursor sees the snapshot of its DECLARE, as in PostgreSQL, and FETCH
// needs no transaction. A cursor without HOLD closes when its
// transaction block ends; a WITH HOLD cursor stays until CLOSE or the
// end of the session. Differences: the whole result is materialized at
// DECLARE (PostgreSQL computes rows as they are fetched, and
// materializes a WITH HOLD cursor at COMMIT), a WITH HOLD cursor
// declared in a transaction that rolls back is kept, and BINARY cursors
// are refused.

// CURSOR_OPT_* bits of DeclareCursorStmt.Options.
const (
	cursorOptBinary   = 0x0001
	cursorOptNoScroll = 0x0004
	cursorOptHold     = 0x0020
)

// sqlCursor is a declared cursor: its rows and position (0 before the
// first row, len(rows)+1 after the last).
type sqlCursor struct {
	cols     []exec.Column
	rows     []exec.Row
	pos      int
	hold     bool
	noScroll bool
}

// planDeclareCursor runs DECLARE ... CURSOR FOR query.
func (b *builder) planDeclareCursor(dc *pg_query.DeclareCursorStmt) (*stmtPlan, error) {
	if dc.Options&cursorOptBinary != 0 {
		return nil, unsupported("DECLARE BINARY CURSOR")
	}
	hold := dc.Options&cursorOptHold != 0
	if !hold && b.sess.state != txnOpen {
		return nil, pgerror.New(pgerror.NoActiveSQLTransaction, "DECLARE CURSOR can only be used in transaction blocks")
	}
	sel := dc.Query.GetSelectStmt()
	if sel == nil {
		return nil, pgerror.New(pgerror.InvalidCursorDefinition, "cannot open %s query as cursor", strings.TrimSuffix(strings.TrimPrefix(nodeName(dc.Query), "*pg_query.Node_"), "Stmt"))
	}
	if sel.IntoClause != nil {
		return nil, pgerror.New(pgerror.InvalidCursorDefinition, "cannot open SELECT INTO query as cursor")
	}
	p, err := b.buildSelect(sel, nil)
	if err != nil {
		return nil, err
	}
	return tagOnly("DECLARE CURSOR", func(ec *execCtx) error {
		if _, dup := b.sess.cursors[dc.Portalname]; dup {
			return pgerror.New(pgerror.DuplicateCursor, "cursor %q already exists", dc.Portalname)
		}
		rows, err := exec.Collect(ec.Ctx, p)
		if err != nil {
			return err
		}
		if b.sess.cursors == nil {
			b.sess.cursors = map[string]*sqlCursor{}
		}
		b.sess.cursors[dc.Portalname] = &sqlCursor{cols: p.Columns(), rows: rows, hold: hold, noScroll: dc.Options&cursorOptNoScroll != 0}
		return nil
	}), nil
}

// execFetch runs FETCH and MOVE.
func (s *Session) execFetch(fs *pg_query.FetchStmt) (*result, error) {
	c, ok := s.cursors[fs.Portalname]
	if !ok {
		return nil, pgerror.New(pgerror.InvalidCursorName, "cursor %q does not exist", fs.Portalname)
	}
	n := len(c.rows)
	count := fs.HowMany
	if count == math.MaxInt64 || count > int64(n)+1 {
		count = int64(n) + 1
	}
	dir := fs.Direction
	if dir == pg_query.FetchDirection_FETCH_FORWARD && count < 0 {
		dir, count = pg_query.FetchDirection_FETCH_BACKWARD, -count
	}
	backward := dir == pg_query.FetchDirection_FETCH_BACKWARD ||
		dir == pg_query.FetchDirection_FETCH_ABSOLUTE && fs.HowMany <= 0 && fs.HowMany != math.MaxInt64 ||
		dir == pg_query.FetchDirection_FETCH_RELATIVE && fs.HowMany < 0
	if dir == pg_query.FetchDirection_FETCH_ABSOLUTE && fs.HowMany > 0 && int(fs.HowMany) < c.pos {
		backward = true
	}
	if backward && c.noScroll {
		return nil, pgerror.New(pgerror.ObjectNotInPrerequisiteState, "cursor can only scan forward").
			WithHint("Declare it with SCROLL option to enable backward scan.")
	}
	var out []exec.Row
	at := func(p int) { // land on row p (1-based) when it exists
		switch {
		case p < 1:
			c.pos = 0
		case p > n:
			c.pos = n + 1
		default:
			c.pos = p
			out = append(out, c.rows[p-1])
		}
	}
	switch dir {
	case pg_query.FetchDirection_FETCH_FORWARD:
		if count == 0 { // FETCH FORWARD 0: the current row
			if c.pos >= 1 && c.pos <= n {
				out = append(out, c.rows[c.pos-1])
			}
			break
		}
		for i := int64(0); i < count && c.pos <= n; i++ {
			at(c.pos + 1)
		}
	case pg_query.FetchDirection_FETCH_BACKWARD:
		if count == 0 {
			if c.pos >= 1 && c.pos <= n {
				out = append(out, c.rows[c.pos-1])
			}
			break
		}
		for i := int64(0); i < count && c.pos >= 1; i++ {
			at(c.pos - 1)
		}
	case pg_query.FetchDirection_FETCH_ABSOLUTE:
		k := int(fs.HowMany)
		if k < 0 {
			k = n + 1 + k
		}
		at(k)
	case pg_query.FetchDirection_FETCH_RELATIVE:
		if fs.HowMany == 0 {
			if c.pos >= 1 && c.pos <= n {
				out = append(out, c.rows[c.pos-1])
			}
			break
		}
		at(c.pos + int(fs.HowMany))
	}
	if fs.Ismove {
		return &result{tag: fmt.Sprintf("MOVE %d", len(out))}, nil
	}
	return &result{cols: c.cols, rows: out, tag: fmt.Sprintf("FETCH %d", len(out))}, nil
}

// execClose runs CLOSE name | ALL.
func (s *Session) execClose(cs *pg_query.ClosePortalStmt) (*result, error) {
	if cs.Portalname == "" {
		s.cursors = nil
		return &result{tag: "CLOSE CURSOR ALL"}, nil
	}
	if _, ok := s.cursors[cs.Portalname]; !ok {
		return nil, pgerror.New(pgerror.InvalidCursorName, "cursor %q does not exist", cs.Portalname)
	}
	delete(s.cursors, cs.Portalname)
	return &result{tag: "CLOSE CURSOR"}, nil
}

// closeTxnCursors closes the cursors without HOLD when a transaction
// block ends.
func (s *Session) closeTxnCursors() {
	for name, c := range s.cursors {
		if !c.hold {
			delete(s.cursors, name)
		}
	}
}

// fetchColumns are the result columns of FETCH (for Describe).
func (s *Session) fetchColumns(fs *pg_query.FetchStmt) []exec.Column {
	if fs.Ismove {
		return nil
	}
	if c, ok := s.cursors[fs.Portalname]; ok {
		return c.cols
	}
	return nil
}
