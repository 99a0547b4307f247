package server

import (
	"context"
	"time"

	"github.com/quorumdb/quorumdb/heartbeat"
	"github.com/quorumdb/quorumdb/kv"
	"github.com/quorumdb/quorumdb/pgwire"
	"github.com/quorumdb/quorumdb/sql"
)

// pgEngine adapts *sql.Engine to pgwire.Engine: sql's Connect returns the
// concrete *sql.Session, pgwire wants its Session interface.
type pgEngine struct{ e *sql.Engine }

var _ pgwire.Engine = pgEngine{}

// The concrete session of package sql is what production connections
// use; pgwire knows only its Session interface (and package api).
var _ pgwire.Session = (*sql.Session)(nil)

// RolePassword implements sql.Authenticator.
func (p pgEngine) RolePassword(ctx context.Context, role string) (string, bool, error) {
	return p.e.RolePassword(ctx, role)
}

// Connect implements pgwire.Engine.
func (p pgEngine) Connect(ctx context.Context, cp sql.ConnParams) (pgwire.Session, error) {
	s, err := p.e.Connect(ctx, cp)
	if err != nil {
		// Returning s here would hand pgwire a non-nil interface holding
		// a nil *sql.Session.
		return nil, err
	}
	return s, nil
}

// clusterNodes returns the sql.ClusterNodesFunc that answers
// cluster_node_heartbeat from the heartbeat rows, with states computed
// under hc at the moment of the read.
func clusterNodes(hc heartbeat.Config) sql.ClusterNodesFunc {
	return func(ctx context.Context, txn kv.Txn) ([]sql.NodeStatus, error) {
		rows, err := heartbeat.ReadAll(ctx, txn, time.Now(), hc)
		if err != nil {
			return nil, err
		}
		out := make([]sql.NodeStatus, len(rows))
		for i, r := range rows {
			out[i] = sql.NodeStatus{
				NodeID:      r.NodeID,
				Address:     r.Address,
				SQLAddress:  r.SQLAddress,
				StartedAt:   r.StartedAt,
				HeartbeatAt: r.HeartbeatAt,
				State:       r.State,
				Version:     r.Version,
			}
		}
		return out, nil
	}
}
