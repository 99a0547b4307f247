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
  quorumdb cert create-ca|create-node     make the certificates nodes authenticate each other with
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
	case "cert":
		return runCert(rest, stdout, stderr)
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
