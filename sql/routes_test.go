package sql

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/quorumdb/quorumdb/kv"
	"github.com/quorumdb/quorumdb/kv/dist"
	"github.com/quorumdb/quorumdb/sql/catalog"
)

// placingDB checks, for every kv call the engine makes, what the
// partitioned keyspace would do with it (kv/dist's KeyPlacement over
// the routes the engine registered through OnTable): every key must be
// placeable, and a scan the placement sends to one partition must find
// nothing that the placement puts elsewhere — it would miss it.
type placingDB struct {
	kv.DB
	kp *dist.KeyPlacement

	mu       sync.Mutex
	problems []string
	single   int // scans placed on one partition
}

func (d *placingDB) problem(format string, args ...any) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(d.problems) < 10 {
		d.problems = append(d.problems, fmt.Sprintf(format, args...))
	}
}

func (d *placingDB) Begin(ctx context.Context, opts kv.TxnOptions) (kv.Txn, error) {
	txn, err := d.DB.Begin(ctx, opts)
	if err != nil {
		return nil, err
	}
	return &placingTxn{Txn: txn, d: d}, nil
}

type placingTxn struct {
	kv.Txn
	d *placingDB
}

func (t *placingTxn) place(key []byte) {
	if _, err := t.d.kp.Of(key); err != nil {
		t.d.problem("%v", err)
	}
}

func (t *placingTxn) Get(ctx context.Context, key []byte) ([]byte, bool, error) {
	t.place(key)
	return t.Txn.Get(ctx, key)
}

func (t *placingTxn) GetForUpdate(ctx context.Context, key []byte) ([]byte, bool, error) {
	t.place(key)
	return t.Txn.GetForUpdate(ctx, key)
}

func (t *placingTxn) Exists(ctx context.Context, key []byte) (bool, error) {
	t.place(key)
	return t.Txn.Exists(ctx, key)
}

func (t *placingTxn) Put(ctx context.Context, key, value []byte) error {
	t.place(key)
	return t.Txn.Put(ctx, key, value)
}

func (t *placingTxn) Insert(ctx context.Context, key, value []byte) error {
	t.place(key)
	return t.Txn.Insert(ctx, key, value)
}

func (t *placingTxn) InsertFresh(ctx context.Context, key, value []byte) error {
	t.place(key)
	return t.Txn.InsertFresh(ctx, key, value)
}

func (t *placingTxn) Delete(ctx context.Context, key []byte) error {
	t.place(key)
	return t.Txn.Delete(ctx, key)
}

func (t *placingTxn) GetMany(ctx context.Context, keys [][]byte) ([][]byte, []bool, error) {
	for _, k := range keys {
		t.place(k)
	}
	return kv.GetMany(ctx, t.Txn, keys)
}

func (t *placingTxn) Scan(ctx context.Context, start, end []byte, limit int, reverse bool) ([]kv.KeyValue, error) {
	kvs, err := t.Txn.Scan(ctx, start, end, limit, reverse)
	if ps := t.d.kp.Spanning(start, end); len(ps) == 1 {
		t.d.mu.Lock()
		t.d.single++
		t.d.mu.Unlock()
		for _, e := range kvs {
			if p, perr := t.d.kp.Of(e.Key); perr != nil || p != ps[0] {
				t.d.problem("a scan of %x..%x placed on partition %d returned %x, placed on %d (%v)", start, end, ps[0], e.Key, p, perr)
			}
		}
	}
	return kvs, err
}

