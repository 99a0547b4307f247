package sql

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/quorumdb/quorumdb/kv"
	"github.com/quorumdb/quorumdb/sql/catalog"
	"github.com/quorumdb/quorumdb/sql/kverror"
	"github.com/quorumdb/quorumdb/sql/password"
	"github.com/quorumdb/quorumdb/sql/pgerror"
)

// Config configures an Engine.
type Config struct {
	// DB is the transactional store every statement runs on.
	DB kv.DB
	// OnTable, when set, sees every table descriptor the engine decodes
	// or writes before any key of the table is built
	// (catalog.Cache.OnTable; the partitioned keyspace registers the
	// table's index routes from it: IndexRoutes).
	OnTable func(*catalog.Table)
	// NodeID is this node's id (cluster_node_heartbeat, row ids, logs).
	NodeID int
	// Version is the quorumdb version reported by version().
	Version string
	// Logger receives the engine's logs; nil means slog.Default().
	Logger *slog.Logger
	// ClusterNodes answers cluster_node_heartbeat; nil shows no rows.
	ClusterNodes ClusterNodesFunc
	// LocalNodes answers cluster_node_heartbeat when the keyspace has no
	// quorum (source 'local view'): this node's own view of the members;
	// nil shows no rows then.
	LocalNodes LocalNodesFunc
	// QuorumWait bounds how long a login and a statement on the operator
	// tables with a local view wait for the keyspace's leader before they
	// use this node's last known credentials or its local view (see
	// localview.go). Default DefaultQuorumWait.
	QuorumWait time.Duration
	// SuperuserPassword, when set, is the postgres role's password
	// (password and md5 authentication).
	SuperuserPassword string
	// OnCatalogChange, when set, is called after a transaction that
	// changed descriptors commits, with one event per descriptor (see
	// catalog.Event); the node turns them into replication events. It runs
	// on the committing session's goroutine before the client sees the
	// commit, so it must be quick (a local enqueue). Never called for a
	// transaction that rolled back.
	OnCatalogChange CatalogChangeFunc
	// ReplicationQueues answers cluster_replication_queues; nil shows no
	// rows.
	ReplicationQueues ReplicationQueuesFunc
	// Partitions answers cluster_partitions; nil shows no rows.
	Partitions PartitionsFunc
	// SSL reports that the server accepts TLS connections: SHOW ssl is on.
	SSL bool
	// MaxStatementMemory bounds the rows one statement holds at once
	// (sorts, hash joins, groups, materialised subqueries; membudget.go):
	// past it the statement fails with 53200. 0: no bound.
	MaxStatementMemory int64
	// ServingCheck, when set, is asked before every login and statement:
	// while it returns an error the node does not serve, and the login or
	// statement fails with 57P03 saying why (a clock too far from the
	// cluster's, see heartbeat.ClockMonitor).
	ServingCheck func() error
	// MaxConnections and ReservedConnections are what SHOW
	// max_connections and superuser_reserved_connections report (pgwire
	// enforces them); 0 leaves PostgreSQL's defaults, 100 and 3.
	MaxConnections, ReservedConnections int
}

// Engine is the SQL layer of one node: it owns the catalog cache and
// creates Sessions. It is safe for concurrent use.
type Engine struct {
	cfg     Config
	started time.Time
	// descs caches decoded descriptors (see catalog.Cache).
	descs catalog.Cache
	// descInvalidations counts descriptor events applied from peers.
	descInvalidations atomic.Uint64
	// quorum remembers a recent failure to reach the keyspace's leader
	// (localview.go); creds the login data last read (credcache.go).
	quorum quorumGate
	creds  credCache
	// credsRefreshed is the UnixNano of the last complete refresh of
	// creds (0: none).
	credsRefreshed atomic.Int64

	rowIDMu   sync.Mutex
	lastRowID int64

	// bootID tells this incarnation of the node from earlier ones, whose
	// temporary schemas are orphans.
	bootID uint64
	// sessionIDs numbers sessions; liveTemp holds the sessions that own
	// a temporary schema (see tempschema.go).
	sessionIDs atomic.Uint64
	tempMu     sync.Mutex
	liveTemp   map[uint64]bool
}

