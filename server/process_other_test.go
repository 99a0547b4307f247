//go:build !linux

package server

import "os/exec"

// killWithTest does nothing where the kernel has no parent-death
// signal: the tests' cleanups stop their processes.
func killWithTest(cmd *exec.Cmd) {}
