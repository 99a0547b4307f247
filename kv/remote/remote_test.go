package remote

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/quorumdb/quorumdb/kv"
)

func testLogger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
}

func openStore(t testing.TB) *kv.LocalStore {
	t.Helper()
	s, err := kv.Open(kv.LocalConfig{
		Dir:             t.TempDir(),
		Logger:          testLogger(t),
		NoSync:          true,
		MemTableBytes:   8 << 20,
		BlockCacheBytes: 8 << 20,
		LockTimeout:     -1,
	})
	if err != nil {
		t.Fatalf("kv.Open: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

// serve serves db on a loopback port and returns the Server and its
// address.
func serve(t testing.TB, db kv.DB) (*Server, string) {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return serveOn(t, db, lis)
}

// serveOn serves db on lis.
func serveOn(t testing.TB, db kv.DB, lis net.Listener) (*Server, string) {
	gs := grpc.NewServer(ServerOptions()...)
	srv := NewServer(db, testLogger(t))
	srv.Register(gs)
	go func() { _ = gs.Serve(lis) }()
	t.Cleanup(func() {
		srv.Close()
		gs.Stop()
	})
	return srv, lis.Addr().String()
}

func newClient(t testing.TB) *Client {
	c := NewClient(testLogger(t), 0, grpc.WithTransportCredentials(insecure.NewCredentials()))
	t.Cleanup(c.Close)
	return c
}

// remoteDB is a kv.DB beginning every transaction on addr.
type remoteDB struct {
	c    *Client
	addr string
}

func (d remoteDB) Begin(ctx context.Context, opts kv.TxnOptions) (kv.Txn, error) {
	return d.c.Begin(ctx, d.addr, opts)
}

// setup returns the store and a DB reaching it through a Server.
func setup(t testing.TB) (*kv.LocalStore, *Server, string, remoteDB) {
	store := openStore(t)
	srv, addr := serve(t, store)
	return store, srv, addr, remoteDB{c: newClient(t), addr: addr}
}

func mustBegin(t testing.TB, db kv.DB, ro bool) kv.Txn {
	t.Helper()
	txn, err := db.Begin(context.Background(), kv.TxnOptions{ReadOnly: ro})
	if err != nil {
		t.Fatalf("Begin: %v", err)
	}
	return txn
}

// sentinelNames lists the sentinels an error matches, so that the script
// compares errors.Is results as well as texts.
func sentinelNames(err error) string {
	var names []string
	for _, s := range sentinels {
		if errors.Is(err, s.err) {
			names = append(names, s.code.String())
		}
	}
	return fmt.Sprint(names)
}

// script runs every Txn method on db and records what a caller sees.
func script(t *testing.T, db kv.DB) []string {
	ctx := context.Background()
	var out []string
	rec := func(what string, args ...any) { out = append(out, fmt.Sprintf(what, args...)) }
	e := func(err error) string {
		if err == nil {
			return "ok"
		}
		return err.Error() + " " + sentinelNames(err)
	}
	val := func(v []byte, found bool, err error) string {
		return fmt.Sprintf("%q nil=%v found=%v %s", v, v == nil, found, e(err))
	}
	scan := func(txn kv.Txn, start, end []byte, limit int, reverse bool) {
		kvs, err := txn.Scan(ctx, start, end, limit, reverse)
		s := fmt.Sprintf("scan %q %q %d %v: %s", start, end, limit, reverse, e(err))
		for _, kv := range kvs {
			s += fmt.Sprintf(" %q=%q(nil=%v)", kv.Key, kv.Value, kv.Value == nil)
		}
		out = append(out, s)
	}

	w := mustBegin(t, db, false)
	rec("put a %s", e(w.Put(ctx, []byte("a"), []byte("1"))))
	rec("put empty %s", e(w.Put(ctx, []byte("e"), []byte{})))
	rec("put nil %s", e(w.Put(ctx, []byte("n"), nil)))
	rec("insert b %s", e(w.Insert(ctx, []byte("b"), []byte("2"))))
	rec("insert b again %s", e(w.Insert(ctx, []byte("b"), []byte("3"))))
	rec("insert nil %s", e(w.Insert(ctx, []byte("x"), nil)))
	rec("insertfresh c %s", e(w.InsertFresh(ctx, []byte("c"), []byte("3"))))
	rec("insertfresh c again %s", e(w.InsertFresh(ctx, []byte("c"), []byte("3"))))
	rec("insertfresh d empty %s", e(w.InsertFresh(ctx, []byte("d"), []byte{})))
	rec("get a %s", val(w.Get(ctx, []byte("a"))))
	rec("get e %s", val(w.Get(ctx, []byte("e"))))
	rec("get missing %s", val(w.Get(ctx, []byte("zz"))))
	rec("gfu e %s", val(w.GetForUpdate(ctx, []byte("e"))))
	scan(w, nil, nil, 0, false)
	scan(w, []byte("b"), []byte("d"), 0, true)
	rec("commit %s", e(w.Commit(ctx)))
	rec("get after commit %s", val(w.Get(ctx, []byte("a"))))
	rec("commit again %s", e(w.Commit(ctx)))
	w.Rollback()

	w = mustBegin(t, db, false)
	scan(w, nil, nil, 2, false)
	scan(w, nil, nil, 2, true)
	scan(w, []byte("b"), nil, 0, false)
	scan(w, []byte("b"), []byte{}, 0, false)
	rec("exists a %s", fmt.Sprint(w.Exists(ctx, []byte("a"))))
	rec("exists zz %s", fmt.Sprint(w.Exists(ctx, []byte("zz"))))
	rec("insert a %s", e(w.Insert(ctx, []byte("a"), []byte("9"))))
	sp, err := w.Savepoint()
	rec("savepoint %s", e(err))
	rec("put f %s", e(w.Put(ctx, []byte("f"), []byte("6"))))
	rec("delete a %s", e(w.Delete(ctx, []byte("a"))))
	rec("delete missing %s", e(w.Delete(ctx, []byte("zz"))))
	scan(w, nil, nil, 0, false)
	rec("rollbackto %s", e(w.RollbackTo(sp)))
	scan(w, nil, nil, 0, false)
	rec("deleterange b-d %s", e(w.DeleteRange(ctx, []byte("b"), []byte("d"))))
	scan(w, nil, nil, 0, false)
	rec("deleterange d- %s", e(w.DeleteRange(ctx, []byte("d"), nil)))
	scan(w, nil, nil, 0, false)
	rec("rollbackto foreign %s", e(w.RollbackTo(kv.Savepoint{})))
	rec("readts>0 %v", w.ReadTimestamp() > 0)
	w.Rollback()
	w.Rollback()
	rec("after rollback %s", e(w.Put(ctx, []byte("a"), []byte("1"))))
	_, err = w.Savepoint()
	rec("savepoint after rollback %s", e(err))

	insertFreshScript(t, db, rec, e, val, scan)

	r := mustBegin(t, db, true)
	rec("ro put %s", e(r.Put(ctx, []byte("a"), []byte("1"))))
	rec("ro insertfresh %s", e(r.InsertFresh(ctx, []byte("q"), []byte("1"))))
	rec("ro gfu %s", val(r.GetForUpdate(ctx, []byte("a"))))
	rec("ro insert %s", e(r.Insert(ctx, []byte("q"), []byte("1"))))
	rec("ro deleterange %s", e(r.DeleteRange(ctx, nil, nil)))
	scan(r, nil, nil, 0, false)
	rec("ro commit %s", e(r.Commit(ctx)))
	return out
}

// insertFreshScript is the part of script about InsertFresh, which the
// remote client pipelines when it can tell from the transaction's own
// writes that the key has no live value: duplicates against every kind
// of own write, Delete, DeleteRange (bounded and not), savepoints, and
// batches large enough to be sent in several pieces.
func insertFreshScript(t *testing.T, db kv.DB, rec func(string, ...any), e func(error) string, val func([]byte, bool, error) string, scan func(kv.Txn, []byte, []byte, int, bool)) {
	ctx := context.Background()
	key := func(p string, i int) []byte { return fmt.Appendf(nil, "%s%05d", p, i) }
	load := func(w kv.Txn, p string, n int) {
		failed := 0
		for i := range n {
			if err := w.InsertFresh(ctx, key(p, i), fmt.Appendf(nil, "v%d", i)); err != nil {
				rec("load %s%05d: %s", p, i, e(err))
				failed++
			}
		}
		rec("load %s x%d: %d failed", p, n, failed)
	}
	count := func(w kv.Txn, p string) {
		kvs, err := w.Scan(ctx, []byte(p), kv.PrefixEnd([]byte(p)), 0, false)
		rec("count %s: %d %s", p, len(kvs), e(err))
	}

	w := mustBegin(t, db, false)
	load(w, "p", 2500) // several batches, the last one partial
	rec("insertfresh dup of a pipelined key %s", e(w.InsertFresh(ctx, key("p", 5), []byte("x"))))
	rec("insertfresh dup of the last key %s", e(w.InsertFresh(ctx, key("p", 2499), []byte("x"))))
	rec("insertfresh over committed a %s", e(w.InsertFresh(ctx, []byte("a"), []byte("fresh"))))
	rec("get a %s", val(w.Get(ctx, []byte("a"))))
	rec("put g %s", e(w.Put(ctx, []byte("g"), []byte("1"))))
	rec("insertfresh g after put %s", e(w.InsertFresh(ctx, []byte("g"), []byte("2"))))
	rec("insert h %s", e(w.Insert(ctx, []byte("h"), []byte("1"))))
	rec("insertfresh h after insert %s", e(w.InsertFresh(ctx, []byte("h"), []byte("2"))))
	rec("delete g %s", e(w.Delete(ctx, []byte("g"))))
	rec("insertfresh g after delete %s", e(w.InsertFresh(ctx, []byte("g"), []byte("3"))))
	rec("insertfresh g again %s", e(w.InsertFresh(ctx, []byte("g"), []byte("4"))))
	rec("get g %s", val(w.Get(ctx, []byte("g"))))
	sp, err := w.Savepoint()
	rec("savepoint %s", e(err))
	load(w, "s", 1500)
	rec("delete p00001 %s", e(w.Delete(ctx, key("p", 1))))
	rec("insertfresh p00001 after delete %s", e(w.InsertFresh(ctx, key("p", 1), []byte("new"))))
	rec("delete p00002 %s", e(w.Delete(ctx, key("p", 2))))
	count(w, "s")
	rec("rollbackto %s", e(w.RollbackTo(sp)))
	count(w, "s")
	rec("insertfresh s00007 after rollback %s", e(w.InsertFresh(ctx, key("s", 7), []byte("again"))))
	rec("insertfresh p00001 after rollback %s", e(w.InsertFresh(ctx, key("p", 1), []byte("x"))))
	rec("insertfresh p00002 after rollback %s", e(w.InsertFresh(ctx, key("p", 2), []byte("x"))))
	rec("get p00001 %s", val(w.Get(ctx, key("p", 1))))
	sp2, err := w.Savepoint()
	rec("savepoint 2 %s", e(err))
	rec("delete g %s", e(w.Delete(ctx, []byte("g"))))
	rec("rollbackto 2 %s", e(w.RollbackTo(sp2)))
	rec("insertfresh g restored %s", e(w.InsertFresh(ctx, []byte("g"), []byte("5"))))
	rec("deleterange p00000-p00100 %s", e(w.DeleteRange(ctx, key("p", 0), key("p", 100))))
	rec("insertfresh p00050 after deleterange %s", e(w.InsertFresh(ctx, key("p", 50), []byte("x"))))
	rec("insertfresh p00050 again %s", e(w.InsertFresh(ctx, key("p", 50), []byte("y"))))
	rec("insertfresh p00150 outside the range %s", e(w.InsertFresh(ctx, key("p", 150), []byte("y"))))
	count(w, "p")
	load(w, "t", 1200)
	rec("deleterange t- %s", e(w.DeleteRange(ctx, []byte("t"), nil)))
	load(w, "t", 10)
	rec("insertfresh t00003 again %s", e(w.InsertFresh(ctx, key("t", 3), []byte("x"))))
	rec("insertfresh empty key %s", e(w.InsertFresh(ctx, []byte{}, []byte("x"))))
	rec("insertfresh reserved key %s", e(w.InsertFresh(ctx, []byte("\x00k"), []byte("x"))))
	rec("insertfresh nil value %s", e(w.InsertFresh(ctx, []byte("k"), nil)))
	canceled, cancel := context.WithCancel(ctx)
	cancel()
	rec("insertfresh canceled %s", e(w.InsertFresh(canceled, []byte("k"), []byte("x"))))
	rec("insertfresh k %s", e(w.InsertFresh(ctx, []byte("k"), []byte("x"))))
	load(w, "u", 30)
	rec("commit %s", e(w.Commit(ctx)))
	rec("insertfresh after commit %s", e(w.InsertFresh(ctx, []byte("k2"), []byte("x"))))

	w = mustBegin(t, db, false)
	for _, p := range []string{"p", "s", "t", "u"} {
		count(w, p)
	}
	scan(w, key("p", 98), key("p", 102), 0, false)
	scan(w, []byte("g"), []byte("l"), 0, false)
	rec("get p02499 %s", val(w.Get(ctx, key("p", 2499))))
	load(w, "v", 700)
	w.Rollback()
	rec("insertfresh after rollback %s", e(w.InsertFresh(ctx, []byte("k3"), []byte("x"))))
	w = mustBegin(t, db, false)
	count(w, "v")
	w.Rollback()
}

func TestRemoteMatchesLocal(t *testing.T) {
	_, _, _, remote := setup(t)
	want := script(t, openStore(t))
	got := script(t, remote)
	if len(got) != len(want) {
		t.Fatalf("remote script has %d lines, local %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("line %d:\nremote %s\nlocal  %s", i, got[i], want[i])
		}
	}
}

func TestConflictDeadlockKeyExistsReadOnly(t *testing.T) {
	_, _, _, db := setup(t)
	ctx := context.Background()

	t1, t2 := mustBegin(t, db, false), mustBegin(t, db, false)
	if err := t1.Insert(ctx, []byte("k"), []byte("1")); err != nil {
		t.Fatal(err)
	}
	if err := t2.Insert(ctx, []byte("k"), []byte("2")); err != nil {
		t.Fatal(err)
	}
	if err := t1.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if err := t2.Commit(ctx); !errors.Is(err, kv.ErrConflict) {
		t.Fatalf("second commit: %v, want ErrConflict", err)
	}

	t3 := mustBegin(t, db, false)
	if err := t3.Insert(ctx, []byte("k"), []byte("3")); !errors.Is(err, kv.ErrKeyExists) {
		t.Fatalf("insert of existing key: %v, want ErrKeyExists", err)
	}
	t3.Rollback()

	ro := mustBegin(t, db, true)
	if err := ro.Put(ctx, []byte("k"), []byte("3")); !errors.Is(err, kv.ErrReadOnly) {
		t.Fatalf("read-only put: %v, want ErrReadOnly", err)
	}
	ro.Rollback()

	a, b := mustBegin(t, db, false), mustBegin(t, db, false)
	if err := a.Put(ctx, []byte("x"), []byte("a")); err != nil {
		t.Fatal(err)
	}
	if err := b.Put(ctx, []byte("y"), []byte("b")); err != nil {
		t.Fatal(err)
	}
	aDone := make(chan error, 1)
	go func() { aDone <- a.Put(ctx, []byte("y"), []byte("a")) }()
	time.Sleep(50 * time.Millisecond) // let a queue behind b
	errB := b.Put(ctx, []byte("x"), []byte("b"))
	if errB == nil {
		b.Rollback()
	}
	errA := <-aDone
	if !errors.Is(errA, kv.ErrDeadlock) && !errors.Is(errB, kv.ErrDeadlock) {
		t.Fatalf("crossed locks: a %v, b %v; want one ErrDeadlock", errA, errB)
	}
	a.Rollback()
	b.Rollback()
}

func TestLockWaitEndsWithContext(t *testing.T) {
	_, _, _, db := setup(t)
	ctx := context.Background()
	holder := mustBegin(t, db, false)
	if err := holder.Put(ctx, []byte("k"), []byte("1")); err != nil {
		t.Fatal(err)
	}
	waiter := mustBegin(t, db, false)
	short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, _, err := waiter.GetForUpdate(short, []byte("k")); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("GetForUpdate on a locked key: %v, want context.DeadlineExceeded", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("lock wait took %s after its context ended", d)
	}
	// The transaction is still usable.
	if err := waiter.Put(ctx, []byte("other"), []byte("w")); err != nil {
		t.Fatalf("Put after the canceled wait: %v", err)
	}
	holder.Rollback()
	if _, _, err := waiter.GetForUpdate(ctx, []byte("k")); err != nil {
		t.Fatalf("GetForUpdate after the holder rolled back: %v", err)
	}
	if err := waiter.Commit(ctx); err != nil {
		t.Fatalf("Commit: %v", err)
	}
}

func TestBrokenStreamRollsBack(t *testing.T) {
	store, _, addr, db := setup(t)
	ctx := context.Background()
	dying := newClient(t)
	txn, err := dying.Begin(ctx, addr, kv.TxnOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := txn.Put(ctx, []byte("k"), []byte("lost")); err != nil {
		t.Fatal(err)
	}
	dying.Close()
	if _, _, err := txn.Get(ctx, []byte("k")); !errors.Is(err, kv.ErrUnavailable) {
		t.Fatalf("Get on a closed connection: %v, want ErrUnavailable", err)
	}
	if err := txn.Commit(ctx); !errors.Is(err, kv.ErrUnavailable) {
		t.Fatalf("Commit after the connection broke: %v, want ErrUnavailable", err)
	}

	// The server rolled back: the lock is free and nothing was written.
	other := mustBegin(t, db, false)
	wait, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if _, found, err := other.GetForUpdate(wait, []byte("k")); err != nil || found {
		t.Fatalf("GetForUpdate after the other client died: found %v, %v", found, err)
	}
	other.Rollback()
	local := mustBegin(t, store, true)
	defer local.Rollback()
	if _, found, _ := local.Get(ctx, []byte("k")); found {
		t.Fatal("the broken transaction's write is visible")
	}
}

func TestServerClose(t *testing.T) {
	store, srv, addr, db := setup(t)
	ctx := context.Background()
	txn := mustBegin(t, db, false)
	if err := txn.Put(ctx, []byte("k"), []byte("1")); err != nil {
		t.Fatal(err)
	}
	srv.Close()
	if err := txn.Put(ctx, []byte("j"), []byte("1")); !errors.Is(err, kv.ErrUnavailable) {
		t.Fatalf("Put after Server.Close: %v, want ErrUnavailable", err)
	}
	if _, err := db.c.Begin(ctx, addr, kv.TxnOptions{}); !errors.Is(err, kv.ErrClosed) {
		t.Fatalf("Begin after Server.Close: %v, want ErrClosed", err)
	}
	local := mustBegin(t, store, false)
	defer local.Rollback()
	wait, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := local.Put(wait, []byte("k"), []byte("2")); err != nil {
		t.Fatalf("lock still held after Server.Close: %v", err)
	}
}

// blockingDB is a store whose commits wait for release, to break the
// connection while a Commit is outstanding.
type blockingDB struct {
	kv.DB
	committing chan struct{}
	release    chan struct{}
}

type blockingTxn struct {
	kv.Txn
	db *blockingDB
}

func (d *blockingDB) Begin(ctx context.Context, opts kv.TxnOptions) (kv.Txn, error) {
	txn, err := d.DB.Begin(ctx, opts)
	if err != nil {
		return nil, err
	}
	return blockingTxn{Txn: txn, db: d}, nil
}

func (t blockingTxn) Commit(ctx context.Context) error {
	close(t.db.committing)
	<-t.db.release
	return t.Txn.Commit(ctx)
}

func TestCommitUnknown(t *testing.T) {
	bdb := &blockingDB{DB: openStore(t), committing: make(chan struct{}), release: make(chan struct{})}
	_, addr := serve(t, bdb)
	c := newClient(t)
	ctx := context.Background()
	txn, err := c.Begin(ctx, addr, kv.TxnOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := txn.Put(ctx, []byte("k"), []byte("1")); err != nil {
		t.Fatal(err)
	}
	go func() {
		<-bdb.committing
		c.Close()
		close(bdb.release)
	}()
	if err := txn.Commit(ctx); !errors.Is(err, kv.ErrCommitUnknown) {
		t.Fatalf("Commit whose connection broke: %v, want ErrCommitUnknown", err)
	}
}

func TestLargeScan(t *testing.T) {
	store, _, _, db := setup(t)
	ctx := context.Background()
	const n = 50000
	value := bytes.Repeat([]byte("v"), 100) // 5 MB in all, over gRPC's 4 MiB default
	w := mustBegin(t, store, false)
	for i := range n {
		if err := w.InsertFresh(ctx, fmt.Appendf(nil, "key%06d", i), value); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	r := mustBegin(t, db, true)
	defer r.Rollback()
	kvs, err := r.Scan(ctx, nil, nil, 0, false)
	if err != nil {
		t.Fatalf("Scan: %v", err)
	}
	if len(kvs) != n {
		t.Fatalf("Scan returned %d entries, want %d", len(kvs), n)
	}
	for i, e := range kvs {
		if want := fmt.Sprintf("key%06d", i); string(e.Key) != want || !bytes.Equal(e.Value, value) {
			t.Fatalf("entry %d is %q, want %q", i, e.Key, want)
		}
	}
	kvs, err = r.Scan(ctx, nil, nil, 3, true)
	if err != nil || len(kvs) != 3 || string(kvs[0].Key) != fmt.Sprintf("key%06d", n-1) {
		t.Fatalf("reverse limited Scan: %d entries, %v", len(kvs), err)
	}
}
