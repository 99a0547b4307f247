package logictest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgconn/ctxwatch"
)

// dbSeq numbers the databases this process creates.
var dbSeq atomic.Int64

// database is the fresh database one file runs in.
type database struct {
	name  string
	admin *pgconn.Config // the DSN's own database, for CREATE/DROP
	conn  *pgconn.Config // the fresh database
}

// parseDSN parses dsn and sets the options every runner connection uses:
// a connect timeout, and on a cancelled context a CancelRequest before the
// socket deadline, so that a timed-out statement usually leaves the
// connection usable.
func parseDSN(dsn string) (*pgconn.Config, error) {
	cc, err := pgconn.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("logictest: bad DSN: %w", err)
	}
	if cc.ConnectTimeout == 0 {
		cc.ConnectTimeout = 10 * time.Second
	}
	cc.BuildContextWatcherHandler = func(c *pgconn.PgConn) ctxwatch.Handler {
		return &pgconn.CancelRequestContextWatcherHandler{Conn: c, DeadlineDelay: 5 * time.Second}
	}
	return cc, nil
}

// createDatabase creates slt_<pid>_<n> through the DSN's connection.
func createDatabase(ctx context.Context, dsn string) (*database, error) {
	admin, err := parseDSN(dsn)
	if err != nil {
		return nil, err
	}
	d := &database{
		name:  fmt.Sprintf("slt_%d_%d", os.Getpid(), dbSeq.Add(1)),
		admin: admin,
	}
	d.conn = admin.Copy()
	d.conn.Database = d.name

	c, err := pgconn.ConnectConfig(ctx, admin.Copy())
	if err != nil {
		return nil, fmt.Errorf("logictest: connect: %w", err)
	}
	defer c.Close(context.WithoutCancel(ctx))
	err = execAll(ctx, c, "CREATE DATABASE "+d.name)
	if pgCode(err) == "42P04" { // left over from an earlier process with our pid
		if err = execAll(ctx, c, "DROP DATABASE "+d.name); err == nil {
			err = execAll(ctx, c, "CREATE DATABASE "+d.name)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("logictest: create database %s: %w", d.name, err)
	}
	return d, nil
}

// connect opens a connection to the fresh database.
func (d *database) connect(ctx context.Context) (*pgconn.PgConn, error) {
	c, err := pgconn.ConnectConfig(ctx, d.conn.Copy())
	if err != nil {
		return nil, fmt.Errorf("logictest: connect to %s: %w", d.name, err)
	}
	return c, nil
}

// drop drops the database. A backend still finishing a cancelled
// statement keeps it in use (55006) for a moment, so drop retries, and
// finally tries DROP DATABASE ... WITH (FORCE).
func (d *database) drop(ctx context.Context) error {
	c, err := pgconn.ConnectConfig(ctx, d.admin.Copy())
	if err != nil {
		return fmt.Errorf("logictest: connect: %w", err)
	}
	defer c.Close(context.WithoutCancel(ctx))
	for attempt := 0; attempt < 20; attempt++ {
		err = execAll(ctx, c, "DROP DATABASE IF EXISTS "+d.name)
		if pgCode(err) != "55006" {
			break
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(250 * time.Millisecond):
		}
	}
	if pgCode(err) == "55006" {
		err = execAll(ctx, c, "DROP DATABASE IF EXISTS "+d.name+" WITH (FORCE)")
	}
	if err != nil {
		return fmt.Errorf("logictest: drop database %s: %w", d.name, err)
	}
	return nil
}

// execAll runs sql with the simple query protocol and discards results.
func execAll(ctx context.Context, c *pgconn.PgConn, sql string) error {
	_, err := c.Exec(ctx, sql).ReadAll()
	return err
}

// pgCode returns err's SQLSTATE, or "" when err is not a server error.
func pgCode(err error) string {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code
	}
	return ""
}
