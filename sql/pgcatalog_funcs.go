package sql

import (
	"strings"

	"github.com/quorumdb/quorumdb/sql/catalog"
	"github.com/quorumdb/quorumdb/sql/types"
)

// Session functions the catalog queries of psql and the drivers call
// besides those in funcs_session.go. registerPgcatalogFuncs adds them to
// sessionFuncs after registerFuncsSession made it (registry.go's order).
func registerPgcatalogFuncs() {
	constant := func(v types.Datum) func(*execCtx, []types.Datum) (types.Datum, error) {
		return func(*execCtx, []types.Datum) (types.Datum, error) { return v, nil }
	}
	add := func(name string, def *sessionFuncDef) {
		if _, dup := sessionFuncs[name]; !dup {
			sessionFuncs[name] = def
		}
	}
	// \l shows the encoding's name; every database is UTF8 (6).
	add("pg_encoding_to_char", &sessionFuncDef{minArgs: 1, maxArgs: 1, argTypes: []types.T{types.Int4}, ret: types.Name,
		fn: func(_ *execCtx, args []types.Datum) (types.Datum, error) {
			if args[0] == int64(6) {
				return "UTF8", nil
			}
			return "", nil
		}})
	// \d asks which publications include a table; there are none, and
	// nothing is publishable.
	add("pg_relation_is_publishable", &sessionFuncDef{minArgs: 1, maxArgs: 1, argTypes: []types.T{types.OidT}, ret: types.Bool, fn: constant(false)})
	add("pg_get_statisticsobjdef_columns", &sessionFuncDef{minArgs: 1, maxArgs: 1, argTypes: []types.T{types.OidT}, ret: types.Text, fn: constant(nil)})
	// All relations live in the default tablespace, whose location
	// PostgreSQL reports as "".
	add("pg_tablespace_location", &sessionFuncDef{minArgs: 1, maxArgs: 1, argTypes: []types.T{types.OidT}, ret: types.Text, fn: constant("")})
	add("pg_get_triggerdef", &sessionFuncDef{minArgs: 1, maxArgs: 2, argTypes: []types.T{types.OidT, types.Bool}, ret: types.Text, fn: constant(nil)})
	add("pg_get_ruledef", &sessionFuncDef{minArgs: 1, maxArgs: 2, argTypes: []types.T{types.OidT, types.Bool}, ret: types.Text, fn: constant(nil)})
	// pg_dump compares each object's ACL with acldefault's; quorumdb
	// records no privileges, so both are NULL and no GRANT is dumped.
	// \dO and \l+ ask for the database encoding: always UTF8.
	add("getdatabaseencoding", &sessionFuncDef{ret: types.Name, fn: constant("UTF8")})
	add("pg_char_to_encoding", &sessionFuncDef{minArgs: 1, maxArgs: 1, argTypes: []types.T{types.Name}, ret: types.Int4,
		fn: func(_ *execCtx, args []types.Datum) (types.Datum, error) {
			if strings.EqualFold(args[0].(string), "UTF8") {
				return int64(6), nil
			}
			return int64(-1), nil
		}})
	// pg_proc has no rows (no user-defined functions), so these describe
	// nothing; they exist so that \df, \da and GUI tools' function
	// listings plan and answer (empty).
	for _, name := range []string{"pg_get_function_arguments", "pg_get_function_identity_arguments", "pg_get_function_result", "pg_get_functiondef"} {
		add(name, &sessionFuncDef{minArgs: 1, maxArgs: 1, argTypes: []types.T{types.OidT}, ret: types.Text, fn: constant(nil)})
	}
	// Visibility by search_path of objects quorumdb has none of.
	for _, name := range []string{"pg_operator_is_visible", "pg_opclass_is_visible", "pg_opfamily_is_visible",
		"pg_conversion_is_visible", "pg_collation_is_visible", "pg_ts_config_is_visible", "pg_ts_dict_is_visible",
		"pg_ts_parser_is_visible", "pg_ts_template_is_visible", "pg_statistics_obj_is_visible"} {
		add(name, &sessionFuncDef{minArgs: 1, maxArgs: 1, argTypes: []types.T{types.OidT}, ret: types.Bool, fn: constant(true)})
	}
	// to_regclass and the other to_reg* functions are in regtypes.go.
}

// relationIsVisible is pg_table_is_visible(oid): whether the relation
// can be named without its schema, i.e. its schema is pg_catalog or on
// the session's search_path. psql's \d, \dp and tab completion use it
// to leave out information_schema and other schemas' relations, as
// PostgreSQL does. The operator schema's views resolve unqualified but
// count as visible only when it is on the path, so that psql lists a
// database's relations as PostgreSQL's would (it hides pg_catalog's by
// name). Unknown oids are not visible.
func (ec *execCtx) relationIsVisible(oid int64) (types.Datum, error) {
	path := searchPathSchemas(ec.sess.vars.get("search_path"), ec.sess.user)
	for _, vt := range virtualTables {
		if int64(vt.oid) == oid {
			return vt.schema == "pg_catalog" || path[vt.schema], nil
		}
	}
	if oid < catalog.FirstUserID || oid >= derivedFlag {
		return false, nil
	}
	all, err := ec.Catalog.Tables(ec.Context, ec.sess.dbID)
	if err != nil {
		return nil, err
	}
	// The session's temporary schema is searched first, implicitly: its
	// relations are visible and hide same-named ones further on.
	own := ec.sess.ownTempSchema()
	shadowed := map[string]bool{}
	for _, t := range all {
		if own != "" && t.Schema == own {
			shadowed[t.Name] = true
			for _, idx := range visibleIndexes(t) {
				shadowed[idx.Name] = true
			}
		}
	}
	visible := func(schema, name string) bool {
		if own != "" && schema == own {
			return true
		}
		return path[schema] && !shadowed[name]
	}
	for _, t := range all {
		if int64(t.ID) == oid {
			return visible(t.Schema, t.Name), nil
		}
		for _, idx := range visibleIndexes(t) {
			if int64(idx.OID) == oid {
				return visible(t.Schema, idx.Name), nil
			}
		}
	}
	return false, nil
}

// searchPathSchemas is the set of schemas a search_path value names,
// with pg_catalog, which is always searched.
func searchPathSchemas(v, user string) map[string]bool {
	out := map[string]bool{"pg_catalog": true}
	for _, name := range parseSearchPath(v, user) {
		out[name] = true
	}
	return out
}
