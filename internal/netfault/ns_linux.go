package netfault

import (
	"errors"
	"fmt"
	"os"
	"runtime"

	"golang.org/x/sys/unix"
)

// inNamespace runs fn on an OS thread that has entered the named network
// namespace; sockets fn creates belong to that namespace for their whole
// life, whichever thread uses them later.
//
// fn runs on a goroutine of its own, locked to its thread, so that
// nothing else of the caller's ever runs in the node's namespace. After
// fn the thread returns to the namespace it came from; if that fails the
// goroutine exits still locked, and the Go runtime then ends the thread
// rather than reuse it. (Threads the runtime starts while fn runs come
// from its template thread, not from this one, so they never inherit
// the namespace.)
func inNamespace(name string, fn func() error) error {
	errc := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		orig, err := os.Open("/proc/thread-self/ns/net")
		if err != nil {
			runtime.UnlockOSThread()
			errc <- fmt.Errorf("netfault: this thread's namespace: %w", err)
			return
		}
		defer orig.Close()
		target, err := os.Open(netnsDir + "/" + name)
		if err != nil {
			runtime.UnlockOSThread()
			errc <- fmt.Errorf("netfault: namespace %s: %w", name, err)
			return
		}
		defer target.Close()
		if err := unix.Setns(int(target.Fd()), unix.CLONE_NEWNET); err != nil {
			runtime.UnlockOSThread()
			errc <- fmt.Errorf("netfault: entering %s: %w", name, err)
			return
		}
		ferr := fn()
		if err := unix.Setns(int(orig.Fd()), unix.CLONE_NEWNET); err != nil {
			// Left locked on purpose: the thread dies with the goroutine.
			errc <- errors.Join(ferr, fmt.Errorf("netfault: leaving %s: %w", name, err))
			return
		}
		runtime.UnlockOSThread()
		errc <- ferr
	}()
	return <-errc
}

// processRuns says whether pid names a live process (signal 0 checks
// existence without sending anything; EPERM means it exists).
func processRuns(pid int) bool {
	err := unix.Kill(pid, 0)
	return err == nil || errors.Is(err, unix.EPERM)
}
