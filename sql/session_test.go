package sql

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/quorumdb/quorumdb/kv"
	"github.com/quorumdb/quorumdb/sql/kverror"
	"github.com/quorumdb/quorumdb/sql/pgerror"
)

// recorder is a ResultWriter that keeps what a client would see.
type recorder struct {
	cols    []Column
	rows    [][]string
	tags    []string
	notices []string
	status  []ParamStatus
	copyIn  []string
	copyOut []string
}

func (r *recorder) Columns(cols []Column) error { r.cols = cols; return nil }
func (r *recorder) Row(values [][]byte) error {
	row := make([]string, len(values))
	for i, v := range values {
		if v == nil {
			row[i] = "NULL"
		} else {
			row[i] = string(v)
		}
	}
	r.rows = append(r.rows, row)
	return nil
}
func (r *recorder) Complete(tag string) error { r.tags = append(r.tags, tag); return nil }
func (r *recorder) EmptyQuery() error         { r.tags = append(r.tags, "EMPTY"); return nil }
func (r *recorder) Notice(n *pgerror.Error) error {
	r.notices = append(r.notices, n.Message)
	return nil
}
func (r *recorder) ParamStatus(p ParamStatus) error                { r.status = append(r.status, p); return nil }
func (r *recorder) CopyOut(CopyFormat, int) (CopyOutWriter, error) { return r, nil }
func (r *recorder) Write(data []byte) error                        { r.copyOut = append(r.copyOut, string(data)); return nil }
func (r *recorder) CopyIn(CopyFormat, int) (CopyInReader, error) {
	return &chunkReader{chunks: r.copyIn}, nil
}

type chunkReader struct{ chunks []string }

func (c *chunkReader) Next() ([]byte, error) {
	if len(c.chunks) == 0 {
		return nil, io.EOF
	}
	s := c.chunks[0]
	c.chunks = c.chunks[1:]
	return []byte(s), nil
}

