package difftest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Target is a quorumdb under test, compared with PostgreSQL.
type Target struct {
	Name string
	DB   DB
	// Restart, when set, starts the target again after it crashed and
	// returns a connection to it.
	Restart func(ctx context.Context) (DB, error)
}

// restart replaces a crashed target and installs the seed's tables on
// it again.
func restart(ctx context.Context, cfg Config, setup []Stmt, pg DB, t *Target) error {
	cfg.logf("%s lost its connection: restarting it", t.Name)
	db, err := t.Restart(ctx)
	if err != nil {
		return fmt.Errorf("difftest: restarting %s: %w", t.Name, err)
	}
	if err := session(ctx, cfg, db); err != nil {
		return err
	}
	t.DB = db
	_, _, err = install(ctx, setup, []DB{pg, db})
	return err
}

// session sets the search path, time zone and statement timeout of db.
func session(ctx context.Context, cfg Config, db DB) error {
	tz := cfg.TimeZone
	if tz == "" {
		tz = "UTC"
	}
	if c, ok := db.(*Conn); ok {
		c.ResetSession()
	}
	return db.Session(ctx, "SET search_path = "+schemaName,
		"SET TimeZone = '"+tz+"'",
		fmt.Sprintf("SET statement_timeout = %d", cfg.StatementTimeout.Milliseconds()))
}

// Config says what Run does.
type Config struct {
	Seeds   []uint64
	Queries int // per seed
	// Only, when set, runs just these query indexes of every seed (to
	// reproduce and shrink a finding of a larger run).
	Only    []int
	Options Options
	// TLPEvery runs a TLP check on every target after every n-th query
	// (0: none).
	TLPEvery int
	// Shrink is how many findings of one kind per seed and target are
	// shrunk (the others are reported as found); ShrinkBudget bounds the
	// candidates tried to shrink one, and ShrinkTime the time (0: 2
	// minutes).
	Shrink, ShrinkBudget int
	ShrinkTime           time.Duration
	// TimeZone is the session time zone of both sides.
	TimeZone string
	// StatementTimeout is set on both sides.
	StatementTimeout time.Duration
	// LogBothErrors logs every query both sides reject (to tune the
	// generator: such queries test little).
	LogBothErrors bool
	// Logf reports progress (nil: quiet).
	Logf func(format string, args ...any)
}

// Schema is the one schema the tables of a run live in; it is dropped
// and created again for every seed and every shrinking candidate.
const schemaName = "difftest"

// Finding is one difference.
type Finding struct {
	Kind   DiffKind
	Target string
	Seed   uint64
	// Index is the query's (or TLP check's) index in its seed; -1 for
	// a setup statement.
	Index int
	SQL   string
	PG, Q *Result
	// TLP, when set, is the check that failed, with its outcome on
	// quorumdb and on PostgreSQL.
	TLP         *TLPCase
	TLPQ, TLPPG TLPOutcome
	root        *Node
	setup       []Stmt
	Shrunk      *Case
	ShrunkSQL   string
	ShrunkPG    *Result
	ShrunkQ     *Result
	ShrunkTLPQ  TLPOutcome
	ShrunkTLPPG TLPOutcome
	// Example marks an evaluation order difference kept as an example
	// of what that classification covers.
	Example bool
}

// Stats count the outcomes on one target.
type Stats struct {
	Queries                       int
	Kinds                         map[DiffKind]int
	TLPRun, TLPSkipped, TLPFailed int
	// Setup counts schema and data statements that failed on quorumdb
	// only, and tables that read back differently.
	Setup int
	// Time is the time the target took to answer the queries.
	Time time.Duration
	// Reclassified counts evaluation order differences whose shrunk
	// case showed a real difference (counted under its kind).
	Reclassified int
	// Codes counts quorumdb's SQLSTATEs of QdbError and Unsupported.
	Codes map[string]int
}

// Report is the outcome of a run.
type Report struct {
	Config   Config
	Targets  []string
	Stats    map[string]*Stats
	Findings []*Finding
	// Duplicates counts findings whose shrunk case equals an earlier
	// one's.
	Duplicates int
	Elapsed    time.Duration
	// PGTime is the time PostgreSQL took to answer the queries.
	PGTime time.Duration
}

// Run generates the seeds' schemas and queries, runs them on pg and
// every target and compares; then it shrinks the findings.
func Run(ctx context.Context, cfg Config, pg DB, targets []Target) (*Report, error) {
	start := time.Now()
	rep := &Report{Config: cfg, Stats: map[string]*Stats{}}
	for _, t := range targets {
		rep.Targets = append(rep.Targets, t.Name)
		rep.Stats[t.Name] = &Stats{Kinds: map[DiffKind]int{}, Codes: map[string]int{}}
	}
	for _, db := range append([]DB{pg}, dbs(targets)...) {
		if err := session(ctx, cfg, db); err != nil {
			return nil, err
		}
	}
	for _, seed := range cfg.Seeds {
		if err := runSeed(ctx, cfg, rep, seed, pg, targets); err != nil {
			return rep, err
		}
	}
	rep.Elapsed = time.Since(start)
	return rep, nil
}

