package dbproc

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
)

// StartQuorumdb runs `bin demo --nodes n` with its data in dir, serving
// SQL on consecutive free loopback ports from the returned Server's
// Port. Output goes to out (stderr when nil).
func StartQuorumdb(ctx context.Context, bin, dir string, nodes int, out io.Writer) (*Server, error) {
	port, err := FreePortRun(nodes)
	if err != nil {
		return nil, err
	}
	name := "quorumdb"
	if nodes > 1 {
		name = fmt.Sprintf("quorumdb (%d nodes)", nodes)
	}
	s := &Server{Name: name, Port: port, User: "postgres", DB: "quorumdb"}
	if err := s.start(ctx, output(out), bin, "demo", "--nodes", strconv.Itoa(nodes), "--sql-port", strconv.Itoa(port), "--data-dir", dir); err != nil {
		return nil, fmt.Errorf("%s: %w", bin, err)
	}
	return s, nil
}

// LeaderQuery is true on the node that leads the system partition
// (partition 0: the catalog, heartbeats and sequences).
const LeaderQuery = "select p.leader = h.address from cluster_partitions p, cluster_node_heartbeat h where h.node_id = p.node_id and p.partition_id = 0"

// Leads asks the quorumdb node at dsn whether it leads the system partition.
func Leads(ctx context.Context, dsn string) (bool, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	c, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return false, err
	}
	defer c.Close(context.Background())
	var leads *bool
	if err := c.QueryRow(ctx, LeaderQuery).Scan(&leads); err != nil {
		return false, err
	}
	return leads != nil && *leads, nil
}

// FindLeader returns the node (1..nodes) of the demo s that leads the
// keyspace, waiting up to 30 s for an election.
func FindLeader(ctx context.Context, s *Server, nodes int) (int, error) {
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); {
		for k := 1; k <= nodes; k++ {
			if ok, _ := Leads(ctx, s.DSN(s.Port+k-1)); ok {
				return k, nil
			}
		}
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
	return 0, errors.New("dbproc: no node of the demo says it leads the system partition")
}

// NonLeaderPort returns the SQL port of a node of the demo s (of nodes
// nodes) that does not lead the keyspace, and the leading node
// (1..nodes), once an election has happened and that node answers.
func NonLeaderPort(ctx context.Context, s *Server, nodes int) (port, leader int, err error) {
	if leader, err = FindLeader(ctx, s, nodes); err != nil {
		return 0, 0, err
	}
	node := leader%nodes + 1 // the next node
	port = s.Port + node - 1
	// The node may still be starting: ask until it answers.
	leads, err := Leads(ctx, s.DSN(port))
	for deadline := time.Now().Add(30 * time.Second); err != nil && time.Now().Before(deadline); {
		time.Sleep(200 * time.Millisecond)
		leads, err = Leads(ctx, s.DSN(port))
	}
	if err != nil || leads {
		return 0, 0, fmt.Errorf("dbproc: node %d of the demo leads the system partition too, or cannot tell (%v)", node, err)
	}
	return port, leader, nil
}
