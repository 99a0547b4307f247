// Package walrepair owns the one repair every tidwall/wal log of quorumdb
// needs after a crash: cutting a torn entry off the end of the last
// segment. The kv WAL and the replication queues of cluster/replication
// both call it when wal.Open reports wal.ErrCorrupt.
//
// # Files
//
//	walrepair.go  CutTornTail: keep the complete entries of the last
//	              segment, cut what follows
package walrepair
