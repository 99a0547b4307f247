package server

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The framework tests run the ORMs and migration tools people point at
// PostgreSQL — Django, SQLAlchemy with Alembic (and psycopg 3's type
// lookup), Sequelize and knex — through small programs in
// testdata/frameworks. Each program creates its own database, runs the
// framework's own workflow (migrations up and down, its test runner,
// CRUD, reflection) and prints one line per observation; its .expected
// file is what the same program prints against PostgreSQL 15. Each
// program runs against a single node and through a node of a 3-node
// cluster that is not the keyspace's leader. A difference is a place
// where the framework would not work unmodified on quorumdb; the test
// then lists the statements quorumdb refused (from a protocol trace), so
// the failure names the SQL the framework sent.
//
// Rewrite the .expected files from a throwaway PostgreSQL 15 with
//
//	go test ./server -run TestFrameworks -frameworks.record
//
// (initdb and postgres on PATH, in /usr/local/bin or
// /usr/lib/postgresql/15/bin), and read the diff before committing it.
// CI installs the frameworks (.ci/run): Debian's python3-django,
// python3-sqlalchemy, python3-alembic, python3-psycopg(2), and npm's
// sequelize, knex and pg in testdata/frameworks/node/node_modules.

var recordFrameworks = flag.Bool("frameworks.record", false,
	"run the framework programs against a throwaway PostgreSQL and rewrite their .expected files")

const frameworksDir = "testdata/frameworks"

// frameworkTimeout bounds one program run (the slowest, Django through
// a cluster node, takes well under a minute).
const frameworkTimeout = 5 * time.Minute

type frameworkProgram struct {
	name     string
	expected string // path of the .expected file
	// what names the packages the program needs, for the skip message.
	what string
	// missing says why the framework cannot run here, nil when it can.
	missing func() error
	// command returns the program; the server is in the PG* variables.
	command func(ctx context.Context) *exec.Cmd
}

// pythonModules checks that Debian's python3 imports the modules.
func pythonModules(modules ...string) func() error {
	return func() error {
		if _, err := os.Stat(debianPython); err != nil {
			return err
		}
		out, err := exec.Command(debianPython, "-c", "import "+strings.Join(modules, ", ")).CombinedOutput()
		if err != nil {
			return &exec.Error{Name: modules[0], Err: errorString(strings.TrimSpace(string(out)))}
		}
		return nil
	}
}

// frameworkNodeDir holds the npm packages' package.json and lock file;
// .ci/run installs them into its node_modules with npm ci.
var frameworkNodeDir = filepath.Join(frameworksDir, "node")

// nodePackages checks that node loads the npm packages.
func nodePackages(packages ...string) func() error {
	return func() error {
		if _, err := exec.LookPath("node"); err != nil {
			return err
		}
		var js []string
		for _, p := range packages {
			js = append(js, fmt.Sprintf("require(%q)", p))
		}
		probe := exec.Command("node", "-e", strings.Join(js, ";"))
		probe.Dir = frameworkNodeDir
		if out, err := probe.CombinedOutput(); err != nil {
			return &exec.Error{Name: packages[0], Err: errorString(strings.TrimSpace(string(out)))}
		}
		return nil
	}
}

func frameworkPrograms() []frameworkProgram {
	python := func(script string) func(ctx context.Context) *exec.Cmd {
		return func(ctx context.Context) *exec.Cmd {
			return exec.CommandContext(ctx, debianPython, filepath.Join(frameworksDir, script))
		}
	}
	node := func(script string) func(ctx context.Context) *exec.Cmd {
		return func(ctx context.Context) *exec.Cmd {
			cmd := exec.CommandContext(ctx, "node", script)
			cmd.Dir = frameworkNodeDir
			return cmd
		}
	}
	return []frameworkProgram{
		{
			name:     "django",
			expected: filepath.Join(frameworksDir, "django", "run.expected"),
			what:     "Django 3.2 and psycopg2 (python3-django, python3-psycopg2)",
			missing:  pythonModules("django", "psycopg2"),
			command:  python("django/run.py"),
		},
		{
			name:     "sqlalchemy",
			expected: filepath.Join(frameworksDir, "sqlalchemy", "run.expected"),
			what:     "SQLAlchemy 1.4, Alembic 1.8, psycopg2 and psycopg 3 (python3-sqlalchemy, python3-alembic, python3-psycopg2, python3-psycopg)",
			missing:  pythonModules("sqlalchemy", "alembic", "psycopg2", "psycopg"),
			command:  python("sqlalchemy/run.py"),
		},
		{
			name:     "sequelize",
			expected: filepath.Join(frameworksDir, "node", "sequelize.expected"),
			what:     "Sequelize 6 and pg (npm ci in " + frameworkNodeDir + ", see .ci/run)",
			missing:  nodePackages("sequelize", "pg"),
			command:  node("sequelize_client.js"),
		},
		{
			name:     "knex",
			expected: filepath.Join(frameworksDir, "node", "knex.expected"),
			what:     "knex 3 and pg (npm ci in " + frameworkNodeDir + ", see .ci/run)",
			missing:  nodePackages("knex", "pg"),
			command:  node("knex_client.js"),
		},
	}
}

