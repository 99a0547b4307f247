package layout

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// goName matches a file name ending in .go in doc.go's comment text. The
// character before it is captured so that names following a path
// ("pgwire/conn.go", pointing into another package) can be told apart.
var goName = regexp.MustCompile(`(^|[^A-Za-z0-9_.*/-])([A-Za-z0-9_*][A-Za-z0-9_.*-]*\.go)\b`)

// TestDocMapsFiles checks, for every Go package directory of the module,
// that (a) it has a doc.go, (b) every non-test .go file other than doc.go
// is named (as the bare file name) in doc.go's comments, and (c) every
// bare *.go name those comments mention exists in the directory. A name
// with a '*' is a pattern: it must match some file, but naming files by
// pattern does not count for (b).
func TestDocMapsFiles(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("module root not found at %s: %v", root, err)
	}
	dirs := map[string][]string{} // directory -> its .go files
	err = filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			name := d.Name()
			if path != root && (name == "testdata" || name == "node_modules" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(d.Name(), ".go") {
			dir := filepath.Dir(path)
			dirs[dir] = append(dirs[dir], d.Name())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(dirs) < 10 {
		t.Fatalf("found only %d Go package directories under %s", len(dirs), root)
	}
	var misses []string
	var sorted []string
	for dir := range dirs {
		sorted = append(sorted, dir)
	}
	sort.Strings(sorted)
	for _, dir := range sorted {
		rel, _ := filepath.Rel(root, dir)
		misses = append(misses, checkDir(dir, rel, dirs[dir])...)
	}
	for _, m := range misses {
		t.Error(m)
	}
	if len(misses) > 0 {
		t.Errorf("%d misses: every package's doc.go must name each of its non-test .go files and only files that exist (issue 11)", len(misses))
	}
}

// checkDir returns the misses of one package directory holding files.
func checkDir(dir, rel string, files []string) []string {
	present := map[string]bool{}
	for _, f := range files {
		present[f] = true
	}
	if !present["doc.go"] {
		return []string{rel + ": no doc.go"}
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, filepath.Join(dir, "doc.go"), nil, parser.ParseComments|parser.PackageClauseOnly)
	if err != nil {
		return []string{rel + "/doc.go: " + err.Error()}
	}
	var text strings.Builder
	for _, cg := range f.Comments {
		for _, c := range cg.List {
			text.WriteString(c.Text)
			text.WriteByte('\n')
		}
	}
	named := map[string]bool{}
	var misses []string
	for _, m := range goName.FindAllStringSubmatch(text.String(), -1) {
		name := m[2]
		if strings.Contains(name, "*") {
			matches, _ := filepath.Glob(filepath.Join(dir, name))
			if len(matches) == 0 {
				misses = append(misses, rel+"/doc.go names "+name+", which matches no file")
			}
			continue
		}
		if named[name] {
			continue
		}
		named[name] = true
		if !present[name] {
			misses = append(misses, rel+"/doc.go names "+name+", which does not exist")
		}
	}
	sort.Strings(files)
	for _, name := range files {
		if name == "doc.go" || strings.HasSuffix(name, "_test.go") || named[name] {
			continue
		}
		misses = append(misses, rel+": "+name+" is not named in doc.go")
	}
	return misses
}
