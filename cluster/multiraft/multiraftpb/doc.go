// Package multiraftpb holds the protobuf messages and the gRPC service of
// the multi-raft transport (multiraft.proto): the Header that opens a
// stream and the Batches that follow it, each carrying a beat, its
// acknowledgements, coalesced heartbeats and encoded raft messages of
// many groups.
//
// # Files
//
// Edit multiraft.proto: the two .pb.go files are generated from it by
// protoc through the go:generate line of cluster/multiraft/generate.go,
// which `make proto` runs. Both are committed; do not edit them by hand.
//
//	multiraft.proto       the messages and the service (the source)
//	multiraft.pb.go       generated: the messages (protoc-gen-go)
//	multiraft_grpc.pb.go  generated: the service's client and server
//	                      (protoc-gen-go-grpc)
package multiraftpb
