package sql

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/quorumdb/quorumdb/sql/catalog"
	"github.com/quorumdb/quorumdb/sql/types"
)

// psqlQuery is one catalog query psql 15 sends, from
// testdata/psql/queries.sql.
type psqlQuery struct {
	name string // "\d t (query 3)"
	sql  string
}

// loadPsqlQueries reads testdata/psql/queries.sql: blocks separated by
// blank lines, each headed by a "-- psql: <name>" line.
func loadPsqlQueries(t *testing.T) []psqlQuery {
	t.Helper()
	b, err := os.ReadFile("testdata/psql/queries.sql")
	if err != nil {
		t.Fatal(err)
	}
	var out []psqlQuery
	for _, block := range strings.Split(string(b), "\n\n") {
		block = strings.TrimSpace(block)
		head, body, _ := strings.Cut(block, "\n")
		name, ok := strings.CutPrefix(head, "-- psql: ")
		if !ok {
			continue
		}
		out = append(out, psqlQuery{name: name, sql: body})
	}
	return out
}

// relOIDs returns the pg_class oids of the session database's tables,
// sequences and indexes by name, read from the catalog itself.
func relOIDs(t *testing.T, e *Engine, s *Session) map[string]int64 {
	t.Helper()
	ctx := context.Background()
	m := map[string]int64{}
	err := e.withReadTxn(ctx, func(c *catalog.Txn) error {
		all, err := c.Tables(ctx, s.dbID)
		if err != nil {
			return err
		}
		for _, td := range all {
			m[td.Name] = int64(td.ID)
			for _, idx := range td.Indexes {
				m[idx.Name] = int64(idx.OID)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func substituteOIDs(sql string, oids map[string]int64) string {
	for name, oid := range oids {
		sql = strings.ReplaceAll(sql, "{{oid "+name+"}}", fmt.Sprint(oid))
	}
	return sql
}

// psqlSchema is the schema the queries were captured against.
const psqlSchema = `
CREATE TABLE t (a int PRIMARY KEY, b text NOT NULL DEFAULT 'x',
  c varchar(10) UNIQUE, d numeric(10,2) CHECK (d > 0), e serial);
CREATE INDEX t_b_idx ON t (b DESC, a);
CREATE SCHEMA s2;
CREATE TABLE nopk (x int);
`

// TestPsqlCatalogQueries runs every query psql 15 sends for \l, \dt, \d,
// \d+, \di, \ds, \dn, \du and tab completion, and checks the rows a user
// reads off the screen.
func TestPsqlCatalogQueries(t *testing.T) {
	e, s := testSession(t)
	mustExec(t, s, psqlSchema)
	oids := relOIDs(t, e, s)

	want := map[string]string{
		`\dt (query 1)`:  "public|nopk|table|postgres\npublic|t|table|postgres",
		`\di (query 1)`:  "public|t_b_idx|index|postgres|t\npublic|t_c_key|index|postgres|t\npublic|t_pkey|index|postgres|t",
		`\ds (query 1)`:  "public|t_e_seq|sequence|postgres",
		`\dn (query 1)`:  "public|pg_database_owner\nquorumdb|postgres\ns2|postgres",
		`\du (query 1)`:  "postgres|t|t|t|t|t|-1|NULL|{}|t|t",
		`\d t (query 1)`: fmt.Sprintf("%d|public|t", oids["t"]),
		// relchecks, relkind, relhasindex, ..., relpersistence,
		// relreplident, amname
		`\d t (query 2)`: "1|r|t|f|f|f|f|f|f||0||p|d|heap",
		`\d t (query 3)`: strings.Join([]string{
			"a|integer|NULL|t|NULL||",
			"b|text|'x'::text|t|NULL||",
			"c|character varying(10)|NULL|f|NULL||",
			"d|numeric(10,2)|NULL|f|NULL||",
			"e|integer|nextval('t_e_seq'::regclass)|t|NULL||",
		}, "\n"),
		// pg_get_indexdef's pretty form leaves out a schema on the
		// search path, as PostgreSQL's does.
		`\d t (query 4)`: strings.Join([]string{
			"t_pkey|t|t|f|t|CREATE UNIQUE INDEX t_pkey ON t USING btree (a)|PRIMARY KEY (a)|p|f|f|f|0",
			"t_b_idx|f|f|f|t|CREATE INDEX t_b_idx ON t USING btree (b DESC, a)|NULL|NULL|NULL|NULL|f|0",
			"t_c_key|f|t|f|t|CREATE UNIQUE INDEX t_c_key ON t USING btree (c)|UNIQUE (c)|u|f|f|f|0",
		}, "\n"),
		`\d t (query 5)`:       "t_d_check|CHECK (d > 0::numeric)",
		`\d t (query 6)`:       "",
		`\d t (query 9)`:       "",
		`\d t (query 10)`:      "",
		`\d t_pkey (query 3)`:  "a|integer|yes|a",
		`\d t_e_seq (query 3)`: "integer|1|1|2147483647|1|no|1",
		`\d t_e_seq (query 4)`: "public.t.e|a",
	}
	for _, q := range loadPsqlQueries(t) {
		t.Run(q.name, func(t *testing.T) {
			r := &recorder{}
			if err := s.ExecSimple(context.Background(), substituteOIDs(q.sql, oids), r); err != nil {
				t.Fatalf("%v\n%s", err, q.sql)
			}
			if w, ok := want[q.name]; ok {
				if got := rowsText(r); got != w {
					t.Errorf("got:\n%s\nwant:\n%s", got, w)
				}
			}
		})
	}
}

// TestPsqlDescribeNoPrimaryKey checks that the hidden row id of a table
// without a primary key shows up nowhere.
func TestPsqlDescribeNoPrimaryKey(t *testing.T) {
	e, s := testSession(t)
	mustExec(t, s, "CREATE TABLE nopk (x int, y text)")
	oid := relOIDs(t, e, s)["nopk"]
	r := mustExec(t, s, fmt.Sprintf(`SELECT attname, attnum FROM pg_catalog.pg_attribute WHERE attrelid = %d ORDER BY attnum`, oid))
	if got, want := rowsText(r), "x|1\ny|2"; got != want {
		t.Errorf("attributes:\n%s\nwant:\n%s", got, want)
	}
	r = mustExec(t, s, fmt.Sprintf(`SELECT relhasindex, relnatts FROM pg_catalog.pg_class WHERE oid = %d`, oid))
	if got, want := rowsText(r), "f|2"; got != want {
		t.Errorf("pg_class: %s, want %s", got, want)
	}
	r = mustExec(t, s, fmt.Sprintf(`SELECT count(*) FROM pg_catalog.pg_index WHERE indrelid = %d`, oid))
	if got, want := rowsText(r), "0"; got != want {
		t.Errorf("pg_index rows: %s, want %s", got, want)
	}
}

// TestCatalogDriverQueries runs metadata queries of the drivers and ORMs
// (information_schema, pg_type lookups, primary key discovery).
func TestCatalogDriverQueries(t *testing.T) {
	_, s := testSession(t)
	mustExec(t, s, psqlSchema)
	for _, tc := range []struct{ sql, want string }{
		{ // information_schema.columns, as ORMs read it
			`SELECT column_name, data_type, is_nullable, character_maximum_length, numeric_precision, numeric_scale, udt_name, column_default
			 FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 't' ORDER BY ordinal_position`,
			strings.Join([]string{
				"a|integer|NO|NULL|32|0|int4|NULL",
				"b|text|NO|NULL|NULL|NULL|text|'x'::text",
				"c|character varying|YES|10|NULL|NULL|varchar|NULL",
				"d|numeric|YES|NULL|10|2|numeric|NULL",
				"e|integer|NO|NULL|32|0|int4|nextval('t_e_seq'::regclass)",
			}, "\n"),
		},
		{
			`SELECT table_schema, table_name, table_type FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`,
			"public|nopk|BASE TABLE\npublic|t|BASE TABLE",
		},
		{
			`SELECT constraint_name, constraint_type FROM information_schema.table_constraints
			 WHERE table_name = 't' AND constraint_type <> 'CHECK' ORDER BY constraint_name`,
			"t_c_key|UNIQUE\nt_pkey|PRIMARY KEY",
		},
		{
			`SELECT kcu.column_name, kcu.ordinal_position FROM information_schema.key_column_usage kcu
			 WHERE kcu.table_name = 't' AND kcu.constraint_name = 't_pkey'`,
			"a|1",
		},
		{ // primary key columns, as Rails and many tools ask
			`SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
			 WHERE i.indrelid = 't'::regclass AND i.indisprimary`,
			"a",
		},
		{ // psycopg's TypeInfo.fetch and pgx's type loading
			`SELECT typname, oid, typarray, typdelim, typlen, typtype, typcategory FROM pg_type WHERE oid IN (23, 1007, 1043) ORDER BY oid`,
			"int4|23|1007|,|4|b|N\n_int4|1007|0|,|-1|b|A\nvarchar|1043|1015|,|-1|b|S",
		},
		{
			`SELECT schemaname, tablename, indexname, indexdef FROM pg_indexes WHERE tablename = 't' ORDER BY indexname`,
			strings.Join([]string{
				"public|t|t_b_idx|CREATE INDEX t_b_idx ON public.t USING btree (b DESC, a)",
				"public|t|t_c_key|CREATE UNIQUE INDEX t_c_key ON public.t USING btree (c)",
				"public|t|t_pkey|CREATE UNIQUE INDEX t_pkey ON public.t USING btree (a)",
			}, "\n"),
		},
		{
			`SELECT tablename, hasindexes FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`,
			"nopk|f\nt|t",
		},
		{
			`SELECT conname, contype, conkey FROM pg_constraint WHERE conrelid = 't'::regclass ORDER BY conname`,
			"t_c_key|u|{3}\nt_d_check|c|{4}\nt_pkey|p|{1}",
		},
		{
			`SELECT sequencename, start_value, increment_by, max_value FROM pg_sequences`,
			"t_e_seq|1|1|2147483647",
		},
		{
			`SELECT datname, encoding, datcollate FROM pg_database WHERE datname = current_database()`,
			"quorumdb|6|C",
		},
		{
			`SELECT name, setting FROM pg_settings WHERE name IN ('TimeZone', 'server_version') ORDER BY name`,
			"TimeZone|UTC\nserver_version|" + ServerVersion,
		},
		{
			`SELECT datname, usename, state FROM pg_stat_activity WHERE pid = pg_backend_pid()`,
			"quorumdb|postgres|active",
		},
	} {
		r := &recorder{}
		if err := s.ExecSimple(context.Background(), tc.sql, r); err != nil {
			t.Errorf("%s: %v", tc.sql, err)
			continue
		}
		if got := rowsText(r); got != tc.want {
			t.Errorf("%s:\ngot:\n%s\nwant:\n%s", tc.sql, got, tc.want)
		}
	}
}

func TestDerivedOID(t *testing.T) {
	for _, tc := range []struct {
		kind  int
		table uint32
		pos   int
	}{{derivedCheck, 16384, 0}, {derivedDefault, 16390, 5}, {derivedCheck, 1<<21 - 1, 511}} {
		oid := derivedOID(tc.kind, tc.table, tc.pos)
		if oid < 1<<31 || oid >= 1<<32 {
			t.Errorf("%+v: oid %d outside the derived range", tc, oid)
		}
		kind, table, pos, ok := splitDerivedOID(oid)
		if !ok || kind != tc.kind || table != tc.table || pos != tc.pos {
			t.Errorf("%+v: round trip gave %d %d %d %v", tc, kind, table, pos, ok)
		}
	}
	if _, _, _, ok := splitDerivedOID(16384); ok {
		t.Error("an allocated oid decoded as derived")
	}
}

func TestQuoteIdent(t *testing.T) {
	for in, want := range map[string]string{
		"a": "a", "t_pkey": "t_pkey", "a1$": "a1$", "Abc": `"Abc"`, "a b": `"a b"`,
		"user": `"user"`, "order": `"order"`, "name": "name", "1a": `"1a"`, `q"t`: `"q""t"`,
	} {
		if got := quoteIdent(in); got != want {
			t.Errorf("quoteIdent(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestCheckDefText(t *testing.T) {
	for _, tc := range []struct {
		expr   string
		pretty bool
		want   string
	}{
		{"a > 0", false, "CHECK ((a > 0))"},
		{"a > 0", true, "CHECK (a > 0)"},
		{"a > 0 AND b < 1", false, "CHECK ((a > 0 AND b < 1))"},
		{"f(a)", false, "CHECK (f(a))"},
		{"flag", false, "CHECK (flag)"},
	} {
		if got := checkDefText(tc.expr, tc.pretty); got != tc.want {
			t.Errorf("checkDefText(%q, %v) = %s, want %s", tc.expr, tc.pretty, got, tc.want)
		}
	}
}

// TestCatalogFuncVariants checks the forms of the catalog functions that
// funcs_session.go does not call yet (pg_get_indexdef's column argument,
// pg_get_constraintdef's pretty flag, a search_path-aware
// pg_table_is_visible) through test-only session functions.
func TestCatalogFuncVariants(t *testing.T) {
	oid, i4, b := types.OidT, types.Int4, types.Bool
	defs := map[string]*sessionFuncDef{
		"test_table_is_visible": {minArgs: 1, maxArgs: 1, argTypes: []types.T{oid}, ret: b,
			fn: func(ec *execCtx, args []types.Datum) (types.Datum, error) {
				return ec.relationIsVisible(args[0].(int64))
			}},
		"test_indexdef": {minArgs: 2, maxArgs: 2, argTypes: []types.T{oid, i4}, ret: types.Text,
			fn: func(ec *execCtx, args []types.Datum) (types.Datum, error) {
				return ec.indexColumnDef(args[0].(int64), args[1].(int64), false)
			}},
		"test_constraintdef": {minArgs: 2, maxArgs: 2, argTypes: []types.T{oid, b}, ret: types.Text,
			fn: func(ec *execCtx, args []types.Datum) (types.Datum, error) {
				return ec.constraintDefPretty(args[0].(int64), args[1].(bool))
			}},
	}
	for name, def := range defs {
		sessionFuncs[name] = def
	}
	t.Cleanup(func() {
		for name := range defs {
			delete(sessionFuncs, name)
		}
	})

	e, s := testSession(t)
	mustExec(t, s, psqlSchema+"CREATE TABLE s2.u (k int PRIMARY KEY);")
	oids := relOIDs(t, e, s)
	visible := `SELECT n.nspname, c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
		WHERE test_table_is_visible(c.oid) AND n.nspname NOT IN ('pg_catalog', 'public') ORDER BY 1, 2`
	// The operator schema's views count as visible only on the path.
	if got, want := rowsText(mustExec(t, s, visible)), ""; got != want {
		t.Errorf("visible outside public:\n%s\nwant:\n%s", got, want)
	}
	mustExec(t, s, "SET search_path = s2, public, quorumdb")
	if got, want := rowsText(mustExec(t, s, visible)), "quorumdb|cluster_node_heartbeat\nquorumdb|cluster_partitions\nquorumdb|cluster_replication_queues\ns2|u\ns2|u_pkey"; got != want {
		t.Errorf("visible with s2 on the path:\n%s\nwant:\n%s", got, want)
	}

	idx := oids["t_b_idx"]
	r := mustExec(t, s, fmt.Sprintf("SELECT test_indexdef(%d, 0), test_indexdef(%d, 1), test_indexdef(%d, 2), test_indexdef(%d, 3)", idx, idx, idx, idx))
	if got, want := rowsText(r), "CREATE INDEX t_b_idx ON public.t USING btree (b DESC, a)|b|a|NULL"; got != want {
		t.Errorf("index definitions: %s, want %s", got, want)
	}
	r = mustExec(t, s, "SELECT conname, test_constraintdef(oid, false), test_constraintdef(oid, true) FROM pg_catalog.pg_constraint WHERE conrelid = "+fmt.Sprint(oids["t"])+" ORDER BY conname")
	want := "t_c_key|UNIQUE (c)|UNIQUE (c)\nt_d_check|CHECK ((d > (0)::numeric))|CHECK (d > 0::numeric)\nt_pkey|PRIMARY KEY (a)|PRIMARY KEY (a)"
	if got := rowsText(r); got != want {
		t.Errorf("constraint definitions:\n%s\nwant:\n%s", got, want)
	}
}
