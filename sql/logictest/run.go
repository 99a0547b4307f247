package logictest

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// DefaultStatementTimeout bounds each statement or query when
// Config.StatementTimeout is zero.
const DefaultStatementTimeout = 30 * time.Second

// errTimeout marks a record that ran past Config.StatementTimeout.
var errTimeout = errors.New("logictest: statement timed out")

// Config says where and how to run files.
type Config struct {
	// DSN is a PostgreSQL connection string (URL or key=value) for a user
	// that may CREATE and DROP DATABASE. Each file runs in a fresh
	// database created through it.
	DSN string
	// Engine is the name skipif/onlyif conditions are matched against,
	// case-insensitively; default "postgresql". "quorumdb" also answers
	// to "postgresql" (and "postgres"), since quorumdb speaks its dialect.
	Engine string
	// Logf, if set, receives progress notes (see Verbose).
	Logf func(format string, args ...any)
	// StopOnError ends a file at its first failed record.
	StopOnError bool
	// MaxFailures, if positive, ends a file after that many failures.
	MaxFailures int
	// Verbose logs each failure as it happens and each unsupported
	// record through Logf.
	Verbose bool
	// StatementTimeout bounds each record; default
	// DefaultStatementTimeout. A record that times out fails.
	StatementTimeout time.Duration
	// Dialect is the flavour the files are written in; default SQLite.
	Dialect Dialect
}

func (c Config) withDefaults() Config {
	if c.Engine == "" {
		c.Engine = "postgresql"
	}
	if c.StatementTimeout <= 0 {
		c.StatementTimeout = DefaultStatementTimeout
	}
	if c.Logf == nil {
		c.Logf = func(string, ...any) {}
	}
	return c
}

// Validate reports a configuration that cannot run.
func (c Config) Validate() error {
	if c.DSN == "" {
		return errors.New("logictest: Config.DSN is empty")
	}
	return nil
}

// engineNames returns the names an engine answers to in conditions.
func engineNames(engine string) []string {
	e := strings.ToLower(engine)
	switch e {
	case "postgresql", "postgres":
		return []string{"postgresql", "postgres"}
	case "quorumdb":
		return []string{"quorumdb", "postgresql", "postgres"}
	}
	return []string{e}
}

// RunFile runs the sqllogictest file at path in a fresh database (created
// through cfg.DSN and dropped afterwards) and returns its result. The
// error is non-nil when the file could not be run to its end: it cannot
// be read or parsed, the database cannot be created, the connection was
// lost and cannot be re-established, or ctx ended. The result then counts
// what had run. A failed record is not an error.
func RunFile(ctx context.Context, cfg Config, path string) (FileResult, error) {
	cfg = cfg.withDefaults()
	start := time.Now()
	res := FileResult{Path: path}
	if err := cfg.Validate(); err != nil {
		return res, err
	}
	recs, err := ParseFileDialect(path, cfg.Dialect)
	if err != nil {
		return res, err
	}
	db, err := createDatabase(ctx, cfg.DSN)
	if err != nil {
		return res, err
	}
	r := &fileRunner{cfg: cfg, path: path, db: db, names: engineNames(cfg.Engine), labels: map[string]string{}}
	runErr := r.run(ctx, recs, &res)
	if r.conn != nil {
		r.conn.Close(context.WithoutCancel(ctx))
	}
	dropCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if err := db.drop(dropCtx); err != nil {
		cfg.Logf("%s: %v", path, err)
		if runErr == nil {
			runErr = err
		}
	}
	res.Duration = time.Since(start)
	return res, runErr
}

// fileRunner holds the state of one file's run. It is used by one
// goroutine.
type fileRunner struct {
	cfg       Config
	path      string
	db        *database
	names     []string          // engine names conditions match
	conn      *pgconn.PgConn    // nil until connected, or after it broke
	threshold int               // current hash-threshold; 0 never hashes
	labels    map[string]string // label -> hash line of its first result
}

// counted reports whether a record counts towards FileResult.Records.
func counted(k Kind) bool { return k == Statement || k == Query || k == Unsupported }

