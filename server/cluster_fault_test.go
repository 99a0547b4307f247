package server

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Fault tests of the cluster, judged as a user would: a node can die and
// nothing acknowledged is lost, nothing refused appears, reads are never
// stale. The bank test runs real processes and kills one with SIGKILL.

const (
	bankAccounts = 20
	bankBalance  = 1000
)

// transferOutcome is what a client knows about one transfer.
type transferOutcome int

const (
	transferAcked   transferOutcome = iota // COMMIT answered success
	transferAborted                        // certainly not committed
	transferUnknown                        // 40003 or the connection broke during COMMIT
)

// bankLedger records every transfer's outcome by ledger id.
type bankLedger struct {
	mu       sync.Mutex
	outcomes map[int64]transferOutcome
}

func (l *bankLedger) record(id int64, o transferOutcome) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.outcomes[id] = o
}

// outcome is what the client knows of transfer id.
func (l *bankLedger) outcome(id int64) transferOutcome {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.outcomes[id]
}

func (l *bankLedger) count(o transferOutcome) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, v := range l.outcomes {
		if v == o {
			n++
		}
	}
	return n
}

// sqlState is the SQLSTATE of err, "" when it is no server error.
func sqlState(err error) string {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code
	}
	return ""
}

// retryable says whether the server certainly rolled the transaction
// back and asks for a retry (serialization failure, deadlock).
func retryable(err error) bool {
	s := sqlState(err)
	return s == "40001" || s == "40P01"
}

// bankClient is one client of the bank workload: it connects to its
// node, and to the next one when that stops answering.
type bankClient struct {
	id     int
	procs  []*nodeProcess
	node   int
	conn   *pgx.Conn
	seq    int64
	ledger *bankLedger
	stale  atomic.Int64 // acknowledged transfers another node did not show
	errs   []string     // unexpected errors, for the report
}

func (c *bankClient) connect(ctx context.Context) error {
	if c.conn != nil && !c.conn.IsClosed() {
		return nil
	}
	cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	conn, err := pgx.Connect(cctx, c.procs[c.node].dsn())
	if err != nil {
		c.node = (c.node + 1) % len(c.procs)
		return err
	}
	c.conn = conn
	return nil
}

func (c *bankClient) dropConn() {
	if c.conn != nil {
		_ = c.conn.Close(context.Background())
		c.conn = nil
	}
}

// transfer runs one transfer as an explicit transaction under a fresh
// ledger id and records its outcome.
func (c *bankClient) transfer(ctx context.Context, rng *rand.Rand) {
	if err := c.connect(ctx); err != nil {
		time.Sleep(50 * time.Millisecond)
		return
	}
	c.seq++
	id := int64(c.id)*1_000_000_000 + c.seq
	from := rng.IntN(bankAccounts) + 1
	to := (from+rng.IntN(bankAccounts-1))%bankAccounts + 1
	amount := rng.IntN(50) + 1
	tctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	// Everything before COMMIT that fails leaves the transaction
	// uncommitted: the server rolls back an aborted or abandoned one.
	abort := func(err error) {
		c.ledger.record(id, transferAborted)
		if !retryable(err) {
			c.dropConn()
		}
	}
	tx, err := c.conn.Begin(tctx)
	if err != nil {
		abort(err)
		return
	}
	for _, stmt := range []struct {
		sql  string
		args []any
	}{
		{"update accounts set balance = balance - $1 where id = $2", []any{amount, from}},
		{"update accounts set balance = balance + $1 where id = $2", []any{amount, to}},
		{"insert into ledger (id, from_id, to_id, amount) values ($1, $2, $3, $4)", []any{id, from, to, amount}},
	} {
		if _, err := tx.Exec(tctx, stmt.sql, stmt.args...); err != nil {
			_ = tx.Rollback(context.Background())
			abort(err)
			return
		}
	}
	c.ledger.record(id, transferUnknown)
	if err := tx.Commit(tctx); err != nil {
		if retryable(err) {
			c.ledger.record(id, transferAborted)
			return
		}
		// 40003, a broken connection or anything else: the commit may
		// have happened.
		if s := sqlState(err); s != "" && s != "40003" {
			c.errs = append(c.errs, fmt.Sprintf("commit of %d: %v", id, err))
		}
		c.dropConn()
		return
	}
	c.ledger.record(id, transferAcked)
	if c.seq%4 == 0 {
		c.checkVisibleElsewhere(ctx, id)
	}
}

