package logictest

import "context"

// switchUser makes the following records run as role name, as
// CockroachDB's "user" directive does: the connection is closed and the
// next record connects to the file's database as that role (without a
// password, so the server must trust it or accept an empty one). "root",
// CockroachDB's superuser, and the DSN's own user name the DSN's role.
func (r *fileRunner) switchUser(ctx context.Context, name string) {
	if name == "root" {
		name = r.db.admin.User
	}
	if r.conn != nil {
		r.conn.Close(context.WithoutCancel(ctx))
		r.conn = nil
	}
	r.db.conn.User = name
}
