//go:build !linux

package main

import (
	"context"
	"errors"
	"os"
	"syscall"
)

// sysProcAttr is nil where the kernel has no parent-death signal: the
// nodes are still killed by PID at the end of each trial.
func sysProcAttr() *syscall.SysProcAttr { return nil }

// pauseProcess is not supported here: the measured clusters run on Linux.
func pauseProcess(ctx context.Context, p *os.Process) error {
	return errors.New("failover: the pause fault (SIGSTOP) needs Linux")
}
