package catalog

import (
	"context"
	"strconv"
	"strings"

	"github.com/quorumdb/quorumdb/kv"
	"github.com/quorumdb/quorumdb/sql/acl"
)

// SchemaMeta is a schema's owner and ACL.
type SchemaMeta struct {
	Owner  string     `json:"owner"`
	ACL    []acl.Item `json:"acl,omitempty"`
	ACLSet bool       `json:"acl_set,omitempty"`
}

// PgDatabaseOwner is the built-in role that stands for the current
// database's owner; PostgreSQL 15 makes it the owner of public.
const PgDatabaseOwner = "pg_database_owner"

// SchemaMetaKey is the key of a schema's SchemaMeta.
func SchemaMetaKey(db uint32, name string) []byte {
	return kv.SystemKey([]byte("schemameta/"), EncodeID(db), []byte(name))
}

// SchemaMeta returns the schema's owner and ACL (with its default ACL
// filled in when none was stored).
func (c *Txn) SchemaMeta(ctx context.Context, db uint32, name string) (*SchemaMeta, error) {
	var m SchemaMeta
	ok, err := c.GetJSON(ctx, SchemaMetaKey(db, name), &m)
	if err != nil {
		return nil, err
	}
	if !ok {
		m.Owner = "postgres"
		if name == "public" {
			m.Owner = PgDatabaseOwner
		}
	}
	if !m.ACLSet {
		m.ACL = SchemaDefaultACL(name, m.Owner)
	} else if m.ACL == nil {
		m.ACL = []acl.Item{}
	}
	return &m, nil
}

// PutSchemaMeta stores a schema's owner and ACL.
func (c *Txn) PutSchemaMeta(ctx context.Context, db uint32, name string, m *SchemaMeta) error {
	return c.PutJSON(ctx, SchemaMetaKey(db, name), m)
}

// SchemaDefaultACL is PostgreSQL 15's: the owner holds USAGE and CREATE;
// PUBLIC holds USAGE on public and the system schemas, and nothing else
// (15 no longer lets PUBLIC create in public).
func SchemaDefaultACL(name, owner string) []acl.Item {
	own := acl.Item{Grantee: owner, Grantor: owner, Privs: acl.AllSchema}
	switch name {
	case "public", "pg_catalog", "information_schema":
		return []acl.Item{own, {Grantee: "", Grantor: owner, Privs: acl.Usage}}
	}
	return []acl.Item{own}
}

const TempSchemaPrefix = "pg_temp_"

// IsTempSchemaName reports whether name is some session's temporary
// schema (CREATE SCHEMA refuses the pg_ prefix, so no user schema is).
func IsTempSchemaName(name string) bool {
	rest, ok := strings.CutPrefix(name, TempSchemaPrefix)
	if !ok || rest == "" {
		return false
	}
	_, err := strconv.ParseUint(rest, 10, 32)
	return err == nil
}
