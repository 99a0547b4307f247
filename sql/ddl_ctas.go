package sql

import (
	"fmt"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/quorumdb/quorumdb/sql/catalog"
	"github.com/quorumdb/quorumdb/sql/pgerror"
	"github.com/quorumdb/quorumdb/sql/types"
)

// planCreateTableAs plans CREATE [TEMP] TABLE … AS query and SELECT … INTO
// [TEMP] name: a table with the query's columns (no primary key, so a
// hidden row id), filled with its rows through INSERT's write path. The
// tag is "SELECT n", as in PostgreSQL.
func (b *builder) planCreateTableAs(into *pg_query.IntoClause, query *pg_query.SelectStmt, ifNotExists bool) (*stmtPlan, error) {
	if into == nil || into.Rel == nil || query == nil {
		return nil, unsupported("this CREATE TABLE AS form")
	}
	p, err := b.buildSelect(query, nil)
	if err != nil {
		return nil, err
	}
	cols := p.Columns()
	if len(into.ColNames) > len(cols) {
		return nil, pgerror.New(pgerror.SyntaxError, "too many column names were specified")
	}
	rel := into.Rel
	onCommit := onCommitAction(into.OnCommit)
	return &stmtPlan{run: func(ec *execCtx) (*result, error) {
		schema, temp, err := b.creationSchema(rel.Schemaname, rel.Relpersistence == "t")
		if err != nil {
			return nil, err
		}
		if into.OnCommit > pg_query.OnCommitAction_ONCOMMIT_NOOP && !temp {
			return nil, pgerror.New(pgerror.InvalidTableDefinition, "ON COMMIT can only be used on temporary tables")
		}
		if _, exists, err := b.cat.LookupID(b.ctx, b.sess.dbID, schema, rel.Relname); err != nil {
			return nil, err
		} else if exists {
			if ifNotExists {
				ec.AddNotice(fmt.Sprintf("relation %q already exists, skipping", rel.Relname))
				return &result{tag: "CREATE TABLE AS", notices: ec.Notices}, nil
			}
			return nil, pgerror.New(pgerror.DuplicateTable, "relation %q already exists", rel.Relname)
		}
		id, err := b.cat.NewID(b.ctx)
		if err != nil {
			return nil, err
		}
		t := &catalog.Table{ID: id, Kind: catalog.KindTable, DBID: b.sess.dbID, Schema: schema, Name: rel.Relname, Owner: b.sess.user, NextCol: 1, NextIdx: 1, OnCommit: onCommit}
		if err := b.applyDefaultACL(t); err != nil {
			return nil, err
		}
		for i, c := range cols {
			name := c.Name
			if i < len(into.ColNames) {
				name = into.ColNames[i].GetString_().GetSval()
			}
			if _, dup := t.ColumnByName(name); dup != nil {
				return nil, pgerror.New(pgerror.DuplicateColumn, "column %q specified more than once", name)
			}
			typ := c.T
			if typ.Family == types.UnknownFamily {
				typ = types.Text // an untyped literal makes a text column
			}
			t.Columns = append(t.Columns, catalog.Column{ID: t.NextCol, Name: name, Type: typ})
			t.NextCol++
		}
		if err := setPrimaryKey(t, nil); err != nil {
			return nil, err
		}
		if err := b.registerIndexNames(t); err != nil {
			return nil, err
		}
		if err := b.cat.WriteTable(b.ctx, t); err != nil {
			return nil, err
		}
		if onCommit != "" {
			b.sess.hasOnCommitActions = true
		}
		if into.SkipData {
			return &result{tag: "CREATE TABLE AS"}, nil
		}
		ins, err := b.planInsert(&pg_query.InsertStmt{
			Relation:   &pg_query.RangeVar{Schemaname: schema, Relname: rel.Relname, Inh: true, Location: -1},
			SelectStmt: &pg_query.Node{Node: &pg_query.Node_SelectStmt{SelectStmt: query}},
		})
		if err != nil {
			return nil, err
		}
		res, err := ins.run(ec)
		if err != nil {
			return nil, err
		}
		var n int64
		if _, err := fmt.Sscanf(res.tag, "INSERT 0 %d", &n); err != nil {
			return nil, fmt.Errorf("sql: CREATE TABLE AS: unexpected insert tag %q", res.tag)
		}
		return &result{tag: fmt.Sprintf("SELECT %d", n), notices: ec.Notices}, nil
	}}, nil
}
