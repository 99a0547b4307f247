package server

import (
	"fmt"
	"net"

	"github.com/quorumdb/quorumdb/cluster/peertls"
)

// PeerTLSConfig is cluster.tls: mutual TLS between the nodes of a
// cluster (cluster/peertls).
type PeerTLSConfig struct {
	// Mode is on (the default: peers authenticate each other with
	// certificates signed by CAFile) or off (plaintext, every caller
	// trusted: only where every node and listen_address are loopback).
	Mode string `yaml:"mode"`
	// CAFile is the cluster's CA certificate (PEM); CertFile and KeyFile
	// this node's certificate, which must name the host of its entry in
	// cluster.nodes, and its key. Required in a cluster unless Mode is
	// off (`quorumdb cert` makes them).
	CAFile   string `yaml:"ca_file"`
	CertFile string `yaml:"cert_file"`
	KeyFile  string `yaml:"key_file"`
}

// DefaultPeerTLSMode: peers authenticate each other.
const DefaultPeerTLSMode = peertls.ModeOn

// checkPeerTLS checks cluster.tls and loads its files, so that a missing,
// malformed or foreign certificate stops the start with the setting
// named. A cluster needs certificates unless the mode is off, and off is
// refused unless every node address and listen_address are loopback. A
// single node has no peers: without files it keeps its peer port on
// loopback.
func checkPeerTLS(c *Config) error {
	t := c.Cluster.TLS
	files := t.CAFile != "" || t.CertFile != "" || t.KeyFile != ""
	switch t.Mode {
	case peertls.ModeOff:
		if files {
			return settingErr("cluster.tls.mode", "off while certificate files are set; remove them or use on")
		}
		for _, addr := range append([]string{c.ListenAddress}, c.Cluster.Nodes...) {
			if !loopbackAddr(addr) {
				return settingErr("cluster.tls.mode", "off is allowed only when every node and listen_address are loopback addresses (%s is not): peers must authenticate each other over a network", addr)
			}
		}
		return nil
	case peertls.ModeOn:
	default:
		return settingErr("cluster.tls.mode", "%q is not one of on, off", t.Mode)
	}
	if !files && len(c.Cluster.Nodes) <= 1 {
		if !loopbackAddr(c.ListenAddress) {
			return settingErr("cluster.tls.ca_file", "required for a peer port on a non-loopback listen_address (%s); make certificates with `quorumdb cert`", c.ListenAddress)
		}
		return nil
	}
	for _, f := range []struct{ setting, v string }{
		{"cluster.tls.ca_file", t.CAFile}, {"cluster.tls.cert_file", t.CertFile}, {"cluster.tls.key_file", t.KeyFile},
	} {
		if f.v == "" {
			return settingErr(f.setting, "required: the nodes of a cluster authenticate each other with certificates (make them with `quorumdb cert`), or set cluster.tls.mode: off on a cluster whose nodes are all on loopback")
		}
	}
	if _, err := c.peerSecurity(); err != nil {
		return settingErr("cluster.tls", "%v", err)
	}
	return nil
}

// peerSecurity loads the node's peer TLS (cluster.tls) for its peer
// server and clients: plaintext for a single node without certificates
// (loopback, checkPeerTLS) and for mode off.
func (c Config) peerSecurity() (*peertls.Security, error) {
	t := c.Cluster.TLS
	nodes := c.Cluster.Nodes
	self := c.AdvertiseAddress
	if len(nodes) == 0 {
		nodes = []string{self}
	}
	mode := t.Mode
	if t.CAFile == "" && len(c.Cluster.Nodes) <= 1 {
		mode = peertls.ModeOff
	}
	return peertls.Load(peertls.Config{Mode: mode, CAFile: t.CAFile, CertFile: t.CertFile, KeyFile: t.KeyFile}, nodes, self)
}

// loopbackAddr says whether host:port names a loopback address.
func loopbackAddr(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// peerTLSWarning is logged at every start of a cluster without peer TLS.
func peerTLSWarning(c Config) string {
	if len(c.Cluster.Nodes) > 1 && c.Cluster.TLS.Mode == peertls.ModeOff {
		return fmt.Sprintf("cluster.tls.mode is off: traffic between the %d nodes is neither encrypted nor authenticated (allowed on loopback only)", len(c.Cluster.Nodes))
	}
	return ""
}
