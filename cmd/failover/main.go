package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/quorumdb/quorumdb/internal/netfault"
)

// kinds are the fault kinds, in the order they run.
var kinds = []string{"kill", "pause", "isolate"}

func main() {
	bin := flag.String("quorumdb", "bin/quorumdb", "quorumdb binary")
	trials := flag.Int("trials", 20, "trials per fault kind")
	which := flag.String("kinds", strings.Join(kinds, ","), "fault kinds to measure: kill, pause, isolate")
	timeout := flag.Duration("timeout", 30*time.Second, "a trial with no acknowledged write this long after the fault fails")
	flag.Parse()
	var chosen []string
	for _, k := range strings.Split(*which, ",") {
		k = strings.TrimSpace(k)
		if !slices.Contains(kinds, k) {
			log.Fatalf("failover: unknown fault kind %q (want kill, pause or isolate)", k)
		}
		chosen = append(chosen, k)
	}
	if *trials < 1 {
		log.Fatalf("failover: --trials %d: want at least 1", *trials)
	}
	if _, err := os.Stat(*bin); err != nil {
		log.Fatalf("failover: the quorumdb binary: %v (make build, or --quorumdb)", err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, *bin, chosen, *trials, *timeout); err != nil {
		log.Fatal(err)
	}
}

// result is one kind's trials.
type result struct {
	kind    string
	skipped string          // why the kind did not run
	times   []time.Duration // successful trials
	failed  int
	local   int // trials where the writes' node became the new leader
}

func run(ctx context.Context, bin string, chosen []string, trials int, timeout time.Duration) error {
	// Namespaces for every kind when the machine allows, so all kinds
	// see the same network; else loopback, and no partitions.
	inNetwork := netfault.Available() == nil
	if inNetwork {
		fmt.Println("nodes run in network namespaces on a private bridge (internal/netfault)")
	} else {
		fmt.Printf("nodes run on loopback: %v\n", netfault.Available())
	}
	var results []*result
	for _, kind := range chosen {
		r := &result{kind: kind}
		results = append(results, r)
		if kind == "isolate" && !inNetwork {
			r.skipped = "needs root, Linux and iproute2 (network namespaces)"
			fmt.Printf("isolate: skipped: %s\n", r.skipped)
			continue
		}
		for i := range trials {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			t, err := trial(ctx, bin, kind, inNetwork, timeout)
			switch {
			case errors.Is(err, errNoWrite):
				r.failed++
				fmt.Printf("%-7s trial %2d/%d: %v\n", kind, i+1, trials, err)
			case err != nil:
				return fmt.Errorf("%s trial %d: %w", kind, i+1, err)
			default:
				r.times = append(r.times, t.elapsed)
				where := "another node led next"
				if t.local {
					r.local++
					where = "the writes' node led next"
				}
				fmt.Printf("%-7s trial %2d/%d: %7.3fs (leader node %d, writes through node %d; %s)\n",
					kind, i+1, trials, t.elapsed.Seconds(), t.leader+1, t.writer+1, where)
			}
		}
	}
	report(results, timeout)
	return nil
}

// report prints the table of results.
func report(results []*result, timeout time.Duration) {
	fmt.Printf("\nfailover: time from the fault to the first acknowledged write through a surviving node\n")
	fmt.Printf("%-8s %6s %6s %8s %8s %8s %8s  %s\n", "fault", "trials", "failed", "p50", "p99", "max", "min", "new leader = writes' node")
	for _, r := range results {
		if r.skipped != "" {
			fmt.Printf("%-8s skipped: %s\n", r.kind, r.skipped)
			continue
		}
		n := len(r.times) + r.failed
		if len(r.times) == 0 {
			fmt.Printf("%-8s %6d %6d  (no trial acknowledged a write within %v)\n", r.kind, n, r.failed, timeout)
			continue
		}
		s := slices.Clone(r.times)
		slices.Sort(s)
		fmt.Printf("%-8s %6d %6d %7.2fs %7.2fs %7.2fs %7.2fs  %d of %d\n", r.kind, n, r.failed,
			percentile(s, 50).Seconds(), percentile(s, 99).Seconds(), s[len(s)-1].Seconds(), s[0].Seconds(), r.local, len(s))
	}
	fmt.Println("p99 is the nearest rank: with fewer than 100 trials it is the slowest trial.")
}

// percentile is the nearest-rank p-th percentile of sorted.
func percentile(sorted []time.Duration, p int) time.Duration {
	rank := (p*len(sorted) + 99) / 100 // ceil(p/100 * n)
	return sorted[max(rank, 1)-1]
}
