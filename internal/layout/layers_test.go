package layout

import (
	"go/build"
	"path/filepath"
	"strings"
	"testing"
)

// sqlLayers are the packages of the SQL layer from the bottom up: a
// package may import (directly or not) only packages of lower layers,
// so the imports point one way (docs/architecture.md, "The SQL layer").
var sqlLayers = [][]string{
	{"sql/pgerror", "sql/password"},
	{"sql/api", "sql/pgencoding", "sql/acl"},
	{"sql/types", "sql/kverror"},
	{"sql/builtins", "sql/rowenc"},
	{"sql/catalog"},
	{"sql/exec"},
	{"sql"},
}

// TestSQLLayers checks that each package of the SQL layer imports only
// the layers below it, and that only the top one, package sql, reaches
// PostgreSQL's parser (pg_query_go): the catalog and the executor work on
// descriptors and plans, not on parse trees.
func TestSQLLayers(t *testing.T) {
	const module = "github.com/quorumdb/quorumdb/"
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	layerOf := map[string]int{}
	for i, l := range sqlLayers {
		for _, p := range l {
			layerOf[module+p] = i
		}
	}
	for path, layer := range layerOf {
		seen := map[string]bool{}
		var walk func(p string)
		walk = func(p string) {
			pkg, err := build.Default.Import(p, root, 0)
			if err != nil {
				t.Fatalf("%s: %v", p, err)
			}
			for _, imp := range pkg.Imports {
				if seen[imp] {
					continue
				}
				seen[imp] = true
				if strings.Contains(imp, "pg_query_go") && layer != len(sqlLayers)-1 {
					t.Errorf("%s reaches %s (through %s): only package sql parses", path, imp, p)
				}
				if l, ok := layerOf[imp]; ok && l >= layer {
					t.Errorf("%s reaches %s (through %s), which is not below it", path, imp, p)
				}
				if strings.HasPrefix(imp, module) {
					walk(imp)
				}
			}
		}
		walk(path)
	}
	// Every package under sql/ has its layer, so a new one is placed
	// on purpose.
	for _, dir := range mustGlob(t, filepath.Join(root, "sql", "*", "doc.go")) {
		p := module + filepath.ToSlash(mustRel(t, root, filepath.Dir(dir)))
		if _, ok := layerOf[p]; !ok && !strings.HasSuffix(p, "/logictest") {
			t.Errorf("%s has no place in sqlLayers", p)
		}
	}
}

func mustGlob(t *testing.T, pattern string) []string {
	m, err := filepath.Glob(pattern)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func mustRel(t *testing.T, base, path string) string {
	r, err := filepath.Rel(base, path)
	if err != nil {
		t.Fatal(err)
	}
	return r
}
