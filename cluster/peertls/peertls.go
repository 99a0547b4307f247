package peertls

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"os"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/peer"
	"google.golang.org/grpc/status"
)

// Modes of Config.Mode.
const (
	ModeOn  = "on"
	ModeOff = "off"
)

// Config is cluster.tls.
type Config struct {
	Mode     string // on or off
	CAFile   string // the cluster's CA (PEM)
	CertFile string // this node's certificate (PEM), signed by the CA
	KeyFile  string // its key (PEM)
}

var (
	// ErrNotMember is the refusal of a caller whose certificate names no
	// member, or who claims to be a member it does not name.
	ErrNotMember = errors.New("peertls: caller is not an authenticated member")
	// errRefused is what such a caller is told: nothing about the
	// cluster.
	errRefused = status.Error(codes.Unauthenticated, "peer not authenticated")
)

// Security is a node's peer TLS: what its gRPC server and clients use,
// and how callers are identified. Safe for concurrent use.
type Security struct {
	off     bool
	server  *tls.Config
	client  *tls.Config
	members []string // host of each cluster.nodes entry; node id = index+1
}

// Load reads cfg's files and checks them against the cluster: the node
// certificate must chain to the CA, be usable as TLS server and client,
// and name self's host (self is this node's entry in nodes). Mode off
// needs no files.
func Load(cfg Config, nodes []string, self string) (*Security, error) {
	hosts := make([]string, len(nodes))
	for i, n := range nodes {
		h, _, err := net.SplitHostPort(n)
		if err != nil {
			return nil, fmt.Errorf("peertls: cluster node %q: %w", n, err)
		}
		hosts[i] = h
	}
	if cfg.Mode == ModeOff {
		return &Security{off: true, members: hosts}, nil
	}
	caPEM, err := os.ReadFile(cfg.CAFile)
	if err != nil {
		return nil, fmt.Errorf("peertls: ca_file: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(caPEM) {
		return nil, fmt.Errorf("peertls: ca_file %s holds no PEM certificate", cfg.CAFile)
	}
	pair, err := tls.LoadX509KeyPair(cfg.CertFile, cfg.KeyFile)
	if err != nil {
		return nil, fmt.Errorf("peertls: cert_file/key_file: %w", err)
	}
	leaf, err := x509.ParseCertificate(pair.Certificate[0])
	if err != nil {
		return nil, fmt.Errorf("peertls: cert_file: %w", err)
	}
	if _, err := leaf.Verify(x509.VerifyOptions{Roots: pool, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth}}); err != nil {
		return nil, fmt.Errorf("peertls: cert_file %s is not a node certificate of ca_file's CA (for server and client use): %w", cfg.CertFile, err)
	}
	selfHost, _, err := net.SplitHostPort(self)
	if err != nil {
		return nil, fmt.Errorf("peertls: advertise_address %q: %w", self, err)
	}
	if err := leaf.VerifyHostname(selfHost); err != nil {
		return nil, fmt.Errorf("peertls: cert_file %s does not name this node's host %s (its entry in cluster.nodes): %w", cfg.CertFile, selfHost, err)
	}
	s := &Security{members: hosts}
	s.server = &tls.Config{
		MinVersion:   tls.VersionTLS13, // both ends are quorumdb
		Certificates: []tls.Certificate{pair},
		ClientAuth:   tls.RequireAndVerifyClientCert,
		ClientCAs:    pool,
	}
	// The server name (to check the peer's certificate against) comes
	// from the dialed address, its entry in cluster.nodes.
	s.client = &tls.Config{
		MinVersion:   tls.VersionTLS13,
		Certificates: []tls.Certificate{pair},
		RootCAs:      pool,
	}
	return s, nil
}

// Off reports whether peer traffic is plaintext and unauthenticated.
func (s *Security) Off() bool { return s.off }

// DialOption is the transport credentials of connections to peers.
func (s *Security) DialOption() grpc.DialOption {
	if s.off {
		return grpc.WithTransportCredentials(insecure.NewCredentials())
	}
	return grpc.WithTransportCredentials(credentials.NewTLS(s.client))
}

// ServerOptions are the credentials and interceptors of the node's peer
// gRPC server: only members get through.
func (s *Security) ServerOptions() []grpc.ServerOption {
	opts := []grpc.ServerOption{
		grpc.ChainUnaryInterceptor(func(ctx context.Context, req any, _ *grpc.UnaryServerInfo, next grpc.UnaryHandler) (any, error) {
			if _, err := s.Identify(ctx); err != nil {
				return nil, errRefused
			}
			return next(ctx, req)
		}),
		grpc.ChainStreamInterceptor(func(srv any, ss grpc.ServerStream, _ *grpc.StreamServerInfo, next grpc.StreamHandler) error {
			if _, err := s.Identify(ss.Context()); err != nil {
				return errRefused
			}
			return next(srv, ss)
		}),
	}
	if !s.off {
		opts = append(opts, grpc.Creds(credentials.NewTLS(s.server)))
	}
	return opts
}

// Identify returns the node ids (1-based positions in cluster.nodes) the
// caller of a gRPC call may speak for: those whose host its verified
// certificate names. With mode off, every member.
func (s *Security) Identify(ctx context.Context) ([]uint64, error) {
	if s.off {
		ids := make([]uint64, len(s.members))
		for i := range ids {
			ids[i] = uint64(i + 1)
		}
		return ids, nil
	}
	p, ok := peer.FromContext(ctx)
	if !ok {
		return nil, ErrNotMember
	}
	info, ok := p.AuthInfo.(credentials.TLSInfo)
	if !ok || len(info.State.VerifiedChains) == 0 || len(info.State.PeerCertificates) == 0 {
		return nil, ErrNotMember
	}
	leaf := info.State.PeerCertificates[0]
	var ids []uint64
	for i, h := range s.members {
		if leaf.VerifyHostname(h) == nil {
			ids = append(ids, uint64(i+1))
		}
	}
	if len(ids) == 0 {
		return nil, ErrNotMember
	}
	return ids, nil
}

// Authorize checks that the caller may speak for member id. With mode
// off every caller may speak for anyone (even a node outside the member
// list, as a single node's test peers are).
func (s *Security) Authorize(ctx context.Context, id uint64) error {
	if s.off {
		return nil
	}
	ids, err := s.Identify(ctx)
	if err != nil {
		return err
	}
	for _, v := range ids {
		if v == id {
			return nil
		}
	}
	return fmt.Errorf("%w: its certificate does not name node %d", ErrNotMember, id)
}
