package sql

import (
	"github.com/quorumdb/quorumdb/sql/exec"
	"github.com/quorumdb/quorumdb/sql/types"
)

// The enum types in pg_type (typtype 'e', category 'E', and the array
// type _name) and their labels in pg_enum, as psql's \dT+, SQLAlchemy's
// enum reflection and psycopg's TypeInfo.fetch read them.

// enumTypeRows are pg_type's rows of the session's enum types.
func enumTypeRows(ec *execCtx) ([]exec.Row, error) {
	s, err := loadPGSnapshot(ec)
	if err != nil {
		return nil, err
	}
	ds, err := ec.Catalog.UserTypes(ec.Context, s.dbID)
	if err != nil {
		return nil, err
	}
	var out []exec.Row
	for _, d := range ds {
		ns, owner := s.nsOID(d.Schema), s.roleOID(d.Owner)
		out = append(out, exec.Row{
			int64(d.ID), d.Name, ns, owner,
			int64(4), true, "e", "E",
			false, true, ",",
			int64(0), "-", int64(0), int64(d.ArrayID),
			"enum_in", "enum_out", "enum_recv",
			"enum_send", "-", "-",
			"-", "i", "p",
			false, int64(0), int64(-1),
			int64(0), int64(0), nil,
			nil, nil,
		}, exec.Row{
			int64(d.ArrayID), "_" + d.Name, ns, owner,
			int64(-1), false, "b", "A",
			false, true, ",",
			int64(0), "array_subscript_handler", int64(d.ID), int64(0),
			"array_in", "array_out", "array_recv",
			"array_send", "-", "-",
			"array_typanalyze", "i", "x",
			false, int64(0), int64(-1),
			int64(0), int64(0), nil,
			nil, nil,
		})
	}
	return out, nil
}

// registerEnumCatalog adds this file's relations and functions to the engine's
// registries (registry.go calls it).
func registerEnumCatalog() {
	registerVirtualTable(&virtualTable{schema: "pg_catalog", name: "pg_enum", oid: 3501, cols: []vcol{
		{"oid", pgOid}, {"enumtypid", pgOid}, {"enumsortorder", pgFloat4}, {"enumlabel", pgName},
	}, rows: func(ec *execCtx) ([]exec.Row, error) {
		ds, err := ec.Catalog.UserTypes(ec.Context, ec.sess.dbID)
		if err != nil {
			return nil, err
		}
		var out []exec.Row
		for _, d := range ds {
			for _, l := range d.Labels {
				out = append(out, exec.Row{int64(l.OID), int64(d.ID), float64(l.Sort), l.Label})
			}
		}
		return out, nil
	}})
}

var _ = types.Text