func (r *fileRunner) run(ctx context.Context, recs []Record, res *FileResult) error {
	done := false // halted, or stopped after failures
	for i := range recs {
		rec := &recs[i]
		if counted(rec.Kind) {
			res.Records++
		}
		if done || !r.applies(rec) {
			if counted(rec.Kind) {
				res.Skipped++
			}
			continue
		}
		switch rec.Kind {
		case HashThreshold:
			r.threshold = rec.Threshold
			continue
		case Halt:
			done = true
			continue
		case User:
			r.switchUser(ctx, rec.User)
			continue
		case Unsupported:
			res.Skipped++
			if r.cfg.Verbose {
				r.cfg.Logf("%s:%d: skipping unsupported record %q", r.path, rec.Line, rec.Directive)
			}
			continue
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		f, err := r.runRecord(ctx, rec)
		if err != nil {
			return err
		}
		if f == nil {
			res.Passed++
			continue
		}
		res.Failed++
		res.Failures = append(res.Failures, *f)
		if r.cfg.Verbose {
			r.cfg.Logf("%s", f.Format(r.path))
		}
		if r.cfg.StopOnError || (r.cfg.MaxFailures > 0 && res.Failed >= r.cfg.MaxFailures) {
			res.Stopped = true
			done = true
		}
	}
	return nil
}

// applies evaluates the record's skipif/onlyif conditions.
func (r *fileRunner) applies(rec *Record) bool {
	for _, c := range rec.Conditions {
		match := false
		for _, n := range r.names {
			if strings.EqualFold(c.Engine, n) {
				match = true
				break
			}
		}
		if match == c.Skip {
			return false
		}
	}
	return true
}

// result is what one record's SQL produced.
type result struct {
	err   error
	tag   pgconn.CommandTag // of the last command
	vals  []string          // formatted values of the last result set, row-major
	ncols int               // columns of the last result set; -1 if none
}

// exec runs rec's SQL with the simple query protocol (so a record may
// hold several statements) under the statement timeout. A non-nil error
// means the run cannot go on.
func (r *fileRunner) exec(ctx context.Context, rec *Record) (result, error) {
	res := result{ncols: -1}
	if r.conn == nil || r.conn.IsClosed() {
		c, err := r.db.connect(ctx)
		if err != nil {
			return res, err
		}
		r.conn = c
	}
	qctx, cancel := context.WithTimeout(ctx, r.cfg.StatementTimeout)
	defer cancel()
	mrr := r.conn.Exec(qctx, rec.SQL)
	for mrr.NextResult() {
		rr := mrr.ResultReader()
		if fds := rr.FieldDescriptions(); fds != nil {
			res.ncols = len(fds)
			res.vals = res.vals[:0]
			types := rec.Types
			for rr.NextRow() {
				for i, v := range rr.Values() {
					if r.cfg.Dialect == NoisePage {
						res.vals = append(res.vals, formatNoisePageValue(v))
						continue
					}
					t := byte('T')
					if len(types) == len(fds) && r.cfg.Dialect != SQLLogicTestRS {
						t = types[i]
					}
					res.vals = append(res.vals, FormatValue(t, v, fds[i].DataTypeOID))
				}
			}
		}
		tag, err := rr.Close()
		if err != nil && res.err == nil {
			res.err = err
		}
		res.tag = tag
	}
	if err := mrr.Close(); err != nil && res.err == nil {
		res.err = err
	}
	if ctx.Err() != nil {
		return res, ctx.Err()
	}
	if qctx.Err() != nil {
		if res.err == nil {
			res.err = qctx.Err()
		}
		res.err = fmt.Errorf("%w after %s: %w", errTimeout, r.cfg.StatementTimeout, res.err)
	}
	if r.conn.IsClosed() {
		r.conn = nil // reconnect for the next record
		if res.err == nil {
			res.err = errors.New("connection closed")
		}
	}
	return res, nil
}

// runRecord runs a statement or query and returns its failure, nil if it
// passed.
func (r *fileRunner) runRecord(ctx context.Context, rec *Record) (*Failure, error) {
	res, err := r.exec(ctx, rec)
	if err != nil {
		return nil, err
	}
	fail := func(reason, want, got string) *Failure {
		return &Failure{Line: rec.Line, SQL: rec.SQL, Reason: reason, Want: want, Got: got}
	}
	if rec.ExpectError {
		want := "error"
		if rec.Error.Raw != "" {
			want += " " + rec.Error.Raw
		}
		switch {
		case res.err == nil:
			return fail("expected an error", want, "ok"), nil
		case !rec.Error.Match(res.err):
			return fail("wrong error", want, describeError(res.err)), nil
		}
		return nil, nil
	}
	if rec.Kind == Statement {
		switch {
		case res.err != nil:
			return fail("statement failed", "ok", describeError(res.err)), nil
		case rec.HasCount && res.tag.RowsAffected() != rec.Count:
			return fail("wrong row count", "count "+strconv.FormatInt(rec.Count, 10),
				"count "+strconv.FormatInt(res.tag.RowsAffected(), 10)), nil
		}
		return nil, nil
	}

	want := strings.Join(rec.Expected, "\n")
	switch {
	case res.err != nil:
		return fail("query failed", want, describeError(res.err)), nil
	case res.ncols < 0:
		return fail("query returned no rows description", want, "(no result set)"), nil
	case res.ncols != len(rec.Types) && r.cfg.Dialect == SQLite:
		return fail("wrong number of columns", fmt.Sprintf("%d columns (%s)", len(rec.Types), rec.Types),
			fmt.Sprintf("%d columns", res.ncols)), nil
	}
	SortValues(res.vals, res.ncols, rec.Sort)
	if rec.Label != "" {
		h := HashLine(res.vals)
		if prev, ok := r.labels[rec.Label]; ok && prev != h {
			return fail("result disagrees with label "+rec.Label, prev, h), nil
		} else if !ok {
			r.labels[rec.Label] = h
		}
	}
	if r.cfg.Dialect == NoisePage {
		if !noisePageResultsMatch(rec, res.vals) {
			return fail("wrong result", want, noisePageGotText(rec, res.vals)), nil
		}
		return nil, nil
	}
	if !resultsMatch(rec, res.vals, res.ncols) {
		return fail("wrong result", want, gotText(rec, res.vals, r.threshold)), nil
	}
	return nil, nil
}
