package server

import (
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"time"

	"github.com/quorumdb/quorumdb/cluster/replication"
	"github.com/quorumdb/quorumdb/heartbeat"
	"github.com/quorumdb/quorumdb/kv"
	"github.com/quorumdb/quorumdb/pgwire"
	"github.com/quorumdb/quorumdb/sql"
)

// Config is the whole configuration of one node: what quorumdb.yaml holds
// (see testdata/quorumdb.example.yaml, which documents every key). The
// zero value of a field means its default, so a Config built in Go needs
// only the fields it cares about; Resolved fills in the rest.
type Config struct {
	// Node holds settings of this node alone.
	Node NodeConfig `yaml:"node"`
	// ListenAddress is the peer (gRPC) address, host:port: other nodes
	// deliver cluster state replication events here. Port 0 (a single
	// node only) picks a free port, see Node.PeerAddr.
	ListenAddress string `yaml:"listen_address"`
	// AdvertiseAddress is how peers reach this node, host:port; it must
	// be this node's entry in Cluster.Nodes. Default: ListenAddress. It is
	// the address in this node's cluster_node_heartbeat row.
	AdvertiseAddress string `yaml:"advertise_address"`
	// BufferDirectory holds everything the node stores: data/ (kv) and
	// localq/ (replication queues). Relative paths are relative to
	// the working directory.
	BufferDirectory string `yaml:"buffer_directory"`
	// Storage configures how the node uses the disk under
	// BufferDirectory.
	Storage StorageConfig `yaml:"storage"`
	// SQL configures the PostgreSQL protocol listener.
	SQL SQLConfig `yaml:"sql"`
	// Admin configures the HTTP endpoint for metrics and health checks.
	Admin AdminConfig `yaml:"admin"`
	// Cluster holds the settings every node must share.
	Cluster ClusterConfig `yaml:"cluster"`
	// Heartbeat configures cluster_node_heartbeat.
	Heartbeat HeartbeatConfig `yaml:"heartbeat"`
	// Log configures the logger Start builds when Logger is nil.
	Log LogConfig `yaml:"log"`

	// Logger, when set by a program or test embedding a node, is used
	// instead of a logger built from Log. Not settable from YAML.
	Logger *slog.Logger `yaml:"-"`
	// ExtraPeers, when set, adds peers to the replication membership
	// (which otherwise lists the other ACTIVE nodes of
	// cluster_node_heartbeat); a peer id already there keeps its row's
	// address. It is called from the membership loop, once per poll. For
	// tests, which run single nodes that see each other as peers. Not
	// settable from YAML.
	ExtraPeers func() []replication.Peer `yaml:"-"`

	// clock, when set (by tests in this package), is the clock the
	// node's direct heartbeats are stamped and measured with: a test
	// skews one node's clock so.
	clock func() time.Time `yaml:"-"`

	// logRetention, when set (by tests in this package), replaces the
	// defaults that decide when a replica's Raft log is compacted: the
	// store's checkpoint interval and the entries kept below a
	// checkpoint. Small values make a returning replica need a snapshot.
	logRetention *logRetention `yaml:"-"`
}

// logRetention is the test knob of Config.logRetention.
type logRetention struct {
	checkpointEvery time.Duration
	slackEntries    uint64
}

// StorageConfig configures the node's use of its disk.
type StorageConfig struct {
	// MinFreeBytes is the free space kept on the filesystems of
	// buffer_directory's data/ and raft/: a write that would leave less
	// fails with 53100 (disk full) before anything is written, reads go
	// on, and writes succeed again by themselves once space is freed
	// (kv.LocalConfig.MinFreeBytes says what the room is for). A replica
	// below it stops taking new log entries and catches up later.
	// Default 256 MiB; -1 turns the guard off (a full disk then crashes
	// the node).
	MinFreeBytes int64 `yaml:"min_free_bytes"`
}

// NodeConfig holds the node's identity.
type NodeConfig struct {
	// ID is the node's id, 1..MaxNodeID. Default (0): the 1-based
	// position of AdvertiseAddress in Cluster.Nodes, or 1 when the list is
	// empty (a single node).
	ID int `yaml:"id"`
}

