package main

import (
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"github.com/quorumdb/quorumdb/internal/certs"
)

const certUsage = `Usage:
  quorumdb cert create-ca --certs-dir DIR [--lifetime 87600h]
      make the cluster's certificate authority: DIR/ca.crt and DIR/ca.key
      (keep ca.key off the nodes)
  quorumdb cert create-node --certs-dir DIR --out NODEDIR [--lifetime 43800h] HOST...
      sign a node certificate for the hosts (IP addresses or DNS names) its
      entry in cluster.nodes uses: NODEDIR/node.crt, node.key and ca.crt,
      for cluster.tls.cert_file, key_file and ca_file
`

// runCert makes the certificates of peer TLS (cluster.tls).
func runCert(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, certUsage)
		return exitUsage
	}
	switch args[0] {
	case "create-ca":
		return runCreateCA(args[1:], stdout, stderr)
	case "create-node":
		return runCreateNode(args[1:], stdout, stderr)
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, certUsage)
		return exitOK
	}
	fmt.Fprintf(stderr, "quorumdb cert: unknown command %q\n\n%s", args[0], certUsage)
	return exitUsage
}

func runCreateCA(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("cert create-ca", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("certs-dir", "", "directory for ca.crt and ca.key (created if missing)")
	lifetime := fs.Duration("lifetime", 10*365*24*time.Hour, "validity of the CA")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if *dir == "" || fs.NArg() != 0 {
		fmt.Fprint(stderr, certUsage)
		return exitUsage
	}
	ca, err := certs.NewCA("quorumdb cluster CA", *lifetime)
	if err == nil {
		var certFile, keyFile string
		if certFile, keyFile, err = ca.WriteCA(*dir); err == nil {
			fmt.Fprintf(stdout, "wrote %s and %s (keep the key off the nodes)\n", certFile, keyFile)
			return exitOK
		}
	}
	fmt.Fprintf(stderr, "quorumdb cert create-ca: %v\n", err)
	return exitFailure
}

func runCreateNode(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("cert create-node", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("certs-dir", "", "directory holding ca.crt and ca.key")
	out := fs.String("out", "", "directory for node.crt, node.key and a copy of ca.crt (created if missing)")
	lifetime := fs.Duration("lifetime", 5*365*24*time.Hour, "validity of the node certificate (never past the CA's)")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if *dir == "" || *out == "" || fs.NArg() == 0 {
		fmt.Fprint(stderr, certUsage)
		return exitUsage
	}
	ca, err := certs.LoadCA(filepath.Join(*dir, certs.CACertFile), filepath.Join(*dir, certs.CAKeyFile))
	if err == nil {
		var certPEM, keyPEM []byte
		if certPEM, keyPEM, err = ca.IssueNode(fs.Args(), *lifetime); err == nil {
			var caFile, certFile, keyFile string
			if caFile, certFile, keyFile, err = ca.WriteNode(*out, certPEM, keyPEM); err == nil {
				fmt.Fprintf(stdout, "wrote %s for %v\ncluster.tls:\n  ca_file: %s\n  cert_file: %s\n  key_file: %s\n", certFile, fs.Args(), caFile, certFile, keyFile)
				return exitOK
			}
		}
	}
	fmt.Fprintf(stderr, "quorumdb cert create-node: %v\n", err)
	return exitFailure
}
