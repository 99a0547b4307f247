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
//   - admin.go: /metrics (Prometheus), /healthz and /debug/pprof/.
//
// Lifecycle. Start opens, in order: kv.LocalStore in
// <buffer_directory>/data, sql.Engine (bootstraps the catalog), the SQL
// listener, the heartbeat writer, the pgwire server and the admin HTTP
// server. Close stops them in reverse: admin, pgwire (sessions are
// canceled, then given shutdownTimeout), heartbeat, store. A failure
// during Start closes whatever had started. Every goroutine the node
// starts is counted in Node.wg or owned by a component's Close.
//
// Until the cluster layer exists a node is a single-node database:
// Start refuses a cluster.nodes list of more than one entry
// (ErrMultiNode) rather than run several unrelated databases that look
// like one cluster.
package server
