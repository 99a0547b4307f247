package server

import (
	"net/url"
	"testing"

	"github.com/quorumdb/quorumdb/internal/pgtest"
)

// startPostgres starts a throwaway PostgreSQL 15 (internal/pgtest) and
// returns its address, host:port; it is stopped when the test ends.
func startPostgres(t *testing.T) string {
	t.Helper()
	u, err := url.Parse(pgtest.Start(t))
	if err != nil {
		t.Fatal(err)
	}
	return u.Host
}