// SQLConfig configures pgwire.
type SQLConfig struct {
	// ListenAddress is where clients connect, host:port; port 0 picks a
	// free port (see Node.SQLAddr). Default 127.0.0.1:5433.
	ListenAddress string `yaml:"listen_address"`
	// Auth is trust, password, md5, scram-sha-256 or cert (needs
	// TLS.Mode require and TLS.CAFile). Default trust.
	Auth string `yaml:"auth"`
	// SuperuserPassword is the password of the postgres role, set at
	// every start. Required by password and md5 authentication.
	SuperuserPassword string `yaml:"superuser_password"`
	// MaxMessageSize bounds one client message in bytes. Default 64 MiB.
	MaxMessageSize int `yaml:"max_message_size"`
	// MaxConnections bounds the client connections of this node
	// (authenticating or in a session); more are refused with 53300, as
	// PostgreSQL's max_connections. Default 100.
	MaxConnections int `yaml:"max_connections"`
	// MaxStatementMemory bounds, in bytes, the rows one statement holds
	// at once (sorts, hash joins, groups, DISTINCT, materialised
	// subqueries and results): past it the statement fails with 53200
	// and the node goes on. Default a quarter of the machine's memory;
	// -1: no bound.
	MaxStatementMemory int64 `yaml:"max_statement_memory"`
	// SuperuserReservedConnections of them are kept for superusers.
	// Default 3; -1 keeps none.
	SuperuserReservedConnections int `yaml:"superuser_reserved_connections"`
	// QuorumWait bounds how long a login and a query of
	// cluster_node_heartbeat or cluster_partitions wait for the
	// keyspace's leader before answering from this node's own state (its
	// cached credentials, its local view). Default 2 s.
	QuorumWait time.Duration `yaml:"quorum_wait"`
	// TLS configures encryption of client connections.
	TLS TLSConfig `yaml:"tls"`
}

// AdminConfig configures the admin HTTP server.
type AdminConfig struct {
	// ListenAddress serves /metrics, /healthz and /debug/pprof/ when set,
	// host:port (port 0 picks one, see Node.AdminAddr). Default: off.
	ListenAddress string `yaml:"listen_address"`
}

// ClusterConfig holds the settings that must be identical on every node.
type ClusterConfig struct {
	// Nodes lists every member's advertise address, this node included,
	// in the same order everywhere (a node's position is its default id).
	// Empty: a single node.
	Nodes []string `yaml:"nodes"`
	// ReplicationFactor is the number of replicas of each partition.
	// Default len(Nodes)/2+1.
	ReplicationFactor int `yaml:"replication_factor"`
	// Partitions is the fixed number of partitions of the keyspace.
	// Default 64.
	Partitions int `yaml:"partitions"`
	// Replication configures the per-peer queues of cache invalidation
	// events.
	Replication ReplicationConfig `yaml:"replication"`
	// TLS is mutual TLS between the nodes (cluster.tls).
	TLS PeerTLSConfig `yaml:"tls"`
	// UnavailableTimeout bounds how long a statement waits for a leader
	// it can reach before failing with "no quorum" (08006). Unlike the
	// settings above it may differ between nodes. Default 5 s.
	UnavailableTimeout time.Duration `yaml:"unavailable_timeout"`
	// MaxClockOffset is how far apart the members' clocks may be. A node
	// whose clock is farther than this from the clocks of a majority of
	// the members (measured over the direct heartbeats) refuses logins
	// and statements with 57P03 until its clock is back. Default 500 ms.
	MaxClockOffset time.Duration `yaml:"max_clock_offset"`
}

// ReplicationConfig configures the per-peer event queues.
type ReplicationConfig struct {
	// QueuesPerPeer is the number of queues (and concurrent streams) per
	// active peer. Default 8.
	QueuesPerPeer int `yaml:"queues_per_peer"`
	// StatsInterval is how often queue figures are logged. Default 60 s.
	StatsInterval time.Duration `yaml:"stats_interval"`
	// StuckAfter is how long an entry may wait before the statistics
	// line warns about it. Default 30 s.
	StuckAfter time.Duration `yaml:"stuck_after"`
	// PeerRetention is how long a peer may be missing from the active
	// nodes before its queues (and what they hold) are deleted. Default
	// 1 h; at least 1 s.
	PeerRetention time.Duration `yaml:"peer_retention"`
}

// HeartbeatConfig configures heartbeat.Config.
type HeartbeatConfig struct {
	// Interval between writes of this node's row. Default 1 s.
	Interval time.Duration `yaml:"interval"`
	// Timeout is the age after which a node is NO_HEARTBEAT. Default 5 s.
	Timeout time.Duration `yaml:"timeout"`
	// OfflineAfter is the age after which a node is OFFLINE. Default 60 s.
	OfflineAfter time.Duration `yaml:"offline_after"`
}