// TestIndexRoutesPlaceEveryKey runs statements over tables keyed by
// several types, directions and expressions through a store that checks
// the partitioned keyspace's placement of each key: every key of every
// index is placeable from the routes the engine registered, and lookups
// by a full index key or a primary key's first column reach the one
// partition that holds what they find.
func TestIndexRoutesPlaceEveryKey(t *testing.T) {
	store, err := kv.Open(kv.LocalConfig{Dir: t.TempDir(), NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	routes := dist.NewRoutes()
	db := &placingDB{DB: store, kp: &dist.KeyPlacement{Data: 16, Routes: routes}}
	ctx := context.Background()
	e, err := NewEngine(ctx, Config{DB: db, NodeID: 1, Version: "test", OnTable: func(tbl *catalog.Table) {
		IndexRoutes(tbl, func(table, index uint32, skip func([]byte) (int, error)) { routes.Register(table, index, skip) })
	}})
	if err != nil {
		t.Fatal(err)
	}
	s, err := e.Connect(ctx, ConnParams{User: "postgres", Database: "quorumdb", BackendPID: 42})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)

	for _, q := range []string{
		"CREATE TABLE ints (id int PRIMARY KEY, v text)",
		"CREATE TABLE texts (name text, n int, tag text, PRIMARY KEY (name, n))",
		"CREATE INDEX texts_tag ON texts (tag)",
		"CREATE UNIQUE INDEX texts_lower ON texts (lower(tag), n DESC)",
		"CREATE TABLE nokey (a numeric, b timestamptz)",
		"CREATE INDEX nokey_b ON nokey (b DESC)",
		"INSERT INTO ints SELECT g, 'v' || g FROM generate_series(1, 50) g",
		"INSERT INTO texts SELECT 'name' || (g % 7), g, 'Tag' || (g % 5) FROM generate_series(1, 50) g",
		"INSERT INTO nokey SELECT g / 3.0, '2026-01-01'::timestamptz + g * interval '1 hour' FROM generate_series(1, 20) g",
		"UPDATE ints SET v = 'w' WHERE id = 7",
		"UPDATE texts SET tag = 'moved' WHERE name = 'name3' AND n = 3",
		"SELECT * FROM ints WHERE id = 9",
		"SELECT * FROM texts WHERE name = 'name2'",
		"SELECT * FROM texts WHERE tag = 'Tag4'",
		"SELECT * FROM texts WHERE lower(tag) = 'tag1' AND n = 6",
		"SELECT * FROM nokey WHERE b = '2026-01-01 05:00:00+00'",
		"DELETE FROM ints WHERE id BETWEEN 10 AND 20",
		"SELECT count(*) FROM ints",
		"ALTER TABLE ints ADD COLUMN w int DEFAULT 5",
		"CREATE INDEX ints_w ON ints (w, id)",
		"SELECT * FROM ints WHERE w = 5 AND id = 30",
		"ALTER TABLE nokey ADD PRIMARY KEY (b)",
		"ALTER TABLE texts ALTER COLUMN n TYPE bigint",
		"ALTER TABLE ints ADD CONSTRAINT ints_v UNIQUE (v, id)",
		"CREATE TABLE copied AS SELECT * FROM texts WHERE n < 20",
		"CREATE TEMP TABLE scratch (k text PRIMARY KEY, v int)",
		"INSERT INTO scratch VALUES ('a', 1), ('b', 2) ON CONFLICT (k) DO UPDATE SET v = excluded.v",
		"SELECT * FROM scratch WHERE k = 'b'",
		"TRUNCATE ints",
		"INSERT INTO ints (id, v) VALUES (1, 'again')",
		"SELECT * FROM texts WHERE name = 'name4' AND n = 4",
		// An enum's labels are not in the descriptor's column type: the
		// route must not need them.
		"CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')",
		"CREATE TABLE moods (m mood PRIMARY KEY, ms mood[], n int)",
		"CREATE INDEX moods_n ON moods (n, m)",
		"INSERT INTO moods VALUES ('ok', '{sad,happy}'), ('happy', NULL)",
		"SELECT * FROM moods WHERE m = 'ok'",
		"ALTER TYPE mood ADD VALUE 'meh' BEFORE 'ok'",
		"INSERT INTO moods VALUES ('meh', '{meh}')",
	} {
		if got := execCode(t, s, q); got != "" {
			t.Fatalf("%s: SQLSTATE %s", q, got)
		}
	}
	for _, p := range db.problems {
		t.Error(p)
	}
	if db.single == 0 {
		t.Error("no lookup was placed on a single partition")
	}
}
