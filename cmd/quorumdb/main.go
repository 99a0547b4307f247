// Command quorumdb runs a quorumdb node (start), a local demo database
// (demo) or prints its version (version). See usage below, and
// server/testdata/quorumdb.example.yaml for the configuration file.
//
// The binary is a thin shell over package server, the composition root:
// it parses flags, builds the logger, turns SIGINT/SIGTERM into a clean
// shutdown and maps the outcome to an exit status (0 after a clean stop,
// 1 on failure, 2 on bad usage).
package main

import (
	"fmt"
	"io"
	"os"
)

const usage = `quorumdb — a distributed SQL database speaking the PostgreSQL protocol

Usage:
  quorumdb start --config quorumdb.yaml   run a node
  quorumdb demo [--sql-port 5433]         run a throwaway local database
  quorumdb version                        print the version

Run "quorumdb <command> -h" for a command's flags.
`

// Exit statuses.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run executes the command line args and returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	switch cmd, rest := args[0], args[1:]; cmd {
	case "start":
		return runStart(rest, stdout, stderr)
	case "demo":
		return runDemo(rest, stdout, stderr)
	case "version", "--version":
		return runVersion(stdout)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	default:
		fmt.Fprintf(stderr, "quorumdb: unknown command %q\n\n%s", cmd, usage)
		return exitUsage
	}
}
