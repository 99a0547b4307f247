package dist

import (
	"context"
	"errors"
	"fmt"
	"math/rand"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/quorumdb/quorumdb/kv"
)

// bankResult is what a bank run did.
type bankResult struct {
	transfers, retries, reads int64
}

// runBank opens accounts keys at initial each through dbs[0], then for
// two seconds runs transfer workers and whole-table readers, worker i
// and reader i on dbs[i % len(dbs)]. A reader that sees another number
// of accounts or another total, or any error other than a retryable
// conflict or deadlock, fails the test.
func runBank(t *testing.T, dbs []*DB, keys []string, initial, workers, readers int) bankResult {
	t.Helper()
	ctx := context.Background()
	setup := begin(t, dbs[0], false)
	for _, k := range keys {
		mustPut(t, setup, k, strconv.Itoa(initial))
	}
	if err := setup.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	accounts := len(keys)
	var stop atomic.Bool
	var transfers, retries, reads atomic.Int64
	var wg sync.WaitGroup
	errc := make(chan error, workers+readers)
	for w := range workers {
		db := dbs[w%len(dbs)]
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewSource(int64(w)))
			for !stop.Load() {
				from, to := keys[rng.Intn(accounts)], keys[rng.Intn(accounts)]
				if from == to {
					continue
				}
				err := transferOnce(ctx, db, from, to, rng.Intn(10)+1)
				switch {
				case err == nil:
					transfers.Add(1)
				case errors.Is(err, kv.ErrConflict) || errors.Is(err, kv.ErrDeadlock):
					retries.Add(1)
				default:
					errc <- fmt.Errorf("transfer: %w", err)
					return
				}
			}
		}()
	}
	for r := range readers {
		db := dbs[r%len(dbs)]
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				txn, err := db.Begin(ctx, kv.TxnOptions{ReadOnly: true})
				if err != nil {
					errc <- err
					return
				}
				kvs, err := txn.Scan(ctx, []byte("acct"), []byte("acct\xff"), 0, false)
				txn.Rollback()
				if err != nil {
					errc <- fmt.Errorf("scan: %w", err)
					return
				}
				sum := 0
				for _, e := range kvs {
					n, _ := strconv.Atoi(string(e.Value))
					sum += n
				}
				if len(kvs) != accounts || sum != accounts*initial {
					errc <- fmt.Errorf("a reader saw %d accounts totalling %d, want %d totalling %d", len(kvs), sum, accounts, accounts*initial)
					return
				}
				reads.Add(1)
			}
		}()
	}
	time.Sleep(2 * time.Second)
	stop.Store(true)
	wg.Wait()
	close(errc)
	for err := range errc {
		t.Fatal(err)
	}
	return bankResult{transfers: transfers.Load(), retries: retries.Load(), reads: reads.Load()}
}

// transferOnce moves amount from one account to another in one
// transaction.
func transferOnce(ctx context.Context, db kv.DB, from, to string, amount int) error {
	txn, err := db.Begin(ctx, kv.TxnOptions{})
	if err != nil {
		return err
	}
	defer txn.Rollback()
	move := func(k string, delta int) error {
		v, _, err := txn.GetForUpdate(ctx, []byte(k))
		if err != nil {
			return err
		}
		n, _ := strconv.Atoi(string(v))
		return txn.Put(ctx, []byte(k), []byte(strconv.Itoa(n+delta)))
	}
	if err := move(from, -amount); err != nil {
		return err
	}
	if err := move(to, amount); err != nil {
		return err
	}
	return txn.Commit(ctx)
}
