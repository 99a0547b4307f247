package sql

import (
	"context"
	"fmt"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/quorumdb/quorumdb/sql/acl"
	"github.com/quorumdb/quorumdb/sql/catalog"
	"github.com/quorumdb/quorumdb/sql/exec"
	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// builder turns one statement's parse tree into a plan. It reads the
// catalog through the statement's transaction.
type builder struct {
	ctx    context.Context
	sess   *Session
	cat    *catalog.Txn
	params *exec.ParamTypes
	// viewDepth counts the view bodies being planned: their unqualified
	// names resolve with the default search_path, as they did when the
	// view was made (PostgreSQL binds them then), not the session's.
	viewDepth int
	// ctes are the WITH queries visible while building, innermost last.
	ctes []map[string]*cteDef
	// fctx evaluates constant expressions at plan time.
	fctx *execCtx
	// dropping and dropCascade describe the DROP statement being run.
	dropping    map[uint32]bool
	dropCascade bool
	// usedTemp is set once a temporary relation was resolved: a view
	// over one becomes temporary itself, as in PostgreSQL.
	usedTemp bool
	// boundRels, when set (CREATE VIEW), records the relation each
	// reference resolved to, so the view can be bound by oid.
	boundRels map[*pg_query.RangeVar]uint32
	// groupDeps are the tables whose primary key (by name) made a
	// grouped query's ungrouped columns valid (groupdep.go); CREATE VIEW
	// records them.
	groupDeps map[uint32]string
	// fn is the SQL function whose body is being planned: its parameter
	// names resolve as $n (see function_call.go).
	fn *catalog.Function
	// deferDepth counts the open scopes in which failed constant folds
	// are deferred; deferred holds those failures (see deferred.go).
	deferDepth int
	deferred   []*exec.FoldFailure
	// foldFailed is set when some constant failed to fold; describing
	// (Prepare's planning) ignores such failures, as PostgreSQL's parse
	// analysis does not fold; paramValues, when set, are the parameters'
	// values, planned as constants (a custom plan, see planAndRun).
	foldFailed  bool
	describing  bool
	paramValues []types.Datum
	// outputs locates the output projection of each SELECT plan built,
	// and pruneFrames the FROM items of the SELECTs being built whose
	// unused outputs may be dropped (prune.go).
	outputs     map[exec.Node]*subqueryOutputs
	pruneFrames [][]*pruneCandidate
	// Privilege checking (privileges.go): privRole is the view owner
	// whose privileges a view's query is checked with; roles caches
	// role lookups; dmlWant is what an INSERT/UPDATE/DELETE needs on
	// its target, privTarget that target (its scan needs no SELECT of
	// its own); ownerTarget is the relation a DDL statement changes,
	// which only its owner may.
	privRole    string
	roles       *roleGraph
	dmlWant     acl.Mode
	privTarget  *pg_query.RangeVar
	ownerTarget *pg_query.RangeVar
}

type cteDef struct {
	plan exec.Node
	cols []exec.Column
	// depth is how many queries enclose the one the WITH belongs to (see
	// scopeDepth): the outer rows its plan's correlated references
	// expect to find.
	depth int
	// correlated is set when the WITH query reads enclosing queries'
	// columns: a subquery reading it is then correlated too.
	correlated bool
}

// registerOutputs records where plan p's output columns are computed.
func (b *builder) registerOutputs(p exec.Node, out *subqueryOutputs) {
	if b.outputs == nil {
		b.outputs = map[exec.Node]*subqueryOutputs{}
	}
	b.outputs[p] = out
}

func (b *builder) settings() *types.Settings { return b.sess.typeSettings() }

func (b *builder) foldCtx() *execCtx {
	if b.fctx == nil {
		b.fctx = newExecCtx(b.ctx, b.sess, nil, b.cat)
		if b.cat != nil {
			b.fctx.Txn = b.cat.KV
		}
	}
	return b.fctx
}

func fmtType(v any) string { return fmt.Sprintf("%T", v) }

// resolveTypeName converts a parse-tree type name to a SQL type.
func (b *builder) resolveTypeName(tn *pg_query.TypeName) (types.T, error) {
	t, err := resolveTypeName(tn)
	if pgerror.CodeOf(err) == pgerror.UndefinedObject && len(tn.Names) > 0 && isJSONPathType(tn.Names[len(tn.Names)-1].GetString_().GetSval()) {
		return types.T{}, errJSONPath("type jsonpath").WithPosition(int(tn.Location) + 1)
	}
	if pgerror.CodeOf(err) == pgerror.UndefinedObject && b.cat != nil && b.sess != nil {
		// A user-defined (enum) type, by name on the search path.
		var names []string
		for _, n := range tn.Names {
			names = append(names, n.GetString_().GetSval())
		}
		if len(names) == 2 && names[0] == "pg_catalog" {
			return t, err
		}
		ut, ok, uerr := b.lookupUserType(names, len(tn.ArrayBounds))
		if uerr != nil {
			return t, uerr
		}
		if ok {
			if len(tn.Typmods) > 0 {
				return types.T{}, pgerror.New(pgerror.SyntaxError, "type modifier is not allowed for type %q", names[len(names)-1])
			}
			return ut, nil
		}
	}
	return t, err
}

// resolveTypeName resolves a type name; it needs no catalog (there are
// no user-defined types).
func resolveTypeName(tn *pg_query.TypeName) (types.T, error) {
	var names []string
	for _, n := range tn.Names {
		names = append(names, n.GetString_().GetSval())
	}
	var mods []int32
	for _, m := range tn.Typmods {
		c := m.GetAConst()
		if c == nil || c.GetIval() == nil {
			return types.T{}, pgerror.New(pgerror.SyntaxError, "type modifiers must be simple constants or identifiers")
		}
		mods = append(mods, c.GetIval().Ival)
	}
	t, err := types.ParseTypeName(names, mods, len(tn.ArrayBounds))
	if err != nil {
		if pe, ok := pgerror.As(err); ok && pe.Position == 0 && tn.Location >= 0 {
			pe.Position = int(tn.Location) + 1
		}
		return t, err
	}
	return t, nil
}

// lookupTable resolves a table reference in the session's database,
// searching the session's temporary schema, then public, when no schema
// is given.
func (b *builder) lookupTable(rv *pg_query.RangeVar) (*catalog.Table, error) {
	schema, err := b.relationSchema(rv.Schemaname, rv.Relname)
	if err != nil {
		return nil, err
	}
	t, err := b.cat.TableByName(b.ctx, b.sess.dbID, schema, rv.Relname)
	if err != nil {
		return nil, err
	}
	if t != nil && t.Temporary() {
		b.usedTemp = true
	}
	if t == nil || t.Kind != catalog.KindTable {
		e := pgerror.New(pgerror.UndefinedTable, "relation %q does not exist", qualifiedName(rv))
		if rv.Location >= 0 {
			e.Position = int(rv.Location) + 1
		}
		return nil, e
	}
	if rv == b.ownerTarget {
		if err := b.checkOwner(t); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// tableCols are the result columns of a scan of t under alias.
func tableCols(t *catalog.Table, alias string) []exec.Column {
	cols := make([]exec.Column, len(t.Columns))
	for i, c := range t.Columns {
		cols[i] = exec.Column{Name: c.Name, T: c.Type, Table: alias, TableOID: t.ID, AttNum: int16(i + 1), Hidden: c.Hidden, Base: true}
	}
	return cols
}
