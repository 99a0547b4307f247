// Package pgwire is quorumdb's PostgreSQL wire protocol (v3) server: it
// accepts connections, runs startup and authentication, and turns simple
// and extended query messages, COPY and CancelRequest into calls on a
// sql.Session, writing the results back as protocol messages.
package pgwire
