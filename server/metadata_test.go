package server

import (
	"context"
	"testing"
)

// TestDriverMetadataQueries runs the catalog queries drivers send (PgJDBC's
// DatabaseMetaData.getColumns, psycopg's type lookup, a schema browser's
// table list) and checks their answers describe the real table.
func TestDriverMetadataQueries(t *testing.T) {
	n := startNode(t, testConfig(t))
	conn := connect(t, n)
	ctx := context.Background()
	if _, err := conn.Exec(ctx, `CREATE TABLE orders (id serial PRIMARY KEY, customer varchar(40) NOT NULL, total numeric(10,2) DEFAULT 0)`); err != nil {
		t.Fatal(err)
	}
	// PgJDBC getColumns (it numbers columns with a window function).
	rows, err := conn.Query(ctx, `SELECT * FROM (SELECT n.nspname,c.relname,a.attname,a.atttypid,a.attnotnull OR (t.typtype = 'd' AND t.typnotnull) AS attnotnull,a.atttypmod,a.attlen,t.typtypmod,row_number() OVER (PARTITION BY a.attrelid ORDER BY a.attnum) AS attnum, nullif(a.attidentity, '') as attidentity,nullif(a.attgenerated, '') as attgenerated,pg_catalog.pg_get_expr(def.adbin, def.adrelid) AS adsrc,dsc.description,t.typbasetype,t.typtype  FROM pg_catalog.pg_namespace n  JOIN pg_catalog.pg_class c ON (c.relnamespace = n.oid)  JOIN pg_catalog.pg_attribute a ON (a.attrelid=c.oid)  JOIN pg_catalog.pg_type t ON (a.atttypid = t.oid)  LEFT JOIN pg_catalog.pg_attrdef def ON (a.attrelid=def.adrelid AND a.attnum = def.adnum)  LEFT JOIN pg_catalog.pg_description dsc ON (c.oid=dsc.objoid AND a.attnum = dsc.objsubid)  LEFT JOIN pg_catalog.pg_class dc ON (dc.oid=dsc.classoid AND dc.relname='pg_class')  LEFT JOIN pg_catalog.pg_namespace dn ON (dc.relnamespace=dn.oid AND dn.nspname='pg_catalog')  WHERE c.relkind in ('r','p','v','f','m') and a.attnum > 0 AND NOT a.attisdropped  AND n.nspname LIKE 'public' AND c.relname LIKE 'orders') c WHERE true  ORDER BY nspname,c.relname,attnum`)
	if err != nil {
		t.Fatal(err)
	}
	type col struct {
		name    string
		typ     uint32
		notNull bool
		typmod  int32
		num     int64
		def     *string
	}
	var got []col
	for rows.Next() {
		vals, err := rows.Values()
		if err != nil {
			t.Fatal(err)
		}
		c := col{name: vals[2].(string), typ: vals[3].(uint32), notNull: vals[4].(bool), typmod: vals[5].(int32), num: vals[8].(int64)}
		if s, ok := vals[11].(string); ok {
			c.def = &s
		}
		got = append(got, c)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[0].name != "id" || got[0].typ != 23 || !got[0].notNull || got[0].def == nil || *got[0].def != "nextval('orders_id_seq'::regclass)" ||
		got[1].name != "customer" || got[1].typ != 1043 || got[1].typmod != 44 || got[1].num != 2 ||
		got[2].name != "total" || got[2].typ != 1700 || got[2].typmod != (10<<16|2)+4 || got[2].notNull {
		t.Fatalf("getColumns: %+v", got)
	}
	// psycopg looks types up by name.
	var oid, arr uint32
	var name string
	if err := conn.QueryRow(ctx, `SELECT t.oid, typarray, typname FROM pg_type t WHERE t.oid = 'int4'::regtype`).Scan(&oid, &arr, &name); err != nil || oid != 23 || arr != 1007 || name != "int4" {
		t.Fatalf("type lookup: %d %d %q %v", oid, arr, name, err)
	}
	// information_schema as schema browsers read it.
	var cols int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'orders'`).Scan(&cols); err != nil || cols != 3 {
		t.Fatalf("information_schema.columns: %d %v", cols, err)
	}
}
