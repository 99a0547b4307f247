package replication

import (
	"time"

	"github.com/quorumdb/quorumdb/cluster/replication/replicationpb"
)

// Event is one cache invalidation hint. Events carry versions: a receiver
// ignores an event older than what its cache holds, so a late or repeated
// event is harmless (see doc.go, "Invariants").
type Event struct {
	// Kind selects the handler: "descriptor", "role", "setting", "plan", ...
	Kind string
	// Key names the object within its kind.
	Key string
	// Version of the object after the change.
	Version uint64
	// Payload is kind-specific and opaque to this package.
	Payload []byte

	// Origin is the node that enqueued the event; set by Enqueue.
	Origin int
	// Seq is the event's sequence number in its queue; set by Enqueue (it is
	// the queue log's index, so it grows by one per entry and survives
	// restarts).
	Seq uint64
	// Queue is the sender's queue name; set on the receiving side.
	Queue string
	// Enqueued is the sender's wall clock at enqueue.
	Enqueued time.Time
}

func (e *Event) toProto() *replicationpb.Event {
	return &replicationpb.Event{
		Kind:             e.Kind,
		Key:              e.Key,
		Version:          e.Version,
		Payload:          e.Payload,
		Origin:           int64(e.Origin),
		Seq:              e.Seq,
		EnqueuedUnixNano: e.Enqueued.UnixNano(),
	}
}

func eventFromProto(p *replicationpb.Event, queue string) Event {
	return Event{
		Kind:     p.GetKind(),
		Key:      p.GetKey(),
		Version:  p.GetVersion(),
		Payload:  p.GetPayload(),
		Origin:   int(p.GetOrigin()),
		Seq:      p.GetSeq(),
		Queue:    queue,
		Enqueued: time.Unix(0, p.GetEnqueuedUnixNano()),
	}
}
