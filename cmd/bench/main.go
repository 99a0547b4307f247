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
	nodes := flag.Int("nodes", 1, "quorumdb nodes: 1 runs a single node; more run a local cluster (quorumdb demo --nodes N) beside the single node")
	node := flag.String("node", "spread", "with --nodes > 1, where the clients connect: spread (one pgbench per node, clients divided evenly, figures summed), a node 1..N, leader (or 0: the system partition's leader), other (or -1: a node that is not it)")
	only := flag.String("workloads", "select-only,tpcb,kv,orm-insert", "workloads to run, of select-only, tpcb, kv, orm-insert")
	ormRows := flag.Int("orm-rows", 10000, "rows the orm-insert workload inserts in one transaction")
	ormRepeat := flag.Int("orm-repeat", 3, "runs of each orm-insert variant (the median is printed)")
	flag.Parse()
	via, err := parseVia(*node, *nodes)
	if err != nil {
		log.Fatal(err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	orm := ormConfig{rows: *ormRows, repeat: *ormRepeat}
	if err := run(ctx, *bin, *scale, *duration, *clients, *nodes, via, *only, orm); err != nil {
		log.Fatal(err)
	}
}

// The --node choices that are not a node number.
const (
	viaSpread = 0
	viaLeader = -1
	viaOther  = -2
)

// parseVia reads --node: a node number, or viaSpread, viaLeader,
// viaOther.
func parseVia(v string, nodes int) (int, error) {
	switch v {
	case "spread":
		return viaSpread, nil
	case "leader", "0":
		return viaLeader, nil
	case "other", "-1":
		return viaOther, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > nodes {
		return 0, fmt.Errorf("--node %s is not spread, leader, other or one of the %d nodes", v, nodes)
	}
	return n, nil
}

// ormConfig sizes the orm-insert workload.
type ormConfig struct{ rows, repeat int }

// target is a database under test: its server, and the SQL ports its
// clients are spread over (one pgbench per port).
type target struct {
	s     *dbproc.Server
	ports []int
	nodes int // the server's nodes, for the CPU per node
}

func run(ctx context.Context, bin string, scale int, duration time.Duration, clientList string, nodes, via int, only string, orm ormConfig) error {
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
	single, err := dbproc.StartQuorumdb(ctx, bin, filepath.Join(tmp, "q"), 1, nil)
	if err != nil {
		return fmt.Errorf("starting quorumdb: %w", err)
	}
	defer single.Stop()
	targets := []target{{s: pg, ports: []int{pg.Port}, nodes: 1}, {s: single, ports: []int{single.Port}, nodes: 1}}
	if nodes > 1 {
		cluster, err := dbproc.StartQuorumdb(ctx, bin, filepath.Join(tmp, "qc"), nodes, nil)
		if err != nil {
			return fmt.Errorf("starting a %d-node quorumdb: %w", nodes, err)
		}
		defer cluster.Stop()
		ports, err := clusterPorts(ctx, cluster, nodes, via)
		if err != nil {
			return err
		}
		targets = append(targets, target{s: cluster, ports: ports, nodes: nodes})
	}
	last := targets[len(targets)-1]

	if withORM {
		ports := map[*dbproc.Server]int{pg: pg.Port, last.s: last.ports[0]}
		if err := printORM(ctx, tmp, pg, last.s, ports, orm.rows, orm.repeat); err != nil {
			return err
		}
	}
	if len(workloads) == 0 {
		return nil
	}
	var pgInit time.Duration
	for i, t := range targets {
		fmt.Printf("initializing %s (pgbench -i -s %d)...\n", t.s.Name, scale)
		start := time.Now()
		if out, err := pgbench(ctx, t.s, t.ports[0], "-i", "-q", "-s", strconv.Itoa(scale)); err != nil {
			return fmt.Errorf("pgbench -i on %s: %w\n%s", t.s.Name, err, out)
		}
		took := time.Since(start)
		if i == 0 {
			pgInit = took
			fmt.Printf("  %s initialized in %s\n", t.s.Name, took.Round(time.Millisecond))
		} else {
			fmt.Printf("  %s initialized in %s (%.1fx PostgreSQL's time)\n", t.s.Name, took.Round(time.Millisecond), took.Seconds()/pgInit.Seconds())
		}
	}
	fmt.Printf("\n%-18s %7s  %-34s %10s %9s %8s %9s %12s\n", "workload", "clients", "server", "tps", "lat ms", "ratio", "fail%", "cpu ms/txn")
	for _, w := range workloads {
		for _, c := range counts {
			var pgTPS float64
			for i, t := range targets {
				// Serialization failures and deadlocks are retried, as an
				// application must (PostgreSQL at read committed seldom
				// meets them; quorumdb is serializable).
				args := []string{"-M", "prepared", "-T", strconv.Itoa(int(duration.Seconds())), "-n", "--max-tries=10"}
				args = append(args, w.args...)
				if w.script != "" {
					args = append(args, "-f", w.script, "-D", "scale="+strconv.Itoa(scale))
				}
				r, err := runSpread(ctx, t, c, args)
				if err != nil {
					return fmt.Errorf("%s on %s: %w", w.name, t.s.Name, err)
				}
				label, ratio := w.name, "1"
				if i > 0 {
					label = ""
					ratio = "-"
					if pgTPS > 0 {
						ratio = fmt.Sprintf("%.3f", r.tps/pgTPS)
					}
				} else {
					pgTPS = r.tps
				}
				cpu := "-"
				if r.txns > 0 && r.cpu > 0 {
					per := r.cpu.Seconds() * 1000 / float64(r.txns)
					cpu = fmt.Sprintf("%.3f", per)
					if t.nodes > 1 {
						cpu += fmt.Sprintf(" (%.3f/node)", per/float64(t.nodes))
					}
				}
				clients := ""
				if i == 0 {
					clients = strconv.Itoa(c)
				}
				fmt.Printf("%-18s %7s  %-34s %10.0f %9.3f %8s %9.2f %12s\n", label, clients, describe(t), r.tps, r.latency, ratio, r.failedPct, cpu)
			}
		}
	}
	return nil
}

// clusterPorts picks the SQL ports of the cluster's nodes the clients
// use (the demo's nodes serve SQL on consecutive ports).
func clusterPorts(ctx context.Context, q *dbproc.Server, nodes, via int) ([]int, error) {
	switch via {
	case viaSpread:
		ports := make([]int, nodes)
		for i := range ports {
			ports[i] = q.Port + i
		}
		return ports, nil
	case viaLeader, viaOther:
		leader, err := dbproc.FindLeader(ctx, q, nodes)
		if err != nil {
			return nil, err
		}
		node := leader
		if via == viaOther {
			node = leader%nodes + 1 // the next node: not the leader
		}
		fmt.Printf("clients connect to node %d: %s\n", node, describeLeader(ctx, q, q.Port+node-1))
		return []int{q.Port + node - 1}, nil
	}
	fmt.Printf("clients connect to node %d: %s\n", via, describeLeader(ctx, q, q.Port+via-1))
	return []int{q.Port + via - 1}, nil
}

// describe names a target and how its clients reach it.
func describe(t target) string {
	switch {
	case t.nodes == 1:
		return t.s.Name
	case len(t.ports) == t.nodes:
		return t.s.Name + ", spread"
	}
	return fmt.Sprintf("%s, via node %d", t.s.Name, t.ports[0]-t.s.Port+1)
}

// runSpread runs pgbench with c clients divided as evenly as possible
// over the target's ports, one pgbench per port at once, and sums what
// they report; it also measures the CPU time the server used meanwhile.
func runSpread(ctx context.Context, t target, c int, args []string) (result, error) {
	cpuBefore, cpuErr := processCPU(t.s.Pid())
	type outcome struct {
		r   result
		err error
	}
	var outs []chan outcome
	for i, port := range t.ports {
		share := c / len(t.ports)
		if i < c%len(t.ports) {
			share++
		}
		if share == 0 {
			continue
		}
		ch := make(chan outcome, 1)
		outs = append(outs, ch)
		go func() {
			full := append([]string{"-c", strconv.Itoa(share), "-j", strconv.Itoa(min(share, 2))}, args...)
			out, err := pgbench(ctx, t.s, port, full...)
			if err != nil {
				err = fmt.Errorf("%w\n%s", err, out)
			}
			ch <- outcome{parse(out), err}
		}()
	}
	var sum result
	var latWeighted float64
	var failed int64
	var err error
	for _, ch := range outs {
		o := <-ch
		if o.err != nil && err == nil {
			err = o.err
		}
		sum.tps += o.r.tps
		latWeighted += o.r.latency * o.r.tps
		sum.txns += o.r.txns
		failed += o.r.failed
	}
	if err != nil {
		return result{}, err
	}
	if sum.tps > 0 {
		sum.latency = latWeighted / sum.tps
	}
	if total := sum.txns + failed; total > 0 {
		sum.failedPct = 100 * float64(failed) / float64(total)
	}
	// The backends of a PostgreSQL run end just after pgbench does; their
	// time is counted once the postmaster has reaped them, or while they
	// live, so a short pause only settles the figure.
	time.Sleep(200 * time.Millisecond)
	if cpuAfter, err := processCPU(t.s.Pid()); err == nil && cpuErr == nil {
		sum.cpu = cpuAfter - cpuBefore
	}
	return sum, nil
}

type result struct {
	tps, latency, failedPct float64
	txns, failed            int64         // transactions processed, and failed
	cpu                     time.Duration // the server's CPU time during the run
}

var (
	tpsRe     = regexp.MustCompile(`tps = ([0-9.]+) \(without initial connection time\)`)
	latencyRe = regexp.MustCompile(`latency average = ([0-9.]+) ms`)
	failedRe  = regexp.MustCompile(`number of failed transactions: ([0-9]+) \(([0-9.]+)%\)`)
	txnsRe    = regexp.MustCompile(`number of transactions actually processed: ([0-9]+)`)
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
		r.failed, _ = strconv.ParseInt(m[1], 10, 64)
		r.failedPct, _ = strconv.ParseFloat(m[2], 64)
	}
	if m := txnsRe.FindStringSubmatch(out); m != nil {
		r.txns, _ = strconv.ParseInt(m[1], 10, 64)
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