func dbs(ts []Target) []DB {
	var out []DB
	for _, t := range ts {
		out = append(out, t.DB)
	}
	return out
}

func (cfg Config) logf(format string, args ...any) {
	if cfg.Logf != nil {
		cfg.Logf(format, args...)
	}
}

// install makes the schema empty and runs the setup statements on
// every db; a statement PostgreSQL (the first db) rejects is skipped.
// It returns the statements that ran and those that failed on a target
// (with its result), by target index.
func install(ctx context.Context, setup []Stmt, all []DB) (ran []Stmt, failed map[int][]setupFailure, err error) {
	failed = map[int][]setupFailure{}
	for _, db := range all {
		for _, s := range []string{"DROP SCHEMA IF EXISTS " + schemaName + " CASCADE", "CREATE SCHEMA " + schemaName} {
			if r := db.Exec(ctx, s); r.Failed() {
				return nil, nil, fmt.Errorf("difftest: %s: %s %s", s, r.Code, r.Msg)
			}
		}
	}
	for _, st := range setup {
		if r := all[0].Exec(ctx, st.SQL); r.Failed() {
			continue
		}
		ok := true
		for i, db := range all[1:] {
			if r := db.Exec(ctx, st.SQL); r.Failed() {
				failed[i] = append(failed[i], setupFailure{st, r})
				ok = false
			}
		}
		if !ok && st.Insert {
			// Keep the data alike: the row goes everywhere.
			del := fmt.Sprintf("DELETE FROM %s WHERE k = %d", st.Table, st.Key)
			for _, db := range all {
				db.Exec(ctx, del)
			}
			continue
		}
		ran = append(ran, st)
	}
	return ran, failed, nil
}

type setupFailure struct {
	st Stmt
	r  *Result
}

// slowQuery is how long a PostgreSQL answer may take before it is
// logged.
var slowQuery = 2 * time.Second

// errCrashed ends a run whose target stopped answering.
var errCrashed = errors.New("difftest: a target lost its connection three times in a row")

