//go:build !linux

package server

// defaultStatementMemory is sql.max_statement_memory's default where the
// machine's memory is not read (see memory_linux.go): 1 GiB.
func defaultStatementMemory() int64 { return 1 << 30 }
