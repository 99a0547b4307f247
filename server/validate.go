package server

import (
	"fmt"
	"slices"

	"github.com/quorumdb/quorumdb/cluster/replication"
	"github.com/quorumdb/quorumdb/heartbeat"
	"github.com/quorumdb/quorumdb/pgwire"
)

// The checks of Resolved, one per group of related settings, in order.
// Each may fill in a derived setting.

func checkAddresses(c *Config) error {
	// A single node may take any free peer port (tests, the demo): the
	// heartbeat row then carries the port it got. In a cluster, peers find
	// each other by cluster.nodes, so the ports must be fixed.
	single := len(c.Cluster.Nodes) == 0
	if err := checkHostPort("listen_address", c.ListenAddress, single); err != nil {
		return err
	}
	if err := checkHostPort("advertise_address", c.AdvertiseAddress, single); err != nil {
		return err
	}
	if err := checkHostPort("sql.listen_address", c.SQL.ListenAddress, true); err != nil {
		return err
	}
	if c.Admin.ListenAddress != "" {
		if err := checkHostPort("admin.listen_address", c.Admin.ListenAddress, true); err != nil {
			return err
		}
	}
	for i, a := range c.Cluster.Nodes {
		setting := fmt.Sprintf("cluster.nodes[%d]", i)
		if err := checkHostPort(setting, a, false); err != nil {
			return err
		}
		if j := slices.Index(c.Cluster.Nodes[:i], a); j >= 0 {
			return settingErr(setting, "%q is listed twice (also cluster.nodes[%d])", a, j)
		}
	}
	return nil
}

// checkIdentity derives the node id and checks that it, the advertise
// address and the node list agree: a node that is not in its own list
// would form a wrong cluster.
func checkIdentity(c *Config) error {
	nodes, id := c.Cluster.Nodes, c.Node.ID
	switch {
	case id < 0 || id > MaxNodeID:
		return settingErr("node.id", "%d is outside 1..%d", id, MaxNodeID)
	case len(nodes) == 0:
		if id == 0 {
			c.Node.ID = 1
		}
	case id != 0:
		if id > len(nodes) {
			return settingErr("node.id", "%d is beyond the %d entries of cluster.nodes", id, len(nodes))
		}
		if c.AdvertiseAddress != nodes[id-1] {
			return settingErr("advertise_address", "%q is not cluster.nodes[%d] (%q), the entry of node.id %d",
				c.AdvertiseAddress, id-1, nodes[id-1], id)
		}
	default:
		i := slices.Index(nodes, c.AdvertiseAddress)
		if i < 0 {
			return settingErr("advertise_address", "%q is not in cluster.nodes; set it (or node.id) to this node's entry", c.AdvertiseAddress)
		}
		if i+1 > MaxNodeID {
			return settingErr("cluster.nodes", "more than %d nodes", MaxNodeID)
		}
		c.Node.ID = i + 1
	}
	return nil
}

func checkCluster(c *Config) error {
	n := max(len(c.Cluster.Nodes), 1)
	rf := &c.Cluster.ReplicationFactor
	if *rf == 0 {
		*rf = n/2 + 1
	}
	switch r := c.Cluster.Replication; {
	case *rf < 1 || *rf > n:
		return settingErr("cluster.replication_factor", "%d is outside 1..%d (the number of nodes)", *rf, n)
	case c.Cluster.Partitions < 1 || c.Cluster.Partitions > MaxPartitions:
		return settingErr("cluster.partitions", "%d is outside 1..%d", c.Cluster.Partitions, MaxPartitions)
	case r.QueuesPerPeer < 1 || r.QueuesPerPeer > 1024:
		return settingErr("cluster.replication.queues_per_peer", "%d is outside 1..1024", r.QueuesPerPeer)
	case r.StatsInterval < 0:
		return settingErr("cluster.replication.stats_interval", "%s is negative", r.StatsInterval)
	case r.StuckAfter < 0:
		return settingErr("cluster.replication.stuck_after", "%s is negative", r.StuckAfter)
	case c.Cluster.UnavailableTimeout < 0:
		return settingErr("cluster.unavailable_timeout", "%s is negative", c.Cluster.UnavailableTimeout)
	case c.Cluster.MaxClockOffset < 0:
		return settingErr("cluster.max_clock_offset", "%s is negative", c.Cluster.MaxClockOffset)
	case r.PeerRetention < replication.DefaultMembershipPoll:
		return settingErr("cluster.replication.peer_retention", "%s is shorter than the membership poll (%s)", r.PeerRetention, replication.DefaultMembershipPoll)
	}
	return nil
}

