package pgwire

import (
	"go/build"
	"strings"
	"testing"
)

// TestWireDoesNotImportTheEngine: pgwire and what it imports of sql/
// (the contract package api, pgerror, pgencoding) do not reach the SQL
// engine or PostgreSQL's parser, so the wire layer and its tests build
// without cgo's parser and cannot depend on the engine's insides.
func TestWireDoesNotImportTheEngine(t *testing.T) {
	const module = "github.com/quorumdb/quorumdb/"
	seen := map[string]bool{}
	var walk func(path, dir string)
	walk = func(path, dir string) {
		if seen[path] {
			return
		}
		seen[path] = true
		pkg, err := build.Default.Import(path, dir, 0)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		imports := pkg.Imports
		if path == module+"pgwire" {
			imports = append(append(imports, pkg.TestImports...), pkg.XTestImports...)
		}
		for _, imp := range imports {
			if imp == module+"sql" || strings.Contains(imp, "pg_query_go") {
				t.Errorf("%s imports %s", path, imp)
			}
			if strings.HasPrefix(imp, module) {
				walk(imp, pkg.Dir)
			}
		}
	}
	walk(module+"pgwire", ".")
}
