package pgregress

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/quorumdb/quorumdb/internal/dbproc"
)

// Database is the database both servers run the files in, as
// pg_regress names it.
const Database = "regression"

// Defaults of Config's timeouts: a statement of the suite takes
// milliseconds on PostgreSQL, and the largest file (alter_table) a few
// seconds on quorumdb.
const (
	DefaultStatementTimeout = 10 * time.Second
	DefaultFileTimeout      = 2 * time.Minute
)

// Config says what to run and how.
type Config struct {
	// Suite is the directory of the suite: sql/, data/,
	// parallel_schedule (and measured-files.txt).
	Suite string
	// Files are the chosen files (names with or without .sql); empty
	// means the suite's measured-files.txt.
	Files []string
	// Quorumdb is the quorumdb binary.
	Quorumdb string
	// StatementTimeout is both servers' statement_timeout (zero:
	// DefaultStatementTimeout).
	StatementTimeout time.Duration
	// FileTimeout bounds one file's psql run on one server (zero:
	// DefaultFileTimeout).
	FileTimeout time.Duration
	// Quiet runs psql with -q alone, which prints no command tags; by
	// default QUIET is turned off again after -q so that command
	// tags (INSERT 0 3, UPDATE 2) are compared too.
	Quiet bool
	// ServerLog receives both servers' output (stderr when nil).
	ServerLog io.Writer
	// OutDir, when set, keeps each file's adapted script and both
	// psql outputs (NAME.sql, NAME.pg.out, NAME.quorumdb.out) there;
	// otherwise they are removed with the run's temporary directory.
	OutDir string
	// Logf reports progress (nothing when nil).
	Logf func(format string, args ...any)
}

// Result is a run's outcome: every file's comparison, in the order
// they ran.
type Result struct {
	Files     []FileResult
	PGVersion string
	// Restarts counts quorumdb's restarts after a lost connection or
	// a timeout.
	Restarts int
}

// side is one server the files run on.
type side struct {
	name string
	srv  *dbproc.Server
}

// runner holds what a run shares.
type runner struct {
	cfg     Config
	psql    string
	tmp     string
	scripts map[string]string // file name -> adapted script path
	q       side
	pg      side
	qDirs   int
}

// Run starts a throwaway PostgreSQL and a one-node quorumdb, creates the
// regression database on both, runs test_setup and then the chosen
// files in parallel_schedule's order on both with psql, and compares the
// outputs. Both servers are stopped before it returns, also when ctx is
// cancelled.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	if cfg.Logf == nil {
		cfg.Logf = func(string, ...any) {}
	}
	if cfg.StatementTimeout <= 0 {
		cfg.StatementTimeout = DefaultStatementTimeout
	}
	if cfg.FileTimeout <= 0 {
		cfg.FileTimeout = DefaultFileTimeout
	}
	psql, err := dbproc.FindPGBin("psql")
	if err != nil {
		return nil, err
	}
	files, err := chosenFiles(cfg)
	if err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp("", "quorumdb-pgregress-")
	if err != nil {
		return nil, fmt.Errorf("pgregress: temporary directory: %w", err)
	}
	defer os.RemoveAll(tmp)
	r := &runner{cfg: cfg, psql: psql, tmp: tmp, scripts: map[string]string{}}
	scripts := map[string]Script{}
	for _, name := range files {
		path, sc, err := r.adapt(name)
		if err != nil {
			return nil, err
		}
		r.scripts[name], scripts[name] = path, sc
	}

	pgSrv, err := dbproc.StartPostgres(ctx, filepath.Join(tmp, "pg"), cfg.ServerLog)
	if err != nil {
		return nil, fmt.Errorf("pgregress: starting PostgreSQL: %w", err)
	}
	defer pgSrv.Stop()
	r.pg = side{name: "PostgreSQL", srv: pgSrv}
	defer r.stopQuorumdb()
	if err := r.startQuorumdb(ctx); err != nil {
		return nil, err
	}
	if err := r.createDatabase(ctx, r.pg); err != nil {
		return nil, err
	}
	res := &Result{}
	res.PGVersion, _ = r.query(ctx, r.pg, Database, "SHOW server_version")

	chosen := map[string]bool{}
	for _, f := range cfg.Files {
		chosen[strings.TrimSuffix(filepath.Base(f), ".sql")] = true
	}
	if len(cfg.Files) == 0 {
		chosen = nil // the measured files, test_setup among them
	}
	for _, name := range files {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		start := time.Now()
		fr, restarted, err := r.runFile(ctx, name, scripts[name])
		if err != nil {
			return res, err
		}
		if restarted {
			res.Restarts++
		}
		fr.Counted = chosen == nil || chosen[name]
		res.Files = append(res.Files, fr)
		cfg.Logf("%-16s %5d statements, %5d identical (%s), %d EXPLAIN; %s%s", name, fr.Statements, fr.Identical,
			Percent(fr.Identical, fr.Statements), fr.Explain, time.Since(start).Round(100*time.Millisecond), notes(fr.Notes))
	}
	return res, nil
}

