package heartbeat

import "errors"

// Sentinel errors of the heartbeat package.
var (
	// ErrStarted means Start was called twice.
	ErrStarted = errors.New("heartbeat: already started")
	// ErrClosed means Start was called after Close.
	ErrClosed = errors.New("heartbeat: closed")
	// ErrBadRow means a stored row could not be decoded; the error names
	// its key.
	ErrBadRow = errors.New("heartbeat: malformed row")
)
