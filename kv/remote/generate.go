package remote

// The generated code is committed; regenerate after editing the .proto with
// `go generate ./kv/remote/` (needs protoc, protoc-gen-go and
// protoc-gen-go-grpc on PATH).
//go:generate protoc --proto_path=kvpb --go_out=kvpb --go_opt=paths=source_relative --go-grpc_out=kvpb --go-grpc_opt=paths=source_relative kvpb/kv.proto
