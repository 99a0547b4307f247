package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"os/user"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"
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
	node := flag.Int("node", 1, "with --nodes > 1, the node the clients connect to (1..N; 0: the keyspace's leader; -1: a node that is not the leader)")
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

	pg, err := startPostgres(ctx, filepath.Join(tmp, "pg"))
	if err != nil {
		return fmt.Errorf("starting PostgreSQL: %w", err)
	}
	defer pg.stop()
	q, err := startQuorumdb(ctx, bin, filepath.Join(tmp, "q"), nodes)
	if err != nil {
		return fmt.Errorf("starting quorumdb: %w", err)
	}
	defer q.stop()
	if nodes > 1 {
		if node <= 0 {
			leader, err := findLeader(ctx, q, nodes)
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
		q.port += node - 1
		q.name = fmt.Sprintf("quorumdb (%d nodes, via node %d)", nodes, node)
		fmt.Println(describeLeader(ctx, q))
	}

	if withORM {
		if err := printORM(ctx, tmp, pg, q, orm.rows, orm.repeat); err != nil {
			return err
		}
	}
	if len(workloads) == 0 {
		return nil
	}
	for _, s := range []*server{pg, q} {
		fmt.Printf("initializing %s (pgbench -i -s %d)...\n", s.name, scale)
		start := time.Now()
		if out, err := pgbench(ctx, s, "-i", "-q", "-s", strconv.Itoa(scale)); err != nil {
			return fmt.Errorf("pgbench -i on %s: %w\n%s", s.name, err, out)
		}
		fmt.Printf("  %s initialized in %s\n", s.name, time.Since(start).Round(time.Millisecond))
	}
	fmt.Printf("\n%-18s %7s %12s %12s %10s %10s %8s %9s\n", "workload", "clients", "pg tps", "qdb tps", "pg lat ms", "qdb lat ms", "ratio", "qdb fail%")
	for _, w := range workloads {
		for _, c := range counts {
			var res [2]result
			for i, s := range []*server{pg, q} {
				args := []string{"-M", "prepared", "-c", strconv.Itoa(c), "-j", strconv.Itoa(min(c, 2)), "-T", strconv.Itoa(int(duration.Seconds())), "-n"}
				args = append(args, w.args...)
				if w.script != "" {
					args = append(args, "-f", w.script, "-D", "scale="+strconv.Itoa(scale))
				}
				out, err := pgbench(ctx, s, args...)
				if err != nil {
					return fmt.Errorf("%s on %s: %w\n%s", w.name, s.name, err, out)
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

// server is one database process under test.
type server struct {
	name string
	port int
	user string
	db   string
	cmd  *exec.Cmd
	done chan error
	// cred runs the process as another user (PostgreSQL refuses root).
	cred *syscall.Credential
}

func (s *server) stop() {
	if s.cmd == nil || s.cmd.Process == nil {
		return
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(15 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.done
	}
}

func pgbench(ctx context.Context, s *server, args ...string) (string, error) {
	full := append([]string{"-h", "127.0.0.1", "-p", strconv.Itoa(s.port), "-U", s.user}, args...)
	full = append(full, s.db)
	cmd := exec.CommandContext(ctx, "pgbench", full...)
	cmd.Env = append(os.Environ(), "PGSSLMODE=disable")
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// leads asks the node at s whether it leads the keyspace: "t", "f", or
// "" with an error.
func leads(ctx context.Context, s *server) (string, error) {
	cmd := exec.CommandContext(ctx, "psql", "-h", "127.0.0.1", "-p", strconv.Itoa(s.port), "-U", s.user, "-At", "-c",
		"select p.leader = h.address from cluster_partitions p, cluster_node_heartbeat h where h.node_id = p.node_id", s.db)
	cmd.Env = append(os.Environ(), "PGSSLMODE=disable")
	out, err := cmd.Output()
	return strings.TrimSpace(string(out)), err
}

// findLeader returns the node (1..nodes) of the demo at s that leads the
// keyspace, waiting for an election.
func findLeader(ctx context.Context, s *server, nodes int) (int, error) {
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		for k := 1; k <= nodes; k++ {
			n := *s
			n.port += k - 1
			if out, _ := leads(ctx, &n); out == "t" {
				return k, nil
			}
		}
	}
	return 0, errors.New("no node of the demo says it leads the keyspace")
}

// describeLeader says whether the node the clients use leads the keyspace
// (its transactions are local) or forwards them to the leader.
func describeLeader(ctx context.Context, s *server) string {
	out, err := leads(ctx, s)
	switch out {
	case "t":
		return "the clients' node is the keyspace's leader: its transactions run locally"
	case "f":
		return "the clients' node is not the keyspace's leader: it forwards every transaction to the leader"
	}
	return fmt.Sprintf("(could not tell which node leads: %v)", err)
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func waitPort(ctx context.Context, port int, done chan error) error {
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-done:
			return fmt.Errorf("server exited: %v", err)
		default:
		}
		c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), time.Second)
		if err == nil {
			c.Close()
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
	return errors.New("timed out waiting for the server to listen")
}

func startProcess(ctx context.Context, s *server, name string, args ...string) error {
	s.cmd = exec.Command(name, args...)
	if s.cred != nil {
		s.cmd.SysProcAttr = &syscall.SysProcAttr{Credential: s.cred}
	}
	s.cmd.Stdout, s.cmd.Stderr = os.Stderr, os.Stderr
	if err := s.cmd.Start(); err != nil {
		return err
	}
	s.done = make(chan error, 1)
	go func() { s.done <- s.cmd.Wait() }()
	return waitPort(ctx, s.port, s.done)
}

func findPGBin(name string) string {
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	for _, dir := range []string{"/usr/local/bin", "/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			return filepath.Join(dir, name)
		}
	}
	return name
}

func startPostgres(ctx context.Context, dir string) (*server, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	s := &server{name: "PostgreSQL", port: port, user: "postgres", db: "postgres"}
	cred, err := postgresCredential(dir)
	if err != nil {
		return nil, err
	}
	initdb := exec.CommandContext(ctx, findPGBin("initdb"), "-D", dir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale")
	initdb.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	if out, err := initdb.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("initdb: %w\n%s", err, out)
	}
	s.cred = cred
	err = startProcess(ctx, s, findPGBin("postgres"), "-D", dir, "-p", strconv.Itoa(port), "-c", "listen_addresses=127.0.0.1", "-k", dir, "-c", "max_connections=100")
	return s, err
}

func startQuorumdb(ctx context.Context, bin, dir string, nodes int) (*server, error) {
	port, err := freePortRun(nodes)
	if err != nil {
		return nil, err
	}
	name := "quorumdb"
	if nodes > 1 {
		name = fmt.Sprintf("quorumdb (%d nodes)", nodes)
	}
	s := &server{name: name, port: port, user: "postgres", db: "quorumdb"}
	err = startProcess(ctx, s, bin, "demo", "--nodes", strconv.Itoa(nodes), "--sql-port", strconv.Itoa(port), "--data-dir", dir)
	return s, err
}

// freePortRun finds a port p such that p..p+n-1 are free on loopback:
// the demo's nodes serve SQL on consecutive ports.
func freePortRun(n int) (int, error) {
	for range 50 {
		p, err := freePort()
		if err != nil {
			return 0, err
		}
		if p+n-1 > 65535 {
			continue
		}
		ok := true
		for q := p + 1; q < p+n && ok; q++ {
			ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(q)))
			if err != nil {
				ok = false
				continue
			}
			ln.Close()
		}
		if ok {
			return p, nil
		}
	}
	return 0, fmt.Errorf("no run of %d free ports found", n)
}

// postgresCredential returns the credential to run PostgreSQL with: nil
// when not root, else the "postgres" (or "nobody") user, which is given
// the data directory's parent.
func postgresCredential(dir string) (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	var u *user.User
	var err error
	for _, name := range []string{"postgres", "nobody"} {
		if u, err = user.Lookup(name); err == nil {
			break
		}
	}
	if err != nil {
		return nil, fmt.Errorf("running as root and no postgres user: %w", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	parent := filepath.Dir(dir)
	if err := os.Chown(parent, uid, gid); err != nil {
		return nil, err
	}
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}
