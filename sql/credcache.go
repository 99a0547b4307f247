package sql

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/quorumdb/quorumdb/cluster/replication"
	"github.com/quorumdb/quorumdb/kv"
	"github.com/quorumdb/quorumdb/sql/catalog"
	"github.com/quorumdb/quorumdb/sql/pgerror"
)

// Login without quorum. A session starts by reading its role (exists,
// LOGIN or SUPERUSER, the stored password for authentication) and its
// database (exists, id) from the catalog. When the keyspace has no
// leader within QuorumWait (localview.go), those reads are answered
// from credCache: what this node last read of every role and database.
// A role or database missing from it is refused with 57P03 (the node
// cannot tell whether it exists), never admitted.
//
// The cache must never admit what the cluster has since changed or
// dropped. It is filled by every login read that reached the leader and
// by RefreshCredentials (the node calls it at start, whenever
// CredentialsStale fires and periodically), and entries are dropped:
//
//   - when a transaction of this node that changed a role or database
//     commits (Session.afterCommit), before the client sees COMMIT;
//   - when a peer's "role" or "database" replication event arrives (the
//     peer committed such a change), and wholesale when a peer's events
//     may have been lost (Reset);
//   - when a login read finds the role or database gone.
//
// A fill that began before an invalidation is discarded (gen), so a
// read of the old value finishing late cannot put it back. The window
// that remains: a change committed elsewhere whose event had not reached
// this node when it lost its quorum, and that no refresh read either —
// at most the node's refresh interval, normally the milliseconds an
// event takes. The cache is in memory only: a node restarted while it
// has no quorum admits nobody until the keyspace answers again.

// credCache holds the login data of every role and database as this
// node last read it. It is safe for concurrent use (mu); its size is the
// catalog's (a read finding no role stores nothing).
type credCache struct {
	mu sync.Mutex
	// gen counts invalidations; roles and dbs are the entries. Guarded
	// by mu.
	gen   uint64
	roles map[string]catalog.Role
	dbs   map[string]catalog.Database
	// stale is kicked (buffered 1, never blocking) by every
	// invalidation: the node refreshes the cache when it fires.
	stale chan struct{}
}

func newCredCache() credCache {
	return credCache{roles: map[string]catalog.Role{}, dbs: map[string]catalog.Database{}, stale: make(chan struct{}, 1)}
}

// token is taken before a read that will fill the cache; a fill with a
// token older than the latest invalidation is dropped.
func (c *credCache) token() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

// putRole stores what a read begun at tok found of role name (nil: no
// such role, the entry goes). It reports whether the cache took it.
func (c *credCache) putRole(tok uint64, name string, r *catalog.Role) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if tok != c.gen {
		return false
	}
	if r == nil {
		delete(c.roles, name)
	} else {
		c.roles[name] = *r
	}
	return true
}

// putDatabase is putRole for database name.
func (c *credCache) putDatabase(tok uint64, name string, d *catalog.Database) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if tok != c.gen {
		return false
	}
	if d == nil {
		delete(c.dbs, name)
	} else {
		c.dbs[name] = *d
	}
	return true
}

// replace stores a complete read of every role and database begun at
// tok, dropping what it does not list.
func (c *credCache) replace(tok uint64, roles []catalog.Role, dbs []catalog.Database) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if tok != c.gen {
		return false
	}
	c.roles = make(map[string]catalog.Role, len(roles))
	for _, r := range roles {
		c.roles[r.Name] = r
	}
	c.dbs = make(map[string]catalog.Database, len(dbs))
	for _, d := range dbs {
		c.dbs[d.Name] = d
	}
	return true
}

// role returns the cached role name.
func (c *credCache) role(name string) (catalog.Role, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	r, ok := c.roles[name]
	return r, ok
}

// database returns the cached database name.
func (c *credCache) database(name string) (catalog.Database, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	d, ok := c.dbs[name]
	return d, ok
}

// invalidateRole drops role name: it changed.
func (c *credCache) invalidateRole(name string) {
	c.mu.Lock()
	c.gen++
	delete(c.roles, name)
	c.mu.Unlock()
	c.kick()
}

// invalidateDatabase drops database name: it changed.
func (c *credCache) invalidateDatabase(name string) {
	c.mu.Lock()
	c.gen++
	delete(c.dbs, name)
	c.mu.Unlock()
	c.kick()
}

// invalidateAll drops everything: changes may have been missed.
func (c *credCache) invalidateAll() {
	c.mu.Lock()
	c.gen++
	c.roles = map[string]catalog.Role{}
	c.dbs = map[string]catalog.Database{}
	c.mu.Unlock()
	c.kick()
}

func (c *credCache) kick() {
	select {
	case c.stale <- struct{}{}:
	default:
	}
}

