package server

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"

	"github.com/quorumdb/quorumdb/cluster/multiraft/multiraftpb"
	"github.com/quorumdb/quorumdb/heartbeat/heartbeatpb"
	"github.com/quorumdb/quorumdb/internal/certs"
	"github.com/quorumdb/quorumdb/kv/remote/kvpb"
)

// Tests of the peer port as a door (cluster.tls): only a caller with a
// certificate of the cluster's CA naming a member gets in, and it speaks
// only for the members its certificate names.

// loopbackPeers reserves a free port on each of 127.0.0.1..127.0.0.n,
// so that every node has a host of its own (Linux routes all of
// 127.0.0.0/8 to loopback).
func loopbackPeers(t *testing.T, n int) []string {
	t.Helper()
	addrs := make([]string, n)
	for i := range addrs {
		l, err := net.Listen("tcp", net.JoinHostPort(net.IPv4(127, 0, 0, byte(i+1)).String(), "0"))
		if err != nil {
			t.Skipf("no loopback address 127.0.0.%d here: %v", i+1, err)
		}
		addrs[i] = l.Addr().String()
		defer l.Close()
	}
	return addrs
}

// peerClient dials addr with tlsCfg (nil: plaintext).
func peerClient(t *testing.T, addr string, tlsCfg *tls.Config) *grpc.ClientConn {
	t.Helper()
	creds := insecure.NewCredentials()
	if tlsCfg != nil {
		creds = credentials.NewTLS(tlsCfg)
	}
	cc, err := grpc.NewClient(addr, grpc.WithTransportCredentials(creds))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cc.Close() })
	return cc
}

// clientTLS loads a certificate and trusts the CA in caFile.
func clientTLS(t *testing.T, caFile, certFile, keyFile string) *tls.Config {
	t.Helper()
	pem, err := os.ReadFile(caFile)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	cfg := &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS13}
	if certFile != "" {
		pair, err := tls.LoadX509KeyPair(certFile, keyFile)
		if err != nil {
			t.Fatal(err)
		}
		cfg.Certificates = []tls.Certificate{pair}
	}
	return cfg
}

// openTxn tries to open a kv transaction on the node at addr (what
// reading every row starts with).
func openTxn(cc *grpc.ClientConn) error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	st, err := kvpb.NewKVClient(cc).Txn(ctx)
	if err != nil {
		return err
	}
	if err := st.Send(&kvpb.Request{Op: kvpb.Op_OP_BEGIN}); err != nil {
		_, err = st.Recv()
		return err
	}
	_, err = st.Recv()
	return err
}

func TestPeerPortAdmitsOnlyMembers(t *testing.T) {
	peers := loopbackPeers(t, 3)
	files := peerCerts(t, peers)
	cfgs := make([]Config, 3)
	for i := range cfgs {
		c := testConfig(t)
		c.ListenAddress, c.AdvertiseAddress = peers[i], peers[i]
		c.Cluster.Nodes = peers
		c.Cluster.ReplicationFactor = 3
		c.Cluster.TLS = PeerTLSConfig{Mode: "on", CAFile: files[i].CAFile, CertFile: files[i].CertFile, KeyFile: files[i].KeyFile}
		cfgs[i] = c
	}
	nodes := startCluster(t, cfgs)
	leader := nodes[leaderOf(t, nodes)]
	target := leader.cfg.AdvertiseAddress

	// A member's certificate opens a transaction: the door works.
	member := (leaderOf(t, nodes) + 1) % 3
	if err := openTxn(peerClient(t, target, clientTLS(t, files[member].CAFile, files[member].CertFile, files[member].KeyFile))); err != nil {
		t.Fatalf("a member's transaction: %v", err)
	}

	// No TLS at all, and TLS without a client certificate: no handshake.
	for what, cfg := range map[string]*tls.Config{
		"plaintext":                nil,
		"TLS without certificate":  clientTLS(t, files[0].CAFile, "", ""),
		"another CA's certificate": foreignCert(t, files[0].CAFile),
	} {
		err := openTxn(peerClient(t, target, cfg))
		if err == nil {
			t.Fatalf("%s: a transaction opened on the leader", what)
		}
		if code := status.Code(err); code != codes.Unavailable {
			t.Fatalf("%s: %v, want the connection refused (Unavailable)", what, err)
		}
		t.Logf("%s: refused: %v", what, err)
	}

	// The cluster's CA, but a host that is no member: refused, with
	// nothing about the cluster in the answer.
	outsider := issue(t, files[0].CAFile, "127.0.0.99")
	err := openTxn(peerClient(t, target, outsider))
	if status.Code(err) != codes.Unauthenticated {
		t.Fatalf("non-member certificate: %v, want Unauthenticated", err)
	}
	for _, leak := range append(append([]string{}, peers...), "replication", "node") {
		if strings.Contains(status.Convert(err).Message(), leak) {
			t.Fatalf("the refusal %q reveals %q", status.Convert(err).Message(), leak)
		}
	}

	// A member speaks only for itself: node 2's certificate claiming to
	// be node 1 on a raft stream, or in a heartbeat, is refused.
	as2 := peerClient(t, peers[2], clientTLS(t, files[1].CAFile, files[1].CertFile, files[1].KeyFile))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	rs, err := multiraftpb.NewMultiRaftClient(as2).Send(ctx)
	if err != nil {
		t.Fatal(err)
	}
	_ = rs.Send(&multiraftpb.Batch{Header: &multiraftpb.Header{From: 1, To: 3, Nodes: peers, ReplicationFactor: 3, Partitions: int64(DefaultPartitions), Version: Version}})
	if _, err := rs.CloseAndRecv(); status.Code(err) != codes.PermissionDenied {
		t.Fatalf("raft stream from node 2 claiming to be node 1: %v, want PermissionDenied", err)
	}
	if _, err := heartbeatpb.NewHeartbeatClient(as2).Exchange(ctx, &heartbeatpb.Beat{NodeId: 1, Address: peers[0], Target: 3}); status.Code(err) != codes.PermissionDenied {
		t.Fatalf("heartbeat from node 2 claiming to be node 1: %v, want PermissionDenied", err)
	}
	// The cluster still works.
	conn := connect(t, nodes[0])
	mustExec(t, conn, "create table t (id int primary key)")
	mustExec(t, conn, "insert into t values (1)")
}

