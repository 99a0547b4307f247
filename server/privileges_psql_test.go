package server

import (
	"fmt"
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
	if diff := lineDiff(want, got); diff != "" {
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

// lineDiff is a unified-style listing of the lines that differ between
// two outputs (a longest common subsequence, small inputs), each with its
// line number in want or got; empty when they are equal.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	// lcs[i][j] is the length of the longest common subsequence of w[i:]
	// and g[j:].
	lcs := make([][]int, len(w)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(g)+1)
	}
	for i := len(w) - 1; i >= 0; i-- {
		for j := len(g) - 1; j >= 0; j-- {
			if w[i] == g[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var b strings.Builder
	i, j := 0, 0
	for i < len(w) || j < len(g) {
		switch {
		case i < len(w) && j < len(g) && w[i] == g[j]:
			i, j = i+1, j+1
		case j < len(g) && (i == len(w) || lcs[i][j+1] >= lcs[i+1][j]):
			fmt.Fprintf(&b, "%4d+ %s\n", j+1, g[j])
			j++
		default:
			fmt.Fprintf(&b, "%4d- %s\n", i+1, w[i])
			i++
		}
	}
	return b.String()
}
