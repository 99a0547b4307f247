package sql

import "github.com/quorumdb/quorumdb/sql/exec"

// Streaming a SELECT's rows to the client. A statement's result is
// otherwise gathered before anything is sent, so that an implicit
// transaction can be retried unseen (session.go); a SELECT whose result
// grows past streamAfterRows sends what it has and then each row as it
// is made, as PostgreSQL sends every row, so that a result larger than
// memory does not have to fit in it. From then on the statement is not
// retried: the client has seen part of it. An error after the first rows
// follows them, as in PostgreSQL.

// streamAfterRows is how many rows a result gathers before it streams:
// small results keep the automatic retry of serialization failures.
const streamAfterRows = 1024

// rowStream is where a statement may stream its rows: set by the session
// for a simple-protocol statement run alone and for an Execute that asks
// for every row, nil elsewhere (an implicit block of statements, a
// portal fetched in parts, a cursor).
type rowStream struct {
	w ResultWriter
	// formats are the result formats the client asked for (Bind).
	formats []int16
	// describe is set when RowDescription goes with the rows (simple
	// protocol); in the extended protocol Describe sent it.
	describe bool
	// started is set once rows have reached the client.
	started bool
}

// start sends the result's description and the rows gathered so far.
func (rs *rowStream) start(s *Session, cols []exec.Column, rows []exec.Row) ([]Column, error) {
	rs.started = true
	wire := wireColumns(cols, rs.formats)
	if rs.describe {
		if err := rs.w.Columns(wire); err != nil {
			return nil, err
		}
	}
	for _, r := range rows {
		if err := writeRow(s, rs.w, wire, cols, r); err != nil {
			return nil, err
		}
	}
	return wire, nil
}

// runQuery runs a SELECT's plan: gathered, or, given a stream, streamed
// once its rows pass streamAfterRows. A streamed result has streamed set
// and only the tag left to send.
func runQuery(ec *execCtx, p exec.Node, stream *rowStream) (*result, error) {
	cols := p.Columns()
	if stream == nil {
		rows, err := exec.Collect(ec.Ctx, p)
		if err != nil {
			return nil, err
		}
		return &result{cols: cols, rows: rows, tag: selectTag(len(rows))}, nil
	}
	it, err := p.Exec(ec.Ctx)
	if err != nil {
		return nil, err
	}
	defer it.Close()
	var rows []exec.Row
	var wire []Column
	n := 0
	for {
		if err := ec.Context.Err(); err != nil {
			return nil, err
		}
		r, err := it.Next()
		if err != nil {
			return nil, err
		}
		if r == nil {
			break
		}
		n++
		if wire != nil {
			if err := writeRow(ec.sess, stream.w, wire, cols, r); err != nil {
				return nil, err
			}
			continue
		}
		rows = append(rows, r)
		if len(rows) > streamAfterRows {
			if wire, err = stream.start(ec.sess, cols, rows); err != nil {
				return nil, err
			}
			rows = nil
		}
	}
	return &result{cols: cols, rows: rows, tag: selectTag(n), streamed: wire != nil}, nil
}
