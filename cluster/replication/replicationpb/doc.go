// Package replicationpb holds the protobuf messages and the gRPC service
// of cluster state replication (replication.proto): the Batch a
// dispatcher streams, the Ack a receiver answers with, and the Event that
// is both on the wire and the on-disk record of a queue entry.
//
// # Files
//
// Edit replication.proto: the two .pb.go files are generated from it by
// protoc through the go:generate line of cluster/replication/generate.go,
// which `make proto` runs. Both are committed; do not edit them by hand.
//
//	replication.proto       the messages and the service (the source)
//	replication.pb.go       generated: the messages (protoc-gen-go)
//	replication_grpc.pb.go  generated: the service's client and server
//	                        (protoc-gen-go-grpc)
package replicationpb
