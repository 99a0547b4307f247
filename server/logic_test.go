package server

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/quorumdb/quorumdb/sql/logictest"
)

// TestLogic runs every testdata/**/*.slt file against a node, through the
// wire, as the quorumdb engine.
func TestLogic(t *testing.T) {
	runLogicFiles(t, startNode(t, testConfig(t)))
}

// TestClusterLogic runs every testdata/logictest/*.slt file through a
// node of a 3-node cluster that is not the keyspace's leader, so that
// every transaction runs remotely: DESIGN.md requires the same results
// as a single node (TestLogic).
func TestClusterLogic(t *testing.T) {
	nodes := startCluster(t, clusterConfigs(t, 3, 3))
	runLogicFiles(t, nodes[(leaderOf(t, nodes)+1)%3])
}

// runLogicFiles runs each .slt file of testdata/logictest as a subtest
// against n's SQL listener.
func runLogicFiles(t *testing.T, n *Node) {
	t.Helper()
	files, err := filepath.Glob("../testdata/logictest/*.slt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no .slt files: %v", err)
	}
	cfg := logictest.Config{DSN: "postgres://postgres@" + n.SQLAddr() + "/postgres?sslmode=disable", Engine: "quorumdb"}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			res, err := logictest.RunFile(context.Background(), cfg, f)
			if err != nil {
				t.Fatal(err)
			}
			for _, fail := range res.Failures {
				t.Errorf("%s:%d: %s\n  want: %s\n  got:  %s", f, fail.Line, fail.SQL, fail.Want, fail.Got)
			}
			if res.Passed == 0 {
				t.Fatalf("no record passed in %s", f)
			}
		})
	}
}
