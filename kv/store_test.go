package kv

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sort"
	"testing"
)

// testConfig is a small, unsynced store for tests.
func testConfig(t testing.TB, dir string) LocalConfig {
	return LocalConfig{
		Dir:             dir,
		Logger:          slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn})),
		NoSync:          true,
		MemTableBytes:   8 << 20,
		BlockCacheBytes: 8 << 20,
	}
}

func openTestStore(t testing.TB, dir string) *LocalStore {
	t.Helper()
	s, err := Open(testConfig(t, dir))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

func begin(t testing.TB, s *LocalStore, ro bool) Txn {
	t.Helper()
	txn, err := s.Begin(context.Background(), TxnOptions{ReadOnly: ro})
	if err != nil {
		t.Fatalf("Begin: %v", err)
	}
	return txn
}

func mustPut(t testing.TB, txn Txn, k, v string) {
	t.Helper()
	if err := txn.Put(context.Background(), []byte(k), []byte(v)); err != nil {
		t.Fatalf("Put(%q): %v", k, err)
	}
}

func mustGet(t testing.TB, txn Txn, k string) (string, bool) {
	t.Helper()
	v, ok, err := txn.Get(context.Background(), []byte(k))
	if err != nil {
		t.Fatalf("Get(%q): %v", k, err)
	}
	return string(v), ok
}

func mustCommit(t testing.TB, txn Txn) {
	t.Helper()
	if err := txn.Commit(context.Background()); err != nil {
		t.Fatalf("Commit: %v", err)
	}
}

// commitKVs commits the given key/value pairs in one transaction.
func commitKVs(t testing.TB, s *LocalStore, kvs map[string]string) {
	t.Helper()
	txn := begin(t, s, false)
	for k, v := range kvs {
		mustPut(t, txn, k, v)
	}
	mustCommit(t, txn)
}

func TestConfigValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  LocalConfig
		ok   bool
	}{
		{"defaults", LocalConfig{Dir: "x"}.WithDefaults(), true},
		{"no dir", LocalConfig{}.WithDefaults(), false},
		{"negative max txn", LocalConfig{Dir: "x", MaxTxnBytes: -1}.WithDefaults(), false},
		{"tiny memtable", LocalConfig{Dir: "x", MemTableBytes: 10}.WithDefaults(), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.cfg.Validate(); (err == nil) != tc.ok {
				t.Fatalf("Validate = %v, want ok=%v", err, tc.ok)
			}
		})
	}
}

func TestVisibility(t *testing.T) {
	s := openTestStore(t, t.TempDir())
	commitKVs(t, s, map[string]string{"a": "1"})

	old := begin(t, s, true)
	w := begin(t, s, false)
	mustPut(t, w, "a", "2")
	mustPut(t, w, "b", "new")

	other := begin(t, s, true)
	if v, _ := mustGet(t, other, "a"); v != "1" {
		t.Fatalf("uncommitted write visible to another txn: a=%q", v)
	}
	if _, ok := mustGet(t, other, "b"); ok {
		t.Fatal("uncommitted insert visible to another txn")
	}
	mustCommit(t, w)

	if v, _ := mustGet(t, old, "a"); v != "1" {
		t.Fatalf("snapshot changed under an open txn: a=%q", v)
	}
	if _, ok := mustGet(t, old, "b"); ok {
		t.Fatal("later insert visible in an older snapshot")
	}
	fresh := begin(t, s, true)
	if v, _ := mustGet(t, fresh, "a"); v != "2" {
		t.Fatalf("committed write not visible to a later txn: a=%q", v)
	}
	if fresh.ReadTimestamp() <= old.ReadTimestamp() {
		t.Fatalf("read timestamps not increasing: %d then %d", old.ReadTimestamp(), fresh.ReadTimestamp())
	}

	// Deletes are tombstones at the commit timestamp.
	d := begin(t, s, false)
	if err := d.Delete(context.Background(), []byte("a")); err != nil {
		t.Fatal(err)
	}
	mustCommit(t, d)
	if _, ok := mustGet(t, begin(t, s, true), "a"); ok {
		t.Fatal("deleted key still visible")
	}
	if v, _ := mustGet(t, fresh, "a"); v != "2" {
		t.Fatalf("delete visible in older snapshot: a=%q", v)
	}
	for _, txn := range []Txn{old, other, fresh} {
		txn.Rollback()
	}
}

