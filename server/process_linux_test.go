package server

import (
	"os/exec"
	"syscall"
)

// killWithTest makes the kernel kill cmd's process when the test binary
// dies (a panic or a -timeout), so no node outlives its test.
func killWithTest(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