func checkSQL(c *Config) error {
	s := c.SQL
	switch s.Auth {
	case pgwire.AuthTrust, pgwire.AuthCert:
	case pgwire.AuthPassword, pgwire.AuthMD5, pgwire.AuthSCRAM:
		if s.SuperuserPassword == "" {
			return settingErr("sql.superuser_password", "required when sql.auth is %s (the postgres role could not log in)", s.Auth)
		}
	default:
		return settingErr("sql.auth", "%q is not one of trust, password, md5, scram-sha-256, cert", s.Auth)
	}
	if s.MaxMessageSize < minMaxMessageSize {
		return settingErr("sql.max_message_size", "%d is below the minimum %d", s.MaxMessageSize, minMaxMessageSize)
	}
	if s.QuorumWait < 0 {
		return settingErr("sql.quorum_wait", "%s is negative", s.QuorumWait)
	}
	if s.MaxStatementMemory < -1 || s.MaxStatementMemory > 0 && s.MaxStatementMemory < 1<<20 {
		return settingErr("sql.max_statement_memory", "%d must be -1 (no bound) or at least 1 MiB", s.MaxStatementMemory)
	}
	if s.MaxConnections < 1 {
		return settingErr("sql.max_connections", "%d is below 1", s.MaxConnections)
	}
	if s.SuperuserReservedConnections < -1 || s.SuperuserReservedConnections >= s.MaxConnections {
		return settingErr("sql.superuser_reserved_connections", "%d must be -1 (none) or below sql.max_connections (%d)", s.SuperuserReservedConnections, s.MaxConnections)
	}
	return nil
}

func checkHeartbeat(c *Config) error {
	h := c.Heartbeat
	hc := heartbeat.Config{Interval: h.Interval, Timeout: h.Timeout, OfflineAfter: h.OfflineAfter}
	switch {
	case h.Interval < 0:
		return settingErr("heartbeat.interval", "%s is negative", h.Interval)
	case h.Timeout <= h.Interval:
		return settingErr("heartbeat.timeout", "%s must be greater than heartbeat.interval (%s)", h.Timeout, h.Interval)
	case h.OfflineAfter <= h.Timeout:
		return settingErr("heartbeat.offline_after", "%s must be greater than heartbeat.timeout (%s)", h.OfflineAfter, h.Timeout)
	}
	// The checks above name the setting; this one keeps them in step with
	// heartbeat's own rules.
	if err := hc.Validate(); err != nil {
		return settingErr("heartbeat", "%v", err)
	}
	return nil
}

func checkLog(c *Config) error {
	if _, err := parseLevel(c.Log.Level); err != nil {
		return settingErr("log.level", "%q is not one of debug, info, warn, error", c.Log.Level)
	}
	switch c.Log.Format {
	case "text", "json":
	default:
		return settingErr("log.format", "%q is not one of text, json", c.Log.Format)
	}
	return nil
}

func checkStorage(c *Config) error {
	if c.Storage.MinFreeBytes < -1 {
		return settingErr("storage.min_free_bytes", "%d is negative; -1 turns the guard off", c.Storage.MinFreeBytes)
	}
	return nil
}
