//go:build !linux

package netfault

import "fmt"

// inNamespace needs Linux's network namespaces.
func inNamespace(name string, fn func() error) error {
	return fmt.Errorf("%w: entering namespace %s", ErrUnsupported, name)
}

// processRuns answers true: without namespaces there are no leftovers
// to sweep.
func processRuns(pid int) bool { return true }