func notes(n []string) string {
	if len(n) == 0 {
		return ""
	}
	return "; " + strings.Join(n, "; ")
}

// chosenFiles is the run's files in schedule order, test_setup first.
func chosenFiles(cfg Config) ([]string, error) {
	files := cfg.Files
	if len(files) == 0 {
		var err error
		if files, err = ReadList(filepath.Join(cfg.Suite, "measured-files.txt")); err != nil {
			return nil, err
		}
	}
	b, err := os.ReadFile(filepath.Join(cfg.Suite, "parallel_schedule"))
	if err != nil {
		return nil, fmt.Errorf("pgregress: reading the schedule: %w", err)
	}
	return Order(files, ParseSchedule(string(b)))
}

// adapt writes the adapted copy of a file into the run's directory
// (the suite is read-only) and splits it into units.
func (r *runner) adapt(name string) (string, Script, error) {
	src, err := os.ReadFile(filepath.Join(r.cfg.Suite, "sql", name+".sql"))
	if err != nil {
		return "", Script{}, fmt.Errorf("pgregress: reading %s: %w", name, err)
	}
	dataDir, err := filepath.Abs(filepath.Join(r.cfg.Suite, "data"))
	if err != nil {
		return "", Script{}, fmt.Errorf("pgregress: the data directory: %w", err)
	}
	text := Adapt(string(src), dataDir, Preamble(r.cfg.StatementTimeout))
	dir := r.outDir()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", Script{}, fmt.Errorf("pgregress: the output directory: %w", err)
	}
	path := filepath.Join(dir, name+".sql")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		return "", Script{}, fmt.Errorf("pgregress: writing the adapted %s: %w", name, err)
	}
	return path, Split(text), nil
}

// outDir is where scripts and outputs go.
func (r *runner) outDir() string {
	if r.cfg.OutDir != "" {
		return r.cfg.OutDir
	}
	return filepath.Join(r.tmp, "out")
}

// runFile runs one file on both servers at once and compares the
// outputs. When quorumdb lost the connection, timed out or stopped
// answering, it is restarted (a fresh database, test_setup run again)
// for the next file, and restarted is true.
func (r *runner) runFile(ctx context.Context, name string, sc Script) (fr FileResult, restarted bool, err error) {
	var pgOut, qOut string
	var pgSt, qSt runStatus
	var pgErr, qErr error
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		pgOut, pgSt, pgErr = r.runScript(ctx, r.pg, r.scripts[name], name+".pg.out")
	}()
	go func() {
		defer wg.Done()
		qOut, qSt, qErr = r.runScript(ctx, r.q, r.scripts[name], name+".quorumdb.out")
	}()
	wg.Wait()
	if err := errors.Join(pgErr, qErr); err != nil {
		return fr, false, err
	}
	if err := ctx.Err(); err != nil {
		return fr, false, err
	}
	fr = Score(name, sc, Align(sc, Normalize(pgOut)), Align(sc, Normalize(qOut)))
	if pgSt != ranToEnd {
		fr.Notes = append(fr.Notes, "PostgreSQL: "+pgSt.String())
	}
	if (qSt == ranToEnd || qSt == psqlError) && !r.alive(ctx, r.q) {
		qSt = stoppedAnswering
	}
	if qSt == psqlError {
		fr.Notes = append(fr.Notes, "quorumdb: psql failed")
	} else if qSt != ranToEnd {
		fr.Notes = append(fr.Notes, "quorumdb: "+qSt.String()+", restarted")
		if err := r.restartQuorumdb(ctx); err != nil {
			return fr, true, err
		}
		restarted = true
	}
	return fr, restarted, nil
}

// runStatus is how a psql run ended.
type runStatus int

const (
	ranToEnd runStatus = iota
	lostConn
	timedOut
	stoppedAnswering
	psqlError
)

func (s runStatus) String() string {
	return [...]string{"ran to the end", "lost the connection", "file timed out", "stopped answering", "psql failed"}[s]
}

// psqlEnv is the environment of every psql run: the caller's without
// its libpq settings, PostgreSQL's regression time zone, C messages.
func psqlEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "PG") || strings.HasPrefix(kv, "LC_") || strings.HasPrefix(kv, "LANG") {
			continue
		}
		env = append(env, kv)
	}
	return append(env, "PGTZ=PST8PDT", "LC_ALL=C.UTF-8", "PGCONNECT_TIMEOUT=10")
}