// NewEngine returns an engine on cfg.DB, creating the system catalog
// (databases postgres and quorumdb, role postgres) on first start.
func NewEngine(ctx context.Context, cfg Config) (*Engine, error) {
	registerBuiltins()
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.DB == nil {
		return nil, fmt.Errorf("sql: Config.DB is required")
	}
	if err := bootstrap(ctx, cfg.DB); err != nil {
		return nil, fmt.Errorf("sql: bootstrapping the catalog: %w", err)
	}
	e := &Engine{cfg: cfg, started: time.Now(), liveTemp: map[uint64]bool{}, creds: newCredCache()}
	e.descs.OnTable = cfg.OnTable
	e.bootID = uint64(e.started.UnixNano())
	// Sessions of an earlier incarnation of this node are gone: their
	// temporary schemas go too.
	e.sweepOrphanTempSchemas(ctx, 0)
	if cfg.SuperuserPassword != "" {
		if err := e.setSuperuserPassword(ctx, cfg.SuperuserPassword); err != nil {
			return nil, fmt.Errorf("sql: setting the superuser password: %w", err)
		}
	}
	return e, nil
}

func (e *Engine) setSuperuserPassword(ctx context.Context, pw string) error {
	// Every node sets it at start, all at once on a fresh cluster: the
	// losers of the race retry and find the verifier already right. A
	// cached postgres role is stale after the commit.
	defer e.creds.invalidateRole("postgres")
	return retryOnConflict(ctx, e.cfg.DB, func(ctx context.Context, txn kv.Txn) error {
		c := &catalog.Txn{KV: txn}
		r, err := c.Role(ctx, "postgres")
		if err != nil || r == nil {
			return err
		}
		if password.Verify(r.Password, r.Name, pw) && password.KindOf(r.Password) != password.Plain {
			return nil // unchanged; keep the verifier (and its salt)
		}
		if r.Password, err = password.Encrypt(password.MethodSCRAM, r.Name, pw); err != nil {
			return err
		}
		return c.PutJSON(ctx, catalog.RoleKey("postgres"), r)
	})
}

// withReadTxn runs f in a read-only transaction.
func (e *Engine) withReadTxn(ctx context.Context, f func(c *catalog.Txn) error) error {
	txn, err := e.cfg.DB.Begin(ctx, kv.TxnOptions{ReadOnly: true})
	if err != nil {
		return kverror.AsSQL(err)
	}
	defer txn.Rollback()
	return f(&catalog.Txn{KV: txn, Cache: &e.descs})
}

// Connect opens a session for p.User on p.Database: 3D000 when the
// database does not exist, 28000 when the role does not. When the
// keyspace has no leader within QuorumWait, the role and database come
// from the cached login data (credcache.go), and what it lacks is
// refused with 57P03; the session then starts with a warning saying so.
func (e *Engine) Connect(ctx context.Context, p ConnParams) (*Session, error) {
	if err := e.refusal(); err != nil {
		return nil, err
	}
	if p.Database == "" {
		p.Database = p.User
	}
	tok := e.creds.token()
	var r *catalog.Role
	var db *catalog.Database
	canConnect := true
	err := e.loginRead(ctx, func(ctx context.Context, c *catalog.Txn) error {
		var err error
		if r, err = c.Role(ctx, p.User); err != nil {
			return err
		}
		if db, err = c.Database(ctx, p.Database); err != nil || r == nil || db == nil {
			return err
		}
		canConnect, err = mayConnect(ctx, c, p.User, db)
		return err
	})
	nq, cached := errorsAsNoQuorum(err)
	switch {
	case cached:
		cr, ok := e.creds.role(p.User)
		if !ok {
			return nil, e.noCachedLogin(nq, "no cached credentials for role %q", p.User)
		}
		cd, ok := e.creds.database(p.Database)
		if !ok {
			return nil, e.noCachedLogin(nq, "database %q is not in its cached catalog", p.Database)
		}
		r, db = &cr, &cd
		canConnect, _ = mayConnect(ctx, nil, p.User, db)
	case err != nil:
		return nil, err
	default:
		e.creds.putRole(tok, p.User, r)
		e.creds.putDatabase(tok, p.Database, db)
	}
	switch {
	case r == nil:
		return nil, pgerror.New(pgerror.InvalidAuthorizationSpecification, "role %q does not exist", p.User)
	case !r.Login && !r.Superuser:
		return nil, pgerror.New(pgerror.InvalidAuthorizationSpecification, "role %q is not permitted to log in", p.User)
	case db == nil:
		return nil, pgerror.New(pgerror.InvalidCatalogName, "database %q does not exist", p.Database)
	case !canConnect && !r.Superuser:
		return nil, pgerror.New(pgerror.InsufficientPrivilege, "permission denied for database %q", p.Database).
			WithDetail("User does not have CONNECT privilege.")
	case p.ReservedSlot && !r.Superuser:
		return nil, pgerror.New(pgerror.TooManyConnections, "remaining connection slots are reserved for non-replication superuser connections")
	}
	vars, err := newSessionVars(p.User, p.Options)
	if err != nil {
		return nil, err
	}
	if e.cfg.SSL {
		vars.values["ssl"] = "on"
	}
	if !r.Superuser {
		vars.values["is_superuser"] = "off"
	}
	if e.cfg.MaxConnections > 0 {
		vars.values["max_connections"] = strconv.Itoa(e.cfg.MaxConnections)
		vars.values["superuser_reserved_connections"] = strconv.Itoa(e.cfg.ReservedConnections)
	}
	s := &Session{engine: e, params: p, user: p.User, dbName: db.Name, dbID: db.ID, vars: vars, id: e.sessionIDs.Add(1)}
	if cached {
		e.cfg.Logger.Info("sql: session opened from cached credentials: the keyspace has no quorum",
			"user", p.User, "database", p.Database, "err", nq)
		s.startupNotices = []*pgerror.Error{e.cachedLoginWarning(nq)}
	}
	return s, nil
}