// LogConfig configures the node's logger.
type LogConfig struct {
	// Level is debug, info, warn or error. Default info.
	Level string `yaml:"level"`
	// Format is text or json. Default text.
	Format string `yaml:"format"`
}

// Defaults of Config.
const (
	DefaultListenAddress    = "127.0.0.1:7433"
	DefaultSQLListenAddress = pgwire.DefaultAddr
	DefaultBufferDirectory  = "quorumdb-data"
	DefaultPartitions       = 64
	DefaultQueuesPerPeer    = 8
	DefaultStatsInterval    = 60 * time.Second
	DefaultStuckAfter       = 30 * time.Second
	DefaultPeerRetention    = time.Hour
	// DefaultUnavailableTimeout leaves room for an election (1 to 2 s
	// after a leader fails) and the retries after it.
	DefaultUnavailableTimeout = 5 * time.Second
	DefaultMaxMessageSize     = pgwire.DefaultMaxMessageSize
	DefaultQuorumWait         = sql.DefaultQuorumWait
	DefaultLogLevel           = "info"
	DefaultLogFormat          = "text"
	DefaultAuth               = pgwire.AuthTrust
	// DefaultMinFreeBytes is kv's default for the memtable size the node
	// runs with.
	DefaultMinFreeBytes = kv.DefaultMinFreeBytes
)

// Limits checked by Validate.
const (
	// MaxNodeID is the largest node id: sql keeps the node id in the low
	// 10 bits of generated row ids.
	MaxNodeID = 1023
	// MaxPartitions bounds cluster.partitions.
	MaxPartitions = 1 << 16
	// minMaxMessageSize keeps room for every startup message (pgwire's
	// own minimum).
	minMaxMessageSize = 16 << 10
)

// DefaultConfig returns the configuration of a single node with every
// setting at its default, spelled out.
func DefaultConfig() Config {
	return Config{
		ListenAddress:   DefaultListenAddress,
		BufferDirectory: DefaultBufferDirectory,
		Storage:         StorageConfig{MinFreeBytes: DefaultMinFreeBytes},
		SQL: SQLConfig{
			ListenAddress:                DefaultSQLListenAddress,
			Auth:                         DefaultAuth,
			MaxMessageSize:               DefaultMaxMessageSize,
			MaxConnections:               pgwire.DefaultMaxConnections,
			SuperuserReservedConnections: pgwire.DefaultReservedConnections,
			QuorumWait:                   DefaultQuorumWait,
			TLS:                          TLSConfig{Mode: DefaultTLSMode},
		},
		Cluster: ClusterConfig{
			Partitions:         DefaultPartitions,
			UnavailableTimeout: DefaultUnavailableTimeout,
			MaxClockOffset:     heartbeat.DefaultMaxClockOffset,
			TLS:                PeerTLSConfig{Mode: DefaultPeerTLSMode},
			Replication: ReplicationConfig{
				QueuesPerPeer: DefaultQueuesPerPeer,
				StatsInterval: DefaultStatsInterval,
				StuckAfter:    DefaultStuckAfter,
				PeerRetention: DefaultPeerRetention,
			},
		},
		Heartbeat: HeartbeatConfig{
			Interval:     heartbeat.DefaultInterval,
			Timeout:      heartbeat.DefaultTimeout,
			OfflineAfter: heartbeat.DefaultOfflineAfter,
		},
		Log: LogConfig{Level: DefaultLogLevel, Format: DefaultLogFormat},
	}
}

// Validate reports the first invalid setting as a *ConfigError naming
// it.
func (c Config) Validate() error {
	_, err := c.Resolved()
	return err
}

// Resolved returns c with every zero field set to its default and the
// derived settings filled in (Node.ID, AdvertiseAddress,
// Cluster.ReplicationFactor), or the first invalid setting as a
// *ConfigError.
func (c Config) Resolved() (Config, error) {
	c = c.withDefaults()
	checks := []func(*Config) error{
		checkAddresses, checkIdentity, checkCluster, checkPeerTLS, checkSQL, checkTLS, checkHeartbeat, checkLog, checkStorage,
	}
	for _, check := range checks {
		if err := check(&c); err != nil {
			return Config{}, err
		}
	}
	return c, nil
}

