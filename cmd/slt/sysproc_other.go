//go:build !linux

package main

import (
	"os"
	"syscall"
)

// sysProcAttr returns nil: outside Linux the server runs in our process
// group.
func sysProcAttr() *syscall.SysProcAttr { return nil }

// signalServer signals the server process.
func signalServer(p *os.Process, sig syscall.Signal) { p.Signal(sig) }
