package sql

import (
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/quorumdb/quorumdb/sql/acl"
	"github.com/quorumdb/quorumdb/sql/catalog"
	"github.com/quorumdb/quorumdb/sql/exec"
	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// sessionFuncDef is a function that needs the session, the catalog or the
// transaction, so it lives here rather than in builtins.
type sessionFuncDef struct {
	minArgs, maxArgs int
	// argTypes are the types arguments are coerced to (the last repeats).
	argTypes     []types.T
	ret          types.T
	calledOnNull bool
	fn           func(ec *execCtx, args []types.Datum) (types.Datum, error)
}

var sessionFuncs map[string]*sessionFuncDef

// registerFuncsSession adds this file's relations and functions to the engine's
// registries (registry.go calls it).
func registerFuncsSession() {
	text, i8, oid, b := types.Text, types.Int8, types.OidT, types.Bool
	sf := func(min, max int, args []types.T, ret types.T, fn func(ec *execCtx, args []types.Datum) (types.Datum, error)) *sessionFuncDef {
		return &sessionFuncDef{minArgs: min, maxArgs: max, argTypes: args, ret: ret, fn: fn}
	}
	constant := func(v types.Datum) func(*execCtx, []types.Datum) (types.Datum, error) {
		return func(*execCtx, []types.Datum) (types.Datum, error) { return v, nil }
	}
	sessionFuncs = map[string]*sessionFuncDef{
		"current_database": sf(0, 0, nil, types.Name, func(ec *execCtx, _ []types.Datum) (types.Datum, error) { return ec.sess.dbName, nil }),
		"current_catalog":  sf(0, 0, nil, types.Name, func(ec *execCtx, _ []types.Datum) (types.Datum, error) { return ec.sess.dbName, nil }),
		"current_user":     sf(0, 0, nil, types.Name, func(ec *execCtx, _ []types.Datum) (types.Datum, error) { return ec.sess.user, nil }),
		"session_user":     sf(0, 0, nil, types.Name, func(ec *execCtx, _ []types.Datum) (types.Datum, error) { return ec.sess.sessionUser(), nil }),
		"user":             sf(0, 0, nil, types.Name, func(ec *execCtx, _ []types.Datum) (types.Datum, error) { return ec.sess.user, nil }),
		"current_role":     sf(0, 0, nil, types.Name, func(ec *execCtx, _ []types.Datum) (types.Datum, error) { return ec.sess.user, nil }),
		"current_schema": sf(0, 0, nil, types.Name, func(ec *execCtx, _ []types.Datum) (types.Datum, error) {
			path, err := ec.existingSearchPath()
			if err != nil || len(path) == 0 {
				return nil, err
			}
			return path[0], nil
		}),
		"current_schemas": sf(1, 1, []types.T{b}, types.ArrayOf(types.Name), func(ec *execCtx, args []types.Datum) (types.Datum, error) {
			path, err := ec.existingSearchPath()
			if err != nil {
				return nil, err
			}
			elems := []types.Datum{}
			if args[0] == true {
				// The implicitly searched schemas come first: the
				// temporary schema once it exists, then pg_catalog
				// unless the path names it.
				if own := ec.sess.ownTempSchema(); own != "" {
					elems = append(elems, own)
				}
				if !slices.Contains(path, "pg_catalog") {
					elems = append(elems, "pg_catalog")
				}
			}
			for _, s := range path {
				elems = append(elems, s)
			}
			return &types.Array{Elem: types.Name, Elems: elems}, nil
		}),
		"version": sf(0, 0, nil, text, func(ec *execCtx, _ []types.Datum) (types.Datum, error) {
			return fmt.Sprintf("PostgreSQL %s (quorumdb %s) on x86_64-pc-linux-gnu, compiled by Go, 64-bit", ServerVersion, ec.sess.engine.cfg.Version), nil
		}),
		"pg_backend_pid": sf(0, 0, nil, types.Int4, func(ec *execCtx, _ []types.Datum) (types.Datum, error) { return int64(ec.sess.params.BackendPID), nil }),
		"current_setting": sf(1, 2, []types.T{text, b}, text, func(ec *execCtx, args []types.Datum) (types.Datum, error) {
			name := strings.ToLower(args[0].(string))
			if _, ok := settingsByName[name]; !ok {
				if len(args) > 1 && args[1] == true {
					return nil, nil
				}
				return nil, pgerror.New(pgerror.UndefinedObject, "unrecognized configuration parameter %q", args[0])
			}
			return showValue(name, ec.sess.vars.get(name)), nil
		}),
		"set_config": {minArgs: 3, maxArgs: 3, argTypes: []types.T{text, text, b}, ret: text, calledOnNull: true, fn: func(ec *execCtx, args []types.Datum) (types.Datum, error) {
			if args[0] == nil {
				return nil, pgerror.New(pgerror.NullValueNotAllowed, "SET requires parameter name")
			}
			val := ""
			if args[1] != nil {
				val = args[1].(string)
			}
			ps, err := ec.sess.vars.set(args[0].(string), val)
			if err != nil {
				return nil, err
			}
			if ps != nil {
				ec.sess.pendingStatus = append(ec.sess.pendingStatus, *ps)
			}
			return showValue(strings.ToLower(args[0].(string)), ec.sess.vars.get(args[0].(string))), nil
		}},
		// Visibility follows search_path (tab completion relies on it).
		"pg_table_is_visible": sf(1, 1, []types.T{oid}, b, func(ec *execCtx, args []types.Datum) (types.Datum, error) {
			return ec.relationIsVisible(args[0].(int64))
		}),
		"pg_type_is_visible":     sf(1, 1, []types.T{oid}, b, constant(true)),
		"pg_function_is_visible": sf(1, 1, []types.T{oid}, b, constant(true)),
		"pg_is_in_recovery":      sf(0, 0, nil, b, constant(false)),
		// has_table_privilege and friends: privilege_funcs.go.
		"has_column_privilege": sf(3, 4, []types.T{text, text, text, text}, b, constant(true)),
		"pg_postmaster_start_time": sf(0, 0, nil, types.TimestampTZ, func(ec *execCtx, _ []types.Datum) (types.Datum, error) {
			return ec.sess.engine.started, nil
		}),
		"inet_server_port": sf(0, 0, nil, types.Int4, constant(nil)),
		// Assigned on the first call in a transaction from the
		// cluster-wide counter (txid.go), then the same for every call
		// within it, as in PostgreSQL.
		"txid_current": sf(0, 0, nil, i8, func(ec *execCtx, _ []types.Datum) (types.Datum, error) {
			if ec.sess.txidOf != ec.Txn {
				id, err := ec.sess.engine.allocateTxid(ec.Context)
				if err != nil {
					return nil, err
				}
				ec.sess.txidOf, ec.sess.txid = ec.Txn, id
			}
			return ec.sess.txid, nil
		}),
		"pg_sleep": sf(1, 1, []types.T{types.Float8}, types.Void, func(ec *execCtx, args []types.Datum) (types.Datum, error) {
			t := time.NewTimer(time.Duration(args[0].(float64) * float64(time.Second)))
			defer t.Stop()
			select {
			case <-ec.Context.Done():
				return nil, ec.Context.Err()
			case <-t.C:
				return nil, nil
			}
		}),
		"pg_get_userbyid": sf(1, 1, []types.T{oid}, types.Name, func(ec *execCtx, args []types.Datum) (types.Datum, error) {
			roles, err := ec.Catalog.Roles(ec.Context)
			if err != nil {
				return nil, err
			}
			for _, r := range roles {
				if int64(r.OID) == args[0].(int64) {
					return r.Name, nil
				}
			}
			return fmt.Sprintf("unknown (OID=%d)", args[0]), nil
		}),
		"unique_rowid": sf(0, 0, nil, i8, func(ec *execCtx, _ []types.Datum) (types.Datum, error) {
			return ec.sess.engine.uniqueRowID(), nil
		}),
		"nextval": sf(1, 1, []types.T{text}, i8, func(ec *execCtx, args []types.Datum) (types.Datum, error) {
			seq, err := ec.sequence(args[0])
			if err != nil {
				return nil, err
			}
			if err := checkSequenceUse(ec, seq, acl.Usage|acl.Update); err != nil {
				return nil, err
			}
			v, ok := ec.seqBlocks[seq.ID].take() // sequence_prefetch.go
			if !ok {
				if v, err = ec.sess.engine.nextval(ec.Context, seq); err != nil {
					return nil, err
				}
			}
			ec.sess.setCurrval(seq.ID, v)
			return v, nil
		}),
		"currval": sf(1, 1, []types.T{text}, i8, func(ec *execCtx, args []types.Datum) (types.Datum, error) {
			seq, err := ec.sequence(args[0])
			if err != nil {
				return nil, err
			}
			if err := checkSequenceUse(ec, seq, acl.Select|acl.Usage); err != nil {
				return nil, err
			}
			v, ok := ec.sess.currval[seq.ID]
			if !ok {
				return nil, pgerror.New(pgerror.ObjectNotInPrerequisiteState, "currval of sequence %q is not yet defined in this session", seq.Name)
			}
			return v, nil
		}),
		"lastval": sf(0, 0, nil, i8, func(ec *execCtx, _ []types.Datum) (types.Datum, error) {
			if !ec.sess.hasLastval {
				return nil, pgerror.New(pgerror.ObjectNotInPrerequisiteState, "lastval is not yet defined in this session")
			}
			return ec.sess.lastval, nil
		}),
		"setval": sf(2, 3, []types.T{text, i8, b}, i8, func(ec *execCtx, args []types.Datum) (types.Datum, error) {
			seq, err := ec.sequence(args[0])
			if err != nil {
				return nil, err
			}
			if err := checkSequenceUse(ec, seq, acl.Update); err != nil {
				return nil, err
			}
			called := len(args) < 3 || args[2] == true
			if err := ec.sess.engine.setval(ec.Context, seq, args[1].(int64), called); err != nil {
				return nil, err
			}
			return args[1], nil
		}),
		"pg_get_serial_sequence": sf(2, 2, []types.T{text, text}, text, func(ec *execCtx, args []types.Datum) (types.Datum, error) {
			// The table is parsed as SQL names (quotes kept, others
			// down-cased); the column is taken literally; the answer is
			// quoted as regclass output would be.
			names, err := splitQualifiedName(args[0].(string))
			if err != nil {
				return nil, err
			}
			nb := &builder{ctx: ec.Context, sess: ec.sess, cat: ec.Catalog}
			id, err := nb.resolveRegclassNames(names)
			if err != nil {
				return nil, err
			}
			rel, err := ec.Catalog.TableByID(ec.Context, uint32(id))
			if err != nil || rel == nil {
				return nil, err
			}
			all, err := ec.Catalog.Tables(ec.Context, ec.sess.dbID)
			if err != nil {
				return nil, err
			}
			for _, t := range all {
				if t.Kind == catalog.KindSequence && t.Schema == rel.Schema && t.OwnedBy == rel.Name+"."+args[1].(string) {
					return quoteIdent(t.Schema) + "." + quoteIdent(t.Name), nil
				}
			}
			return nil, nil
		}),
		"pg_relation_size":       sf(1, 2, []types.T{oid, text}, i8, constant(int64(8192))),
		"pg_total_relation_size": sf(1, 1, []types.T{oid}, i8, constant(int64(8192))),
		"pg_table_size":          sf(1, 1, []types.T{oid}, i8, constant(int64(8192))),
		"pg_indexes_size":        sf(1, 1, []types.T{oid}, i8, constant(int64(0))),
		"pg_database_size":       sf(1, 1, []types.T{text}, i8, constant(int64(8192))),
		"inet_server_addr":       sf(0, 0, nil, text, constant(nil)),
		"pg_get_expr":            sf(2, 3, []types.T{text, oid, b}, text, func(ec *execCtx, args []types.Datum) (types.Datum, error) { return args[0], nil }),
		"obj_description":        {minArgs: 1, maxArgs: 2, argTypes: []types.T{oid, types.Name}, ret: text, calledOnNull: true, fn: constant(nil)},
		"col_description":        {minArgs: 2, maxArgs: 2, argTypes: []types.T{oid, types.Int4}, ret: text, calledOnNull: true, fn: constant(nil)},
		"shobj_description":      {minArgs: 2, maxArgs: 2, argTypes: []types.T{oid, types.Name}, ret: text, calledOnNull: true, fn: constant(nil)},
		"pg_get_viewdef": sf(1, 2, []types.T{oid, b}, text, func(ec *execCtx, args []types.Datum) (types.Datum, error) {
			return ec.viewDef(args[0].(int64))
		}),
		"pg_get_partkeydef": sf(1, 1, []types.T{oid}, text, constant(nil)),
		"pg_get_indexdef": sf(1, 3, []types.T{oid, types.Int4, b}, text, func(ec *execCtx, args []types.Datum) (types.Datum, error) {
			if len(args) > 1 {
				return ec.indexColumnDef(args[0].(int64), args[1].(int64), len(args) > 2 && args[2] == true)
			}
			return ec.indexDef(args[0].(int64))
		}),
		"pg_get_constraintdef": sf(1, 2, []types.T{oid, b}, text, func(ec *execCtx, args []types.Datum) (types.Datum, error) {
			return ec.constraintDefPretty(args[0].(int64), len(args) > 1 && args[1] == true)
		}),
		"format_type": {minArgs: 2, maxArgs: 2, argTypes: []types.T{oid, types.Int4}, ret: text, calledOnNull: true, fn: func(ec *execCtx, args []types.Datum) (types.Datum, error) {
			if args[0] == nil {
				return nil, nil
			}
			t, ok, err := ec.Catalog.TypeFromOID(ec.Context, uint32(args[0].(int64)))
			if err != nil {
				return nil, err
			}
			if !ok {
				return "???", nil
			}
			if args[1] != nil {
				t = withTypMod(t, int32(args[1].(int64)))
			}
			return types.TypeName(t), nil
		}},
		"getpgusername": sf(0, 0, nil, types.Name, func(ec *execCtx, _ []types.Datum) (types.Datum, error) { return ec.sess.user, nil }),
		"pg_my_temp_schema": sf(0, 0, nil, oid, func(ec *execCtx, _ []types.Datum) (types.Datum, error) {
			if ts := ec.sess.temp; ts != nil {
				return int64(ts.oid), nil
			}
			return int64(0), nil
		}),
		"pg_is_other_temp_schema": sf(1, 1, []types.T{oid}, b, func(ec *execCtx, args []types.Datum) (types.Datum, error) {
			return ec.otherTempSchemaOID(args[0].(int64))
		}),
		"quorumdb_node_id": sf(0, 0, nil, types.Int4, func(ec *execCtx, _ []types.Datum) (types.Datum, error) {
			return int64(ec.sess.engine.cfg.NodeID), nil
		}),
		"pg_current_logfile": sf(0, 1, []types.T{text}, text, constant(nil)),
		"pg_conf_load_time": sf(0, 0, nil, types.TimestampTZ, func(ec *execCtx, _ []types.Datum) (types.Datum, error) {
			return ec.sess.engine.started, nil
		}),
		"pg_get_function_identity_arguments": sf(1, 1, []types.T{oid}, text, constant("")),
		"pg_get_function_result":             sf(1, 1, []types.T{oid}, text, constant(nil)),
		"pg_encoding_max_length":             sf(1, 1, []types.T{types.Int4}, types.Int4, constant(int64(4))),
		"pg_char_to_encoding":                sf(1, 1, []types.T{types.Name}, types.Int4, constant(int64(6))),
		// Tables are never partitioned: a relation is its own only ancestor.
		"pg_partition_ancestors": sf(1, 1, []types.T{oid}, types.Regclass, func(ec *execCtx, args []types.Datum) (types.Datum, error) {
			return args[0], nil
		}),
		"pg_typeof": {minArgs: 1, maxArgs: 1, argTypes: []types.T{types.Any}, ret: types.Regtype, calledOnNull: true, fn: nil},
		"hostname":  sf(0, 0, nil, text, func(*execCtx, []types.Datum) (types.Datum, error) { h, _ := os.Hostname(); return h, nil }),
	}
}

// withTypMod applies an atttypmod to a type (format_type's second argument).
func withTypMod(t types.T, mod int32) types.T {
	if mod < 0 {
		return t
	}
	switch t.Oid {
	case types.OidVarchar, types.OidBPChar:
		t.Width = mod - 4
	case types.OidNumeric:
		t.Width = (mod - 4) >> 16
		t.Scale = (mod - 4) & 0xffff
	case types.OidTimestamp, types.OidTimestampTZ, types.OidTime:
		t.Width = mod + 1 // the precision, as types.TimePrecision keeps it
	}
	return t
}

// sessionFunc builds a call of a session function; UndefinedFunction
// when name is not one.
func (b *builder) sessionFunc(name string, args []exec.Expr) (exec.Expr, error) {
	def, ok := sessionFuncs[name]
	if !ok {
		return nil, pgerror.New(pgerror.UndefinedFunction, "function %s does not exist", name)
	}
	if len(args) < def.minArgs || len(args) > def.maxArgs {
		ts := make([]string, len(args))
		for i, a := range args {
			ts[i] = types.TypeName(a.Typ())
		}
		return nil, pgerror.New(pgerror.UndefinedFunction, "function %s(%s) does not exist", name, strings.Join(ts, ", ")).
			WithHint("No function matches the given name and argument types. You might need to add explicit type casts.")
	}
	for i := range args {
		t := def.argTypes[min(i, len(def.argTypes)-1)]
		if args[i].Typ().Family == t.Family || (t.Family == types.StringFamily && args[i].Typ().Family != types.UnknownFamily && args[i].Typ().Family != types.StringFamily) {
			if t.Family == types.StringFamily && args[i].Typ().Family != types.StringFamily {
				// regclass-like arguments given as oids stay as they are.
				continue
			}
			continue
		}
		var err error
		if args[i], err = b.coerce(args[i], t, name); err != nil {
			return nil, err
		}
	}
	if name == "pg_typeof" {
		// The argument's type is known at plan time.
		return &exec.ConstExpr{Value: int64(args[0].Typ().Oid), T: types.Regtype}, nil
	}
	if !def.calledOnNull && hasNullConst(args) {
		return &exec.ConstExpr{T: def.ret}, nil
	}
	return &goFuncExpr{name: name, args: args, t: def.ret, calledOnNull: def.calledOnNull, fn: def.fn}, nil
}

// specialFunc handles calls that are syntax rather than functions.
func (b *builder) specialFunc(name string, args []exec.Expr, s *scope) (exec.Expr, bool, error) {
	return nil, false, nil
}

// regclassExpr resolves 'name'::regclass to the relation's oid.
func (b *builder) regclassExpr(arg exec.Expr) (exec.Expr, error) {
	if c, ok := arg.(*exec.ConstExpr); ok {
		switch v := c.Value.(type) {
		case nil:
			return &exec.ConstExpr{T: types.Regclass}, nil
		case string:
			oid, err := b.resolveRegclass(v)
			if err != nil {
				return nil, err
			}
			return &exec.ConstExpr{Value: oid, T: types.Regclass}, nil
		case int64:
			return &exec.ConstExpr{Value: v, T: types.Regclass}, nil
		}
	}
	if arg.Typ().Family == types.OidFamily || arg.Typ().Family == types.IntFamily {
		return &exec.CastExpr{E: arg, T: types.Regclass, Explicit: true}, nil
	}
	return &goFuncExpr{name: "regclass", args: []exec.Expr{arg}, t: types.Regclass, fn: func(ec *execCtx, args []types.Datum) (types.Datum, error) {
		nb := &builder{ctx: ec.Context, sess: ec.sess, cat: ec.Catalog}
		return nb.resolveRegclass(args[0].(string))
	}}, nil
}

// resolveRegclass finds a relation (table, index, sequence or virtual
// table) by possibly qualified name.
func (b *builder) resolveRegclass(name string) (int64, error) {
	if n, err := strconv.ParseInt(strings.TrimSpace(name), 10, 64); err == nil {
		return n, nil // a numeric oid, as regclass input accepts
	}
	schema, rel := "", name
	if i := strings.LastIndex(name, "."); i >= 0 {
		schema, rel = lowerIdent(name[:i]), name[i+1:]
	}
	rel = lowerIdent(rel)
	oid, err := b.resolveRegclassNames([]string{schema, rel})
	if pgerror.CodeOf(err) == pgerror.UndefinedTable {
		return 0, catalog.UndefinedTable(name)
	}
	return oid, err
}

// resolveRegclassNames finds a relation by its name, optionally preceded
// by its schema (already split and down-cased); 42P01 when there is none.
func (b *builder) resolveRegclassNames(names []string) (int64, error) {
	schema, rel := "", names[len(names)-1]
	if len(names) > 1 {
		schema = names[len(names)-2]
	}
	if vt := lookupVirtualTable(schema, rel); vt != nil {
		return int64(vt.oid), nil
	}
	schema, err := b.relationSchema(schema, rel)
	if err != nil {
		return 0, err
	}
	id, ok, err := b.cat.LookupID(b.ctx, b.sess.dbID, schema, rel)
	if err != nil {
		return 0, err
	}
	if !ok {
		return 0, catalog.UndefinedTable(rel)
	}
	t, err := b.cat.TableByID(b.ctx, id)
	if err != nil {
		return 0, err
	}
	if t != nil && t.Name != rel {
		for _, idx := range t.Indexes {
			if idx.Name == rel {
				return int64(idx.OID), nil
			}
		}
	}
	return int64(id), nil
}

// sequence resolves a nextval/currval argument (name or oid).
func (ec *execCtx) sequence(arg types.Datum) (*catalog.Table, error) {
	var id int64
	switch v := arg.(type) {
	case string:
		b := &builder{ctx: ec.Context, sess: ec.sess, cat: ec.Catalog}
		var err error
		if id, err = b.resolveRegclass(v); err != nil {
			return nil, err
		}
	case int64:
		id = v
	}
	t, err := ec.Catalog.TableByID(ec.Context, uint32(id))
	if err != nil {
		return nil, err
	}
	if t == nil || t.Kind != catalog.KindSequence {
		return nil, pgerror.New(pgerror.WrongObjectType, "%v is not a sequence", arg)
	}
	return t, nil
}
