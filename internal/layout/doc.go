// Package layout owns the check that every package's doc.go maps its parts
// to files (issue 11): it holds no code, only the test.
//
// # Files
//
//	doc.go          this description
//	layout_test.go  TestDocMapsFiles: walks the module from its root
//	                (skipping testdata, node_modules and hidden
//	                directories) and, for every directory holding Go
//	                files, requires a doc.go that names each non-test .go
//	                file of the directory and names no bare *.go file that
//	                is not there
package layout
