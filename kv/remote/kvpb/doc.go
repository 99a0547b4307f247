// Package kvpb holds the protobuf messages and the gRPC service of remote
// kv transactions (kv.proto): one Txn stream per transaction carrying
// Request and Response messages.
//
// # Files
//
// Edit kv.proto: the two .pb.go files are generated from it by protoc
// through the go:generate line of kv/remote/generate.go, which
// `go generate ./kv/remote/` (and `make proto`) runs. Both are
// committed; do not edit them by hand.
//
//	kv.proto       the messages and the service (the source)
//	kv.pb.go       generated: the messages (protoc-gen-go)
//	kv_grpc.pb.go  generated: the service's client and server
//	               (protoc-gen-go-grpc)
package kvpb
