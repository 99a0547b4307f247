package main

import (
	"fmt"
	"io"
	"runtime"

	"github.com/quorumdb/quorumdb/server"
)

// runVersion prints the quorumdb version (set by the Makefile through
// -ldflags on server.Version) and the Go toolchain that built it.
func runVersion(stdout io.Writer) int {
	fmt.Fprintf(stdout, "quorumdb version %s\n", server.Version)
	fmt.Fprintf(stdout, "go version %s %s/%s\n", runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return exitOK
}
