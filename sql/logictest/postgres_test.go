package logictest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/quorumdb/quorumdb/internal/pgtest"
)

// startPostgres starts a throwaway PostgreSQL 15 (see pgtest.Start).
func startPostgres(t *testing.T) string { return pgtest.Start(t) }

func TestRunFilePostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("starts PostgreSQL")
	}
	dsn := startPostgres(t)
	ctx := context.Background()
	var logs []string
	cfg := Config{DSN: dsn, Engine: "postgresql", Verbose: true,
		Logf: func(format string, args ...any) { logs = append(logs, fmt.Sprintf(format, args...)) }}

	t.Run("basic", func(t *testing.T) {
		res, err := RunFile(ctx, cfg, "testdata/basic.slt")
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range res.Failures {
			t.Errorf("unexpected failure:\n%s", f.Format(res.Path))
		}
		// Skipped: skipif postgresql, onlyif mysql, "include", and the
		// statement after the halt.
		if res.Passed != 22 || res.Failed != 0 || res.Skipped != 4 || res.Records != 26 {
			t.Errorf("got %d passed, %d failed, %d skipped of %d records; want 22, 0, 4 of 26",
				res.Passed, res.Failed, res.Skipped, res.Records)
		}
		if !strings.Contains(strings.Join(logs, "\n"), `skipping unsupported record "include"`) {
			t.Errorf("no log of the unsupported record in %q", logs)
		}
	})

	t.Run("failures", func(t *testing.T) {
		res, err := RunFile(ctx, cfg, "testdata/fail.slt")
		if err != nil {
			t.Fatal(err)
		}
		want := []struct {
			line   int
			reason string
			got    string
		}{
			{7, "wrong result", "1"},
			{12, "statement failed", "ERROR 42P01: " + `relation "nosuch" does not exist`},
			{15, "expected an error", "ok"},
			{18, "wrong number of columns", "2 columns"},
			{23, "wrong error", "ERROR 22012: division by zero"},
		}
		if res.Passed != 2 || res.Failed != len(want) {
			t.Errorf("got %d passed, %d failed; want 2, %d", res.Passed, res.Failed, len(want))
		}
		for i, w := range want {
			if i >= len(res.Failures) {
				break
			}
			f := res.Failures[i]
			if f.Line != w.line || f.Reason != w.reason || f.Got != w.got {
				t.Errorf("failure %d = line %d %q got %q; want line %d %q got %q",
					i, f.Line, f.Reason, f.Got, w.line, w.reason, w.got)
			}
		}
	})

	t.Run("stop on error", func(t *testing.T) {
		c := cfg
		c.StopOnError = true
		res, err := RunFile(ctx, c, "testdata/fail.slt")
		if err != nil {
			t.Fatal(err)
		}
		if res.Passed != 1 || res.Failed != 1 || res.Skipped != 5 || !res.Stopped {
			t.Errorf("got %d passed, %d failed, %d skipped, stopped %v; want 1, 1, 5, true",
				res.Passed, res.Failed, res.Skipped, res.Stopped)
		}
	})

	t.Run("timeout", func(t *testing.T) {
		c := cfg
		c.StatementTimeout = 300 * time.Millisecond
		start := time.Now()
		res, err := RunFile(ctx, c, "testdata/timeout.slt")
		if err != nil {
			t.Fatal(err)
		}
		if res.Passed != 3 || res.Failed != 1 || res.Failures[0].Line != 7 ||
			!strings.Contains(res.Failures[0].Got, "timed out after 300ms") {
			t.Errorf("got %d passed, %d failed, failures %+v; want 3 passed and line 7 timed out",
				res.Passed, res.Failed, res.Failures)
		}
		if d := time.Since(start); d > 8*time.Second {
			t.Errorf("took %s: the timeout did not cut the statement short", d)
		}
	})

	t.Run("databases dropped", func(t *testing.T) {
		c, err := pgconn.Connect(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close(ctx)
		rs, err := c.Exec(ctx, "SELECT datname FROM pg_database WHERE datname LIKE 'slt\\_%'").ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if n := len(rs[0].Rows); n != 0 {
			t.Errorf("%d slt_ databases left behind", n)
		}
	})

	t.Run("bad DSN database", func(t *testing.T) {
		c := cfg
		c.DSN = strings.Replace(dsn, "/postgres?", "/nosuchdb?", 1)
		if _, err := RunFile(ctx, c, "testdata/basic.slt"); err == nil {
			t.Error("RunFile with an unreachable database: want an error")
		}
	})
}
