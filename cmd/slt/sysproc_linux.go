package main

import (
	"os"
	"syscall"
)

// sysProcAttr puts the server in its own process group, so that stopping
// it reaches any children it starts, and kills it if this process dies
// first.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}

// signalServer signals the server's process group.
func signalServer(p *os.Process, sig syscall.Signal) {
	if err := syscall.Kill(-p.Pid, sig); err != nil {
		p.Signal(sig)
	}
}
