package main

import (
	"context"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/quorumdb/quorumdb/server"
)

// serve starts a node on cfg, calls started once it accepts clients, and
// runs it until SIGINT or SIGTERM (exit 0) or until it fails (exit 1).
// After the first signal the default handling is restored, so a second
// Ctrl-C during a slow shutdown kills the process.
func serve(cfg server.Config, logger *slog.Logger, started func(*server.Node)) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	logger = logger.With("component", "cli")

	node, err := server.Start(ctx, cfg)
	if err != nil {
		if ctx.Err() != nil {
			logger.Info("quorumdb: interrupted during start")
			return exitOK
		}
		logger.Error("quorumdb: cannot start", "err", err)
		return exitFailure
	}
	if started != nil {
		started(node)
	}

	status := exitOK
	select {
	case <-ctx.Done():
		logger.Info("quorumdb: shutting down", "cause", context.Cause(ctx))
	case <-node.Done():
		logger.Error("quorumdb: node failed, shutting down", "err", node.Err())
		status = exitFailure
	}
	stop()
	if err := node.Close(); err != nil {
		logger.Error("quorumdb: shutdown", "err", err)
		status = exitFailure
	}
	return status
}
