package server

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The driver tests run small programs written against PgJDBC,
// node-postgres and psycopg (server/testdata/drivers) through the wire
// against a node. Each program prints one line per observation; its
// .expected file is what the same program prints against PostgreSQL 15,
// so a difference is a place where quorumdb does not behave as
// PostgreSQL does for that driver. CI installs the drivers as Debian
// packages (.ci/run).

const driversDir = "testdata/drivers"

// requireDriver skips (fails under CI=true) when a driver or its runtime
// is missing, as requireTool does for client programs.
func requireDriver(t *testing.T, what string, err error) {
	t.Helper()
	if err == nil {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is not installed (CI=true): %v", what, err)
	}
	t.Skipf("%s is not installed: %v", what, err)
}

// runDriverProgram runs cmd and compares its output with the program's
// .expected file line by line.
func runDriverProgram(t *testing.T, expected string, cmd *exec.Cmd) {
	t.Helper()
	if cmd.Env == nil {
		cmd.Env = os.Environ()
	}
	cmd.Env = append(cmd.Env, "PGSSLMODE=disable", "PGCONNECT_TIMEOUT=10")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(cmd.Args, " "), err, out)
	}
	want, err := os.ReadFile(filepath.Join(driversDir, expected))
	if err != nil {
		t.Fatal(err)
	}
	gotLines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	wantLines := strings.Split(strings.TrimRight(string(want), "\n"), "\n")
	for i := 0; i < max(len(gotLines), len(wantLines)); i++ {
		var g, w string
		if i < len(gotLines) {
			g = gotLines[i]
		}
		if i < len(wantLines) {
			w = wantLines[i]
		}
		if g != w {
			t.Errorf("%s line %d:\n got: %s\nwant: %s", expected, i+1, g, w)
		}
	}
	if t.Failed() {
		t.Logf("full output:\n%s", out)
	}
}

func TestDriverPgJDBC(t *testing.T) {
	_, err := exec.LookPath("javac")
	requireDriver(t, "javac (default-jdk-headless)", err)
	_, err = exec.LookPath("java")
	requireDriver(t, "java (default-jdk-headless)", err)
	const jar = "/usr/share/java/postgresql.jar"
	_, err = os.Stat(jar)
	requireDriver(t, "PgJDBC (libpostgresql-jdbc-java)", err)

	classes := t.TempDir()
	if out, err := exec.Command("javac", "-d", classes, "-cp", jar, filepath.Join(driversDir, "Metadata.java")).CombinedOutput(); err != nil {
		t.Fatalf("javac: %v\n%s", err, out)
	}
	n := startNode(t, testConfig(t))
	url := "jdbc:postgresql://" + n.SQLAddr() + "/quorumdb?user=postgres"
	runDriverProgram(t, "Metadata.expected", exec.Command("java", "-cp", jar+string(os.PathListSeparator)+classes, "Metadata", url))
}

// nodePath lists where Debian's node-pg lives: Debian's nodejs searches
// /usr/share/nodejs itself, NodeSource's does not, and .ci/run unpacks
// node-pg under /usr/local/share/quorumdb/nodejs when apt cannot install
// it next to a NodeSource nodejs.
func nodePath() string {
	dirs := []string{"/usr/share/nodejs", "/usr/lib/nodejs", "/usr/local/share/quorumdb/nodejs"}
	if p := os.Getenv("NODE_PATH"); p != "" {
		dirs = append([]string{p}, dirs...)
	}
	return strings.Join(dirs, string(os.PathListSeparator))
}

func TestDriverNodePostgres(t *testing.T) {
	_, err := exec.LookPath("node")
	requireDriver(t, "node (nodejs)", err)
	probe := exec.Command("node", "-e", "require('pg')")
	probe.Env = append(os.Environ(), "NODE_PATH="+nodePath())
	if out, err := probe.CombinedOutput(); err != nil {
		requireDriver(t, "node-postgres (node-pg)", &exec.Error{Name: "pg", Err: errorString(strings.TrimSpace(string(out)))})
	}
	n := startNode(t, testConfig(t))
	cmd := exec.Command("node", filepath.Join(driversDir, "pg_client.js"), "postgres://postgres@"+n.SQLAddr()+"/quorumdb")
	cmd.Env = append(os.Environ(), "NODE_PATH="+nodePath())
	runDriverProgram(t, "pg_client.expected", cmd)
}

// debianPython is Debian's interpreter, which sees python3-psycopg (the
// python3 on PATH may be a pyenv one without Debian's packages).
const debianPython = "/usr/bin/python3"

func TestDriverPsycopg(t *testing.T) {
	_, err := os.Stat(debianPython)
	requireDriver(t, "python3", err)
	if out, err := exec.Command(debianPython, "-c", "import psycopg, psycopg2").CombinedOutput(); err != nil {
		requireDriver(t, "psycopg 3 and psycopg2 (python3-psycopg, python3-psycopg2)", &exec.Error{Name: "psycopg", Err: errorString(strings.TrimSpace(string(out)))})
	}
	n := startNode(t, testConfig(t))
	host, port := hostPort(n.SQLAddr())
	dsn := "host=" + host + " port=" + port + " user=postgres dbname=quorumdb"
	runDriverProgram(t, "psycopg_client.expected", exec.Command(debianPython, filepath.Join(driversDir, "psycopg_client.py"), dsn))
}

type errorString string

func (e errorString) Error() string { return string(e) }