// runScript runs a script with psql -X -a -q -v ON_ERROR_STOP=0 -f on
// a server's regression database, bounded by the file timeout, and
// returns its output (stdout and stderr in one stream, as psql
// interleaves them), also written to the run's directory.
func (r *runner) runScript(ctx context.Context, s side, script, outName string) (string, runStatus, error) {
	ctx, cancel := context.WithTimeout(ctx, r.cfg.FileTimeout)
	defer cancel()
	args := []string{"-X", "-a", "-q", "-v", "ON_ERROR_STOP=0"}
	if !r.cfg.Quiet {
		args = append(args, "-v", "QUIET=off")
	}
	args = append(args, "-h", "127.0.0.1", "-p", strconv.Itoa(s.srv.Port), "-U", s.srv.User, "-d", Database, "-f", script)
	outPath := filepath.Join(r.outDir(), outName)
	f, err := os.Create(outPath)
	if err != nil {
		return "", 0, fmt.Errorf("pgregress: psql output for %s: %w", outName, err)
	}
	defer f.Close()
	cmd := exec.CommandContext(ctx, r.psql, args...)
	cmd.Env = psqlEnv()
	cmd.Stdout, cmd.Stderr = f, f
	cmd.WaitDelay = 5 * time.Second
	runErr := cmd.Run()
	out, err := os.ReadFile(outPath)
	if err != nil {
		return "", 0, fmt.Errorf("pgregress: reading psql output for %s: %w", outName, err)
	}
	switch {
	case ctx.Err() == context.DeadlineExceeded:
		return string(out), timedOut, nil
	case ctx.Err() != nil:
		return string(out), 0, ctx.Err()
	}
	var exit *exec.ExitError
	if errors.As(runErr, &exit) {
		// psql exits 2 when the connection is lost (1 and 3 are
		// its own errors, which ON_ERROR_STOP=0 does not raise).
		if exit.ExitCode() == 2 {
			return string(out), lostConn, nil
		}
		// Its own errors (a script's \i of a missing file...)
		// end the file but say nothing of the server.
		return string(out), psqlError, nil
	} else if runErr != nil {
		return "", 0, fmt.Errorf("pgregress: psql: %w", runErr)
	}
	return string(out), ranToEnd, nil
}

// query runs one statement with psql and returns its unaligned output.
func (r *runner) query(ctx context.Context, s side, db, sql string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, r.psql, "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1",
		"-p", strconv.Itoa(s.srv.Port), "-U", s.srv.User, "-d", db, "-c", sql)
	cmd.Env = psqlEnv()
	out, err := cmd.CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("pgregress: %s on %s: %w\n%s", sql, s.name, err, out)
	}
	return strings.TrimSpace(string(out)), nil
}

func (r *runner) alive(ctx context.Context, s side) bool {
	_, err := r.query(ctx, s, Database, "SELECT 1")
	return err == nil
}

// createDatabase creates the regression database from the server's own.
func (r *runner) createDatabase(ctx context.Context, s side) error {
	_, err := r.query(ctx, s, s.srv.DB, "CREATE DATABASE "+Database)
	return err
}

// startQuorumdb starts a one-node quorumdb in a fresh data directory
// and creates the regression database on it.
func (r *runner) startQuorumdb(ctx context.Context) error {
	dir := filepath.Join(r.tmp, fmt.Sprintf("quorumdb.%d", r.qDirs))
	r.qDirs++
	srv, err := dbproc.StartQuorumdb(ctx, r.cfg.Quorumdb, dir, 1, r.cfg.ServerLog)
	if err != nil {
		return fmt.Errorf("pgregress: starting quorumdb: %w", err)
	}
	r.q = side{name: "quorumdb", srv: srv}
	return r.createDatabase(ctx, r.q)
}

func (r *runner) stopQuorumdb() {
	if r.q.srv != nil {
		r.q.srv.Stop()
		r.q.srv = nil
	}
}

// restartQuorumdb replaces quorumdb by a fresh one and runs test_setup
// on it again (not compared), so that the next files find its tables.
// What the files run before had left in the database is lost.
func (r *runner) restartQuorumdb(ctx context.Context) error {
	r.stopQuorumdb()
	if err := r.startQuorumdb(ctx); err != nil {
		return err
	}
	_, _, err := r.runScript(ctx, r.q, r.scripts[SetupFile], SetupFile+".quorumdb.restart.out")
	return err
}

// Percent formats part/whole as a percentage with one decimal.
func Percent(part, whole int) string {
	if whole == 0 {
		return "-"
	}
	return strconv.FormatFloat(100*float64(part)/float64(whole), 'f', 1, 64) + "%"
}
