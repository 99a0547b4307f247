package main

import (
	"context"
	_ "embed"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/quorumdb/quorumdb/internal/dbproc"
)

// ormScript is the orm-insert workload: SQLAlchemy inserting rows in one
// transaction, timed by the script itself (orm_insert.py).
//
//go:embed orm_insert.py
var ormScript []byte

// ormPython is Debian's interpreter, which sees python3-sqlalchemy and
// python3-psycopg2 (a python3 earlier on PATH may be another one).
const ormPython = "/usr/bin/python3"

// ormVariants are the ways orm_insert.py inserts, in the order printed.
var ormVariants = []string{"orm", "core", "per-row"}

// checkORM reports why the orm-insert workload cannot run here.
func checkORM(ctx context.Context) error {
	out, err := exec.CommandContext(ctx, ormPython, "-c", "import sqlalchemy, psycopg2").CombinedOutput()
	if err != nil {
		return fmt.Errorf("orm-insert needs %s with SQLAlchemy and psycopg2 (python3-sqlalchemy, python3-psycopg2): %v\n%s", ormPython, err, out)
	}
	return nil
}

// runORM runs orm_insert.py against s and returns the median seconds of
// each variant.
func runORM(ctx context.Context, dir string, s *dbproc.Server, port, rows, repeat int) (map[string]float64, error) {
	script := filepath.Join(dir, "orm_insert.py")
	if err := os.WriteFile(script, ormScript, 0o644); err != nil {
		return nil, err
	}
	dsn := fmt.Sprintf("host=127.0.0.1 port=%d user=%s dbname=%s sslmode=disable", port, s.User, s.DB)
	cmd := exec.CommandContext(ctx, ormPython, script, "--dsn", dsn, "--rows", strconv.Itoa(rows),
		"--repeat", strconv.Itoa(repeat), "--variants", strings.Join(ormVariants, ","))
	out, err := cmd.CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("orm_insert.py on %s: %w\n%s", s.Name, err, out)
	}
	res := map[string]float64{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		if len(f) != 2 {
			continue
		}
		if v, err := strconv.ParseFloat(f[1], 64); err == nil {
			res[f[0]] = v
		}
	}
	for _, v := range ormVariants {
		if _, ok := res[v]; !ok {
			return nil, fmt.Errorf("orm_insert.py on %s printed no time for %s:\n%s", s.Name, v, out)
		}
	}
	return res, nil
}

// printORM runs the orm-insert workload on both servers and prints the
// seconds and the quorumdb/PostgreSQL time ratio (lower is better).
func printORM(ctx context.Context, dir string, pg, q *dbproc.Server, ports map[*dbproc.Server]int, rows, repeat int) error {
	var res [2]map[string]float64
	for i, s := range []*dbproc.Server{pg, q} {
		r, err := runORM(ctx, dir, s, ports[s], rows, repeat)
		if err != nil {
			return err
		}
		res[i] = r
	}
	fmt.Printf("\nSQLAlchemy bulk insert, %d rows in one transaction (median of %d; time ratio quorumdb/PostgreSQL, lower is better)\n", rows, repeat)
	fmt.Printf("%-10s %10s %10s %8s\n", "variant", "pg s", "qdb s", "ratio")
	for _, v := range ormVariants {
		ratio := 0.0
		if res[0][v] > 0 {
			ratio = res[1][v] / res[0][v]
		}
		fmt.Printf("%-10s %10.3f %10.3f %8.2f\n", v, res[0][v], res[1][v], ratio)
	}
	return nil
}
