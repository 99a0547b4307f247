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
	// ErrNotMember means a direct heartbeat came from a node that is not
	// a peer in this node's cluster.nodes (or with another address): the
	// two nodes are configured differently. The error names both sides.
	ErrNotMember = errors.New("heartbeat: beat from a node that is not a member")
	// ErrWrongTarget means a direct heartbeat meant for another node id
	// reached this one: the address now belongs to another node.
	ErrWrongTarget = errors.New("heartbeat: beat meant for another node")
)
