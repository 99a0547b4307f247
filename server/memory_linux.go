package server

import "syscall"

// defaultStatementMemory is sql.max_statement_memory's default: a quarter
// of the machine's memory, so that one statement cannot take the node
// down while ordinary large sorts and joins fit (CockroachDB's
// --max-sql-memory has the same default, for all statements together).
// 1 GiB when the machine will not say.
func defaultStatementMemory() int64 {
	var si syscall.Sysinfo_t
	if err := syscall.Sysinfo(&si); err != nil || si.Totalram == 0 {
		return 1 << 30
	}
	return int64(si.Totalram) * int64(si.Unit) / 4
}
