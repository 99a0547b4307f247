package api

import (
	"sort"
	"time"

	"github.com/quorumdb/quorumdb/sql/pgerror"
)

// PreparedStatements are a session's named prepared statements. As in
// PostgreSQL, the protocol's Parse/Close and SQL's PREPARE/DEALLOCATE
// share them: a statement prepared one way can be executed the other.
// The unnamed statement ("") lives here too but only the protocol can
// name it.
type PreparedStatements struct {
	byName map[string]*namedStatement
}

// namedStatement is one entry, with what pg_prepared_statements shows.
type namedStatement struct {
	ps      *PreparedStatement
	query   string
	at      time.Time
	fromSQL bool
}

// Get returns the statement called name.
func (r *PreparedStatements) Get(name string) (*PreparedStatement, bool) {
	e, ok := r.byName[name]
	if !ok {
		return nil, false
	}
	return e.ps, true
}

// Lookup is Get with PostgreSQL's error for a missing statement.
func (r *PreparedStatements) Lookup(name string) (*PreparedStatement, error) {
	if ps, ok := r.Get(name); ok {
		return ps, nil
	}
	if name == "" {
		return nil, pgerror.New(pgerror.InvalidSQLStatementName, "unnamed prepared statement does not exist")
	}
	return nil, pgerror.New(pgerror.InvalidSQLStatementName, "prepared statement \"%s\" does not exist", name)
}

// Exists reports whether a statement is called name.
func (r *PreparedStatements) Exists(name string) bool {
	_, ok := r.byName[name]
	return ok
}

// Add stores ps as name; a named statement may not be replaced.
func (r *PreparedStatements) Add(name, query string, ps *PreparedStatement, fromSQL bool) error {
	if name != "" && r.Exists(name) {
		return pgerror.New(pgerror.DuplicatePreparedStatement, "prepared statement \"%s\" already exists", name)
	}
	if r.byName == nil {
		r.byName = map[string]*namedStatement{}
	}
	r.byName[name] = &namedStatement{ps: ps, query: query, at: time.Now(), fromSQL: fromSQL}
	return nil
}

// Entry returns what pg_prepared_statements shows of the statement
// called name: its text, when it was prepared, and whether by SQL
// PREPARE.
func (r *PreparedStatements) Entry(name string) (ps *PreparedStatement, query string, at time.Time, fromSQL bool, ok bool) {
	e, ok := r.byName[name]
	if !ok {
		return nil, "", time.Time{}, false, false
	}
	return e.ps, e.query, e.at, e.fromSQL, true
}

// Remove drops the statement called name, if any.
func (r *PreparedStatements) Remove(name string) { delete(r.byName, name) }

// Clear drops every statement (DEALLOCATE ALL, DISCARD ALL).
func (r *PreparedStatements) Clear() { r.byName = nil }

// Named returns the names of the named statements, sorted.
func (r *PreparedStatements) Named() []string {
	var names []string
	for name := range r.byName {
		if name != "" {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names
}