func runSeed(ctx context.Context, cfg Config, rep *Report, seed uint64, pg DB, targets []Target) error {
	s := GenSchema(seed, cfg.Options)
	all := append([]DB{pg}, dbs(targets)...)
	setup, failed, err := install(ctx, s.Stmts, all)
	if err != nil {
		return err
	}
	for i, fs := range failed {
		for _, f := range fs {
			rep.Stats[targets[i].Name].Setup++
			rep.Findings = append(rep.Findings, &Finding{Kind: Setup, Target: targets[i].Name, Seed: seed, Index: -1,
				SQL: f.st.SQL, PG: &Result{}, Q: f.r})
		}
	}
	// The tables read back alike.
	for _, t := range s.tables {
		sql := "SELECT * FROM " + t.name
		p := pg.Exec(ctx, sql)
		for _, tg := range targets {
			q := tg.DB.Exec(ctx, sql)
			if k := Compare(txt(sql), p, q); k != Same && k != BothError {
				rep.Stats[tg.Name].Setup++
				rep.Findings = append(rep.Findings, &Finding{Kind: Setup, Target: tg.Name, Seed: seed, Index: -1, SQL: sql, PG: p, Q: q})
			}
		}
	}
	lost := make([]int, len(targets))
	indexes := cfg.Only
	if indexes == nil {
		for i := range cfg.Queries {
			indexes = append(indexes, i)
		}
	}
	for _, i := range indexes {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		q := GenQuery(s, cfg.Options, i)
		sql := q.SQL()
		t0 := time.Now()
		p := pg.Exec(ctx, sql)
		rep.PGTime += time.Since(t0)
		if d := time.Since(t0); d > slowQuery {
			cfg.logf("seed %d query %d: PostgreSQL took %s", seed, i, d.Round(time.Millisecond))
		}
		for ti, tg := range targets {
			st := rep.Stats[tg.Name]
			t0 := time.Now()
			r := tg.DB.Exec(ctx, sql)
			st.Time += time.Since(t0)
			k := Compare(q.Root, p, r)
			st.Queries++
			st.Kinds[k]++
			switch k {
			case QdbError, Unsupported, BothError:
				st.Codes[string(k)+" "+r.Code+" "+errKey(r.Msg)]++
			case EvalOrder:
				if r.Code != "" {
					st.Codes[fmt.Sprintf("%s pg %s, quorumdb %s %s", k, orNone(p.Code), r.Code, errKey(r.Msg))]++
				} else {
					st.Codes[fmt.Sprintf("%s pg %s %s, quorumdb answered", k, p.Code, errKey(p.Msg))]++
				}
			}
			if k == BothError && cfg.LogBothErrors {
				cfg.logf("both-error %s %s: %s", r.Code, r.Msg, sql)
			}
			if k == Crash {
				if tg.Restart == nil {
					// Maybe a dropped connection: the DB reconnects.
					if lost[ti]++; lost[ti] >= 3 {
						return errCrashed
					}
				} else if err := restart(ctx, cfg, s.Stmts, pg, &targets[ti]); err != nil {
					return err
				}
			} else {
				lost[ti] = 0
			}
			if k.Real() || k == EvalOrder {
				// Evaluation order findings are shrunk too: a small case
				// tells whether the order explains them (see shrinkSeed).
				rep.Findings = append(rep.Findings, &Finding{Kind: k, Target: tg.Name, Seed: seed, Index: i, SQL: sql, PG: p, Q: r, root: q.Root, setup: setup})
			}
		}
		if cfg.TLPEvery > 0 && i%cfg.TLPEvery == 0 {
			tc := GenTLP(s, cfg.Options, i)
			for _, tg := range targets {
				st := rep.Stats[tg.Name]
				st.TLPRun++
				out := tc.Check(ctx, tg.DB, tc.Root)
				switch {
				case out.Skipped:
					st.TLPSkipped++
				case !out.Holds:
					st.TLPFailed++
					rep.Findings = append(rep.Findings, &Finding{Kind: TLP, Target: tg.Name, Seed: seed, Index: i, SQL: tc.Root.Render(),
						TLP: tc, TLPQ: out, TLPPG: tc.Check(ctx, pg, tc.Root), root: tc.Root, setup: setup})
				}
			}
		}
		if (i+1)%250 == 0 {
			cfg.logf("seed %d: %d/%d queries, %d findings so far", seed, i+1, cfg.Queries, len(rep.Findings))
		}
	}
	return shrinkSeed(ctx, cfg, rep, seed, pg, targets)
}

// shrinkSeed shrinks up to cfg.Shrink findings of each kind and target
// of the seed, then drops those whose shrunk case an earlier finding
// has.
func shrinkSeed(ctx context.Context, cfg Config, rep *Report, seed uint64, pg DB, targets []Target) error {
	count := map[string]int{}
	seen := map[string]bool{}
	for _, f := range rep.Findings {
		if f.Shrunk != nil {
			seen[f.Target+"\x00"+string(f.Kind)+"\x00"+caseKey(*f.Shrunk)] = true
		}
	}
	var keep []*Finding
	for _, f := range rep.Findings {
		if f.Seed != seed || f.root == nil || f.Shrunk != nil || f.Kind == Crash {
			keep = append(keep, f)
			continue
		}
		key := f.Target + "\x00" + string(f.Kind)
		if count[key] >= cfg.Shrink {
			if f.Kind != EvalOrder {
				keep = append(keep, f)
			}
			continue
		}
		count[key]++
		var tg *Target
		for i := range targets {
			if targets[i].Name == f.Target {
				tg = &targets[i]
			}
		}
		if err := shrinkFinding(ctx, cfg, f, pg, tg); err != nil {
			return err
		}
		if f.Kind == EvalOrder {
			// Classified again on the small case: an evaluation order
			// that no longer explains it makes it a real difference.
			if k := Compare(f.Shrunk.Root, f.ShrunkPG, f.ShrunkQ); k.Real() {
				st := rep.Stats[f.Target]
				st.Kinds[EvalOrder]--
				st.Kinds[k]++
				st.Reclassified++
				f.Kind = k
			} else {
				if count["example"+key] < 2 {
					count["example"+key]++
					f.Example = true
					keep = append(keep, f)
				}
				continue
			}
		}
		k := key + "\x00" + caseKey(*f.Shrunk)
		if seen[k] {
			rep.Duplicates++
			continue
		}
		seen[k] = true
		keep = append(keep, f)
		cfg.logf("seed %d: shrunk a %s finding on %s to %d statements: %s", seed, f.Kind, f.Target, len(f.Shrunk.Setup), f.ShrunkSQL)
	}
	rep.Findings = keep
	return nil
}

func caseKey(c Case) string {
	var b strings.Builder
	for _, s := range c.Setup {
		b.WriteString(s.SQL)
		b.WriteByte(0)
	}
	b.WriteString(c.Root.Render())
	return b.String()
}

