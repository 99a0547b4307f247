package sql

import (
	"context"
	"sort"
	"time"

	"github.com/quorumdb/quorumdb/kv"
	"github.com/quorumdb/quorumdb/sql/exec"
	"github.com/quorumdb/quorumdb/sql/types"
)

// virtualTable is a table computed on read: the pg_catalog and
// information_schema emulation and the operator tables such as
// cluster_node_heartbeat. Rows are produced inside the statement's
// transaction, so they are consistent with the catalog it reads.
type virtualTable struct {
	schema string
	name   string
	oid    uint32
	cols   []vcol
	rows   func(ec *execCtx) ([]exec.Row, error)
	// local, when set, produces the rows from the node's own state when
	// the keyspace has no quorum (the statement runs on a localViewTxn,
	// see localview.go); such a table can be read without a leader.
	local func(ec *execCtx) ([]exec.Row, error)
}

// vcol is a virtual table column.
type vcol struct {
	name string
	t    types.T
}

var virtualTables = map[string]*virtualTable{}

// nextVirtualOID hands out stable oids to virtual tables (below
// catalog.FirstUserID, like PostgreSQL's system catalogs).
var nextVirtualOID uint32 = 12000

// registerVirtualTable adds vt; called through registerBuiltins
// (registry.go) before any engine serves a statement.
func registerVirtualTable(vt *virtualTable) {
	if vt.oid == 0 {
		nextVirtualOID++
		vt.oid = nextVirtualOID
	}
	virtualTables[vt.schema+"."+vt.name] = vt
}

// lookupVirtualTable finds schema.name; an unqualified name is looked up
// in pg_catalog first (PostgreSQL searches it implicitly) and then in
// the quorumdb operator tables.
func lookupVirtualTable(schema, name string) *virtualTable {
	if schema != "" {
		return virtualTables[schema+"."+name]
	}
	if vt := virtualTables["pg_catalog."+name]; vt != nil {
		return vt
	}
	return virtualTables["quorumdb."+name]
}

// sortedVirtualTables lists virtual tables in a stable order.
func sortedVirtualTables() []*virtualTable {
	out := make([]*virtualTable, 0, len(virtualTables))
	for _, vt := range virtualTables {
		out = append(out, vt)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].oid < out[j].oid })
	return out
}

// virtualTablePlan scans vt. Besides its columns it has the hidden
// system column tableoid (vt's oid), which psql joins catalogs on (\dL:
// d.classoid = l.tableoid).
func (b *builder) virtualTablePlan(vt *virtualTable) exec.Node {
	cols := make([]exec.Column, len(vt.cols), len(vt.cols)+1)
	for i, c := range vt.cols {
		cols[i] = exec.Column{Name: c.name, T: c.t, Table: vt.name, TableOID: vt.oid, AttNum: int16(i + 1)}
	}
	cols = append(cols, exec.Column{Name: "tableoid", T: types.OidT, Table: vt.name, TableOID: vt.oid, AttNum: -6, Hidden: true})
	tableOID := int64(vt.oid)
	return &rowsNode{cols: cols, gen: func(ec *execCtx) ([]exec.Row, error) {
		gen := vt.rows
		if vt.local != nil && ec.localView() {
			gen = vt.local
		}
		rows, err := gen(ec)
		if err != nil {
			return nil, err
		}
		out := make([]exec.Row, len(rows))
		for i, r := range rows {
			// A fresh row: fixed tables share theirs between scans.
			out[i] = append(append(make(exec.Row, 0, len(r)+1), r...), tableOID)
		}
		return out, nil
	}}
}

// NodeStatus is one member as cluster_node_heartbeat shows it. In the
// local view, a member never heard from has only NodeID, Address and
// State (the other columns are NULL).
type NodeStatus struct {
	NodeID      int
	Address     string
	SQLAddress  string
	StartedAt   time.Time
	HeartbeatAt time.Time
	State       string
	Version     string
}

// ClusterNodesFunc reads the members' heartbeats within txn.
type ClusterNodesFunc func(ctx context.Context, txn kv.Txn) ([]NodeStatus, error)

// LocalNodesFunc returns this node's own view of the members, from the
// heartbeats its peers send it directly; it needs no quorum.
type LocalNodesFunc func() []NodeStatus

// registerVtable adds this file's relations and functions to the engine's
// registries (registry.go calls it).
func registerVtable() {
	registerVirtualTable(&virtualTable{
		schema: "quorumdb", name: "cluster_node_heartbeat",
		cols: []vcol{
			{"node_id", types.Int8}, {"address", types.Text}, {"sql_address", types.Text},
			{"started_at", types.TimestampTZ}, {"heartbeat_at", types.TimestampTZ},
			{"state", types.Text}, {"version", types.Text}, {"source", types.Text},
		},
		rows: func(ec *execCtx) ([]exec.Row, error) {
			f := ec.sess.engine.cfg.ClusterNodes
			if f == nil {
				return nil, nil
			}
			nodes, err := f(ec.Context, ec.Txn)
			if err != nil {
				return nil, err
			}
			return nodeRows(nodes, SourceCluster), nil
		},
		local: func(ec *execCtx) ([]exec.Row, error) {
			f := ec.sess.engine.cfg.LocalNodes
			if f == nil {
				return nil, nil
			}
			return nodeRows(f(), SourceLocalView), nil
		},
	})
}

// nodeRows are the rows of cluster_node_heartbeat for nodes.
func nodeRows(nodes []NodeStatus, source string) []exec.Row {
	out := make([]exec.Row, len(nodes))
	for i, n := range nodes {
		out[i] = exec.Row{int64(n.NodeID), n.Address, nullIfEmpty(n.SQLAddress), nullTime(n.StartedAt), nullTime(n.HeartbeatAt),
			n.State, nullIfEmpty(n.Version), source}
	}
	return out
}

// nullTime is t in UTC, NULL for the zero time.
func nullTime(t time.Time) types.Datum {
	if t.IsZero() {
		return nil
	}
	return t.UTC()
}

// nullIfEmpty is s, NULL for "".
func nullIfEmpty(s string) types.Datum {
	if s == "" {
		return nil
	}
	return s
}
