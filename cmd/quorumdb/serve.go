package main

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"os/signal"
	"sync"
	"syscall"

	"github.com/quorumdb/quorumdb/server"
)

// serve starts a node on each of cfgs (several for an in-process demo
// cluster), calls started once they all accept clients, and runs them
// until SIGINT or SIGTERM (exit 0) or until one fails (exit 1). The
// nodes start concurrently: in a cluster each waits for a majority of
// its peers before it accepts clients. After the first signal the
// default handling is restored, so a second Ctrl-C during a slow
// shutdown kills the process.
func serve(cfgs []server.Config, logger *slog.Logger, started func([]*server.Node)) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	logger = logger.With("component", "cli")

	nodes, err := startAll(ctx, cfgs)
	if err != nil {
		if ctx.Err() != nil {
			logger.Info("quorumdb: interrupted during start")
			return exitOK
		}
		logger.Error("quorumdb: cannot start", "err", err)
		return exitFailure
	}
	if started != nil {
		started(nodes)
	}

	failed := make(chan *server.Node, len(nodes))
	for _, n := range nodes {
		go func() {
			select {
			case <-n.Done():
				failed <- n
			case <-ctx.Done():
			}
		}()
	}
	status := exitOK
	select {
	case <-ctx.Done():
		logger.Info("quorumdb: shutting down", "cause", context.Cause(ctx))
	case n := <-failed:
		logger.Error("quorumdb: node failed, shutting down", "err", n.Err())
		status = exitFailure
	}
	stop()
	if err := closeAll(nodes); err != nil {
		logger.Error("quorumdb: shutdown", "err", err)
		status = exitFailure
	}
	return status
}

// startAll starts every node concurrently; if any fails, the others
// are closed and the errors returned.
func startAll(ctx context.Context, cfgs []server.Config) ([]*server.Node, error) {
	// A node that cannot start ends the others' wait for a majority.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	nodes := make([]*server.Node, len(cfgs))
	errs := make([]error, len(cfgs))
	var wg sync.WaitGroup
	for i, cfg := range cfgs {
		wg.Go(func() {
			if nodes[i], errs[i] = server.Start(ctx, cfg); errs[i] != nil {
				cancel()
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		var up []*server.Node
		for _, n := range nodes {
			if n != nil {
				up = append(up, n)
			}
		}
		_ = closeAll(up)
		return nil, err
	}
	return nodes, nil
}

// closeAll closes the nodes concurrently, so a cluster's nodes do not
// wait on each other's departure one by one.
func closeAll(nodes []*server.Node) error {
	errs := make([]error, len(nodes))
	var wg sync.WaitGroup
	for i, n := range nodes {
		wg.Go(func() { errs[i] = n.Close() })
	}
	wg.Wait()
	return errors.Join(errs...)
}
