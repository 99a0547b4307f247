package multiraft

// The generated code is committed; regenerate after editing the .proto with
// `go generate ./cluster/multiraft/` (needs protoc, protoc-gen-go and
// protoc-gen-go-grpc on PATH).
//go:generate protoc --proto_path=multiraftpb --go_out=multiraftpb --go_opt=paths=source_relative --go-grpc_out=multiraftpb --go-grpc_opt=paths=source_relative multiraftpb/multiraft.proto
