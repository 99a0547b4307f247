package sql

import (
	"github.com/quorumdb/quorumdb/sql/exec"
	"github.com/quorumdb/quorumdb/sql/types"
)

// pg_stat_ssl shows the TLS state of the current session's connection
// (PostgreSQL shows one row per backend; other sessions are not listed
// here, as in pg_stat_activity). The client certificate columns stay
// null: client certificates are not requested.
// registerPgstatssl adds this file's relations and functions to the engine's
// registries (registry.go calls it).
func registerPgstatssl() {
	pgCatalogViews["pg_stat_ssl"] = true
	registerVirtualTable(&virtualTable{schema: "pg_catalog", name: "pg_stat_ssl", cols: []vcol{
		{"pid", pgInt4}, {"ssl", pgBool}, {"version", pgText}, {"cipher", pgText},
		{"bits", pgInt4}, {"client_dn", pgText}, {"client_serial", types.Numeric}, {"issuer_dn", pgText},
	}, rows: func(ec *execCtx) ([]exec.Row, error) {
		p := ec.sess.params
		if p.TLS == nil {
			return []exec.Row{{int64(p.BackendPID), false, nil, nil, nil, nil, nil, nil}}, nil
		}
		return []exec.Row{{int64(p.BackendPID), true, p.TLS.Version, p.TLS.Cipher, int64(p.TLS.Bits), nil, nil, nil}}, nil
	}})
}
