// Package pgencoding owns what the database encoding, UTF8, accepts:
// the check PostgreSQL's pg_verify_mbstr makes of everything a client
// sends (statement text, parameters, binary text values, COPY data), with
// its SQLSTATE (22021) and message naming the offending bytes. It is
// tiny and imports only pgerror, so the wire layer and the type codecs
// can share it.
//
// Files: utf8.go (CheckUTF8, CheckUTF8String).
package pgencoding
