package server

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

// A user migrating from PostgreSQL runs pg_dump on PostgreSQL 15 and
// restores the plain-format dump with psql -v ON_ERROR_STOP=1. The
// fixtures in testdata/pgdump are such dumps (see its README); the
// expected values below are what PostgreSQL 15 answered on the source
// database when the dumps were made.
func TestPgDumpRestore(t *testing.T) {
	for _, fixture := range []string{"plain.sql", "inserts.sql", "column_inserts.sql"} {
		t.Run(strings.TrimSuffix(fixture, ".sql"), func(t *testing.T) {
			n := startNode(t, testConfig(t))
			host, port := hostPort(n.SQLAddr())
			runTool(t, "psql", "-h", host, "-p", port, "-U", "postgres", "-d", "quorumdb", "-X", "-q",
				"-v", "ON_ERROR_STOP=1", "-f", filepath.Join("testdata", "pgdump", fixture))
			checkRestoredDump(t, connect(t, n))
		})
	}
}

// pg_dump 15 run against quorumdb (leaving out quorumdb's own system
// schema, which pg_dump would otherwise take for a user schema) writes a
// dump that restores into another node with the same contents.
func TestPgDumpOfQuorumdb(t *testing.T) {
	source := startNode(t, testConfig(t))
	host, port := hostPort(source.SQLAddr())
	runTool(t, "psql", "-h", host, "-p", port, "-U", "postgres", "-d", "quorumdb", "-X", "-q",
		"-v", "ON_ERROR_STOP=1", "-f", filepath.Join("testdata", "pgdump", "plain.sql"))
	dump := filepath.Join(t.TempDir(), "quorumdb.sql")
	runTool(t, "pg_dump", "-h", host, "-p", port, "-U", "postgres", "-N", "quorumdb", "-f", dump, "quorumdb")
	text, err := os.ReadFile(dump)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"CREATE SCHEMA inventory;",
		"CREATE SEQUENCE public.customers_id_seq\n    AS integer\n",
		"ALTER SEQUENCE public.customers_id_seq OWNED BY public.customers.id;",
		"ALTER TABLE ONLY public.customers ALTER COLUMN id SET DEFAULT nextval('public.customers_id_seq'::regclass);",
		"COPY public.order_lines (order_id, line_no, sku, qty, price) FROM stdin;",
		"SELECT pg_catalog.setval('public.orders_id_seq', 300, true);",
		"CREATE VIEW public.customer_totals AS",
		"ADD CONSTRAINT order_lines_pkey PRIMARY KEY (order_id, line_no);",
		"CREATE INDEX customers_active_signup_idx ON public.customers USING btree (signup) WHERE active;",
		"COMMENT ON COLUMN public.customers.email IS 'login address';",
	} {
		if !strings.Contains(string(text), want) {
			t.Errorf("pg_dump output lacks %q", want)
		}
	}
	target := startNode(t, testConfig(t))
	host, port = hostPort(target.SQLAddr())
	runTool(t, "psql", "-h", host, "-p", port, "-U", "postgres", "-d", "quorumdb", "-X", "-q",
		"-v", "ON_ERROR_STOP=1", "-f", dump)
	checkRestoredDump(t, connect(t, target))
}