func TestTxnLifecycle(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t, t.TempDir())

	txn := begin(t, s, false)
	mustPut(t, txn, "k", "v")
	mustCommit(t, txn)
	txn.Rollback() // no-op after Commit
	txn.Rollback()
	checks := map[string]error{}
	_, _, checks["Get"] = txn.Get(ctx, []byte("k"))
	checks["Put"] = txn.Put(ctx, []byte("k"), []byte("v"))
	checks["Delete"] = txn.Delete(ctx, []byte("k"))
	checks["DeleteRange"] = txn.DeleteRange(ctx, []byte("a"), nil)
	_, checks["Scan"] = txn.Scan(ctx, nil, nil, 0, false)
	checks["Commit"] = txn.Commit(ctx)
	for op, err := range checks {
		if !errors.Is(err, ErrTxnDone) {
			t.Errorf("%s after Commit = %v, want ErrTxnDone", op, err)
		}
	}

	rb := begin(t, s, false)
	mustPut(t, rb, "gone", "x")
	rb.Rollback()
	if err := rb.Commit(ctx); !errors.Is(err, ErrTxnDone) {
		t.Fatalf("Commit after Rollback = %v", err)
	}
	if _, ok := mustGet(t, begin(t, s, true), "gone"); ok {
		t.Fatal("rolled back write visible")
	}

	ro := begin(t, s, true)
	if err := ro.Put(ctx, []byte("k"), []byte("x")); !errors.Is(err, ErrReadOnly) {
		t.Fatalf("Put in read-only txn = %v", err)
	}
	if err := ro.DeleteRange(ctx, []byte("a"), nil); !errors.Is(err, ErrReadOnly) {
		t.Fatalf("DeleteRange in read-only txn = %v", err)
	}
	if v, _ := mustGet(t, ro, "k"); v != "v" {
		t.Fatalf("read-only Get = %q", v)
	}
	mustCommit(t, ro)

	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := s.Begin(cctx, TxnOptions{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("Begin with cancelled ctx = %v", err)
	}
	c := begin(t, s, false)
	if _, _, err := c.Get(cctx, []byte("k")); !errors.Is(err, context.Canceled) {
		t.Fatalf("Get with cancelled ctx = %v", err)
	}
	mustPut(t, c, "k", "never")
	if err := c.Commit(cctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Commit with cancelled ctx = %v", err)
	}
	if v, _ := mustGet(t, begin(t, s, true), "k"); v != "v" {
		t.Fatalf("cancelled commit took effect: k=%q", v)
	}

	bad := begin(t, s, false)
	for _, k := range [][]byte{nil, {}, {0x00, 'x'}} {
		if err := bad.Put(ctx, k, []byte("v")); err == nil {
			t.Errorf("Put(%q) accepted a reserved or empty key", k)
		}
	}
	if err := bad.Put(ctx, []byte("k"), nil); err == nil {
		t.Error("Put with nil value accepted")
	}
	bad.Rollback()
}

func TestTxnTooLarge(t *testing.T) {
	cfg := testConfig(t, t.TempDir())
	cfg.MaxTxnBytes = 10_000
	s, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	txn := begin(t, s, false)
	defer txn.Rollback()
	var werr error
	for i := 0; i < 1000 && werr == nil; i++ {
		werr = txn.Put(context.Background(), fmt.Appendf(nil, "k%04d", i), make([]byte, 100))
	}
	if !errors.Is(werr, ErrTxnTooLarge) {
		t.Fatalf("got %v, want ErrTxnTooLarge", werr)
	}
}

