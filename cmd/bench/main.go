package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/quorumdb/quorumdb/internal/dbproc"
)

type workload struct {
	name string
	args []string // pgbench arguments besides connection and client count
	// script, when set, is a custom pgbench script (-f).
	script string
}

// kvScript is a key-value point read/upsert mix on pgbench_accounts.
const kvScript = `\set aid random(1, 100000 * :scale)
\set delta random(-5000, 5000)
SELECT abalance FROM pgbench_accounts WHERE aid = :aid;
INSERT INTO pgbench_accounts (aid, bid, abalance, filler) VALUES (:aid, 1, :delta, '') ON CONFLICT (aid) DO UPDATE SET abalance = excluded.abalance;
`

func main() {
	bin := flag.String("quorumdb", "bin/quorumdb", "quorumdb binary")
	scale := flag.Int("scale", 10, "pgbench scale factor")
	duration := flag.Duration("duration", 20*time.Second, "duration of each run")
	clients := flag.String("clients", "1,8,32", "client counts")
	nodes := flag.Int("nodes", 1, "quorumdb nodes: 1 runs a single node; more run a local cluster (quorumdb demo --nodes N)")
	node := flag.Int("node", 1, "with --nodes > 1, the node the clients connect to (1..N; 0: the system partition's leader; -1: a node that is not it)")
	only := flag.String("workloads", "select-only,tpcb,kv,orm-insert", "workloads to run, of select-only, tpcb, kv, orm-insert")
	ormRows := flag.Int("orm-rows", 10000, "rows the orm-insert workload inserts in one transaction")
	ormRepeat := flag.Int("orm-repeat", 3, "runs of each orm-insert variant (the median is printed)")
	flag.Parse()
	if *node < -1 || *node > *nodes || (*node <= 0 && *nodes == 1) {
		log.Fatalf("--node %d is not one of the %d nodes", *node, *nodes)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	orm := ormConfig{rows: *ormRows, repeat: *ormRepeat}
	if err := run(ctx, *bin, *scale, *duration, *clients, *nodes, *node, *only, orm); err != nil {
		log.Fatal(err)
	}
}

// ormConfig sizes the orm-insert workload.
type ormConfig struct{ rows, repeat int }

func run(ctx context.Context, bin string, scale int, duration time.Duration, clientList string, nodes, node int, only string, orm ormConfig) error {
	tmp, err := os.MkdirTemp("", "quorumdb-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	script := filepath.Join(tmp, "kv.sql")
	if err := os.WriteFile(script, []byte(kvScript), 0o644); err != nil {
		return err
	}
	all := map[string]workload{
		"select-only": {name: "select-only (-S)", args: []string{"-S"}},
		"tpcb":        {name: "TPC-B", args: nil},
		"kv":          {name: "kv read/upsert", script: script},
	}
	var workloads []workload
	withORM := false
	for _, name := range strings.Split(only, ",") {
		if strings.TrimSpace(name) == "orm-insert" {
			withORM = true
			continue
		}
		w, ok := all[strings.TrimSpace(name)]
		if !ok {
			return fmt.Errorf("--workloads: unknown workload %q (select-only, tpcb, kv, orm-insert)", name)
		}
		workloads = append(workloads, w)
	}
	if withORM {
		if err := checkORM(ctx); err != nil {
			return err
		}
	}
	var counts []int
	for _, c := range strings.Split(clientList, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(c))
		if err != nil {
			return fmt.Errorf("bad client count %q", c)
		}
		counts = append(counts, n)
	}

	pg, err := dbproc.StartPostgres(ctx, filepath.Join(tmp, "pg"), nil)
	if err != nil {
		return fmt.Errorf("starting PostgreSQL: %w", err)
	}
	defer pg.Stop()
	q, err := dbproc.StartQuorumdb(ctx, bin, filepath.Join(tmp, "q"), nodes, nil)
	if err != nil {
		return fmt.Errorf("starting quorumdb: %w", err)
	}
	defer q.Stop()
	// ports are the SQL ports pgbench uses, of pg and q.
	ports := map[*dbproc.Server]int{pg: pg.Port, q: q.Port}
	if nodes > 1 {
		if node <= 0 {
			leader, err := dbproc.FindLeader(ctx, q, nodes)
			if err != nil {
				return err
			}
			if node == 0 {
				node = leader
			} else {
				node = leader%nodes + 1 // the next node: not the leader
			}
		}
		// The demo's nodes serve SQL on consecutive ports.
		ports[q] = q.Port + node - 1
		q.Name = fmt.Sprintf("quorumdb (%d nodes, via node %d)", nodes, node)
		fmt.Println(describeLeader(ctx, q, ports[q]))
	}

	if withORM {
		if err := printORM(ctx, tmp, pg, q, ports, orm.rows, orm.repeat); err != nil {
			return err
		}
	}
	if len(workloads) == 0 {
		return nil
	}
	for _, s := range []*dbproc.Server{pg, q} {
		fmt.Printf("initializing %s (pgbench -i -s %d)...\n", s.Name, scale)
		start := time.Now()
		if out, err := pgbench(ctx, s, ports[s], "-i", "-q", "-s", strconv.Itoa(scale)); err != nil {
			return fmt.Errorf("pgbench -i on %s: %w\n%s", s.Name, err, out)
		}
		fmt.Printf("  %s initialized in %s\n", s.Name, time.Since(start).Round(time.Millisecond))
	}
	fmt.Printf("\n%-18s %7s %12s %12s %10s %10s %8s %9s\n", "workload", "clients", "pg tps", "qdb tps", "pg lat ms", "qdb lat ms", "ratio", "qdb fail%")
	for _, w := range workloads {
		for _, c := range counts {
			var res [2]result
			for i, s := range []*dbproc.Server{pg, q} {
				args := []string{"-M", "prepared", "-c", strconv.Itoa(c), "-j", strconv.Itoa(min(c, 2)), "-T", strconv.Itoa(int(duration.Seconds())), "-n"}
				args = append(args, w.args...)
				if w.script != "" {
					args = append(args, "-f", w.script, "-D", "scale="+strconv.Itoa(scale))
				}
				out, err := pgbench(ctx, s, ports[s], args...)
				if err != nil {
					return fmt.Errorf("%s on %s: %w\n%s", w.name, s.Name, err, out)
				}
				res[i] = parse(out)
			}
			ratio := 0.0
			if res[0].tps > 0 {
				ratio = res[1].tps / res[0].tps
			}
			fmt.Printf("%-18s %7d %12.0f %12.0f %10.3f %10.3f %8.3f %9.2f\n", w.name, c, res[0].tps, res[1].tps, res[0].latency, res[1].latency, ratio, res[1].failedPct)
		}
	}
	return nil
}

type result struct{ tps, latency, failedPct float64 }

var (
	tpsRe     = regexp.MustCompile(`tps = ([0-9.]+) \(without initial connection time\)`)
	latencyRe = regexp.MustCompile(`latency average = ([0-9.]+) ms`)
	failedRe  = regexp.MustCompile(`number of failed transactions: [0-9]+ \(([0-9.]+)%\)`)
)

func parse(out string) result {
	var r result
	if m := tpsRe.FindStringSubmatch(out); m != nil {
		r.tps, _ = strconv.ParseFloat(m[1], 64)
	}
	if m := latencyRe.FindStringSubmatch(out); m != nil {
		r.latency, _ = strconv.ParseFloat(m[1], 64)
	}
	if m := failedRe.FindStringSubmatch(out); m != nil {
		r.failedPct, _ = strconv.ParseFloat(m[1], 64)
	}
	return r
}

func pgbench(ctx context.Context, s *dbproc.Server, port int, args ...string) (string, error) {
	bin, err := dbproc.FindPGBin("pgbench")
	if err != nil {
		return "", err
	}
	full := append([]string{"-h", "127.0.0.1", "-p", strconv.Itoa(port), "-U", s.User}, args...)
	full = append(full, s.DB)
	cmd := exec.CommandContext(ctx, bin, full...)
	cmd.Env = append(os.Environ(), "PGSSLMODE=disable")
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// describeLeader says whether the node pgbench uses leads the system
// partition (the catalog; the data partitions' leaders are spread over
// the nodes).
func describeLeader(ctx context.Context, s *dbproc.Server, port int) string {
	leads, err := dbproc.Leads(ctx, s.DSN(port))
	switch {
	case err != nil:
		return fmt.Sprintf("(could not tell which node leads: %v)", err)
	case leads:
		return "pgbench's node leads the system partition (and about 1/n of the data partitions)"
	}
	return "pgbench's node does not lead the system partition (it leads about 1/n of the data partitions)"
}
