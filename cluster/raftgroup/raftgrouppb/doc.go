// Package raftgrouppb holds the protobuf messages and the gRPC service of
// the Raft transport (raftgroup.proto): the Header that opens a stream and
// the Batch of encoded raftpb.Message values that follows it.
//
// # Files
//
// Edit raftgroup.proto: the two .pb.go files are generated from it by
// protoc through the go:generate line of cluster/raftgroup/generate.go,
// which `make proto` runs. Both are committed; do not edit them by hand.
//
//	raftgroup.proto       the messages and the service (the source)
//	raftgroup.pb.go       generated: the messages (protoc-gen-go)
//	raftgroup_grpc.pb.go  generated: the service's client and server
//	                      (protoc-gen-go-grpc)
package raftgrouppb
