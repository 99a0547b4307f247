// Package password owns how role passwords are stored and checked, the way
// PostgreSQL 15 does it: a password is stored as a SCRAM-SHA-256 verifier
// ("SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>", RFC 5803)
// or, with password_encryption = md5, as "md5" + md5hex(password + user);
// a value already in one of those forms is stored as given. Neither form
// can be turned back into the password. sql stores passwords with Encrypt;
// pgwire checks what clients send with Verify (cleartext), MD5Response
// (md5 challenge) and SCRAMCredentials (SASL SCRAM-SHA-256, run by
// github.com/xdg-go/scram).
//
// # Files
//
//	password.go  KindOf, Encrypt, Verify, MD5Response, SCRAMCredentials:
//	             the stored forms and the checks against them
//	mock.go      Mock: a stable fake SCRAM verifier for a role that does
//	             not exist or has no password, so a login fails only at
//	             the proof
package password
