/*
Package pgwire is quorumdb's PostgreSQL wire protocol (version 3.0)
server. It accepts connections, runs startup and authentication, and
turns simple and extended query messages, COPY and CancelRequest into
calls on a sql session, writing the results back as protocol messages.
pgwire never interprets a SQL value: values cross the Session boundary
already encoded in the text or binary format the client asked for.

The protocol itself is PostgreSQL's:

  - https://www.postgresql.org/docs/current/protocol-flow.html
  - https://www.postgresql.org/docs/current/protocol-message-formats.html

Every message is decoded and encoded by github.com/jackc/pgproto3/v2's
Backend; this package decides what to do with them.

# Parts

  - Server (server.go): the accept loop, the set of open connections,
    Shutdown and Close. It owns every connection goroutine and waits for
    them. Config (config.go) holds the settings with their defaults.
  - Engine and Session (engine.go): the interfaces pgwire consumes,
    declared here over the contract package sql/api, so that pgwire never
    imports package sql (TestWireDoesNotImportTheEngine keeps it so: its
    tests build without PostgreSQL's parser). *sql.Session satisfies
    Session; the composition root (server) wraps *sql.Engine into an
    Engine.
  - conn (conn.go): one client connection. Its goroutine reads a message,
    handles it, and only then reads the next; it is the only goroutine
    touching the socket, the session and the statement and portal maps.
  - startup (startup.go): SSLRequest ('S' and a TLS handshake when
    Config.TLS is set, see tls.go, else 'N'), GSSENCRequest ('N'),
    CancelRequest, the StartupMessage, then ParameterStatus,
    BackendKeyData and the first ReadyForQuery.
  - authentication (auth.go): trust, cleartext password, md5, client
    certificates; SCRAM-SHA-256 and SCRAM-SHA-256-PLUS (scram.go).
  - extended protocol (extended.go): Parse, Bind, Describe, Execute,
    Close, Sync, with PostgreSQL's checks and SQLSTATEs.
  - results (writer.go): resultWriter implements api.ResultWriter for a
    Query or Execute message; the helpers that send errors and
    ReadyForQuery and flush the output buffer.
  - COPY (copy.go): CopyInResponse plus a reader that pulls CopyData off
    the socket; CopyOutResponse plus CopyData/CopyDone.
  - cancellation (cancel.go): BackendKeyData allocation and CancelRequest.
  - connection slots (slots.go): max_connections and the superuser
    reserve (53300).
  - framing (reader.go): the chunk reader that bounds a message's length
    and tells a broken socket from a malformed message.
  - errors (errors.go): ErrServerClosed, what Serve returns once stopped.

# Connection lifecycle

 1. Accept. Server.Serve registers the connection and starts its
    goroutine (conn.serve) with the server's context.
 2. Startup, under a 60 s deadline. SSLRequest gets 'S' and the TLS
    handshake runs (Config.TLS), or 'N' and the client continues in plain
    text on the same socket; GSSENCRequest always gets 'N'. With
    Config.RequireTLS a plain text StartupMessage is FATAL 28000. A
    CancelRequest is handled and the socket closed with no
    answer. Only protocol 3.0 is accepted (else FATAL 0A000); a missing
    user is FATAL 28000.
 3. Authentication (Config.Auth). The role's stored password is looked
    up (Engine.RolePassword), then the password asked and checked
    (wrong, FATAL 28P01). An unknown role, or one without a password, is
    asked the same way against a mock verifier and refused with the same
    28P01, so nothing tells a client which roles exist. Trust asks
    nothing (an unknown role is then Engine.Connect's FATAL 28000).
 4. Session. AuthenticationOk; Engine.Connect (its error, e.g. 3D000, is
    sent as FATAL); every Session.InitialParamStatus as ParameterStatus;
    every Session.StartupNotices as NoticeResponse (a session opened from
    cached credentials because the cluster has no quorum says so);
    BackendKeyData; ReadyForQuery.
 5. Commands, one message at a time. Query: Session.ExecSimple with a
    resultWriter that sends RowDescription, DataRow, CommandComplete,
    EmptyQueryResponse, NoticeResponse and ParameterStatus; an error
    becomes an ErrorResponse; ReadyForQuery(Session.TxnStatus) always
    ends it. Parse, Bind, Describe, Execute, Close: the statement and
    portal maps live in conn; Describe answers from
    api.PreparedStatement and api.Portal, so Execute's resultWriter
    sends no RowDescription; Execute with a row limit ends in
    PortalSuspended when rows remain; nothing is flushed until Sync or
    Flush. Sync: Session.Sync, then ReadyForQuery; when the transaction
    status is idle all portals are dropped (they do not outlive their
    transaction).
 6. End. Terminate, the client closing, a FATAL error or server shutdown
    ends the loop; Session.Close is called exactly once, the cancel key
    forgotten and the socket closed.

# Invariants

  - One goroutine per connection, owned by the Server: Shutdown cancels
    the server context (the running statement's context is a child of it;
    a connection blocked reading gets a read deadline) and waits; Close
    also closes every socket. A connection then ends with FATAL 57P01.
  - A panic in a connection (including inside the session) is recovered,
    logged with its stack at Error level, answered with FATAL XX000, and
    ends only that connection.
  - A malformed, truncated or oversized message, or an unknown message
    type, is FATAL 08P01 for its connection only. The length is checked
    before the body is read or allocated (Config.MaxMessageSize, default
    64 MiB). pgproto3 decoders that panic on bad input are treated the
    same way.
  - Output is buffered: pgproto3's Backend.Send writes into a
    bufio.Writer that is flushed at ReadyForQuery, Flush, CopyInResponse
    (before the blocking read of COPY data), authentication requests and
    before closing.
  - After an error in the extended protocol every message up to Sync is
    discarded, Terminate excepted, and Session.AbortBatch is called so the
    batch's implicit transaction rolls back. The simple protocol never
    skips.
  - During COPY FROM STDIN, Flush and Sync are ignored; CopyFail is 57014
    "COPY from stdin failed: ..."; another message ends the COPY with
    08P01. CopyData, CopyDone and CopyFail arriving outside COPY (sent
    before the client saw the error) are ignored.
  - Errors reach the wire only through pgerror.Flatten: severity,
    SQLSTATE, message, detail, hint and position. context.Canceled from
    a canceled statement becomes 57014.
  - A BackendKeyData process id is unique on this server and carries the
    node id in bits 20..30 (NodeOfPID); the secret is random and compared
    in constant time. A CancelRequest cancels the matching session's
    current statement only: between statements it does nothing, as in
    PostgreSQL.

# Debugging

  - Logs are slog records with component=pgwire, node, and per
    connection remote, pid and user. Debug level shows sessions opening
    and connections ending; Info shows refused startups, cancel requests
    with unknown keys and protocol errors (with their SQLSTATE); Error
    shows recovered panics with their stacks.
  - Reproduce a wire-level problem with a raw pgproto3 Frontend, as the
    tests do (rawClient in server_test.go): they compare compact message
    traces ("DataRow ...", "ReadyForQuery I"), so a trace from a real
    client can be turned into a test quickly. Compare with PostgreSQL by
    pointing the same client at it.
  - Client-side traces: psql's \set VERBOSITY verbose and libpq's
    PGOPTIONS, pgx's tracelog, or Wireshark's pgsql dissector on port
    5433 (with TLS, give Wireshark the keys: a test client's
    tls.Config.KeyLogWriter writes them).
  - The fuzz target drives arbitrary bytes through a connection:
    go test -fuzz=FuzzConnection ./pgwire. A failing input is written to
    testdata/fuzz/FuzzConnection; keep it there as a regression seed.
*/
package pgwire
