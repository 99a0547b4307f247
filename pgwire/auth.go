package pgwire

import (
	"context"
	"crypto/rand"
	"crypto/x509"
	"errors"

	"github.com/jackc/pgproto3/v2"

	"github.com/quorumdb/quorumdb/sql/password"
	"github.com/quorumdb/quorumdb/sql/pgerror"
)

// Authentication (Config.Auth), as PostgreSQL's pg_hba methods of the same
// names behave (stored forms: see package password):
//
//   - trust: nothing is asked; Engine.Connect refuses unknown roles.
//   - password: AuthenticationCleartextPassword; the answer is checked
//     against the stored password, whatever its form.
//   - md5: AuthenticationMD5Password with a random salt when the stored
//     password is an md5 hash (or clear text); a role whose password is a
//     SCRAM verifier is asked for SCRAM-SHA-256 instead, as PostgreSQL
//     does, since the verifier cannot answer an md5 challenge.
//   - scram-sha-256: SASL SCRAM-SHA-256 (RFC 5802, RFC 7677); on a TLS
//     connection SCRAM-SHA-256-PLUS too, with tls-server-end-point
//     channel binding (scram.go). A role whose password is an md5
//     hash cannot log in this way (PostgreSQL refuses it too).
//   - cert: the client's TLS certificate, verified during the handshake
//     against the configured authorities, must name the role in its
//     common name (PostgreSQL's cert method without a user map).
//
// A role that does not exist, or has no password, is asked for one as a
// real role would be (SCRAM against a mock verifier, password.Mock) and
// refused with the same 28P01 as a wrong password: as in PostgreSQL, the
// answer does not tell a client which roles exist. The server's log says
// why. Only trust and cert, which ask nothing, answer 28000 "role does not
// exist" (Engine.Connect), as PostgreSQL does after such methods.

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
	if method == AuthCert {
		if !exists {
			return fatalf(pgerror.InvalidAuthorizationSpecification, "role %q does not exist", user)
		}
		return c.authenticateCert(user)
	}
	mock := !exists || password.KindOf(stored) == password.None
	if mock {
		stored = password.Mock(c.srv.mockSecret[:], user)
	}
	var fail *pgerror.Error
	kind := password.KindOf(stored)
	switch {
	case method == AuthSCRAM, method == AuthMD5 && kind == password.SCRAM:
		fail = c.authenticateSCRAM(user, stored)
	case method == AuthMD5:
		fail = c.authenticateMD5(user, stored)
	default:
		fail = c.authenticateCleartext(user, stored)
	}
	if fail == nil && mock {
		// Not reachable without the mock keys' preimage; kept so that a
		// mock can never let anyone in.
		fail = authFailed(user)
	}
	if mock && fail != nil && fail.Code == pgerror.InvalidPassword {
		if exists {
			c.log.Info("pgwire: login refused: the role has no password", "user", user)
		} else {
			c.log.Info("pgwire: login refused: the role does not exist", "user", user)
		}
	}
	return fail
}

// authenticateCleartext asks for the password in clear text.
func (c *conn) authenticateCleartext(user, stored string) *pgerror.Error {
	msg, fatal := c.askPassword(&pgproto3.AuthenticationCleartextPassword{}, pgproto3.AuthTypeCleartextPassword)
	if msg == nil {
		return fatal
	}
	pm, ok := msg.(*pgproto3.PasswordMessage)
	if !ok {
		return unexpectedAuthMessage(msg)
	}
	if !password.Verify(stored, user, pm.Password) {
		return authFailed(user)
	}
	return nil
}

// authenticateMD5 sends an md5 challenge with a fresh salt.
func (c *conn) authenticateMD5(user, stored string) *pgerror.Error {
	var salt [4]byte
	if _, err := rand.Read(salt[:]); err != nil {
		return fatalf(pgerror.InternalError, "could not generate salt: %v", err)
	}
	msg, fatal := c.askPassword(&pgproto3.AuthenticationMD5Password{Salt: salt}, pgproto3.AuthTypeMD5Password)
	if msg == nil {
		return fatal
	}
	pm, ok := msg.(*pgproto3.PasswordMessage)
	if !ok {
		return unexpectedAuthMessage(msg)
	}
	if !password.MD5Response(stored, user, pm.Password, salt) {
		return authFailed(user)
	}
	return nil
}

// askPassword sends an authentication request and reads the answer. A
// nil message with a nil error means the client went away: psql closes
// the connection on a password request when it has no password, asks the
// user, and reconnects.
func (c *conn) askPassword(req pgproto3.BackendMessage, authType uint32) (pgproto3.FrontendMessage, *pgerror.Error) {
	if err := c.be.SetAuthType(authType); err != nil {
		return nil, fatalf(pgerror.InternalError, "%v", err)
	}
	if c.send(req) != nil || c.flush() != nil {
		return nil, nil
	}
	msg, err := c.receive()
	if err != nil {
		var pe *pgerror.Error
		if errors.As(err, &pe) {
			return nil, pe
		}
		return nil, nil
	}
	return msg, nil
}

func unexpectedAuthMessage(msg pgproto3.FrontendMessage) *pgerror.Error {
	return fatalf(pgerror.ProtocolViolation, "expected password response, got message type %s", msgTypeName(msg))
}

func authFailed(user string) *pgerror.Error {
	return fatalf(pgerror.InvalidPassword, "password authentication failed for user %q", user)
}

// authenticateCert checks the client certificate's common name.
func (c *conn) authenticateCert(user string) *pgerror.Error {
	var certs []*x509.Certificate
	if c.tls != nil {
		certs = c.tls.ConnectionState().PeerCertificates
	}
	if len(certs) == 0 {
		return fatalf(pgerror.InvalidAuthorizationSpecification, "connection requires a valid client certificate")
	}
	if certs[0].Subject.CommonName != user {
		c.log.Info("pgwire: certificate common name does not match the user", "cn", certs[0].Subject.CommonName)
		return fatalf(pgerror.InvalidAuthorizationSpecification, "certificate authentication failed for user %q", user)
	}
	return nil
}