// runFramework runs p against the server at addr and returns its output.
func runFramework(t *testing.T, p frameworkProgram, addr string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), frameworkTimeout)
	defer cancel()
	host, port := hostPort(addr)
	cmd := p.command(ctx)
	// PGTZ: the session time zone is UTC on both servers (PostgreSQL's
	// default is initdb's environment). PYTHONHASHSEED: Alembic and
	// Django iterate sets, whose order (and so some of what they print)
	// would change from run to run.
	cmd.Env = append(os.Environ(), "PGHOST="+host, "PGPORT="+port, "PGUSER=postgres", "PGDATABASE=postgres",
		"PGSSLMODE=disable", "PGCONNECT_TIMEOUT=10", "PGTZ=UTC", "TZ=UTC", "PYTHONHASHSEED=0", "PYTHONDONTWRITEBYTECODE=1")
	cmd.WaitDelay = 10 * time.Second
	start := time.Now()
	out, err := cmd.CombinedOutput()
	t.Logf("%s ran in %s", p.name, time.Since(start).Round(time.Millisecond))
	if ctx.Err() != nil {
		err = fmt.Errorf("timed out after %s: %w", frameworkTimeout, err)
	}
	return string(out), err
}

// compareFramework compares a program's output with its .expected file
// and reports the difference as a line diff (- expected, + got).
func compareFramework(t *testing.T, p frameworkProgram, out string) {
	t.Helper()
	want, err := os.ReadFile(p.expected)
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Split(strings.TrimRight(out, "\n"), "\n")
	exp := strings.Split(strings.TrimRight(string(want), "\n"), "\n")
	if d := lineDiff(exp, got); d != "" {
		t.Errorf("%s differs (- PostgreSQL, + quorumdb):\n%s", p.expected, d)
	}
}

// lineDiff returns the lines of a and b that are not in their longest
// common subsequence, in order, with two lines of context around each
// run of changes; "" when a and b are equal.
func lineDiff(a, b []string) string {
	// lcs[i][j]: length of the LCS of a[i:] and b[j:].
	lcs := make([][]int, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	type line struct {
		op   byte // ' ', '-' or '+'
		text string
	}
	var lines []line
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case i < len(a) && j < len(b) && a[i] == b[j]:
			lines = append(lines, line{' ', a[i]})
			i++
			j++
		case i < len(a) && (j == len(b) || lcs[i+1][j] >= lcs[i][j+1]):
			lines = append(lines, line{'-', a[i]})
			i++
		default:
			lines = append(lines, line{'+', b[j]})
			j++
		}
	}
	const context = 2
	show := make([]bool, len(lines))
	changed := false
	for k, l := range lines {
		if l.op != ' ' {
			changed = true
			for c := max(0, k-context); c <= min(len(lines)-1, k+context); c++ {
				show[c] = true
			}
		}
	}
	if !changed {
		return ""
	}
	var sb strings.Builder
	for k, l := range lines {
		if !show[k] {
			if k > 0 && show[k-1] {
				sb.WriteString("  ...\n")
			}
			continue
		}
		fmt.Fprintf(&sb, "%c %s\n", l.op, l.text)
	}
	return sb.String()
}

func TestLineDiff(t *testing.T) {
	a := []string{"a", "b", "c", "d", "e", "f", "g", "h"}
	b := []string{"a", "b", "X", "d", "e", "f", "g", "h", "i"}
	want := "  a\n  b\n- c\n+ X\n  d\n  e\n  ...\n  g\n  h\n+ i\n"
	if got := lineDiff(a, b); got != want {
		t.Errorf("lineDiff:\n%s\nwant:\n%s", got, want)
	}
	if got := lineDiff(a, a); got != "" {
		t.Errorf("lineDiff of equal lines = %q", got)
	}
}

func TestFrameworks(t *testing.T) {
	programs := frameworkPrograms()
	if *recordFrameworks {
		addr := startPostgres(t)
		for _, p := range programs {
			t.Run(p.name, func(t *testing.T) {
				requireDriver(t, p.what, p.missing())
				out, err := runFramework(t, p, addr)
				if err != nil {
					t.Fatalf("%s against PostgreSQL: %v\n%s", p.name, err, out)
				}
				if err := os.WriteFile(p.expected, []byte(out), 0o644); err != nil {
					t.Fatal(err)
				}
				t.Logf("wrote %s", p.expected)
			})
		}
		return
	}
	runnable := false
	for _, p := range programs {
		runnable = runnable || p.missing() == nil
	}
	for _, target := range []string{"node", "cluster"} {
		// The servers start only when some framework can run.
		var addr string
		stop := func() {}
		if runnable {
			if target == "node" {
				n := startNode(t, testConfig(t))
				addr, stop = n.SQLAddr(), func() { _ = n.Close() }
			} else {
				// A node that does not lead the keyspace: every
				// transaction it runs is forwarded to the leader.
				nodes := startCluster(t, clusterConfigs(t, 3, 3))
				addr = nodes[(leaderOf(t, nodes)+1)%3].SQLAddr()
			}
		}
		for _, p := range programs {
			t.Run(target+"/"+p.name, func(t *testing.T) {
				requireDriver(t, p.what, p.missing())
				trace := startTrace(t, addr)
				out, err := runFramework(t, p, trace.addr())
				if err != nil {
					t.Errorf("%s: %v", p.name, err)
				}
				compareFramework(t, p, out)
				if t.Failed() {
					// Each distinct error once, with how often it came.
					var lines []string
					count := map[traceError]int{}
					errs := trace.takeErrors()
					for _, e := range errs {
						count[e]++
					}
					for _, e := range errs {
						if n := count[e]; n > 0 {
							line := "  " + e.String()
							if n > 1 {
								line += fmt.Sprintf("\n    (%d times)", n)
							}
							lines = append(lines, line)
							count[e] = 0
						}
					}
					t.Logf("errors quorumdb returned (some are provoked by the program and PostgreSQL returns them too; see %s):\n%s",
						p.expected, strings.Join(lines, "\n"))
				}
			})
		}
		stop() // the cluster's nodes stop at the end of the test
	}
}
