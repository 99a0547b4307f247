package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/quorumdb/quorumdb/internal/dbproc"
	"github.com/quorumdb/quorumdb/internal/difftest"
)

func main() {
	bin := flag.String("quorumdb", "bin/quorumdb", "quorumdb binary")
	seeds := flag.String("seeds", "1,2,3", "seeds, comma-separated; a-b is a range")
	queries := flag.Int("queries", 2000, "queries per seed")
	only := flag.String("query", "", "run only these query indexes of each seed, comma-separated (to reproduce and shrink findings of a larger run)")
	targets := flag.String("targets", "one,cluster", "quorumdb targets: one (demo --nodes 1), cluster (demo --nodes 3, via a node that does not lead the system partition)")
	tlpEvery := flag.Int("tlp-every", 10, "a TLP check after every n-th query (0: none)")
	shrink := flag.Int("shrink", 8, "findings of one kind, seed and target to shrink")
	budget := flag.Int("shrink-budget", 400, "candidates tried to shrink one finding")
	shrinkTime := flag.Duration("shrink-time", 2*time.Minute, "time spent shrinking one finding")
	report := flag.String("report", "difftest-report.md", "Markdown report of the findings (the servers' output goes to <report>.servers.log)")
	off := flag.String("off", "", "constructs not to generate, comma-separated: indexes, joins, full-joins, subqueries, setops, windows, ctes, lateral, aggregates")
	types := flag.String("types", "", "column and expression types, comma-separated (default: all)")
	exclude := flag.String("exclude", "gaps", "calls not to generate, as '|'-separated substrings of their signatures; \"gaps\": the builtins quorumdb lacks today (difftest.Gaps); \"\": none")
	tables := flag.Int("tables", 3, "tables per seed")
	rows := flag.Int("rows", 12, "most rows per table")
	tz := flag.String("timezone", "UTC", "session TimeZone of both sides")
	timeout := flag.Duration("statement-timeout", 10*time.Second, "statement_timeout of both sides")
	verbose := flag.Bool("v", false, "show the servers' output")
	logBoth := flag.Bool("log-both-errors", false, "log the queries both sides reject (to tune the generator)")
	flag.Parse()

	cfg := difftest.Config{Queries: *queries, TLPEvery: *tlpEvery, Shrink: *shrink, ShrinkBudget: *budget, ShrinkTime: *shrinkTime,
		TimeZone: *tz, StatementTimeout: *timeout, Logf: log.Printf, LogBothErrors: *logBoth}
	var err error
	if cfg.Seeds, err = parseSeeds(*seeds); err != nil {
		log.Fatalf("--seeds: %v", err)
	}
	if *only != "" {
		for _, f := range strings.Split(*only, ",") {
			i, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil || i < 0 {
				log.Fatalf("--query: bad index %q", f)
			}
			cfg.Only = append(cfg.Only, i)
		}
	}
	if cfg.Options, err = options(*off, *types); err != nil {
		log.Fatal(err)
	}
	cfg.Options.Tables, cfg.Options.Rows = *tables, *rows
	switch *exclude {
	case "gaps":
		cfg.Options.Exclude = difftest.Gaps
	case "":
	default:
		cfg.Options.Exclude = strings.Split(*exclude, "|")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	real, err := run(ctx, cfg, *bin, strings.Split(*targets, ","), *report, *verbose)
	if err != nil {
		log.Fatal(err)
	}
	if real > 0 {
		os.Exit(1)
	}
}

// options turns --off and --types into generator options.
func options(off, types string) (difftest.Options, error) {
	o := difftest.DefaultOptions()
	flags := map[string]*bool{"indexes": &o.Indexes, "joins": &o.Joins, "full-joins": &o.FullJoins, "subqueries": &o.Subqueries,
		"setops": &o.SetOps, "windows": &o.Windows, "ctes": &o.CTEs, "lateral": &o.Lateral, "aggregates": &o.Aggregates}
	for _, name := range strings.Split(off, ",") {
		if name = strings.TrimSpace(name); name == "" {
			continue
		}
		p, ok := flags[name]
		if !ok {
			return o, fmt.Errorf("--off: unknown construct %q", name)
		}
		*p = false
	}
	known := map[string]bool{}
	for _, t := range difftest.AllTypes {
		known[string(t)] = true
	}
	for _, name := range strings.Split(types, ",") {
		if name = strings.TrimSpace(name); name == "" {
			continue
		}
		if !known[name] {
			return o, fmt.Errorf("--types: unknown type %q", name)
		}
		o.Types = append(o.Types, difftest.Type(name))
	}
	return o, nil
}

func parseSeeds(s string) ([]uint64, error) {
	var out []uint64
	for _, part := range strings.Split(s, ",") {
		a, b, isRange := strings.Cut(strings.TrimSpace(part), "-")
		lo, err := strconv.ParseUint(a, 10, 64)
		if err != nil {
			return nil, err
		}
		hi := lo
		if isRange {
			if hi, err = strconv.ParseUint(b, 10, 64); err != nil {
				return nil, err
			}
		}
		for v := lo; v <= hi; v++ {
			out = append(out, v)
		}
	}
	return out, nil
}

// run starts the servers, runs the tester and writes the report; it
// returns the number of real differences found.
func run(ctx context.Context, cfg difftest.Config, bin string, targetNames []string, reportPath string, verbose bool) (int, error) {
	tmp, err := os.MkdirTemp("", "quorumdb-difftest-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(tmp)
	// The servers' output is kept beside the report (a crash's stack
	// is there).
	var out *os.File
	if !verbose {
		if out, err = os.Create(reportPath + ".servers.log"); err != nil {
			return 0, err
		}
		defer out.Close()
	}
	pgSrv, err := dbproc.StartPostgres(ctx, filepath.Join(tmp, "pg"), writer(out))
	if err != nil {
		return 0, fmt.Errorf("starting PostgreSQL: %w", err)
	}
	defer pgSrv.Stop()
	pg, err := difftest.Dial(ctx, pgSrv.DSN(pgSrv.Port), 2*cfg.StatementTimeout)
	if err != nil {
		return 0, err
	}
	defer pg.Close()

	var targets []difftest.Target
	for _, name := range targetNames {
		name = strings.TrimSpace(name)
		if name != "one" && name != "cluster" {
			return 0, fmt.Errorf("--targets: unknown target %q (one, cluster)", name)
		}
		t := &target{name: name, bin: bin, dir: filepath.Join(tmp, name), out: writer(out), timeout: 2 * cfg.StatementTimeout}
		defer t.stop()
		db, err := t.start(ctx)
		if err != nil {
			return 0, err
		}
		targets = append(targets, difftest.Target{Name: t.label, DB: db, Restart: t.restart})
	}

	rep, err := difftest.Run(ctx, cfg, pg, targets)
	if rep != nil {
		fmt.Print(rep.Summary())
		f, ferr := os.Create(reportPath)
		if ferr != nil {
			return 0, ferr
		}
		rep.WriteMarkdown(f)
		if ferr := f.Close(); ferr != nil {
			return 0, ferr
		}
		fmt.Printf("report: %s\n", reportPath)
	}
	if err != nil {
		return 0, err
	}
	real := 0
	for _, st := range rep.Stats {
		for k, n := range st.Kinds {
			if k.Real() {
				real += n
			}
		}
		real += st.TLPFailed + st.Setup
	}
	return real, nil
}

// target is a quorumdb demo under test and the connection to it.
type target struct {
	name, bin, dir string
	out            io.Writer
	timeout        time.Duration
	label          string
	restarts       int
	srv            *dbproc.Server
	conn           *difftest.Conn
}

// start starts the demo: one node, or three queried through a node
// that does not lead the keyspace.
func (t *target) start(ctx context.Context) (*difftest.Conn, error) {
	nodes := 1
	if t.name == "cluster" {
		nodes = 3
	}
	dir := t.dir
	if t.restarts > 0 {
		dir = fmt.Sprintf("%s.%d", t.dir, t.restarts)
	}
	srv, err := dbproc.StartQuorumdb(ctx, t.bin, dir, nodes, t.out)
	if err != nil {
		return nil, fmt.Errorf("starting quorumdb: %w", err)
	}
	t.srv = srv
	port, label := srv.Port, "quorumdb 1 node"
	if nodes > 1 {
		var leader int
		if port, leader, err = dbproc.NonLeaderPort(ctx, srv, nodes); err != nil {
			return nil, err
		}
		label = "quorumdb 3 nodes, non-leader"
		log.Printf("cluster: node %d leads the keyspace; querying node %d", leader, port-srv.Port+1)
	}
	if t.label == "" {
		t.label = label
	}
	t.conn, err = difftest.Dial(ctx, srv.DSN(port), t.timeout)
	return t.conn, err
}

// restart replaces a crashed demo by a new one.
func (t *target) restart(ctx context.Context) (difftest.DB, error) {
	t.stop()
	t.restarts++
	return t.start(ctx)
}

func (t *target) stop() {
	if t.conn != nil {
		t.conn.Close()
		t.conn = nil
	}
	if t.srv != nil {
		t.srv.Stop()
		t.srv = nil
	}
}

// writer avoids a typed nil *os.File in an io.Writer.
func writer(f *os.File) io.Writer {
	if f == nil {
		return nil
	}
	return f
}
