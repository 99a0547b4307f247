package sql

import (
	"encoding/binary"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/quorumdb/quorumdb/kv"
	"github.com/quorumdb/quorumdb/sql/catalog"
	"github.com/quorumdb/quorumdb/sql/exec"
	"github.com/quorumdb/quorumdb/sql/kverror"
	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// COMMENT ON stores descriptions in the system space, per database:
//
//	comment/<db id>/<object oid>/<sub id>  → text
//
// (sub id: the column's attnum for COMMENT ON COLUMN, else 0). They are
// pg_description's rows and what obj_description/col_description return.
// This file sorts after pgcatalog_misc.go and funcs_session.go, so its
// registrations replace their empty defaults.

const pgClassOID = 1259

func commentKey(db, oid, sub uint32) []byte {
	return kv.SystemKey([]byte("comment/"), catalog.EncodeID(db), catalog.EncodeID(oid), catalog.EncodeID(sub))
}

func (b *builder) planComment(cs *pg_query.CommentStmt) (*stmtPlan, error) {
	return tagOnly("COMMENT", func(ec *execCtx) error {
		var names []string
		if l := cs.Object.GetList(); l != nil {
			names = keyNames(l.Items)
		} else if s := cs.Object.GetString_(); s != nil {
			names = []string{s.Sval}
		}
		var oid, sub uint32
		switch cs.Objtype {
		case pg_query.ObjectType_OBJECT_TABLE, pg_query.ObjectType_OBJECT_VIEW, pg_query.ObjectType_OBJECT_SEQUENCE, pg_query.ObjectType_OBJECT_INDEX:
			id, err := b.resolveRegclass(joinName(names))
			if err != nil {
				return err
			}
			oid = uint32(id)
		case pg_query.ObjectType_OBJECT_COLUMN:
			if len(names) < 2 {
				return pgerror.New(pgerror.SyntaxError, "column name must be qualified")
			}
			rel := joinName(names[:len(names)-1])
			t, err := b.tableOfQualifiedName(names)
			if err != nil {
				return err
			}
			_, c := t.ColumnByName(names[len(names)-1])
			if c == nil || c.Hidden {
				return pgerror.New(pgerror.UndefinedColumn, "column %q of relation %q does not exist", names[len(names)-1], rel)
			}
			oid, sub = t.ID, uint32(attnums(t)[c.ID])
		case pg_query.ObjectType_OBJECT_TABCONSTRAINT:
			// COMMENT ON CONSTRAINT c ON t: the table's name parts, then c.
			if len(names) < 2 {
				return pgerror.New(pgerror.SyntaxError, "constraint name must be qualified by its table")
			}
			con := names[len(names)-1]
			t, err := b.tableOfQualifiedName(names)
			if err != nil {
				return err
			}
			if _, ok := constraintOID(t, con); !ok {
				return pgerror.New(pgerror.UndefinedObject, "constraint %q for table %q does not exist", con, t.Name)
			}
			// The constraint exists; its comment is not kept: a key or
			// unique constraint shares its oid with its index here, so
			// the two comments would overwrite each other.
			return nil
		default:
			return nil // other objects' comments are accepted and not kept
		}
		key := commentKey(b.sess.dbID, oid, sub)
		if cs.Comment == "" {
			return kverror.AsSQL(ec.Txn.Delete(ec.Context, key))
		}
		return kverror.AsSQL(ec.Txn.Put(ec.Context, key, []byte(cs.Comment)))
	}), nil
}

// tableOfQualifiedName is the table of a name whose last part names
// something in it ([schema.]table.column, [schema.]table.constraint).
func (b *builder) tableOfQualifiedName(names []string) (*catalog.Table, error) {
	rv := &pg_query.RangeVar{Relname: names[len(names)-2], Location: -1}
	if len(names) >= 3 {
		rv.Schemaname = names[len(names)-3]
	}
	return b.lookupTable(rv)
}

// constraintOID is the pg_constraint oid of t's constraint name, as
// pg_constraint lists it (constraint_rows.go).
func constraintOID(t *catalog.Table, name string) (int64, bool) {
	noParents := func(uint32) *catalog.Table { return nil }
	for _, c := range tableConstraints(t, noParents) {
		if c.name == name {
			return c.oid, true
		}
	}
	return 0, false
}

func joinName(parts []string) string {
	out := ""
	for i, p := range parts {
		if i > 0 {
			out += "."
		}
		out += quoteIdent(p)
	}
	return out
}

func (ec *execCtx) comment(oid, sub int64) (types.Datum, error) {
	v, ok, err := ec.Txn.Get(ec.Context, commentKey(ec.sess.dbID, uint32(oid), uint32(sub)))
	if err != nil || !ok {
		return nil, kverror.AsSQL(err)
	}
	return string(v), nil
}

// registerPgdescription adds this file's relations and functions to the engine's
// registries (registry.go calls it).
func registerPgdescription() {
	registerVirtualTable(&virtualTable{schema: "pg_catalog", name: "pg_description", oid: 2609,
		cols: []vcol{{"objoid", pgOid}, {"classoid", pgOid}, {"objsubid", pgInt4}, {"description", pgText}},
		rows: func(ec *execCtx) ([]exec.Row, error) {
			prefix := kv.SystemKey([]byte("comment/"), catalog.EncodeID(ec.sess.dbID))
			kvs, err := ec.Txn.Scan(ec.Context, prefix, kv.PrefixEnd(prefix), 0, false)
			if err != nil {
				return nil, kverror.AsSQL(err)
			}
			out := make([]exec.Row, 0, len(kvs))
			for _, e := range kvs {
				k := e.Key[len(prefix):]
				if len(k) != 8 {
					continue
				}
				out = append(out, exec.Row{int64(binary.BigEndian.Uint32(k)), int64(pgClassOID), int64(binary.BigEndian.Uint32(k[4:])), string(e.Value)})
			}
			return out, nil
		}})
	sessionFuncs["obj_description"] = &sessionFuncDef{minArgs: 1, maxArgs: 2, argTypes: []types.T{types.OidT, types.Name}, ret: types.Text,
		fn: func(ec *execCtx, args []types.Datum) (types.Datum, error) {
			if len(args) > 1 && args[1] != "pg_class" {
				return nil, nil
			}
			return ec.comment(args[0].(int64), 0)
		}}
	sessionFuncs["col_description"] = &sessionFuncDef{minArgs: 2, maxArgs: 2, argTypes: []types.T{types.OidT, types.Int4}, ret: types.Text,
		fn: func(ec *execCtx, args []types.Datum) (types.Datum, error) {
			return ec.comment(args[0].(int64), args[1].(int64))
		}}
}
