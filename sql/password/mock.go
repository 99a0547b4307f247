package password

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
)

// Mock returns a SCRAM-SHA-256 verifier for a role that does not exist
// or has no password, so that logging in as it goes through the same
// exchange as a real role and fails only at the proof (PostgreSQL's
// scram_mock_salt does the same): what a client sees does not tell it
// which roles exist. The salt and keys are derived from secret and the
// user name, so a client asking twice sees the same salt, as it would
// for a real role; nobody knows a password whose keys are these.
func Mock(secret []byte, user string) string {
	derive := func(label string) []byte {
		mac := hmac.New(sha256.New, secret)
		mac.Write([]byte(label))
		mac.Write([]byte{0})
		mac.Write([]byte(user))
		return mac.Sum(nil)
	}
	enc := base64.StdEncoding.EncodeToString
	return fmt.Sprintf("%s%d:%s$%s:%s", scramPrefix, scramIterations,
		enc(derive("salt")[:scramSaltLen]), enc(derive("stored key")), enc(derive("server key")))
}
