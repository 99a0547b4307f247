package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/quorumdb/quorumdb/internal/pgregress"
)

func main() {
	suite := flag.String("suite", "../shared/testdata/pgregress", "the suite's directory (sql/, data/, parallel_schedule, measured-files.txt)")
	bin := flag.String("quorumdb", "bin/quorumdb", "quorumdb binary")
	files := flag.String("files", "", "files to run, comma-separated (default: the suite's measured-files.txt)")
	stmtTimeout := flag.Duration("statement-timeout", pgregress.DefaultStatementTimeout, "statement_timeout of both servers")
	fileTimeout := flag.Duration("file-timeout", pgregress.DefaultFileTimeout, "longest psql run of one file on one server")
	report := flag.String("report", "pgregress-report.md", "Markdown report (\"\": none); the servers' output goes to <report>.servers.log")
	examples := flag.Int("examples", 20, "examples of each kind of difference in the report (the summary prints 3)")
	quiet := flag.Bool("quiet", false, "psql -q alone: command tags are not printed, so not compared")
	keep := flag.String("keep", "", "keep the adapted scripts and both psql outputs of each file in this directory")
	verbose := flag.Bool("v", false, "servers' output to stderr")
	flag.Parse()

	cfg := pgregress.Config{Suite: *suite, Quorumdb: *bin, StatementTimeout: *stmtTimeout, FileTimeout: *fileTimeout,
		Quiet: *quiet, OutDir: *keep, Logf: log.Printf}
	if *files != "" {
		cfg.Files = strings.Split(*files, ",")
	}
	var serverLog *os.File
	if !*verbose {
		path := "pgregress.servers.log"
		if *report != "" {
			path = *report + ".servers.log"
		}
		var err error
		if serverLog, err = os.Create(path); err != nil {
			log.Fatal(err)
		}
		defer serverLog.Close()
		cfg.ServerLog = serverLog
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	start := time.Now()
	res, err := pgregress.Run(ctx, cfg)
	if res != nil && len(res.Files) > 0 {
		fmt.Println()
		res.WriteReport(os.Stdout, 3)
		if *report != "" {
			if werr := writeReport(*report, res, *examples, time.Since(start)); werr != nil {
				log.Print(werr)
			} else {
				fmt.Printf("\nreport: %s\n", *report)
			}
		}
	}
	if err != nil {
		stop()
		log.Fatal(err) // deferred stops have run inside Run
	}
}

// writeReport writes the Markdown report with a header saying what ran.
func writeReport(path string, res *pgregress.Result, examples int, took time.Duration) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	header(f, res, took)
	res.WriteReport(f, examples)
	return f.Close()
}

func header(w io.Writer, res *pgregress.Result, took time.Duration) {
	fmt.Fprintf(w, "# PostgreSQL regression suite: quorumdb against PostgreSQL %s\n\n", res.PGVersion)
	fmt.Fprintf(w, "Run %s, %s (`make pgregress`, cmd/pgregress), at commit %s.\n\n",
		time.Now().UTC().Format("2006-01-02 15:04 MST"), took.Round(time.Second), commit())
}

// commit names the checkout the run was made from, for the record (the
// quorumdb binary is assumed built from it, as make pgregress does).
func commit() string {
	out, err := exec.Command("git", "describe", "--always", "--dirty").Output()
	if err != nil {
		return "unknown"
	}
	return strings.TrimSpace(string(out))
}
