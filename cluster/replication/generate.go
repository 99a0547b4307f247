package replication

// The generated code is committed; regenerate after editing the .proto with
// `go generate ./cluster/replication/` (needs protoc, protoc-gen-go and
// protoc-gen-go-grpc on PATH).
//go:generate protoc --proto_path=replicationpb --go_out=replicationpb --go_opt=paths=source_relative --go-grpc_out=replicationpb --go-grpc_opt=paths=source_relative replicationpb/replication.proto