// withDefaults fills the zero fields that have a fixed default.
func (c Config) withDefaults() Config {
	d := DefaultConfig()
	setString(&c.ListenAddress, d.ListenAddress)
	setString(&c.BufferDirectory, d.BufferDirectory)
	setString(&c.SQL.ListenAddress, d.SQL.ListenAddress)
	setString(&c.SQL.Auth, d.SQL.Auth)
	setString(&c.SQL.TLS.Mode, d.SQL.TLS.Mode)
	setString(&c.Log.Level, d.Log.Level)
	setString(&c.Log.Format, d.Log.Format)
	setInt(&c.Storage.MinFreeBytes, d.Storage.MinFreeBytes)
	setInt(&c.SQL.MaxMessageSize, d.SQL.MaxMessageSize)
	setInt(&c.SQL.MaxConnections, d.SQL.MaxConnections)
	setInt(&c.SQL.MaxStatementMemory, defaultStatementMemory())
	setInt(&c.SQL.SuperuserReservedConnections, d.SQL.SuperuserReservedConnections)
	setInt(&c.SQL.QuorumWait, d.SQL.QuorumWait)
	setInt(&c.Cluster.Partitions, d.Cluster.Partitions)
	setInt(&c.Cluster.UnavailableTimeout, d.Cluster.UnavailableTimeout)
	setInt(&c.Cluster.MaxClockOffset, d.Cluster.MaxClockOffset)
	setString(&c.Cluster.TLS.Mode, d.Cluster.TLS.Mode)
	setInt(&c.Cluster.Replication.QueuesPerPeer, d.Cluster.Replication.QueuesPerPeer)
	setInt(&c.Cluster.Replication.StatsInterval, d.Cluster.Replication.StatsInterval)
	setInt(&c.Cluster.Replication.StuckAfter, d.Cluster.Replication.StuckAfter)
	setInt(&c.Cluster.Replication.PeerRetention, d.Cluster.Replication.PeerRetention)
	setInt(&c.Heartbeat.Interval, d.Heartbeat.Interval)
	setInt(&c.Heartbeat.Timeout, d.Heartbeat.Timeout)
	setInt(&c.Heartbeat.OfflineAfter, d.Heartbeat.OfflineAfter)
	setString(&c.AdvertiseAddress, c.ListenAddress)
	return c
}

func setString(p *string, def string) {
	if *p == "" {
		*p = def
	}
}

func setInt[T int | int64 | time.Duration](p *T, def T) {
	if *p == 0 {
		*p = def
	}
}

// heartbeatConfig returns the heartbeat.Config of a resolved c, with
// the SQL address the node advertises.
func (c Config) heartbeatConfig(sqlAddr, version string) heartbeat.Config {
	return heartbeat.Config{
		NodeID:       c.Node.ID,
		Address:      c.AdvertiseAddress,
		SQLAddress:   sqlAddr,
		Version:      version,
		Interval:     c.Heartbeat.Interval,
		Timeout:      c.Heartbeat.Timeout,
		OfflineAfter: c.Heartbeat.OfflineAfter,
		// Every node measures the others' clocks over the direct beats.
		MaxClockOffset: c.Cluster.MaxClockOffset,
	}
}

// checkHostPort checks a host:port setting; port 0 is allowed only when
// anyPort.
func checkHostPort(setting, addr string, anyPort bool) error {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return settingErr(setting, "invalid address %q: want host:port", addr)
	}
	p, err := strconv.ParseUint(port, 10, 16)
	if err != nil {
		return settingErr(setting, "invalid port in %q", addr)
	}
	if p == 0 && !anyPort {
		return settingErr(setting, "port 0 in %q: peers need a fixed port", addr)
	}
	return nil
}

// Warnings returns the advice a resolved c deserves without being
// invalid; Start logs each.
func (c Config) Warnings() []string {
	n, rf := len(c.Cluster.Nodes), c.Cluster.ReplicationFactor
	var w []string
	if n > 1 && rf < 3 {
		w = append(w, fmt.Sprintf("cluster.replication_factor %d tolerates no node failure; use 3 or 5", rf))
	} else if n > 1 && rf%2 == 0 {
		w = append(w, fmt.Sprintf("cluster.replication_factor %d is even: it tolerates no more failures than %d; use 3 or 5", rf, rf-1))
	}
	if msg := peerTLSWarning(c); msg != "" {
		w = append(w, msg)
	}
	if c.Storage.MinFreeBytes < 0 {
		w = append(w, "storage.min_free_bytes is -1: writes are not stopped before the disk is full, and a full disk crashes the node")
	}
	return w
}
