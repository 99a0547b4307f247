package sql

import (
	"github.com/quorumdb/quorumdb/sql/catalog"
	"github.com/quorumdb/quorumdb/sql/exec"
	"github.com/quorumdb/quorumdb/sql/types"
)

// pg_statio_all_tables and pg_statio_user_tables: one row per table with
// its block I/O counters, which quorumdb does not keep (all 0).
// Sequelize's describeTable joins it with pg_description for column
// comments.
// registerPgstatTables adds this file's relations and functions to the engine's
// registries (registry.go calls it).
func registerPgstatTables() {
	cols := []vcol{{"relid", pgOid}, {"schemaname", pgName}, {"relname", pgName}}
	for _, c := range []string{"heap_blks_read", "heap_blks_hit", "idx_blks_read", "idx_blks_hit",
		"toast_blks_read", "toast_blks_hit", "tidx_blks_read", "tidx_blks_hit"} {
		cols = append(cols, vcol{c, types.Int8})
	}
	for _, name := range []string{"pg_statio_all_tables", "pg_statio_user_tables"} {
		user := name == "pg_statio_user_tables"
		pgCatalogViews[name] = true
		registerVirtualTable(&virtualTable{schema: "pg_catalog", name: name, cols: cols, rows: func(ec *execCtx) ([]exec.Row, error) {
			s, err := loadPGSnapshot(ec)
			if err != nil {
				return nil, err
			}
			var out []exec.Row
			for _, t := range s.rels {
				if t.Kind != catalog.KindTable {
					continue
				}
				if user && (t.Schema == "pg_catalog" || t.Schema == "information_schema") {
					continue
				}
				out = append(out, exec.Row{int64(t.ID), t.Schema, t.Name, int64(0), int64(0), int64(0), int64(0), nil, nil, nil, nil})
			}
			return out, nil
		}})
	}
}