// refusal is the error of a login or statement while ServingCheck says
// the node must not serve.
func (e *Engine) refusal() error {
	if e.cfg.ServingCheck == nil {
		return nil
	}
	if err := e.cfg.ServingCheck(); err != nil {
		return pgerror.New(pgerror.CannotConnectNow, "this node is not serving: %v", err).
			WithHint("Fix the node's clock (NTP); it serves again once its clock agrees with the cluster's. Connect to another node meanwhile.")
	}
	return nil
}

// RolePassword implements Authenticator. When the keyspace has no
// leader within QuorumWait, the password is the cached one
// (credcache.go); a role the cache does not hold is refused with 57P03.
func (e *Engine) RolePassword(ctx context.Context, role string) (string, bool, error) {
	tok := e.creds.token()
	var r *catalog.Role
	err := e.loginRead(ctx, func(ctx context.Context, c *catalog.Txn) error {
		var err error
		r, err = c.Role(ctx, role)
		return err
	})
	if nq, ok := errorsAsNoQuorum(err); ok {
		cr, ok := e.creds.role(role)
		if !ok {
			return "", false, e.noCachedLogin(nq, "no cached credentials for role %q", role)
		}
		return cr.Password, true, nil
	}
	if err != nil {
		return "", false, err
	}
	e.creds.putRole(tok, role, r)
	if r == nil {
		return "", false, nil
	}
	return r.Password, true, nil
}

var _ Authenticator = (*Engine)(nil)

// afterCommit is called after every successful commit; cache
// invalidation hooks attach here.
func (e *Engine) afterCommit() {}

// uniqueRowID returns a row id for tables without a primary key: the
// current time in microseconds, made strictly increasing on this node,
// with the node id in the low bits so nodes never collide.
func (e *Engine) uniqueRowID() int64 {
	e.rowIDMu.Lock()
	defer e.rowIDMu.Unlock()
	now := time.Now().UnixMicro()
	if now <= e.lastRowID {
		now = e.lastRowID + 1
	}
	e.lastRowID = now
	return now<<10 | int64(e.cfg.NodeID&0x3ff)
}

// bootstrap creates the initial catalog when the store is empty.
//
// Nodes of a fresh cluster start at once on the one keyspace: each tries,
// the kv layer lets exactly one creation commit (the others' reads of
// keyBootstrap conflict with its write), and the others retry and find
// the catalog there.
func bootstrap(ctx context.Context, db kv.DB) error {
	return retryOnConflict(ctx, db, catalog.Bootstrap)
}

// retryOnConflict runs f in a fresh read-write transaction and commits
// it, again after a backoff while the commit fails with a serialization
// conflict: the startup writes every node makes to the shared catalog
// (bootstrap, the superuser password) race with the same writes of the
// other nodes.
func retryOnConflict(ctx context.Context, db kv.DB, f func(context.Context, kv.Txn) error) error {
	for attempt := 0; ; attempt++ {
		txn, err := db.Begin(ctx, kv.TxnOptions{})
		if err != nil {
			return err
		}
		err = f(ctx, txn)
		if err == nil {
			err = txn.Commit(ctx)
		}
		txn.Rollback()
		if err == nil || !kverror.Retryable(err) || attempt >= maxImplicitRetries {
			return err
		}
		if err := backoff(ctx, attempt); err != nil {
			return err
		}
	}
}