// shrinkFinding shrinks f against pg and target t, in the run's schema.
// A candidate that crashes the target is not accepted; the target is
// restarted (when it can be) and the candidates go on.
func shrinkFinding(ctx context.Context, cfg Config, f *Finding, pg DB, t *Target) error {
	installed := ""
	var installErr error
	tg := &crashGuard{ctx: ctx, t: t, cfg: cfg, pg: pg, installed: &installed}
	prepare := func(c Case) bool {
		k := ""
		for _, s := range c.Setup {
			k += s.SQL + "\x00"
		}
		if k == installed {
			return true
		}
		_, _, err := install(ctx, c.Setup, []DB{pg, tg})
		if err != nil && tg.err == nil && installed == restarted {
			// The target had crashed and is back: once more.
			_, _, err = install(ctx, c.Setup, []DB{pg, tg})
		}
		if err != nil {
			installErr = err
			return false
		}
		installed = k
		return true
	}
	var fails Oracle
	if f.TLP != nil {
		fails = func(ctx context.Context, c Case) bool {
			if !prepare(c) {
				return false
			}
			q := f.TLP.Check(ctx, tg, c.Root)
			if tg.err != nil {
				return false
			}
			if q.Skipped || q.Holds {
				return false
			}
			p := f.TLP.Check(ctx, pg, c.Root)
			return !p.Skipped && p.Holds
		}
	} else {
		fails = func(ctx context.Context, c Case) bool {
			if !prepare(c) {
				return false
			}
			sql := c.Root.Render()
			p, q := pg.Exec(ctx, sql), tg.Exec(ctx, sql)
			if tg.err != nil {
				return false
			}
			if p.Code != f.PG.Code || q.Code != f.Q.Code || p.Timeout || q.Timeout || q.Lost {
				return false
			}
			switch f.Kind {
			case EvalOrder, QdbError, PgError, ErrorCode:
				// The same errors, however they are classified now.
				return true
			}
			return Compare(c.Root, p, q) == f.Kind
		}
	}
	orig := Case{Setup: f.setup, Root: f.root}
	budget := cfg.ShrinkBudget
	limit := cfg.ShrinkTime
	if limit == 0 {
		limit = 2 * time.Minute
	}
	sctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	if !fails(sctx, orig) {
		// Not reproducible on its own (it depended on the session, or on
		// timing): reported as found.
		f.Shrunk = &orig
	} else {
		c := Shrink(sctx, orig, fails, budget)
		f.Shrunk = &c
	}
	if installErr != nil {
		return installErr
	}
	if tg.err != nil {
		return tg.err
	}
	// The shrunk case's answers, for the report.
	prepare(*f.Shrunk)
	f.ShrunkSQL = f.Shrunk.Root.Render()
	if f.TLP != nil {
		f.ShrunkTLPQ = f.TLP.Check(ctx, tg, f.Shrunk.Root)
		f.ShrunkTLPPG = f.TLP.Check(ctx, pg, f.Shrunk.Root)
	} else {
		f.ShrunkPG, f.ShrunkQ = pg.Exec(ctx, f.ShrunkSQL), tg.Exec(ctx, f.ShrunkSQL)
	}
	if installErr != nil {
		return installErr
	}
	return tg.err
}

// restarted marks a restarted target's tables as unknown.
const restarted = "\x00restarted"

// crashGuard is a target's DB that restarts the target when a statement
// loses its connection (a crash) and makes the next prepare install the
// candidate's tables again.
type crashGuard struct {
	// ctx is the run's: a restart is not bound by a candidate's deadline.
	ctx       context.Context
	t         *Target
	cfg       Config
	pg        DB
	installed *string
	// err is a failed restart: the shrinking stops.
	err error
}

func (g *crashGuard) Exec(ctx context.Context, sql string) *Result {
	r := g.t.DB.Exec(ctx, sql)
	if r.Lost && g.t.Restart != nil && g.err == nil && ctx.Err() == nil {
		// A crash: a fresh target, empty until the next prepare
		// installs the tables.
		g.err = restart(g.ctx, g.cfg, nil, g.pg, g.t)
		*g.installed = restarted
	}
	return r
}

func (g *crashGuard) Session(ctx context.Context, stmts ...string) error {
	return g.t.DB.Session(ctx, stmts...)
}

// errKey shortens an error message to what identifies its cause: up to
// the first quote or parenthesis.
func errKey(msg string) string {
	if i := strings.IndexAny(msg, "\"("); i > 0 {
		msg = msg[:i]
	}
	if len(msg) > 60 {
		msg = msg[:60]
	}
	return strings.TrimSpace(msg)
}

func orNone(code string) string {
	if code == "" {
		return "answered"
	}
	return code
}