func checkRestoredDump(t *testing.T, conn *pgx.Conn) {
	ctx := context.Background()
	// textRows runs a query in the simple protocol and returns its rows
	// as PostgreSQL's text output, fields joined by |.
	textRows := func(q string) string {
		t.Helper()
		rows, err := conn.Query(ctx, q, pgx.QueryExecModeSimpleProtocol)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var fields []string
			for _, v := range rows.RawValues() {
				if v == nil {
					fields = append(fields, "NULL")
				} else {
					fields = append(fields, string(v))
				}
			}
			out = append(out, strings.Join(fields, "|"))
		}
		if err := rows.Err(); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return strings.Join(out, "\n")
	}
	expect := func(q, want string) {
		t.Helper()
		if got := textRows(q); got != want {
			t.Errorf("%s:\n got %q\nwant %q", q, got, want)
		}
	}
	expectCode := func(q, code string) {
		t.Helper()
		_, err := conn.Exec(ctx, q)
		if got := pgCode(err); got != code {
			t.Errorf("%s: got error %v (SQLSTATE %q), want SQLSTATE %s", q, err, got, code)
		}
	}

	// Row counts, sums and sample rows of every table.
	expect(`SELECT count(*), sum(abalance), sum(bid) FROM pgbench_accounts`, "200|0|200")
	expect(`SELECT count(*), sum(tbalance) FROM pgbench_tellers`, "10|0")
	expect(`SELECT count(*), sum(bbalance) FROM pgbench_branches`, "1|0")
	expect(`SELECT count(*), sum(delta), max(mtime) FROM pgbench_history`, "20|10|2024-05-01 10:00:20")
	expect(`SELECT count(*), count(name), count(ext_id), count(profile), count(avatar), sum(length(avatar)), max(created_at), min(signup) FROM customers`,
		"120|103|96|90|100|1600|2024-01-07 02:00:00+00|2024-01-02")
	expect(`SELECT id, email, name, active, signup, created_at, ext_id, profile, avatar FROM customers WHERE id IN (3, 14) ORDER BY id`,
		"3|user3@example.com|User 3 O'Neil\ttab|f|2024-01-04|2024-01-01 15:21:00+00|0a3d7213-4fb3-d6c0-24db-4c510bc1605b|"+
			`{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 0}|\x9d607a663f3e9b0a90c3c8d4426640dc`+"\n"+
			"14|user14@example.com|NULL|t|2024-01-15|2024-01-02 03:38:00+00|0ae79a56-a8ff-ad7b-e7d2-7b4ab266a912|"+
			`{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 2}|\x2169184650ee32062f115ec35faf6c9b`)
	expect(`SELECT count(*), sum(total), count(note) FROM orders`, "298|74361.36|30")
	expect(`SELECT note FROM orders WHERE id = 10`, "line1\nline2 \\ backslash")
	expect(`SELECT count(*), sum(qty * price) FROM order_lines`, "598|89736.06")
	expect(`SELECT count(*), max(at) FROM events`, "50|2024-03-01 00:50:00+00")
	expect(`SELECT count(*), sum(stock), sum(weight_kg) FROM inventory.items`, "40|2340|86.250")

	// The view answers.
	expect(`SELECT * FROM customer_totals ORDER BY spent DESC, id LIMIT 3`,
		"54|user54@example.com|3|1179.69\n28|user28@example.com|3|1155.51\n47|user47@example.com|3|1139.58")

	// Indexes and comments came along.
	expect(`SELECT indexname FROM pg_indexes WHERE schemaname IN ('public', 'inventory') ORDER BY indexname`,
		strings.Join([]string{"customers_active_signup_idx", "customers_ext_id_key", "customers_lower_email_idx", "customers_pkey",
			"events_pkey", "items_pkey", "order_lines_pkey", "orders_customer_id_idx", "orders_pkey", "pgbench_accounts_pkey",
			"pgbench_branches_pkey", "pgbench_tellers_pkey", "tags_label_key", "tags_pkey"}, "\n"))
	expect(`SELECT indexdef FROM pg_indexes WHERE indexname = 'customers_active_signup_idx'`,
		"CREATE INDEX customers_active_signup_idx ON public.customers USING btree (signup) WHERE active")
	expect(`SELECT obj_description('public.customers'::regclass, 'pg_class'), col_description('public.customers'::regclass, 2),
		obj_description('inventory.items'::regclass, 'pg_class')`, "people who buy things|login address|stock keeping units")

	// Sequences continue after the restored ids (setval), for serial,
	// bigserial and both kinds of identity column.
	expect(`INSERT INTO customers (email) VALUES ('new@example.com') RETURNING id`, "121")
	expect(`INSERT INTO orders (customer_id) VALUES (1) RETURNING id, total, status`, "301|0.00|new")
	expect(`INSERT INTO events (kind, at) VALUES ('x', now()) RETURNING id`, "51")
	expect(`INSERT INTO tags (label) VALUES ('new') RETURNING id`, "11")

	// Constraints are enforced.
	expectCode(`INSERT INTO orders (customer_id) VALUES (9999)`, "23503")
	expectCode(`INSERT INTO pgbench_history (tid, bid, aid) VALUES (1, 1, 100000)`, "23503")
	expectCode(`INSERT INTO customers (email) VALUES ('USER1@example.com')`, "23505")
	expectCode(`INSERT INTO tags (label) VALUES ('tag1')`, "23505")
	expectCode(`INSERT INTO order_lines VALUES (2, 1, 'SKU-1', 1, 1)`, "23505")
	expectCode(`INSERT INTO customers (email) VALUES ('no-at-sign')`, "23514")
	expectCode(`UPDATE orders SET total = -1 WHERE id = 1`, "23514")
	expectCode(`INSERT INTO customers (email, ext_id) SELECT 'x@y', ext_id FROM customers WHERE id = 1`, "23505")

	// ON DELETE CASCADE reaches orders and their lines.
	expect(`SELECT count(*) FROM order_lines WHERE order_id IN (SELECT id FROM orders WHERE customer_id = 8)`, "3")
	expect(`DELETE FROM customers WHERE id = 8 RETURNING email`, "user8@example.com")
	expect(`SELECT (SELECT count(*) FROM orders WHERE customer_id = 8), (SELECT count(*) FROM order_lines WHERE order_id NOT IN (SELECT id FROM orders))`, "0|0")
}
