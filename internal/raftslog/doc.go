// Package raftslog routes the go.etcd.io/raft library's logging to slog,
// for every package that runs raft (cluster/multiraft).
//
// Files: raftslog.go holds Logger.
package raftslog