// testSession opens a store, an engine and a session on database quorumdb.
func testSession(t testing.TB) (*Engine, *Session) {
	t.Helper()
	store, err := kv.Open(kv.LocalConfig{Dir: t.TempDir(), NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	ctx := context.Background()
	e, err := NewEngine(ctx, Config{DB: store, NodeID: 1, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	s, err := e.Connect(ctx, ConnParams{User: "postgres", Database: "quorumdb", BackendPID: 42})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return e, s
}

func mustExec(t *testing.T, s *Session, sql string) *recorder {
	t.Helper()
	r := &recorder{}
	if err := s.ExecSimple(context.Background(), sql, r); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return r
}

func execCode(t *testing.T, s *Session, sql string) string {
	t.Helper()
	err := s.ExecSimple(context.Background(), sql, &recorder{})
	return pgerror.CodeOf(err)
}

func rowsText(r *recorder) string {
	var lines []string
	for _, row := range r.rows {
		lines = append(lines, strings.Join(row, "|"))
	}
	return strings.Join(lines, "\n")
}

func TestSessionBasics(t *testing.T) {
	_, s := testSession(t)
	mustExec(t, s, "CREATE TABLE t (a int PRIMARY KEY, b text)")
	r := mustExec(t, s, "INSERT INTO t VALUES (1, 'x'), (2, NULL)")
	if got := r.tags[0]; got != "INSERT 0 2" {
		t.Fatalf("tag %q", got)
	}
	r = mustExec(t, s, "SELECT a, b FROM t ORDER BY a")
	if got, want := rowsText(r), "1|x\n2|NULL"; got != want {
		t.Fatalf("rows:\n%s\nwant:\n%s", got, want)
	}
	if r.tags[0] != "SELECT 2" || len(r.cols) != 2 || r.cols[0].TypeOid != 23 {
		t.Fatalf("tag %q cols %+v", r.tags[0], r.cols)
	}
	r = mustExec(t, s, "UPDATE t SET b = 'y' WHERE a = 2; DELETE FROM t WHERE a = 1")
	if strings.Join(r.tags, ",") != "UPDATE 1,DELETE 1" {
		t.Fatalf("tags %v", r.tags)
	}
	if code := execCode(t, s, "SELECT * FROM missing"); code != pgerror.UndefinedTable {
		t.Fatalf("code %s", code)
	}
	if code := execCode(t, s, "SELEC 1"); code != pgerror.SyntaxError {
		t.Fatalf("code %s", code)
	}
	r = mustExec(t, s, "")
	if r.tags[0] != "EMPTY" {
		t.Fatalf("empty query: %v", r.tags)
	}
}

func TestTransactionStates(t *testing.T) {
	_, s := testSession(t)
	mustExec(t, s, "CREATE TABLE t (a int PRIMARY KEY)")
	mustExec(t, s, "BEGIN")
	if s.TxnStatus() != TxnInTxn {
		t.Fatal("want T")
	}
	if code := execCode(t, s, "SELECT 1/0"); code != pgerror.DivisionByZero {
		t.Fatalf("code %s", code)
	}
	if s.TxnStatus() != TxnFailed {
		t.Fatal("want E")
	}
	if code := execCode(t, s, "SELECT 1"); code != pgerror.InFailedSQLTransaction {
		t.Fatalf("code %s", code)
	}
	r := mustExec(t, s, "COMMIT")
	if r.tags[0] != "ROLLBACK" || s.TxnStatus() != TxnIdle {
		t.Fatalf("COMMIT of failed txn: %v %c", r.tags, s.TxnStatus())
	}
	// Each way of opening and closing a block answers with its own
	// command tag, as PostgreSQL's does.
	for stmt, tag := range map[string]string{"START TRANSACTION": "START TRANSACTION", "BEGIN WORK": "BEGIN", "END": "COMMIT", "ABORT": "ROLLBACK"} {
		if r := mustExec(t, s, stmt); r.tags[0] != tag {
			t.Errorf("%s: tag %q, want %q", stmt, r.tags[0], tag)
		}
		if stmt == "START TRANSACTION" || stmt == "BEGIN WORK" {
			mustExec(t, s, "ROLLBACK")
		}
	}
}

func TestSerializationConflict(t *testing.T) {
	e, s1 := testSession(t)
	s2, err := e.Connect(context.Background(), ConnParams{User: "postgres", Database: "quorumdb"})
	if err != nil {
		t.Fatal(err)
	}
	mustExec(t, s1, "CREATE TABLE c (k int PRIMARY KEY, v int); INSERT INTO c VALUES (1, 0)")
	mustExec(t, s1, "BEGIN")
	mustExec(t, s1, "SELECT v FROM c WHERE k = 1")
	mustExec(t, s2, "UPDATE c SET v = v + 1 WHERE k = 1")
	// s1 read v before s2's update committed: its own update of the row
	// (or, at the latest, its COMMIT) must fail with 40001.
	err = s1.ExecSimple(context.Background(), "UPDATE c SET v = v + 10 WHERE k = 1", &recorder{})
	if err == nil {
		err = s1.ExecSimple(context.Background(), "COMMIT", &recorder{})
	} else {
		mustExec(t, s1, "ROLLBACK")
	}
	if pgerror.CodeOf(err) != pgerror.SerializationFailure {
		t.Fatalf("want 40001, got %v", err)
	}
	r := mustExec(t, s2, "SELECT v FROM c")
	if rowsText(r) != "1" {
		t.Fatalf("v = %s", rowsText(r))
	}
}

func TestExtendedProtocol(t *testing.T) {
	_, s := testSession(t)
	ctx := context.Background()
	mustExec(t, s, "CREATE TABLE t (a int PRIMARY KEY, b text)")
	ps, err := s.Prepare(ctx, "INSERT INTO t VALUES ($1, $2)", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(ps.ParamOids) != 2 || ps.ParamOids[0] != 23 || ps.ParamOids[1] != 25 {
		t.Fatalf("param oids %v", ps.ParamOids)
	}
	for i := 0; i < 3; i++ {
		p, err := s.Bind(ctx, ps, [][]byte{[]byte{'1' + byte(i)}, []byte("v")}, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Execute(ctx, p, 0, &recorder{}); err != nil {
			t.Fatal(err)
		}
	}
	sel, err := s.Prepare(ctx, "SELECT a FROM t WHERE a >= $1 ORDER BY a", nil)
	if err != nil {
		t.Fatal(err)
	}
	p, err := s.Bind(ctx, sel, [][]byte{{0, 0, 0, 2}}, []int16{1}, []int16{1})
	if err != nil {
		t.Fatal(err)
	}
	r := &recorder{}
	suspended, err := s.Execute(ctx, p, 1, r)
	if err != nil || !suspended || len(r.rows) != 1 {
		t.Fatalf("first batch: %v %v %d", err, suspended, len(r.rows))
	}
	if r.rows[0][0] != "\x00\x00\x00\x02" {
		t.Fatalf("binary int4: %q", r.rows[0][0])
	}
	suspended, err = s.Execute(ctx, p, 1, r)
	if err != nil || suspended || len(r.rows) != 2 || r.tags[0] != "SELECT 2" {
		t.Fatalf("second batch: %v %v %d %v", err, suspended, len(r.rows), r.tags)
	}
}

func TestCopyInOut(t *testing.T) {
	_, s := testSession(t)
	mustExec(t, s, "CREATE TABLE t (a int, b text)")
	r := &recorder{copyIn: []string{"1\tone\n2\t\\N\n", "3\tth", "ree\n"}}
	if err := s.ExecSimple(context.Background(), "COPY t FROM STDIN", r); err != nil {
		t.Fatal(err)
	}
	if r.tags[0] != "COPY 3" {
		t.Fatalf("tag %v", r.tags)
	}
	r = mustExec(t, s, "COPY (SELECT a, b FROM t ORDER BY a) TO STDOUT WITH (FORMAT csv)")
	if got := strings.Join(r.copyOut, ""); got != "1,one\n2,\n3,three\n" {
		t.Fatalf("copy out %q", got)
	}
}

func TestKVErrorsMapped(t *testing.T) {
	sentinels := []error{kv.ErrConflict, kv.ErrDeadlock, kv.ErrTxnDone, kv.ErrTxnTooLarge, kv.ErrReadOnly, kv.ErrUnavailable, kv.ErrCommitUnknown, kv.ErrClosed, kv.ErrKeyExists, kv.ErrNotLeader, kv.ErrDiskFull}
	for _, s := range sentinels {
		code := pgerror.CodeOf(errors.Join(s))
		if code == pgerror.InternalError || code == "" {
			t.Errorf("%v maps to %q", s, code)
		}
	}
	if pgerror.CodeOf(kverror.AsSQL(kv.ErrCommitUnknown)) != pgerror.StatementCompletionUnknown {
		t.Error("ErrCommitUnknown must be 40003")
	}
	if pgerror.CodeOf(kverror.AsSQL(kv.ErrDiskFull)) != pgerror.DiskFull {
		t.Error("ErrDiskFull must be 53100")
	}
}

func TestConnectErrors(t *testing.T) {
	e, _ := testSession(t)
	ctx := context.Background()
	if _, err := e.Connect(ctx, ConnParams{User: "postgres", Database: "nope"}); pgerror.CodeOf(err) != pgerror.InvalidCatalogName {
		t.Fatalf("missing database: %v", err)
	}
	if _, err := e.Connect(ctx, ConnParams{User: "nobody", Database: "postgres"}); pgerror.CodeOf(err) != pgerror.InvalidAuthorizationSpecification {
		t.Fatalf("missing role: %v", err)
	}
}

func TestPreparedPlanFollowsSchema(t *testing.T) {
	_, s := testSession(t)
	ctx := context.Background()
	mustExec(t, s, "CREATE TABLE t (a int PRIMARY KEY, b int); INSERT INTO t VALUES (1, 10)")
	ps, err := s.Prepare(ctx, "SELECT b FROM t WHERE a = $1", nil)
	if err != nil {
		t.Fatal(err)
	}
	run := func() (*recorder, error) {
		p, err := s.Bind(ctx, ps, [][]byte{[]byte("1")}, nil, nil)
		if err != nil {
			return nil, err
		}
		r := &recorder{}
		_, err = s.Execute(ctx, p, 0, r)
		return r, err
	}
	for i := 0; i < 3; i++ {
		r, err := run()
		if err != nil || rowsText(r) != "10" {
			t.Fatalf("run %d: %v %q", i, err, rowsText(r))
		}
	}
	// A schema change the plan depends on is seen by the next execution.
	mustExec(t, s, "ALTER TABLE t RENAME COLUMN b TO c")
	if _, err := run(); pgerror.CodeOf(err) != pgerror.UndefinedColumn {
		t.Fatalf("after rename: %v", err)
	}
	mustExec(t, s, "ALTER TABLE t RENAME COLUMN c TO b; ALTER TABLE t DROP COLUMN b; ALTER TABLE t ADD COLUMN b text")
	if _, err := run(); pgerror.CodeOf(err) != pgerror.FeatureNotSupported {
		t.Fatalf("changed result type: %v", err)
	}
}

func TestConcurrentUpdatesOfOneRowQueue(t *testing.T) {
	e, s := testSession(t)
	mustExec(t, s, "CREATE TABLE hot (k int PRIMARY KEY, v int); INSERT INTO hot VALUES (1, 0)")
	const workers, each = 4, 25
	errs := make(chan error, workers)
	for w := 0; w < workers; w++ {
		go func() {
			sess, err := e.Connect(context.Background(), ConnParams{User: "postgres", Database: "quorumdb"})
			if err != nil {
				errs <- err
				return
			}
			defer sess.Close()
			for i := 0; i < each; i++ {
				// Explicit transactions: the row lock makes the second
				// writer wait for the first instead of failing.
				for _, q := range []string{"BEGIN", "UPDATE hot SET v = v + 1 WHERE k = 1", "COMMIT"} {
					if err := sess.ExecSimple(context.Background(), q, &recorder{}); err != nil {
						errs <- fmt.Errorf("%s: %w", q, err)
						return
					}
				}
			}
			errs <- nil
		}()
	}
	for w := 0; w < workers; w++ {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if got := rowsText(mustExec(t, s, "SELECT v FROM hot")); got != fmt.Sprint(workers*each) {
		t.Fatalf("v = %s, want %d", got, workers*each)
	}
}

func TestMultiStatementMessageIsOneTransaction(t *testing.T) {
	_, s := testSession(t)
	mustExec(t, s, "CREATE TABLE m (a int PRIMARY KEY)")
	r := &recorder{}
	err := s.ExecSimple(context.Background(), "INSERT INTO m VALUES (1); INSERT INTO m VALUES (2); INSERT INTO m VALUES (1)", r)
	if pgerror.CodeOf(err) != pgerror.UniqueViolation {
		t.Fatalf("want 23505, got %v", err)
	}
	if strings.Join(r.tags, ",") != "INSERT 0 1,INSERT 0 1" {
		t.Fatalf("tags before the error: %v", r.tags)
	}
	if got := rowsText(mustExec(t, s, "SELECT count(*) FROM m")); got != "0" {
		t.Fatalf("earlier statements of the failed message took effect: %s rows", got)
	}
	if s.TxnStatus() != TxnIdle {
		t.Fatal("session left in a transaction")
	}
	mustExec(t, s, "INSERT INTO m VALUES (1); INSERT INTO m VALUES (2)")
	if got := rowsText(mustExec(t, s, "SELECT count(*) FROM m")); got != "2" {
		t.Fatalf("count %s", got)
	}
}

// TestTxidCurrentStable checks that txid_current() answers the same
// within a transaction even after its read timestamp moved (a write to a
// row another session updated since the transaction began refreshes it),
// and differs between transactions.
func TestTxidCurrentStable(t *testing.T) {
	e, s1 := testSession(t)
	s2, err := e.Connect(context.Background(), ConnParams{User: "postgres", Database: "quorumdb"})
	if err != nil {
		t.Fatal(err)
	}
	mustExec(t, s1, "CREATE TABLE c (k int PRIMARY KEY, v int); INSERT INTO c VALUES (1, 0), (2, 0)")
	mustExec(t, s1, "BEGIN")
	first := rowsText(mustExec(t, s1, "SELECT txid_current()"))
	mustExec(t, s2, "UPDATE c SET v = 1 WHERE k = 2")
	mustExec(t, s1, "UPDATE c SET v = 5 WHERE k = 2") // blind write: refreshes, no conflict
	again := rowsText(mustExec(t, s1, "SELECT txid_current()"))
	mustExec(t, s1, "COMMIT")
	if first != again {
		t.Errorf("txid_current() changed within a transaction: %s then %s", first, again)
	}
	if next := rowsText(mustExec(t, s1, "SELECT txid_current()")); next == first {
		t.Errorf("two transactions share txid %s", next)
	}
}
