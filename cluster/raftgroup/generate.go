package raftgroup

// The generated code is committed; regenerate after editing the .proto with
// `go generate ./cluster/raftgroup/` (needs protoc, protoc-gen-go and
// protoc-gen-go-grpc on PATH).
//go:generate protoc --proto_path=raftgrouppb --go_out=raftgrouppb --go_opt=paths=source_relative --go-grpc_out=raftgrouppb --go-grpc_opt=paths=source_relative raftgrouppb/raftgroup.proto
