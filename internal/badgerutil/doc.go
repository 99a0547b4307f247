// Package badgerutil holds what every badger instance of a node needs
// around badger itself: its log lines routed to slog, and the repair of
// the empty files a crash can leave. Used by kv (the MVCC store) and
// cluster/raftlog (the Raft log store).
//
// Files: logger.go (Logger), emptyfiles.go (RemoveEmptyFiles).
package badgerutil
