package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"syscall"
	"time"
)

// sysProcAttr kills a node if this process dies first (a panic, a
// SIGKILL): no node outlives the measurement.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}

// pauseProcess stops p with SIGSTOP and returns once the kernel shows it
// stopped: a signal is delivered asynchronously, and a process still
// running for a moment could begin a transaction for a write the
// measurement sends after the fault. SIGKILL (node.kill) ends it even
// while stopped.
func pauseProcess(ctx context.Context, p *os.Process) error {
	if err := p.Signal(syscall.SIGSTOP); err != nil {
		return fmt.Errorf("SIGSTOP to %d: %w", p.Pid, err)
	}
	stat := fmt.Sprintf("/proc/%d/stat", p.Pid)
	for ctx.Err() == nil {
		b, err := os.ReadFile(stat)
		if err != nil {
			return fmt.Errorf("state of %d: %w", p.Pid, err)
		}
		// "pid (comm) S ...": the state follows the last ')'.
		if i := bytes.LastIndexByte(b, ')'); i >= 0 && i+2 < len(b) && b[i+2] == 'T' {
			return nil
		}
		time.Sleep(100 * time.Microsecond)
	}
	return ctx.Err()
}
