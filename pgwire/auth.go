package pgwire

import (
	"context"
	"crypto/md5"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"strings"

	"github.com/jackc/pgproto3/v2"
	"github.com/quorumdb/quorumdb/sql/pgerror"
)

// Authentication (Config.Auth):
//
//   - trust: nothing is asked; Engine.Connect refuses unknown roles.
//   - password: AuthenticationCleartextPassword; the answer is compared
//     with the stored password (clear text, or "md5<hex>" hashed).
//   - md5: AuthenticationMD5Password with a random salt; the answer must
//     be "md5" + md5hex(md5hex(password+user) + salt), where
//     md5hex(password+user) is also what a "md5<hex>" stored password
//     holds.
//
// The role is looked up (Engine.RolePassword) before the password is
// asked, so an unknown role gets 28000 and a wrong password 28P01.

// authenticate runs the configured method for user; a non-nil result is
// the FATAL error to send.
func (c *conn) authenticate(ctx context.Context, user string) *pgerror.Error {
	method := c.srv.cfg.Auth
	if method == AuthTrust {
		return nil
	}
	stored, exists, err := c.srv.engine.RolePassword(ctx, user)
	if err != nil {
		return asFatal(err)
	}
	if !exists {
		return fatalf(pgerror.InvalidAuthorizationSpecification, "role %q does not exist", user)
	}
	var salt [4]byte
	var req pgproto3.BackendMessage
	var authType uint32
	switch method {
	case AuthMD5:
		if _, err := rand.Read(salt[:]); err != nil {
			return fatalf(pgerror.InternalError, "could not generate salt: %v", err)
		}
		req, authType = &pgproto3.AuthenticationMD5Password{Salt: salt}, pgproto3.AuthTypeMD5Password
	default:
		req, authType = &pgproto3.AuthenticationCleartextPassword{}, pgproto3.AuthTypeCleartextPassword
	}
	if err := c.be.SetAuthType(authType); err != nil {
		return fatalf(pgerror.InternalError, "%v", err)
	}
	if c.send(req) != nil || c.flush() != nil {
		return nil
	}
	msg, err := c.receive()
	if err != nil {
		var pe *pgerror.Error
		if errors.As(err, &pe) {
			return pe
		}
		// psql closes the connection on a password request when it has
		// no password, asks the user, and reconnects.
		return nil
	}
	pm, ok := msg.(*pgproto3.PasswordMessage)
	if !ok {
		return fatalf(pgerror.ProtocolViolation, "expected password response, got message type %s", msgTypeName(msg))
	}
	if !passwordMatches(method, user, stored, pm.Password, salt) {
		return fatalf(pgerror.InvalidPassword, "password authentication failed for user %q", user)
	}
	return nil
}

// passwordMatches checks a client's answer against the stored password.
// A role without a password cannot log in with one.
func passwordMatches(method, user, stored, answer string, salt [4]byte) bool {
	if stored == "" || answer == "" {
		return false
	}
	hashed := isMD5(stored)
	var want string
	switch {
	case method == AuthMD5 && hashed:
		want = "md5" + md5hex(stored[3:], string(salt[:]))
	case method == AuthMD5:
		want = "md5" + md5hex(md5hex(stored, user), string(salt[:]))
	case hashed:
		want, answer = stored, "md5"+md5hex(answer, user)
	default:
		want = stored
	}
	return subtle.ConstantTimeCompare([]byte(want), []byte(answer)) == 1
}

// isMD5 reports whether a stored password is an md5 hash: "md5" and 32
// hex digits, as PostgreSQL stores them.
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
