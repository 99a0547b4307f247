package pgwire

import (
	"github.com/jackc/pgproto3/v2"
	"github.com/xdg-go/scram"

	"github.com/quorumdb/quorumdb/sql/password"
	"github.com/quorumdb/quorumdb/sql/pgerror"
)

// scramMechanism is the only SASL mechanism offered: SCRAM-SHA-256-PLUS
// needs TLS channel binding.
const scramMechanism = "SCRAM-SHA-256"

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
	conv := server.NewConversation()

	msg, fatal := c.askPassword(&pgproto3.AuthenticationSASL{AuthMechanisms: []string{scramMechanism}}, pgproto3.AuthTypeSASL)
	if msg == nil {
		return fatal
	}
	first, ok := msg.(*pgproto3.SASLInitialResponse)
	if !ok {
		return unexpectedAuthMessage(msg)
	}
	if first.AuthMechanism != scramMechanism {
		return fatalf(pgerror.ProtocolViolation, "client selected an invalid SASL authentication mechanism")
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
