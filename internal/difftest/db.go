package difftest

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// DB runs statements on one server. Implementations are used by one
// goroutine at a time.
type DB interface {
	// Exec runs one statement and returns its answer; a broken
	// connection is a Result with Lost set (the DB reconnects for the
	// next statement).
	Exec(ctx context.Context, sql string) *Result
	// Session runs statements now and again after every reconnect
	// (search_path, TimeZone, statement_timeout); they must succeed.
	Session(ctx context.Context, stmts ...string) error
}

// Conn is a DB over a pgwire connection (simple query protocol, text
// results).
type Conn struct {
	dsn string
	// timeout bounds one statement on the client side (the server's
	// statement_timeout should end it first).
	timeout time.Duration
	c       *pgconn.PgConn
	session []string
}

// Dial connects to dsn.
func Dial(ctx context.Context, dsn string, timeout time.Duration) (*Conn, error) {
	c := &Conn{dsn: dsn, timeout: timeout}
	if err := c.connect(ctx); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *Conn) connect(ctx context.Context) error {
	var err error
	for attempt := range 20 {
		if attempt > 0 {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(500 * time.Millisecond):
			}
		}
		cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		c.c, err = pgconn.Connect(cctx, c.dsn)
		cancel()
		if err == nil {
			break
		}
	}
	if err != nil {
		return fmt.Errorf("difftest: connecting to %s: %w", c.dsn, err)
	}
	for _, s := range c.session {
		if _, err := c.c.Exec(ctx, s).ReadAll(); err != nil {
			return fmt.Errorf("difftest: %s: %w", s, err)
		}
	}
	return nil
}

// Close closes the connection.
func (c *Conn) Close() {
	if c.c != nil {
		c.c.Close(context.Background())
	}
}

// Session implements DB.
func (c *Conn) Session(ctx context.Context, stmts ...string) error {
	c.session = append(c.session, stmts...)
	for _, s := range stmts {
		if r := c.Exec(ctx, s); r.Failed() {
			return fmt.Errorf("difftest: %s: %s %s", s, r.Code, r.Msg)
		}
	}
	return nil
}

// ResetSession forgets the session statements.
func (c *Conn) ResetSession() { c.session = nil }

// Exec implements DB.
func (c *Conn) Exec(ctx context.Context, sql string) *Result {
	if c.c == nil || c.c.IsClosed() {
		if err := c.connect(ctx); err != nil {
			return &Result{Lost: true, Msg: err.Error()}
		}
	}
	qctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	// Read result by result: pgconn's ReadAll leaves the columns of a
	// result without rows unset.
	r := &Result{}
	mrr := c.c.Exec(qctx, sql)
	for mrr.NextResult() {
		rr := mrr.ResultReader()
		r = &Result{}
		for _, f := range rr.FieldDescriptions() {
			r.Cols = append(r.Cols, f.Name)
		}
		for rr.NextRow() {
			vals := rr.Values()
			out := make([]string, len(vals))
			for i, v := range vals {
				if v == nil {
					out[i] = Null
				} else {
					out[i] = string(v)
				}
			}
			r.Rows = append(r.Rows, out)
		}
		if _, err := rr.Close(); err != nil {
			break
		}
	}
	err := mrr.Close()
	var pe *pgconn.PgError
	switch {
	case errors.As(err, &pe):
		r := &Result{Code: pe.Code, Msg: pe.Message}
		if pe.Code == "57014" {
			r.Timeout = true
		}
		return r
	case err != nil:
		timedOut := qctx.Err() != nil && ctx.Err() == nil
		c.c.Close(context.Background())
		c.c = nil
		if timedOut {
			return &Result{Timeout: true, Msg: err.Error()}
		}
		return &Result{Lost: true, Msg: err.Error()}
	}
	return r
}