// RefreshCredentials reads every role and database in one transaction
// and makes them the cached login data (see credcache.go). It waits for
// the keyspace's leader as any transaction does (bound it with ctx); on
// error the cache keeps what it had.
func (e *Engine) RefreshCredentials(ctx context.Context) error {
	tok := e.creds.token()
	var roles []catalog.Role
	var dbs []catalog.Database
	err := e.withReadTxn(ctx, func(c *catalog.Txn) error {
		var err error
		if roles, err = c.Roles(ctx); err != nil {
			return err
		}
		dbs, err = c.Databases(ctx)
		return err
	})
	if err != nil {
		return fmt.Errorf("sql: refreshing the cached credentials: %w", err)
	}
	if e.creds.replace(tok, roles, dbs) {
		e.credsRefreshed.Store(time.Now().UnixNano())
	}
	return nil
}

// CredentialsRefreshedAt is when RefreshCredentials last stored a
// complete read of the roles and databases (the zero time before): the
// cached login data reflects every change committed before its read.
func (e *Engine) CredentialsRefreshedAt() time.Time {
	ns := e.credsRefreshed.Load()
	if ns == 0 {
		return time.Time{}
	}
	return time.Unix(0, ns)
}

// CredentialsStale fires (a buffered channel of one) after cached login
// data was dropped: the owner of the refresh loop should call
// RefreshCredentials.
func (e *Engine) CredentialsStale() <-chan struct{} { return e.creds.stale }

// loginRead runs f in a read-only transaction bounded, Begin and reads
// together, by QuorumWait. It returns a *noQuorumError when the leader
// could not be reached in that time, so the caller can use the cache.
func (e *Engine) loginRead(ctx context.Context, f func(ctx context.Context, c *catalog.Txn) error) error {
	wait := e.quorumWait()
	qctx, cancel := context.WithTimeoutCause(ctx, wait, errQuorumWait)
	defer cancel()
	txn, err := e.beginWithin(ctx, qctx, wait, kv.TxnOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer txn.Rollback()
	err = f(qctx, &catalog.Txn{KV: txn, Cache: &e.descs})
	if err != nil && noLeader(ctx, qctx, err) {
		e.quorum.failed(time.Now(), wait, err)
		return &noQuorumError{wait: wait, cause: err}
	}
	return err
}

// noCachedLogin is the refusal of a login that needs data the cache does
// not hold while the keyspace has no quorum.
func (e *Engine) noCachedLogin(nq *noQuorumError, format string, args ...any) error {
	return pgerror.New(pgerror.CannotConnectNow, "node %d has no quorum and %s", e.cfg.NodeID, fmt.Sprintf(format, args...)).
		WithDetail("%s", nq.Error()).
		WithHint("Connect to a node of the majority, or retry once a majority of the keyspace's replicas is back.")
}

// cachedLoginWarning is the warning a session opened from the cached
// login data starts with.
func (e *Engine) cachedLoginWarning(nq *noQuorumError) *pgerror.Error {
	return &pgerror.Error{
		Severity: "WARNING",
		Code:     pgerror.Warning,
		Message:  fmt.Sprintf("node %d has no quorum: logged in with the credentials it last read from the cluster", e.cfg.NodeID),
		Detail:   nq.Error(),
		Hint: "Only cluster_node_heartbeat and cluster_partitions answer (from this node's local view) " +
			"until a majority of the keyspace's replicas is back; other statements fail.",
	}
}

// KindRole is the replication event kind of a role change: Key is the
// role's name. KindDatabase is a database's (Key its name). Receivers
// drop the cached login data of that name.
const (
	KindRole     = "role"
	KindDatabase = "database"
)

// CredentialHandler returns the handler the node registers for KindRole
// and KindDatabase events: it drops peers' changed roles and databases
// from this engine's cached login data (and everything on Reset).
func (e *Engine) CredentialHandler(logger *slog.Logger) replication.Handler {
	return &credentialHandler{engine: e, logger: logger}
}

type credentialHandler struct {
	engine *Engine
	logger *slog.Logger
}

var _ replication.Resetter = (*credentialHandler)(nil)

// Apply implements replication.Handler. Dropping is always safe, so
// versions are not compared.
func (h *credentialHandler) Apply(_ context.Context, ev replication.Event) error {
	switch ev.Kind {
	case KindRole:
		h.engine.creds.invalidateRole(ev.Key)
	case KindDatabase:
		h.engine.creds.invalidateDatabase(ev.Key)
	default:
		h.logger.Warn("sql: ignoring an event of an unknown kind", "kind", ev.Kind, "origin", ev.Origin)
	}
	return nil
}

// Reset implements replication.Resetter: origin's events may have been
// lost, so no cached login data is trusted.
func (h *credentialHandler) Reset(_ context.Context, origin int) error {
	h.logger.Info("sql: dropping the cached credentials: a peer's events may have been lost", "origin", origin)
	h.engine.creds.invalidateAll()
	return nil
}

// errorsAsNoQuorum is errors.As for *noQuorumError.
func errorsAsNoQuorum(err error) (*noQuorumError, bool) {
	var nq *noQuorumError
	ok := errors.As(err, &nq)
	return nq, ok
}