// foreignCert is a client configuration with a certificate of another
// CA (trusting the cluster's CA for the server).
func foreignCert(t *testing.T, clusterCA string) *tls.Config {
	t.Helper()
	f, err := certs.ForCluster(t.TempDir(), []string{"127.0.0.2:1"}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return clientTLS(t, clusterCA, f[0].CertFile, f[0].KeyFile)
}

// issue signs a certificate for host with the CA whose ca.key lies
// next to the CA certificate's directory (certs.ForCluster's layout).
func issue(t *testing.T, caFile, host string) *tls.Config {
	t.Helper()
	caDir := filepath.Join(filepath.Dir(filepath.Dir(caFile)), "ca")
	ca, err := certs.LoadCA(filepath.Join(caDir, certs.CACertFile), filepath.Join(caDir, certs.CAKeyFile))
	if err != nil {
		t.Fatal(err)
	}
	certPEM, keyPEM, err := ca.IssueNode([]string{host}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	pair, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		t.Fatal(err)
	}
	cfg := clientTLS(t, caFile, "", "")
	cfg.Certificates = []tls.Certificate{pair}
	return cfg
}

func TestPeerTLSSettings(t *testing.T) {
	peers := []string{"10.0.0.1:7433", "10.0.0.2:7433", "10.0.0.3:7433"}
	base := func() Config {
		c := testConfig(t)
		c.ListenAddress, c.AdvertiseAddress = peers[0], peers[0]
		c.Cluster.Nodes = peers
		return c
	}
	files := peerCerts(t, peers)
	for _, tc := range []struct {
		name    string
		edit    func(*Config)
		setting string // "" when valid
	}{
		{"cluster without certificates", func(c *Config) {}, "cluster.tls.ca_file"},
		{"off on a network", func(c *Config) { c.Cluster.TLS.Mode = "off" }, "cluster.tls.mode"},
		{"unknown mode", func(c *Config) { c.Cluster.TLS.Mode = "maybe" }, "cluster.tls.mode"},
		{"another node's certificate", func(c *Config) {
			c.Cluster.TLS = PeerTLSConfig{Mode: "on", CAFile: files[1].CAFile, CertFile: files[1].CertFile, KeyFile: files[1].KeyFile}
		}, "cluster.tls"},
		{"own certificate", func(c *Config) {
			c.Cluster.TLS = PeerTLSConfig{Mode: "on", CAFile: files[0].CAFile, CertFile: files[0].CertFile, KeyFile: files[0].KeyFile}
		}, ""},
		{"single node on a network without certificates", func(c *Config) {
			c.Cluster.Nodes = nil
		}, "cluster.tls.ca_file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := base()
			tc.edit(&c)
			err := c.Validate()
			switch {
			case tc.setting == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tc.setting != "" && (err == nil || !strings.Contains(err.Error(), tc.setting)):
				t.Fatalf("got %v, want an error naming %s", err, tc.setting)
			}
		})
	}
	// Off on loopback is allowed, with a warning at every start.
	c := testConfig(t)
	lo := []string{"127.0.0.1:7433", "127.0.0.1:7434"}
	c.ListenAddress, c.AdvertiseAddress, c.Cluster.Nodes = lo[0], lo[0], lo
	c.Cluster.TLS.Mode = "off"
	rc, err := c.Resolved()
	if err != nil {
		t.Fatalf("off on loopback: %v", err)
	}
	if w := strings.Join(rc.Warnings(), "\n"); !strings.Contains(w, "cluster.tls.mode is off") {
		t.Fatalf("no warning for peer TLS off: %q", w)
	}
}
