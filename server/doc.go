// Package server is the composition root of a quorumdb node: it turns a
// Config (quorumdb.yaml) into running components, wires them together,
// and owns their start and stop order. It is importable, so end-to-end
// tests start real nodes in-process with Start and a t.TempDir().
//
// Files:
//
//   - config.go: Config, one struct per YAML section, DefaultConfig and
//     Resolved (defaults plus derived settings: node id from the position
//     in cluster.nodes, replication factor n/2+1).
//   - validate.go: the checks behind Validate/Resolved; every error is a
//     *ConfigError naming the setting (errors.go).
//   - load.go: LoadConfig/ParseConfig, a strict YAML decoder that rejects
//     unknown keys and malformed values with file, line and setting.
//     testdata/quorumdb.example.yaml documents every key; a test keeps it
//     complete and loadable.
//   - node.go: Start and Node.Close.
//   - engine.go: adapters between sql, pgwire and heartbeat.
//   - cluster.go: the node's part of the partitioned keyspace (the
//     engine, a replica store per partition it holds, the partitions'
//     Raft groups, the transaction service, the coordinator), the
//     hand-over of leadership, and cluster_partitions.
//   - keyspace.go: keyspace, the coordinator's map of the partitions:
//     key placement, each partition's leaseholder (own replica or a
//     peer's), leaders learnt from the groups and from refusals; the
//     recovery of abandoned transactions in the partitions it leads.
//   - keyspacemetrics.go: /metrics of the coordinator's transactions
//     (commits by kind, restarts by cause) and of the replicas' prepared
//     parts.
//   - replication.go: cluster state replication: the peer gRPC server,
//     the replication manager, catalog change events out and the cache
//     handlers in.
//   - clock.go: clockCheck, the SQL engine's ServingCheck: logins and
//     statements are refused (57P03) while the direct heartbeats find
//     this node's clock off from a majority of the members'; meanwhile
//     the node hands over the partitions it leads and asks to be spared.
//   - localview.go: what the node answers without quorum: the direct
//     peer heartbeats (heartbeat.Exchanger on the peer server) behind
//     cluster_node_heartbeat's local view, and the loop refreshing the
//     engine's cached login data.
//   - admin.go: /metrics (Prometheus), /healthz and /debug/pprof/.
//   - tlsconfig.go: sql.tls, TLS for SQL clients (modes, checked files,
//     the pgwire tls.Config); peertls.go: cluster.tls, mutual TLS between
//     the nodes (checks, loopback-only mode off, its warning).
//   - logger.go: NewLogger, the log section (text or JSON, level).
//   - memory_linux.go, memory_other.go: the default of
//     sql.max_statement_memory from the machine's memory (1 GiB when
//     unknown).
//   - version.go: Version, set at link time by the Makefile.
//
// Lifecycle. Start listens on the peer address and creates the gRPC
// server with the direct heartbeat service on it, then opens the
// keyspace: a single node's kv.LocalStore in <buffer_directory>/data, or
// in a cluster (cluster.nodes lists more than one node) the partitioned
// keyspace (cluster.go): one kv.Engine in <buffer_directory>/keyspace
// with this node's replica of every partition the placement gives it,
// their Raft groups (every group's log in <buffer_directory>/raftlog),
// the transaction service for the other nodes' coordinators, and this
// node's own coordinator (kv/dist), which is the kv.DB the SQL engine
// and the heartbeat run on. Then the replication manager and the peer
// gRPC server start, then sql.Engine (bootstraps the catalog; in a
// cluster it waits for the system partition's leader), the SQL
// listener, the heartbeat writer, the direct heartbeats to the peers
// (and, in a cluster, the refresh of the cached login data), the pgwire
// server and the admin HTTP server. Close stops them in reverse: admin,
// pgwire (sessions are canceled, then given shutdownTimeout), the
// refresh loop, heartbeat writer, direct heartbeats, the hand-over of
// the partitions this node leads, peer gRPC and replication, keyspace.
// A failure during Start closes whatever had started. Every goroutine
// the node starts is counted in Node.wg or owned by a component's Close.
package server
