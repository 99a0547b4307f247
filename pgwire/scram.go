package pgwire

import (
	"strings"

	"github.com/jackc/pgproto3/v2"
	"github.com/xdg-go/scram"

	"github.com/quorumdb/quorumdb/sql/password"
	"github.com/quorumdb/quorumdb/sql/pgerror"
)

// The SASL mechanisms: SCRAM-SHA-256-PLUS (channel binding of type
// tls-server-end-point, RFC 5929) is offered, first as PostgreSQL does,
// only on TLS connections.
const (
	scramMechanism     = "SCRAM-SHA-256"
	scramPlusMechanism = "SCRAM-SHA-256-PLUS"
)

// authenticateSCRAM runs a SASL SCRAM-SHA-256 exchange against the stored
// password of user. The SCRAM message syntax and proofs are
// github.com/xdg-go/scram's; this function only carries its messages in
// PostgreSQL's SASL framing: AuthenticationSASL, SASLInitialResponse,
// AuthenticationSASLContinue, SASLResponse, AuthenticationSASLFinal.
func (c *conn) authenticateSCRAM(user, stored string) *pgerror.Error {
	creds, ok, err := password.SCRAMCredentials(stored)
	if err != nil {
		return fatalf(pgerror.InternalError, "%v", err)
	}
	if !ok {
		// No password, or an md5 hash: nothing SCRAM could check. The
		// exchange is not started, as nothing it proves would count.
		return authFailed(user)
	}
	// libpq and most drivers send an empty SCRAM user name (the startup
	// message's user counts), so the lookup ignores it.
	server, err := scram.SHA256.NewServer(func(string) (scram.StoredCredentials, error) { return creds, nil })
	if err != nil {
		return fatalf(pgerror.InternalError, "%v", err)
	}
	// Channel binding is offered when the connection is TLS and the
	// certificate's hash is known.
	binding := c.tls != nil && c.srv.binding.IsSupported()
	mechanisms := []string{scramMechanism}
	if binding {
		mechanisms = []string{scramPlusMechanism, scramMechanism}
	}
	msg, fatal := c.askPassword(&pgproto3.AuthenticationSASL{AuthMechanisms: mechanisms}, pgproto3.AuthTypeSASL)
	if msg == nil {
		return fatal
	}
	first, ok := msg.(*pgproto3.SASLInitialResponse)
	if !ok {
		return unexpectedAuthMessage(msg)
	}
	var conv *scram.ServerConversation
	switch {
	case first.AuthMechanism == scramPlusMechanism && binding:
		// The client must bind (flag p) to our certificate's hash.
		conv = server.NewConversationWithChannelBindingRequired(c.srv.binding)
	case first.AuthMechanism == scramMechanism && binding:
		// Having seen -PLUS offered, a client that can bind must not
		// claim (flag y) that the server could not: a downgrade.
		conv = server.NewConversationWithChannelBinding(c.srv.binding)
	case first.AuthMechanism == scramMechanism:
		conv = server.NewConversation()
	default:
		return fatalf(pgerror.ProtocolViolation, "client selected an invalid SASL authentication mechanism")
	}
	if first.AuthMechanism == scramMechanism && strings.HasPrefix(string(first.Data), "p=") {
		return fatalf(pgerror.ProtocolViolation, "malformed SCRAM message").WithDetail(
			"The client selected SCRAM-SHA-256 without channel binding, but the SCRAM message includes channel binding data.")
	}
	serverFirst, err := conv.Step(string(first.Data))
	if err != nil {
		return fatalf(pgerror.ProtocolViolation, "malformed SCRAM message: %v", err)
	}

	msg, fatal = c.askPassword(&pgproto3.AuthenticationSASLContinue{Data: []byte(serverFirst)}, pgproto3.AuthTypeSASLContinue)
	if msg == nil {
		return fatal
	}
	final, ok := msg.(*pgproto3.SASLResponse)
	if !ok {
		return unexpectedAuthMessage(msg)
	}
	serverFinal, err := conv.Step(string(final.Data))
	if err != nil || !conv.Valid() {
		// A wrong proof is an error of Step too: either way the client
		// did not prove it knows the password.
		return authFailed(user)
	}
	// A failed send surfaces at the flush after AuthenticationOk.
	_ = c.send(&pgproto3.AuthenticationSASLFinal{Data: []byte(serverFinal)})
	return nil
}