// checkVisibleElsewhere reads the acknowledged ledger id through another
// node: a read that misses it is stale. A node that does not answer is
// skipped (it may be the one killed).
func (c *bankClient) checkVisibleElsewhere(ctx context.Context, id int64) {
	other := c.procs[(c.node+1)%len(c.procs)]
	cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(cctx, other.dsn())
	if err != nil {
		return
	}
	defer conn.Close(context.Background())
	var n int
	if err := conn.QueryRow(cctx, "select count(*) from ledger where id = $1", id).Scan(&n); err != nil {
		return
	}
	if n != 1 {
		c.stale.Add(1)
	}
}

// TestClusterBankSurvivesLeaderKill runs transfers between accounts from
// clients on all three nodes of a real 3-process cluster, kills the
// keyspace leader's process with SIGKILL halfway, keeps transferring on
// the survivors, restarts the killed node and checks on every node:
// money is conserved, every acknowledged transfer is in the ledger and
// every ledger entry was acknowledged or had an unknown outcome.
func TestClusterBankSurvivesLeaderKill(t *testing.T) {
	bin := buildQuorumdb(t)
	procs := clusterProcesses(t, bin, 3)
	for _, p := range procs {
		p.start()
	}
	for _, p := range procs {
		p.waitServing()
	}
	ctx := context.Background()
	setup, err := pgx.Connect(ctx, procs[0].dsn())
	if err != nil {
		t.Fatal(err)
	}
	for _, stmt := range []string{
		"create table accounts (id int primary key, balance int not null)",
		fmt.Sprintf("insert into accounts select g, %d from generate_series(1, %d) g", bankBalance, bankAccounts),
		"create table ledger (id bigint primary key, from_id int not null, to_id int not null, amount int not null)",
	} {
		if _, err := setup.Exec(ctx, stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	setup.Close(ctx)

	ledger := &bankLedger{outcomes: make(map[int64]transferOutcome)}
	const clientsPerNode = 2
	var clients []*bankClient
	for i := range clientsPerNode * len(procs) {
		clients = append(clients, &bankClient{id: i + 1, procs: procs, node: i % len(procs), ledger: ledger})
	}
	wctx, stopWorkload := context.WithCancel(ctx)
	var wg sync.WaitGroup
	for _, c := range clients {
		wg.Go(func() {
			defer c.dropConn()
			rng := rand.New(rand.NewPCG(uint64(c.id), 7))
			for wctx.Err() == nil {
				c.transfer(wctx, rng)
			}
		})
	}
	// An auditor reads the total in one snapshot, on every node in turn:
	// a transaction sees all of a transfer or none of it.
	var badTotals []string
	wg.Go(func() {
		for i := 0; wctx.Err() == nil; i++ {
			time.Sleep(100 * time.Millisecond)
			p := procs[i%len(procs)]
			cctx, cancel := context.WithTimeout(wctx, 10*time.Second)
			conn, err := pgx.Connect(cctx, p.dsn())
			if err == nil {
				var sum int64
				if err := conn.QueryRow(cctx, "select sum(balance) from accounts").Scan(&sum); err == nil && sum != bankAccounts*bankBalance {
					badTotals = append(badTotals, fmt.Sprintf("node %d: %d", i%len(procs)+1, sum))
				}
				conn.Close(context.Background())
			}
			cancel()
		}
	})

	time.Sleep(3 * time.Second)
	leader := leaderProcess(t, procs)
	ackedBeforeKill := ledger.count(transferAcked)
	t.Logf("killing node %d (the keyspace leader) after %d acknowledged transfers", leader+1, ackedBeforeKill)
	procs[leader].kill()
	// The survivors elect a leader after an election timeout (2 to 4 s)
	// and serve again: wait until they have acknowledged some transfers
	// (or give up after 30 s, which fails below).
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if ledger.count(transferAcked)-ackedBeforeKill >= 50 {
			break
		}
	}
	time.Sleep(time.Second)
	ackedWhileDown := ledger.count(transferAcked) - ackedBeforeKill
	procs[leader].start()
	procs[leader].waitServing()
	time.Sleep(2 * time.Second)
	stopWorkload()
	wg.Wait()

	acked, aborted, unknown := ledger.count(transferAcked), ledger.count(transferAborted), ledger.count(transferUnknown)
	t.Logf("transfers: %d acknowledged (%d while node %d was down), %d aborted, %d unknown", acked, ackedWhileDown, leader+1, aborted, unknown)
	if ackedWhileDown == 0 {
		t.Errorf("no transfer was acknowledged while node %d was down: the survivors did not serve", leader+1)
	}
	for _, c := range clients {
		if n := c.stale.Load(); n > 0 {
			t.Errorf("client %d: %d acknowledged transfers not visible on the next node right after COMMIT (stale read)", c.id, n)
		}
		for _, e := range c.errs {
			t.Logf("client %d: unexpected error: %s", c.id, e)
		}
	}
	if len(badTotals) > 0 {
		t.Errorf("snapshots with money created or destroyed: %v", badTotals)
	}

	// Every node, the restarted one included, serves the same database.
	// A transfer whose COMMIT outcome was unknown may still become
	// visible after the workload stopped (its commit was queued on the
	// leader when its client gave up), so a node read earlier may lack
	// it; never anything else, and the nodes must agree once it settles.
	var sets []map[int64]bool
	for i, p := range procs {
		sets = append(sets, checkBank(t, p, i+1, ledger))
	}
	for i := 1; i < len(sets); i++ {
		for id := range sets[i-1] {
			if !sets[i][id] {
				t.Errorf("ledger id %d seen through node %d is missing when read later through node %d", id, i, i+1)
			}
		}
		for id := range sets[i] {
			if !sets[i-1][id] && ledger.outcome(id) != transferUnknown {
				t.Errorf("ledger id %d (outcome %v) read through node %d was missing when read earlier through node %d", id, ledger.outcome(id), i+1, i)
			}
		}
	}
	if len(sets[0]) != len(sets[len(sets)-1]) {
		t.Logf("ledger counts grew while being read (transfers of unknown outcome settling): %d then %d", len(sets[0]), len(sets[len(sets)-1]))
		time.Sleep(2 * time.Second)
		first := checkBank(t, procs[0], 1, ledger)
		for i, p := range procs[1:] {
			if got := checkBank(t, p, i+2, ledger); len(got) != len(first) {
				t.Errorf("after settling, nodes 1 and %d show %d and %d ledger rows", i+2, len(first), len(got))
			}
		}
	}

	// Stop a node other than the restarted one: the majority now needs
	// the restarted node's replica, so it must hold everything.
	other := (leader + 1) % len(procs)
	procs[other].kill()
	checkBank(t, procs[leader], leader+1, ledger)
}

// checkBank checks the bank's invariants through node's SQL and returns
// the ledger ids it shows.
func checkBank(t *testing.T, p *nodeProcess, node int, ledger *bankLedger) map[int64]bool {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	conn, err := connectRetrying(ctx, p.dsn())
	if err != nil {
		t.Fatalf("node %d: %v", node, err)
	}
	defer conn.Close(context.Background())
	var sum int64
	if err := retryQuery(ctx, func() error {
		return conn.QueryRow(ctx, "select sum(balance) from accounts").Scan(&sum)
	}); err != nil {
		t.Fatalf("node %d: sum: %v", node, err)
	}
	if sum != bankAccounts*bankBalance {
		t.Errorf("node %d: sum(balance) = %d, want %d", node, sum, bankAccounts*bankBalance)
	}
	var ids []int64
	if err := retryQuery(ctx, func() error {
		ids = ids[:0]
		rows, err := conn.Query(ctx, "select id from ledger")
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return rows.Err()
	}); err != nil {
		t.Fatalf("node %d: ledger: %v", node, err)
	}
	present := make(map[int64]bool, len(ids))
	for _, id := range ids {
		present[id] = true
	}
	ledger.mu.Lock()
	defer ledger.mu.Unlock()
	var lost, phantom, refused []int64
	for id, o := range ledger.outcomes {
		switch {
		case o == transferAcked && !present[id]:
			lost = append(lost, id)
		case o == transferAborted && present[id]:
			refused = append(refused, id)
		}
	}
	for _, id := range ids {
		if _, ok := ledger.outcomes[id]; !ok {
			phantom = append(phantom, id)
		}
	}
	if len(lost) > 0 {
		t.Errorf("node %d: %d acknowledged transfers missing from the ledger, e.g. %v", node, len(lost), lost[:min(5, len(lost))])
	}
	if len(refused) > 0 {
		t.Errorf("node %d: %d transfers that failed before or at COMMIT with a rollback are in the ledger, e.g. %v", node, len(refused), refused[:min(5, len(refused))])
	}
	if len(phantom) > 0 {
		t.Errorf("node %d: %d ledger ids no client wrote, e.g. %v", node, len(phantom), phantom[:min(5, len(phantom))])
	}
	return present
}

// connectRetrying connects to dsn, retrying while the node is busy
// electing a leader or starting.
func connectRetrying(ctx context.Context, dsn string) (*pgx.Conn, error) {
	for {
		conn, err := pgx.Connect(ctx, dsn)
		if err == nil {
			return conn, nil
		}
		select {
		case <-ctx.Done():
			return nil, err
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// retryQuery runs q until it succeeds or fails with something other
// than a retryable error or no-leader-yet (08006), within ctx.
func retryQuery(ctx context.Context, q func() error) error {
	for {
		err := q()
		if err == nil || !(retryable(err) || sqlState(err) == "08006" || sqlState(err) == "40003") || ctx.Err() != nil {
			return err
		}
		time.Sleep(100 * time.Millisecond)
	}
}
