package heartbeat

// The generated code is committed; regenerate after editing the .proto with
// `go generate ./heartbeat/` (needs protoc, protoc-gen-go and
// protoc-gen-go-grpc on PATH).
//go:generate protoc --proto_path=heartbeatpb --go_out=heartbeatpb --go_opt=paths=source_relative --go-grpc_out=heartbeatpb --go-grpc_opt=paths=source_relative heartbeatpb/heartbeat.proto
