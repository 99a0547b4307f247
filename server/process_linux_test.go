package server

import (
	"os/exec"
	"syscall"
)

// pause stops the node's process with SIGSTOP: it neither runs nor
// answers, but the kernel keeps its sockets, so peers and clients see a
// silent node, and what they send waits in its receive buffers.
func (p *nodeProcess) pause() {
	p.t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGSTOP); err != nil {
		p.t.Fatalf("SIGSTOP to node (%s): %v", p.config, err)
	}
}

// resume continues a paused process with SIGCONT. (SIGKILL, in kill,
// ends a stopped process too.)
func (p *nodeProcess) resume() {
	p.t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGCONT); err != nil {
		p.t.Fatalf("SIGCONT to node (%s): %v", p.config, err)
	}
}

// killWithTest makes the kernel kill cmd's process when the test binary
// dies (a panic or a -timeout), so no node outlives its test.
func killWithTest(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
