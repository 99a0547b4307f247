package server

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// requireTool returns the path of a client program the test drives. CI
// installs them (.ci/run), so there a missing one fails the test.
func requireTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not installed (CI=true): %v", name, err)
		}
		t.Skipf("%s is not installed", name)
	}
	return p
}

func hostPort(addr string) (string, string) {
	i := strings.LastIndex(addr, ":")
	return addr[:i], addr[i+1:]
}

// toolCommand returns the command running a client program, in plain
// text unless its arguments ask for TLS.
func toolCommand(t *testing.T, name string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(requireTool(t, name), args...)
	cmd.Env = append(os.Environ(), "PGSSLMODE=disable", "PGCONNECT_TIMEOUT=10")
	return cmd
}

func runTool(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := toolCommand(t, name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

func TestPsqlMetaCommands(t *testing.T) {
	n := startNode(t, testConfig(t))
	host, port := hostPort(n.SQLAddr())
	psql := func(cmds ...string) string {
		args := []string{"-h", host, "-p", port, "-U", "postgres", "-d", "quorumdb", "-X", "-v", "ON_ERROR_STOP=1"}
		for _, c := range cmds {
			args = append(args, "-c", c)
		}
		return runTool(t, "psql", args...)
	}
	psql(`CREATE TABLE orders (id serial PRIMARY KEY, customer varchar(40) NOT NULL, total numeric(10,2) DEFAULT 0)`,
		`CREATE INDEX orders_customer_idx ON orders (customer)`,
		`INSERT INTO orders (customer, total) VALUES ('ann', 10.5), ('bob', 3)`,
		`CREATE TABLE order_lines (id int PRIMARY KEY, order_id int REFERENCES orders ON DELETE CASCADE)`,
		`CREATE TABLE users (id int PRIMARY KEY, email text, deleted_at timestamp)`,
		`CREATE UNIQUE INDEX ON users (lower(email))`,
		`CREATE UNIQUE INDEX ON users (email) WHERE deleted_at IS NULL`)
	checks := []struct {
		cmd  string
		want []string
	}{
		{`\l`, []string{"quorumdb", "postgres", "UTF8"}},
		{`\dt`, []string{"orders", "table", "postgres"}},
		{`\d orders`, []string{`Table "public.orders"`, "customer", "character varying(40)", "not null", "numeric(10,2)", `"orders_pkey" PRIMARY KEY, btree (id)`, `"orders_customer_idx" btree (customer)`}},
		{`\di`, []string{"orders_pkey", "orders_customer_idx", "index"}},
		{`\dn`, []string{"public"}},
		{`\d users`, []string{`"users_lower_idx" UNIQUE, btree (lower(email))`, `"users_email_idx" UNIQUE, btree (email) WHERE deleted_at IS NULL`}},
		{`\d users_email_idx`, []string{`Index "public.users_email_idx"`, "email", `unique, btree, for table "public.users", predicate (deleted_at IS NULL)`}},
		{`\du`, []string{"postgres", "Superuser"}},
		{`\d+ orders`, []string{"customer"}},
		{`\d order_lines`, []string{"Foreign-key constraints:", `"order_lines_order_id_fkey" FOREIGN KEY (order_id) REFERENCES orders(id) ON DELETE CASCADE`}},
		{`\d orders`, []string{"Referenced by:", `TABLE "order_lines" CONSTRAINT "order_lines_order_id_fkey"`}},
		{`SELECT customer, total FROM orders ORDER BY id`, []string{"ann", "10.50", "bob", "3.00", "(2 rows)"}},
	}
	for _, c := range checks {
		out := psql(c.cmd)
		for _, w := range c.want {
			if !strings.Contains(out, w) {
				t.Errorf("%s: output lacks %q:\n%s", c.cmd, w, out)
			}
		}
	}
	// Every other describe command of psql 15 runs (ON_ERROR_STOP makes a
	// failing catalog query fail the test) and lists what quorumdb has.
	var others []string
	for _, c := range strings.Fields(`\l+ \dt+ \di+ \ds+ \dn+ \dv \dm \dE \df \da \dA \dAc \dAf \db \dc \dC \dD
		\dconfig \ddp \des \det \deu \dew \dF \dFd \dFp \dFt \dg \dl \dL \do \dO \dp \dP \drds
		\dRp \dRs \dT \dx \dX \dy \z \dS \dS+`) {
		others = append(others, c)
	}
	out := psql(others...)
	for _, w := range []string{"orders_customer_idx", "List of data types", "List of languages", "pg_default"} {
		if !strings.Contains(out, w) {
			t.Errorf("describe commands: output lacks %q:\n%.3000s", w, out)
		}
	}

	// psql's \copy uses COPY FROM STDIN / TO STDOUT.
	f, err := os.CreateTemp(t.TempDir(), "rows*.csv")
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("carl,7.25\ndora,1\n")
	f.Close()
	psql(`\copy orders (customer, total) FROM '` + f.Name() + `' WITH (FORMAT csv)`)
	out = psql(`\copy (SELECT customer FROM orders ORDER BY customer) TO STDOUT`)
	if !strings.Contains(out, "ann\nbob\ncarl\ndora") {
		t.Fatalf("\\copy round trip: %q", out)
	}
}

func TestPgbench(t *testing.T) {
	n := startNode(t, testConfig(t))
	host, port := hostPort(n.SQLAddr())
	conn := []string{"-h", host, "-p", port, "-U", "postgres"}
	out := runTool(t, "pgbench", append(append([]string{"-i", "-s", "1"}, conn...), "quorumdb")...)
	if !strings.Contains(out, "done in") {
		t.Fatalf("pgbench -i: %s", out)
	}
	for _, mode := range []string{"simple", "extended", "prepared"} {
		for _, script := range [][]string{{"-S"}, {"-b", "tpcb-like"}} {
			args := append(append([]string{"-c", "4", "-j", "2", "-T", "2", "-M", mode}, script...), conn...)
			out := runTool(t, "pgbench", append(args, "quorumdb")...)
			if !strings.Contains(out, "tps = ") {
				t.Fatalf("pgbench %v: %s", args, out)
			}
			if strings.Contains(out, "number of transactions actually processed: 0") {
				t.Fatalf("pgbench %v processed nothing: %s", args, out)
			}
		}
	}
	// The accounts table holds the 100,000 rows pgbench -i loaded, and
	// the primary key ADD PRIMARY KEY created is enforced.
	psqlOut := runTool(t, "psql", append(conn, "-d", "quorumdb", "-X", "-A", "-t", "-c", "SELECT count(*) FROM pgbench_accounts")...)
	if strings.TrimSpace(psqlOut) != "100000" {
		t.Fatalf("pgbench_accounts has %s rows", psqlOut)
	}
}

// TestClusterTools drives psql and pgbench through a node of a 3-node
// cluster that does not lead the system partition, so most parts of
// every transaction run remotely: pgbench -i's COPY of 100,000 rows is
// one transaction over every partition (each part goes into its Raft log
// in chunks), and the runs must not fail a single transaction (with
// pgbench retrying serialization and deadlock failures).
func TestClusterTools(t *testing.T) {
	nodes := startCluster(t, clusterConfigs(t, 3, 3))
	n := nodes[(leaderOf(t, nodes)+1)%3]
	host, port := hostPort(n.SQLAddr())
	conn := []string{"-h", host, "-p", port, "-U", "postgres"}
	out := runTool(t, "pgbench", append(append([]string{"-i", "-s", "1"}, conn...), "quorumdb")...)
	if !strings.Contains(out, "done in") {
		t.Fatalf("pgbench -i: %s", out)
	}
	for _, mode := range []string{"prepared", "simple"} {
		// Serializable transactions on one hot branch row may fail with
		// 40001, or 40P01 where a lock wait across nodes gives way
		// (wait-die); pgbench retries those as an application should.
		args := append([]string{"-c", "4", "-j", "2", "-T", "5", "-M", mode, "--max-tries=10"}, conn...)
		out := runTool(t, "pgbench", append(args, "quorumdb")...)
		if !strings.Contains(out, "tps = ") || strings.Contains(out, "number of transactions actually processed: 0") {
			t.Fatalf("pgbench %v: %s", args, out)
		}
		for line := range strings.Lines(out) {
			if strings.Contains(line, "retried") || strings.Contains(line, "tps =") {
				t.Logf("pgbench -M %s: %s", mode, strings.TrimSpace(line))
			}
		}
		if !strings.Contains(out, "number of failed transactions: 0 ") {
			t.Fatalf("pgbench %v failed transactions: %s", args, out)
		}
	}
	psql := func(cmd string) string {
		return runTool(t, "psql", append(conn, "-d", "quorumdb", "-X", "-v", "ON_ERROR_STOP=1", "-c", cmd)...)
	}
	checks := []struct {
		cmd  string
		want []string
	}{
		{`SELECT count(*) FROM pgbench_accounts`, []string{"100000"}},
		// Each TPC-B transaction adds the same delta to an account, a
		// teller and a branch (pgbench truncates the history per run).
		{`SELECT (SELECT sum(abalance) FROM pgbench_accounts) = (SELECT sum(tbalance) FROM pgbench_tellers)
			AND (SELECT sum(tbalance) FROM pgbench_tellers) = (SELECT sum(bbalance) FROM pgbench_branches) AS consistent`, []string{" t\n"}},
		{`\l`, []string{"quorumdb", "postgres", "UTF8"}},
		{`\dt`, []string{"pgbench_accounts", "pgbench_branches", "pgbench_history", "pgbench_tellers", "table"}},
		{`\d pgbench_accounts`, []string{`Table "public.pgbench_accounts"`, "abalance", `"pgbench_accounts_pkey" PRIMARY KEY, btree (aid)`}},
	}
	for _, c := range checks {
		out := psql(c.cmd)
		for _, w := range c.want {
			if !strings.Contains(out, w) {
				t.Errorf("%s: output lacks %q:\n%s", c.cmd, w, out)
			}
		}
	}
}
