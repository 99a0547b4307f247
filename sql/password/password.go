package password

import (
	"crypto/md5"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"

	"github.com/xdg-go/scram"
)

// Methods of password_encryption.
const (
	MethodSCRAM = "scram-sha-256"
	MethodMD5   = "md5"
)

// Kind is the form a stored password is in.
type Kind int

const (
	// None: the role has no password and cannot log in with one.
	None Kind = iota
	// Plain: clear text (stored by quorumdb before verifiers; still
	// accepted, never written).
	Plain
	// MD5: "md5" + 32 hex digits.
	MD5
	// SCRAM: a SCRAM-SHA-256 verifier.
	SCRAM
)

// scramIterations and scramSaltLen are PostgreSQL's defaults
// (scram_iterations, SCRAM_DEFAULT_SALT_LEN).
const (
	scramIterations = 4096
	scramSaltLen    = 16
	scramPrefix     = "SCRAM-SHA-256$"
)

// KindOf classifies a stored password.
func KindOf(stored string) Kind {
	switch {
	case stored == "":
		return None
	case isMD5(stored):
		return MD5
	case strings.HasPrefix(stored, scramPrefix):
		if _, err := parseSCRAM(stored); err == nil {
			return SCRAM
		}
	}
	return Plain
}

// Encrypt returns what to store for password of role user under method
// (password_encryption). A password already in md5 or SCRAM form is
// returned as is, as PostgreSQL does.
func Encrypt(method, user, password string) (string, error) {
	if k := KindOf(password); k == MD5 || k == SCRAM || k == None {
		return password, nil
	}
	switch method {
	case MethodMD5:
		return "md5" + md5hex(password, user), nil
	case MethodSCRAM:
		salt := make([]byte, scramSaltLen)
		if _, err := rand.Read(salt); err != nil {
			return "", fmt.Errorf("password: generating a salt: %w", err)
		}
		creds, err := storedCredentials(password, string(salt), scramIterations)
		if err != nil {
			return "", err
		}
		b64 := base64.StdEncoding.EncodeToString
		return fmt.Sprintf("%s%d:%s$%s:%s", scramPrefix, creds.Iters, b64([]byte(creds.Salt)),
			b64(creds.StoredKey), b64(creds.ServerKey)), nil
	}
	return "", fmt.Errorf("password: unknown method %q", method)
}

// Verify reports whether password, as a client sent it in clear text, is
// the stored one of role user.
func Verify(stored, user, password string) bool {
	if password == "" {
		return false
	}
	switch KindOf(stored) {
	case Plain:
		return equal(stored, password)
	case MD5:
		return equal(stored, "md5"+md5hex(password, user))
	case SCRAM:
		want, err := parseSCRAM(stored)
		if err != nil {
			return false
		}
		got, err := storedCredentials(password, want.Salt, want.Iters)
		return err == nil && subtle.ConstantTimeCompare(got.StoredKey, want.StoredKey) == 1 &&
			subtle.ConstantTimeCompare(got.ServerKey, want.ServerKey) == 1
	}
	return false
}

// MD5Response reports whether answer is the right reply to an md5
// challenge with salt for the stored password of user: "md5" +
// md5hex(md5hex(password + user) + salt). A SCRAM verifier cannot answer
// it (the caller runs SCRAM instead, as PostgreSQL does).
func MD5Response(stored, user, answer string, salt [4]byte) bool {
	var inner string
	switch KindOf(stored) {
	case Plain:
		inner = md5hex(stored, user)
	case MD5:
		inner = stored[3:]
	default:
		return false
	}
	return answer != "" && equal("md5"+md5hex(inner, string(salt[:])), answer)
}

// SCRAMCredentials returns the SCRAM-SHA-256 credentials of a stored
// password: the verifier's, or, for a clear-text password, ones derived
// with a fresh salt. An md5 hash (or no password) has none: ok is false.
func SCRAMCredentials(stored string) (creds scram.StoredCredentials, ok bool, err error) {
	switch KindOf(stored) {
	case SCRAM:
		creds, err = parseSCRAM(stored)
		return creds, err == nil, err
	case Plain:
		salt := make([]byte, scramSaltLen)
		if _, err := rand.Read(salt); err != nil {
			return creds, false, fmt.Errorf("password: generating a salt: %w", err)
		}
		creds, err = storedCredentials(stored, string(salt), scramIterations)
		return creds, err == nil, err
	}
	return creds, false, nil
}

// storedCredentials derives the SCRAM keys of password. The password is
// SASLprepped when it can be, else used as is, like PostgreSQL's
// pg_saslprep fallback (libpq does the same on its side).
func storedCredentials(password, salt string, iters int) (scram.StoredCredentials, error) {
	client, err := scram.SHA256.NewClient("", password, "")
	if err != nil {
		client, err = scram.SHA256.NewClientUnprepped("", password, "")
		if err != nil {
			return scram.StoredCredentials{}, fmt.Errorf("password: %w", err)
		}
	}
	creds, err := client.GetStoredCredentialsWithError(scram.KeyFactors{Salt: salt, Iters: iters})
	if err != nil {
		return scram.StoredCredentials{}, fmt.Errorf("password: deriving SCRAM keys: %w", err)
	}
	return creds, nil
}

// parseSCRAM decodes "SCRAM-SHA-256$<iter>:<salt>$<StoredKey>:<ServerKey>".
func parseSCRAM(stored string) (scram.StoredCredentials, error) {
	var creds scram.StoredCredentials
	rest, ok := strings.CutPrefix(stored, scramPrefix)
	if !ok {
		return creds, fmt.Errorf("password: not a SCRAM-SHA-256 verifier")
	}
	factors, keys, ok := strings.Cut(rest, "$")
	if !ok {
		return creds, fmt.Errorf("password: malformed SCRAM verifier")
	}
	iterText, saltText, ok1 := strings.Cut(factors, ":")
	storedText, serverText, ok2 := strings.Cut(keys, ":")
	if !ok1 || !ok2 {
		return creds, fmt.Errorf("password: malformed SCRAM verifier")
	}
	iters, err := strconv.Atoi(iterText)
	if err != nil || iters < 1 {
		return creds, fmt.Errorf("password: malformed SCRAM iteration count %q", iterText)
	}
	dec := base64.StdEncoding.DecodeString
	salt, err1 := dec(saltText)
	storedKey, err2 := dec(storedText)
	serverKey, err3 := dec(serverText)
	if err1 != nil || err2 != nil || err3 != nil || len(storedKey) != 32 || len(serverKey) != 32 {
		return creds, fmt.Errorf("password: malformed SCRAM verifier keys")
	}
	creds.Salt, creds.Iters, creds.StoredKey, creds.ServerKey = string(salt), iters, storedKey, serverKey
	return creds, nil
}

// isMD5 reports whether p is "md5" and 32 hex digits.
func isMD5(p string) bool {
	if len(p) != 35 || !strings.HasPrefix(p, "md5") {
		return false
	}
	_, err := hex.DecodeString(p[3:])
	return err == nil
}

// md5hex returns the hex md5 digest of the concatenation of parts.
func md5hex(parts ...string) string {
	h := md5.New()
	for _, p := range parts {
		h.Write([]byte(p))
	}
	return hex.EncodeToString(h.Sum(nil))
}

func equal(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}
