package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"

	"github.com/quorumdb/quorumdb/server"
)

// runStart runs a node configured by a YAML file until SIGINT/SIGTERM.
func runStart(args []string, _, stderr io.Writer) int {
	fs := flag.NewFlagSet("start", flag.ContinueOnError)
	fs.SetOutput(stderr)
	configPath := fs.String("config", "quorumdb.yaml", "configuration `file` (see server/testdata/quorumdb.example.yaml)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: quorumdb start --config quorumdb.yaml")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return flagStatus(err)
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "quorumdb start: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}

	cfg, err := server.LoadConfig(*configPath)
	if err != nil {
		// The configured logger does not exist yet: use the default one.
		logger, _ := server.NewLogger(stderr, server.LogConfig{})
		return configErrorStatus(logger, err)
	}
	logger, err := server.NewLogger(stderr, cfg.Log)
	if err != nil {
		fmt.Fprintf(stderr, "quorumdb: %v\n", err)
		return exitFailure
	}
	cfg.Logger = logger
	return serve([]server.Config{cfg}, logger, nil)
}

// flagStatus maps a flag parsing error to an exit status: -h is not a
// failure.
func flagStatus(err error) int {
	if err == flag.ErrHelp {
		return exitOK
	}
	return exitUsage
}

// configErrorStatus prints err and returns the exit status for a bad
// configuration.
func configErrorStatus(logger *slog.Logger, err error) int {
	if errors.Is(err, server.ErrConfig) {
		logger.Error("quorumdb: invalid configuration", "err", err)
	} else {
		logger.Error("quorumdb: cannot load configuration", "err", err)
	}
	return exitFailure
}
