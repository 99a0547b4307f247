// Command quorumdb runs a quorumdb node (start), a local demo cluster
// (demo) or prints its version (version).
package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "quorumdb: not yet implemented")
	os.Exit(2)
}
