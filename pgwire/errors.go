package pgwire

import "errors"

// Errors returned by the Server.
var (
	// ErrServerClosed is returned by Serve and ListenAndServe once the
	// server was stopped by Shutdown, Close or the cancellation of
	// Serve's context.
	ErrServerClosed = errors.New("pgwire: server closed")
)