// model is the expected state of a transaction's view: committed data
// plus its own writes.
type model map[string]string

func (m model) scan(start, end []byte, limit int, reverse bool) []KeyValue {
	start = clampStart(start)
	var keys []string
	for k := range m {
		if bytes.Compare([]byte(k), start) >= 0 && (end == nil || bytes.Compare([]byte(k), end) < 0) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	if reverse {
		for i, j := 0, len(keys)-1; i < j; i, j = i+1, j-1 {
			keys[i], keys[j] = keys[j], keys[i]
		}
	}
	if limit > 0 && len(keys) > limit {
		keys = keys[:limit]
	}
	var out []KeyValue
	for _, k := range keys {
		out = append(out, KeyValue{Key: []byte(k), Value: []byte(m[k])})
	}
	return out
}

func fmtKVs(kvs []KeyValue) string {
	var b bytes.Buffer
	for _, kv := range kvs {
		fmt.Fprintf(&b, "%s=%s ", kv.Key, kv.Value)
	}
	return b.String()
}

// TestReadYourWrites checks Get and Scan against a model, with the own
// writes (puts, deletes, range deletes) merged over committed data.
func TestReadYourWrites(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t, t.TempDir())
	commitKVs(t, s, map[string]string{"a": "a0", "b": "b0", "c": "c0", "d": "d0", "f": "f0", "h": "h0", "j": "j0"})

	txn := begin(t, s, false)
	defer txn.Rollback()
	m := model{"a": "a0", "b": "b0", "c": "c0", "d": "d0", "f": "f0", "h": "h0", "j": "j0"}
	mustPut(t, txn, "b", "b1") // overwrite
	m["b"] = "b1"
	mustPut(t, txn, "e", "e1") // insert between committed keys
	m["e"] = "e1"
	mustPut(t, txn, "k", "k1") // insert after the last
	m["k"] = "k1"
	if err := txn.Delete(ctx, []byte("c")); err != nil { // delete committed
		t.Fatal(err)
	}
	delete(m, "c")
	mustPut(t, txn, "g", "g1") // insert then delete own key
	if err := txn.Delete(ctx, []byte("g")); err != nil {
		t.Fatal(err)
	}
	if err := txn.DeleteRange(ctx, []byte("f"), []byte("j")); err != nil { // drops f, h
		t.Fatal(err)
	}
	delete(m, "f")
	delete(m, "h")
	mustPut(t, txn, "h", "h2") // re-insert inside the deleted range
	m["h"] = "h2"

	for _, k := range []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "z"} {
		v, ok := mustGet(t, txn, k)
		want, wantOK := m[k]
		if ok != wantOK || v != want {
			t.Errorf("Get(%q) = %q,%v; want %q,%v", k, v, ok, want, wantOK)
		}
	}

	b := func(s string) []byte {
		if s == "" {
			return nil
		}
		return []byte(s)
	}
	for _, tc := range []struct {
		start, end string
		limit      int
	}{
		{"", "", 0}, {"", "", 1}, {"", "", 3}, {"b", "e", 0}, {"b", "e", 2},
		{"bb", "ee", 0}, {"c", "d", 0}, {"f", "j", 0}, {"e", "", 0},
		{"k", "", 0}, {"l", "", 0}, {"", "a", 0}, {"a", "a", 0}, {"d", "c", 0},
		{"a", "k", 4}, {"h", "i", 1},
	} {
		for _, reverse := range []bool{false, true} {
			name := fmt.Sprintf("[%s,%s) limit=%d reverse=%v", tc.start, tc.end, tc.limit, reverse)
			got, err := txn.Scan(ctx, b(tc.start), b(tc.end), tc.limit, reverse)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			want := m.scan(b(tc.start), b(tc.end), tc.limit, reverse)
			if fmtKVs(got) != fmtKVs(want) {
				t.Errorf("%s:\n got  %s\n want %s", name, fmtKVs(got), fmtKVs(want))
			}
		}
	}

	// Continuing a limited scan as the Txn doc describes visits every key.
	var all []KeyValue
	start := []byte(nil)
	for {
		page, err := txn.Scan(ctx, start, nil, 2, false)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, page...)
		if len(page) < 2 {
			break
		}
		start = append(bytes.Clone(page[len(page)-1].Key), 0)
	}
	if fmtKVs(all) != fmtKVs(m.scan(nil, nil, 0, false)) {
		t.Errorf("paged scan = %s", fmtKVs(all))
	}

	// After commit, a new transaction sees exactly the model.
	mustCommit(t, txn)
	got, err := begin(t, s, true).Scan(ctx, nil, nil, 0, false)
	if err != nil {
		t.Fatal(err)
	}
	if fmtKVs(got) != fmtKVs(m.scan(nil, nil, 0, false)) {
		t.Errorf("after commit:\n got  %s\n want %s", fmtKVs(got), fmtKVs(m.scan(nil, nil, 0, false)))
	}
}

