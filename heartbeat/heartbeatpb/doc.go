// Package heartbeatpb holds the protobuf message and the gRPC service of
// the direct peer heartbeats (heartbeat.proto): the Beat every node sends
// its peers and the Heartbeat service that answers with the callee's own.
//
// # Files
//
// Edit heartbeat.proto: the two .pb.go files are generated from it by
// protoc through the go:generate line of heartbeat/generate.go, which
// `make proto` runs. Both are committed; do not edit them by hand.
//
//	heartbeat.proto       the messages and the service (the source)
//	heartbeat.pb.go       generated: the messages (protoc-gen-go)
//	heartbeat_grpc.pb.go  generated: the service's client and server
//	                      (protoc-gen-go-grpc)
package heartbeatpb
