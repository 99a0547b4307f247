// Package testcert makes certificates for tests of TLS connections: a
// certificate authority, a server certificate it signs for localhost and
// 127.0.0.1, and client certificates. Everything is written as PEM files
// in a test's temporary directory.
//
// # Files
//
//	testcert.go  Set: New (the CA and a server certificate), Client,
//	             ServerTLS
package testcert
