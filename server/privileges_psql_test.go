package server

import (
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/quorumdb/quorumdb/internal/pgtest"
)

// TestPsqlPrivilegesMatchPostgres runs testdata/privileges.sql through
// psql 15 against a throwaway PostgreSQL 15 and against a quorumdb node,
// and compares the outputs line by line (issue 12): the attack list,
// GRANT/REVOKE and \dp, has_*_privilege, membership and SET ROLE, DROP
// ROLE's 2BP01 and ALTER TABLE OWNER. Both servers use trust
// authentication so that the script's \c switches login roles.
func TestPsqlPrivilegesMatchPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("starts PostgreSQL")
	}
	requireTool(t, "psql")
	u, err := url.Parse(pgtest.Start(t))
	if err != nil {
		t.Fatal(err)
	}
	want := runPrivilegeScript(t, u.Hostname(), u.Port())
	n := startNode(t, testConfig(t))
	host, port := hostPort(n.SQLAddr())
	got := runPrivilegeScript(t, host, port)
	if diff := lineDiff(strings.Split(want, "\n"), strings.Split(got, "\n")); diff != "" {
		t.Errorf("psql output differs from PostgreSQL 15's (- PostgreSQL, + quorumdb):\n%s", diff)
	}
}

// runPrivilegeScript runs the script with ON_ERROR_STOP off, echoing each
// statement (-a) so that errors are seen next to what caused them.
func runPrivilegeScript(t *testing.T, host, port string) string {
	t.Helper()
	cmd := toolCommand(t, "psql", "-h", host, "-p", port, "-U", "postgres", "-d", "postgres",
		"-X", "-a", "-v", "ON_ERROR_STOP=0", "-v", "VERBOSITY=default",
		"-f", filepath.Join("testdata", "privileges.sql"))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("psql on %s:%s: %v\n%s", host, port, err, out)
	}
	return string(out)
}
