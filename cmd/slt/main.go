package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/quorumdb/quorumdb/sql/logictest"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// options are the command-line flags.
type options struct {
	dsn          string
	engine       string
	server       string
	verbose      bool
	maxFailures  int
	showFailures int
	timeout      time.Duration
	jobs         int
	dialect      string
	paths        []string
}

func parseArgs(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("slt", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.dsn, "dsn", "", "PostgreSQL URL of a running server (user must be able to CREATE DATABASE)")
	fs.StringVar(&o.engine, "engine", "", `engine name for skipif/onlyif (default "quorumdb" with --server, else "postgresql")`)
	fs.StringVar(&o.server, "server", "", "quorumdb binary to start when --dsn is empty (e.g. bin/quorumdb)")
	fs.BoolVar(&o.verbose, "v", false, "log failures as they happen, print all of them, stream server output")
	fs.IntVar(&o.maxFailures, "max-failures", 0, "stop after this many failed records in all (0: no limit)")
	fs.IntVar(&o.showFailures, "show-failures", 5, "failures printed per failed file (all with -v)")
	fs.DurationVar(&o.timeout, "timeout", logictest.DefaultStatementTimeout, "timeout of each statement or query")
	fs.IntVar(&o.jobs, "j", 1, "files run in parallel")
	fs.StringVar(&o.dialect, "dialect", "auto", "file format: auto (by a noisepage/ or risinglight/ directory, else sqlite), sqlite, noisepage or sqllogictest-rs")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: slt [--dsn URL | --server BIN] [--engine NAME] [-v] [--max-failures N] [--timeout D] [-j N] PATH...")
		fs.PrintDefaults()
	}
	// Flags may come before or after paths.
	for {
		if err := fs.Parse(args); err != nil {
			return o, err
		}
		if fs.NArg() == 0 {
			break
		}
		o.paths = append(o.paths, fs.Arg(0))
		args = fs.Args()[1:]
	}
	switch {
	case len(o.paths) == 0:
		fs.Usage()
		return o, fmt.Errorf("no PATH given")
	case o.dsn == "" && o.server == "":
		return o, fmt.Errorf("give --dsn or --server")
	case o.jobs < 1:
		return o, fmt.Errorf("-j must be at least 1")
	}
	if o.dialect != "auto" {
		if _, err := logictest.ParseDialect(o.dialect); err != nil {
			return o, err
		}
	}
	if o.engine == "" {
		o.engine = "postgresql"
		if o.dsn == "" {
			o.engine = "quorumdb"
		}
	}
	return o, nil
}

func run(args []string, stdout, stderr io.Writer) int {
	o, err := parseArgs(args, stderr)
	if err != nil {
		if err != flag.ErrHelp {
			fmt.Fprintln(stderr, "slt:", err)
		}
		return 2
	}
	files, err := collectFiles(o.paths)
	if err != nil {
		fmt.Fprintln(stderr, "slt:", err)
		return 2
	}
	if len(files) == 0 {
		fmt.Fprintln(stderr, "slt: no *.test or *.slt files found")
		return 2
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	dsn := o.dsn
	if dsn == "" {
		srv, err := startServer(ctx, o.server, o.verbose)
		if err != nil {
			fmt.Fprintln(stderr, "slt:", err)
			return 1
		}
		defer func() {
			if err := srv.stop(); err != nil {
				fmt.Fprintln(stderr, "slt: stopping server:", err)
			}
		}()
		dsn = srv.dsn
	}

	var logMu sync.Mutex
	cfg := logictest.Config{
		DSN:              dsn,
		Engine:           o.engine,
		Verbose:          o.verbose,
		StatementTimeout: o.timeout,
		Logf: func(format string, args ...any) {
			logMu.Lock()
			defer logMu.Unlock()
			fmt.Fprintf(stderr, format+"\n", args...)
		},
	}
	sum := runFiles(ctx, cfg, o, files, stdout)
	fmt.Fprintln(stdout, sum.String())
	if sum.Failed > 0 || sum.Errors > 0 || ctx.Err() != nil {
		return 1
	}
	return 0
}

// outcome is one file's result, as produced by a worker.
type outcome struct {
	res logictest.FileResult
	err error
	ran bool // false when the run stopped before this file
}

// runFiles runs files with o.jobs workers and prints results in file
// order as they become available.
func runFiles(ctx context.Context, cfg logictest.Config, o options, files []string, out io.Writer) logictest.Summary {
	var failed atomic.Int64 // failed records so far, for --max-failures
	results := make([]chan outcome, len(files))
	for i := range results {
		results[i] = make(chan outcome, 1)
	}
	next := make(chan int)
	go func() {
		defer close(next)
		for i := range files {
			select {
			case next <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	var wg sync.WaitGroup
	for w := 0; w < o.jobs; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if ctx.Err() != nil || (o.maxFailures > 0 && failed.Load() >= int64(o.maxFailures)) {
					results[i] <- outcome{}
					continue
				}
				c := cfg
				c.Dialect = fileDialect(o.dialect, files[i])
				if o.maxFailures > 0 {
					c.MaxFailures = o.maxFailures - int(failed.Load())
				}
				res, err := logictest.RunFile(ctx, c, files[i])
				failed.Add(int64(res.Failed))
				results[i] <- outcome{res: res, err: err, ran: true}
			}
		}()
	}
	// Files never handed out (ctx ended) get an empty outcome.
	go func() {
		wg.Wait()
		for i := range results {
			select {
			case results[i] <- outcome{}:
			default:
			}
		}
	}()

	var sum logictest.Summary
	for i := range files {
		oc := <-results[i]
		if !oc.ran {
			continue
		}
		sum.Add(oc.res, oc.err)
		line := oc.res.String()
		if oc.err != nil && strings.HasPrefix(line, "PASS") {
			line = "FAIL" + strings.TrimPrefix(line, "PASS") // could not run to the end
		}
		fmt.Fprintln(out, line)
		if oc.err != nil {
			fmt.Fprintf(out, "    error: %v\n", oc.err)
		}
		for n, f := range oc.res.Failures {
			if !o.verbose && n == o.showFailures {
				fmt.Fprintf(out, "    ... %d more failures (-v shows all)\n", len(oc.res.Failures)-n)
				break
			}
			fmt.Fprintln(out, f.Format(oc.res.Path))
		}
	}
	return sum
}

// collectFiles expands directories into their *.test and *.slt files,
// sorted, keeping the order of the arguments and dropping duplicates.
func collectFiles(paths []string) ([]string, error) {
	var files []string
	seen := map[string]bool{}
	add := func(p string) {
		if !seen[p] {
			seen[p] = true
			files = append(files, p)
		}
	}
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !fi.IsDir() {
			add(p)
			continue
		}
		var found []string
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && (strings.HasSuffix(path, ".test") || strings.HasSuffix(path, ".slt")) {
				found = append(found, path)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		sort.Strings(found)
		for _, f := range found {
			add(f)
		}
	}
	return files, nil
}

// fileDialect is the dialect a file runs in: the --dialect flag's, or
// with "auto" the one its path suggests.
func fileDialect(flagValue, path string) logictest.Dialect {
	if d, err := logictest.ParseDialect(flagValue); err == nil {
		return d
	}
	return logictest.DialectOfPath(path)
}