// TestScanRandom compares random transactions' Scan and Get with the
// model over several rounds of commits.
func TestScanRandom(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t, t.TempDir())
	rng := rand.New(rand.NewPCG(1, 2))
	key := func() []byte { return fmt.Appendf(nil, "k%02d", rng.IntN(60)) }
	committed := model{}
	for round := 0; round < 30; round++ {
		txn := begin(t, s, false)
		m := model{}
		for k, v := range committed {
			m[k] = v
		}
		for op := 0; op < 40; op++ {
			switch r := rng.IntN(10); {
			case r < 5:
				k, v := key(), fmt.Sprintf("v%d.%d", round, op)
				mustPut(t, txn, string(k), v)
				m[string(k)] = v
			case r < 7:
				k := key()
				if err := txn.Delete(ctx, k); err != nil {
					t.Fatal(err)
				}
				delete(m, string(k))
			case r < 8:
				a, b := key(), key()
				if bytes.Compare(a, b) > 0 {
					a, b = b, a
				}
				if err := txn.DeleteRange(ctx, a, b); err != nil {
					t.Fatal(err)
				}
				for k := range m {
					if k >= string(a) && k < string(b) {
						delete(m, k)
					}
				}
			default:
				a, b := key(), key()
				if bytes.Compare(a, b) > 0 {
					a, b = b, a
				}
				if rng.IntN(4) == 0 {
					b = nil
				}
				limit, reverse := rng.IntN(5), rng.IntN(2) == 0
				got, err := txn.Scan(ctx, a, b, limit, reverse)
				if err != nil {
					t.Fatal(err)
				}
				if want := m.scan(a, b, limit, reverse); fmtKVs(got) != fmtKVs(want) {
					t.Fatalf("round %d: Scan(%s,%s,%d,%v)\n got  %s\n want %s", round, a, b, limit, reverse, fmtKVs(got), fmtKVs(want))
				}
				k := key()
				v, ok := mustGet(t, txn, string(k))
				if want, wantOK := m[string(k)]; v != want || ok != wantOK {
					t.Fatalf("round %d: Get(%s) = %q,%v want %q,%v", round, k, v, ok, want, wantOK)
				}
			}
		}
		if rng.IntN(4) == 0 {
			txn.Rollback()
			continue
		}
		mustCommit(t, txn)
		committed = m
	}
	got, err := begin(t, s, true).Scan(ctx, nil, nil, 0, false)
	if err != nil {
		t.Fatal(err)
	}
	if want := committed.scan(nil, nil, 0, false); fmtKVs(got) != fmtKVs(want) {
		t.Fatalf("final state\n got  %s\n want %s", fmtKVs(got), fmtKVs(want))
	}
}
