// Package layout owns the checks of the code's layout (issue 11): every
// package's doc.go maps its parts to files, and the SQL layer's packages
// import one way. It holds no code, only the tests.
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
//	layers_test.go  TestSQLLayers: the SQL layer's packages, bottom up;
//	                each imports only the layers below it, and only
//	                package sql reaches PostgreSQL's parser
package layout
