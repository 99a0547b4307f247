package replication

import "errors"

// Sentinel errors of the package. Callers test them with errors.Is; the
// text carries the package prefix so that a wrapped chain reads well in a
// log line.
var (
	// ErrClosed is returned by Enqueue and Start after Close.
	ErrClosed = errors.New("replication: manager closed")
	// ErrNotStarted is returned by Enqueue before Start: the queues'
	// group-commit goroutines do not run yet.
	ErrNotStarted = errors.New("replication: manager not started")
	// ErrInvalidConfig wraps every Config.Validate failure.
	ErrInvalidConfig = errors.New("replication: invalid config")
	// ErrQueueBroken is returned by Enqueue when a queue's log failed a
	// write earlier; the log may hold a partial batch and refuses further
	// appends until the node restarts and repairs it.
	ErrQueueBroken = errors.New("replication: queue log broken")
	// ErrProtocol is a violation of the Deliver stream contract (an ack
	// for an event never sent, a header that changes within a stream).
	ErrProtocol = errors.New("replication: protocol violation")
	// ErrRejected is a negative ack: the peer's handler failed on an event.
	ErrRejected = errors.New("replication: peer rejected event")
	// ErrWrongNode means the address reached a node with another id.
	ErrWrongNode = errors.New("replication: stream reached the wrong node")
)
